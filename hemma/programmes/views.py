from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from hemma.accounts.roles import is_translator_only, roles_of
from hemma.followup import policies as followup_policies
from hemma.followup import statuses
from hemma.programmes import policies, selectors
from hemma.programmes.interchange.files import EXPORT_FORMATS, export_file


@login_required
def programme_list(request):
    # A translator sees no programme: their start is the pages waiting for their language
    # (also where "back to the programmes" of a refused page leads them).
    if is_translator_only(request.user):
        return redirect("information:translations")
    programmes = selectors.programme_list(user=request.user)
    return render(request, "programmes/list.html", {"programmes": programmes})


@login_required
def programme_detail(request, slug: str):
    programme = selectors.programme_page(user=request.user, slug=slug)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "can_edit": policies.can_edit_programme(request.user, programme),
            # The municipalities whose responsible units this user names (a link per action).
            "units_municipalities": list(
                policies.municipalities_user_names_units_for(request.user, programme)
            ),
            "export_formats": EXPORT_FORMATS,
            "can_record": followup_policies.can_record_any(request.user, programme),
            **_status_column(request, programme),
        },
    )


def _status_column(request, programme) -> dict:
    """The status column's form and, once a period is chosen (`?period=`, `?place=`), the
    rolled-up status and manual assessment of each action, set on the actions of the tree.

    With no period chosen the table is the programme as written, without the column.
    """
    periods = statuses.period_choices(user=request.user, programme=programme)
    places = statuses.places_of(programme)
    chosen = next((p for p in periods if p.code == request.GET.get("period")), None)
    place = statuses.place_get(places, request.GET.get("place")) or _own_place(request.user, places)
    context = {"status_periods": periods, "status_places": places, "status_place": place}
    if chosen is None:
        return context
    actions = [
        action
        for theme in programme.themes.all()
        for goal in theme.goals.all()
        for action in goal.actions.all()
    ]
    found = statuses.action_statuses(
        user=request.user, programme=programme, actions=actions, period=chosen, place=place
    )
    for action in actions:
        # For _action_row.html, as an annotation would be.
        action.followup_status = found[action.pk]  # type: ignore[attr-defined]
    return {
        **context,
        "status_column": True,
        "status_period": chosen,
        "rollup_rule": statuses.ROLLUP_RULE,
    }


def _own_place(user, places):
    """The user's own municipality if they have one there, else the first municipality."""
    own = roles_of(user).municipalities
    return next((p for p in places if p.municipality and p.municipality.pk in own), places[0])


@login_required
def programme_export(request, slug: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    programme = selectors.programme_get(user=request.user, slug=slug)
    content, content_type, filename = export_file(programme, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
