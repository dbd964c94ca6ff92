"""The friend persons' pages: the list with its filters and export, the record form, a friend
person's page with their active periods and matches (small forms to add, end and remove), the
export of everything about them (GDPR art. 15) and their erasure (art. 17).

Views stay thin: the forms check input, the selectors read (scoped by
hemma/volunteers/policies.py: another region's friend person is a 404, a viewer's look at
personal data a 403), the services write. Every page that shows a record writes it to the read
log. Every page works without JavaScript.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hemma.accounts.roles import roles_of
from hemma.audit import labels
from hemma.lib.forms import form_saved as _saved
from hemma.lib.languages import language_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.volunteers import exports, policies, selectors, services
from hemma.volunteers.forms import MatchForm, PeriodForm, VolunteerFilterForm, VolunteerForm
from hemma.volunteers.models import ActivePeriod, Match, Volunteer, VolunteerRead

PAGE_SIZE = 50
_FILTERS = ("municipality", "period", "language", "trained", "records")


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


# -- the list --------------------------------------------------------------------------------


def _filtered(request):
    """(the filter form, the friend persons it leaves, whether any filter is set)."""
    if not policies.may_list_volunteers(request.user):
        raise PermissionDenied
    municipalities = policies.municipalities_user_records_for(request.user).order_by("code")
    programmes = Programme.objects.filter(
        region__in={m.region_id for m in municipalities}
    ).values_list("period_start", "period_end")
    years = sorted(
        {y for start, end in programmes for y in range(start, end + 1)}
        | {timezone.localdate().year},
        reverse=True,
    )
    form = VolunteerFilterForm(request.GET or None, municipalities=municipalities, years=years)
    filters = form.selector_filters()
    found = selectors.volunteer_list(user=request.user, **filters)
    return form, found, any(request.GET.get(name) for name in _FILTERS)


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k in _FILTERS for v in request.GET.getlist(k) if v])


@login_required
@require_GET
def volunteer_list(request):
    form, found, filtered = _filtered(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    services.volunteer_reads_record(
        reader=request.user, volunteers=shown, way=VolunteerRead.Way.LIST
    )
    return render(
        request,
        "volunteers/list.html",
        {
            "form": form,
            "page": page,
            "volunteers": [(v, _facts(v)) for v in shown],
            "count": page.paginator.count,
            "filtered": filtered,
            "query": _query_without_page(request),
            "can_add": policies.municipalities_user_records_for(request.user).exists(),
        },
    )


def _facts(volunteer: Volunteer) -> dict[str, Any]:
    """What the list shows of a friend person beside the record (periods and matches
    prefetched): active today, their open matches, their languages by name."""
    today = timezone.localdate()
    return {
        "active": any(
            p.starts_on <= today and (p.ends_on is None or p.ends_on >= today)
            for p in volunteer.periods.all()
        ),
        "matches": sum(
            1
            for m in volunteer.matches.all()
            if m.starts_on <= today and (m.ends_on is None or m.ends_on >= today)
        ),
        "languages": [language_name(code) for code in volunteer.languages or []],
    }


_EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.list_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", exports.list_csv),
}


@login_required
@require_GET
def volunteer_list_export(request, format: str):
    """The filtered list (every page of it) as XLSX or CSV; each one in it is a read."""
    if format not in _EXPORTS:
        raise Http404
    _form, found, _any = _filtered(request)
    volunteers = list(found)
    services.volunteer_reads_record(
        reader=request.user, volunteers=volunteers, way=VolunteerRead.Way.LIST
    )
    content_type, write = _EXPORTS[format]
    response = HttpResponse(
        write([exports.list_row(v) for v in volunteers]), content_type=content_type
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="friend-persons-{stamp}.{format}"'
    return response


# -- the record form -------------------------------------------------------------------------


def _record_form(request, volunteer: Volunteer | None) -> VolunteerForm:
    municipalities = policies.municipalities_user_records_for(request.user).order_by("code")
    if volunteer is not None:
        initial = VolunteerForm.initial_of(volunteer)
    else:
        today = timezone.localdate()
        own = [
            m for m in municipalities if m.pk in roles_of(request.user).coordinated_municipalities
        ]
        initial = {"consent_on": today, "recruited_on": today}
        if own:
            initial["municipality"] = own[0]
    return VolunteerForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities,
        creating=volunteer is None,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_add(request):
    if not policies.municipalities_user_records_for(request.user).exists():
        raise PermissionDenied
    form = _record_form(request, None)
    created: list[Volunteer] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(services.volunteer_create(actor=request.user, fields=form.values())),
    ):
        messages.success(request, _("The friend person was recorded."))
        if "another" in request.POST:
            return redirect("volunteers:add")
        return redirect("volunteers:detail", code=created[0].code)
    return render(request, "volunteers/edit.html", {"form": form, "volunteer": None})


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, code):
    volunteer = selectors.volunteer_get(user=request.user, code=code)
    policies.check_change(request.user, volunteer)
    if request.method == "GET":
        services.volunteer_reads_record(
            reader=request.user, volunteers=[volunteer], way=VolunteerRead.Way.DETAIL
        )
    form = _record_form(request, volunteer)
    if request.method == "POST" and _saved(
        form,
        lambda: services.volunteer_update(
            actor=request.user, volunteer=volunteer, fields=form.values()
        ),
    ):
        messages.success(request, _("The friend person was saved."))
        return redirect("volunteers:detail", code=volunteer.code)
    return render(request, "volunteers/edit.html", {"form": form, "volunteer": volunteer})


# -- a friend person's page ------------------------------------------------------------------


def _when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return value


def _range_text(starts_on: str | None, ends_on: str | None, open_end: str) -> str:
    return f"{_when(starts_on)} – {_when(ends_on) if ends_on else open_end}"


def _period_text(value) -> str:
    if not value:
        return labels.EMPTY
    return _range_text(value[0], value[1], _("still active"))


def _match_text(value) -> str:
    if not value:
        return labels.EMPTY
    reference, size, starts_on, ends_on = value
    people = ngettext("%(count)s person", "%(count)s people", size) % {"count": size}
    dates = _range_text(starts_on, ends_on, _("still matched"))
    return ", ".join(part for part in (reference, people, dates) if part)


def _history(volunteer: Volunteer) -> list:
    """The record's changes, newest first; a period's or a match's as their dates."""
    events = selectors.volunteer_history(volunteer)
    municipalities = {
        m.code: pick(m.name, fallback="sv") or m.code
        for m in Municipality.objects.filter(region_id=volunteer.region_id)
    }
    language = _language()
    history = []
    for event in events:
        changes = dict(event.changes or {})
        lines = []
        for key, label, text in (
            (services.PERIOD_KEY, _("Active period"), _period_text),
            (services.MATCH_KEY, _("Match"), _match_text),
        ):
            if key in changes:
                old, new = changes.pop(key)
                lines.append(labels.ChangeLine(label=label, old=text(old), new=text(new)))
        lines += labels.change_lines(
            Volunteer, changes, language=language, municipalities=municipalities
        )
        history.append((event, lines))
    return history


def _detail(
    request,
    volunteer: Volunteer,
    *,
    period_form: PeriodForm | None = None,
    match_form: MatchForm | None = None,
    changed: Form | None = None,
):
    """The page of a friend person (a read), with the small forms (those given bound, to show
    their problems; `changed` a row's form that was sent)."""
    services.volunteer_reads_record(
        reader=request.user, volunteers=[volunteer], way=VolunteerRead.Way.DETAIL
    )
    can_change = policies.can_change_volunteer(request.user, volunteer)
    period_rows = []
    for period in volunteer.periods.all():
        form = (
            changed
            if isinstance(changed, PeriodForm) and changed.prefix == f"period-{period.pk}"
            else PeriodForm(initial=PeriodForm.initial_of(period), prefix=f"period-{period.pk}")
        )
        period_rows.append((period, form))
    match_rows = []
    for match in volunteer.matches.all():
        match_row_form = (
            changed
            if isinstance(changed, MatchForm) and changed.prefix == f"match-{match.pk}"
            else MatchForm(initial=MatchForm.initial_of(match), prefix=f"match-{match.pk}")
        )
        match_rows.append((match, match_row_form))
    reads = None
    read_count = 0
    if policies.can_see_read_log(request.user, volunteer):
        reads = selectors.volunteer_reads(volunteer, limit=selectors.READS_SHOWN)
        read_count = selectors.volunteer_read_count(volunteer)
    return render(
        request,
        "volunteers/detail.html",
        {
            "volunteer": volunteer,
            "can_change": can_change,
            "volunteer_languages": [language_name(c) for c in volunteer.languages or []],
            "period_rows": period_rows,
            "match_rows": match_rows,
            "period_form": period_form or PeriodForm(prefix="period"),
            "match_form": match_form or MatchForm(prefix="match"),
            "history": _history(volunteer),
            "reads": reads,
            "read_count": read_count,
        },
    )


@login_required
@require_GET
def volunteer_detail(request, code):
    volunteer = selectors.volunteer_get(user=request.user, code=code)
    return _detail(request, volunteer)


# -- active periods and matches: small forms on the page --------------------------------------


def _changeable(request, code) -> Volunteer:
    volunteer = selectors.volunteer_get(user=request.user, code=code)
    policies.check_change(request.user, volunteer)
    return volunteer


def _one(items, pk: int):
    for item in items:
        if item.pk == pk:
            return item
    raise Http404


def _back(volunteer: Volunteer, anchor: str):
    return redirect(f"{reverse('volunteers:detail', args=[volunteer.code])}#{anchor}")


@login_required
@require_POST
def period_add(request, code):
    volunteer = _changeable(request, code)
    form = PeriodForm(request.POST, prefix="period")
    if _saved(
        form,
        lambda: services.period_add(actor=request.user, volunteer=volunteer, fields=form.values()),
    ):
        messages.success(request, _("The active period was added."))
        return _back(volunteer, "periods")
    return _detail(request, volunteer, period_form=form)


@login_required
@require_POST
def period_change(request, code, pk: int):
    volunteer = _changeable(request, code)
    period = _one(volunteer.periods.all(), pk)
    form = PeriodForm(request.POST, prefix=f"period-{pk}")
    if _saved(
        form,
        lambda: services.period_change(actor=request.user, period=period, fields=form.values()),
    ):
        messages.success(request, _("The active period was saved."))
        return _back(volunteer, "periods")
    return _detail(request, volunteer, changed=form)


@login_required
@require_http_methods(["GET", "POST"])
def period_remove(request, code, pk: int):
    volunteer = _changeable(request, code)
    period: ActivePeriod = _one(volunteer.periods.all(), pk)
    if request.method == "POST":
        services.period_remove(actor=request.user, period=period)
        messages.success(request, _("The active period was removed."))
        return _back(volunteer, "periods")
    return render(
        request,
        "volunteers/remove.html",
        {
            "volunteer": volunteer,
            "heading": _("Remove the active period?"),
            "what": _period_text([period.starts_on.isoformat(), _iso(period.ends_on)]),
            "button": _("Remove the period"),
        },
    )


@login_required
@require_POST
def match_add(request, code):
    volunteer = _changeable(request, code)
    form = MatchForm(request.POST, prefix="match")
    if _saved(
        form,
        lambda: services.match_add(actor=request.user, volunteer=volunteer, fields=form.values()),
    ):
        messages.success(request, _("The match was added."))
        return _back(volunteer, "matches")
    return _detail(request, volunteer, match_form=form)


@login_required
@require_POST
def match_change(request, code, pk: int):
    volunteer = _changeable(request, code)
    match = _one(volunteer.matches.all(), pk)
    form = MatchForm(request.POST, prefix=f"match-{pk}")
    if _saved(
        form,
        lambda: services.match_change(actor=request.user, match=match, fields=form.values()),
    ):
        messages.success(request, _("The match was saved."))
        return _back(volunteer, "matches")
    return _detail(request, volunteer, changed=form)


@login_required
@require_http_methods(["GET", "POST"])
def match_remove(request, code, pk: int):
    volunteer = _changeable(request, code)
    match: Match = _one(volunteer.matches.all(), pk)
    if request.method == "POST":
        services.match_remove(actor=request.user, match=match)
        messages.success(request, _("The match was removed."))
        return _back(volunteer, "matches")
    return render(
        request,
        "volunteers/remove.html",
        {
            "volunteer": volunteer,
            "heading": _("Remove the match?"),
            "what": _match_text(
                [
                    match.household_reference,
                    match.household_size,
                    match.starts_on.isoformat(),
                    _iso(match.ends_on),
                ]
            ),
            "button": _("Remove the match"),
        },
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# -- the person's rights: export (art. 15) and erasure (art. 17) ------------------------------


@login_required
@require_GET
def volunteer_download(request, code, format: str):
    """Everything stored about the friend person, as JSON or as a workbook (a read)."""
    if format not in ("json", "xlsx"):
        raise Http404
    volunteer = selectors.volunteer_get(user=request.user, code=code)
    export = services.volunteer_export(actor=request.user, volunteer=volunteer)
    if format == "json":
        response = HttpResponse(exports.export_json(export), content_type="application/json")
    else:
        response = HttpResponse(
            exports.export_xlsx(export),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="friend-person-{volunteer.code}-{stamp}.{format}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_erase(request, code):
    volunteer = _changeable(request, code)
    if request.method == "POST":
        services.volunteer_erase(actor=request.user, volunteer=volunteer)
        messages.success(
            request,
            _(
                "The friend person's personal data were erased. What the follow-up counts is "
                "kept, with nothing that names them."
            ),
        )
        return redirect("volunteers:detail", code=volunteer.code)
    # The page names the person: a read.
    services.volunteer_reads_record(
        reader=request.user, volunteers=[volunteer], way=VolunteerRead.Way.DETAIL
    )
    return render(request, "volunteers/erase.html", {"volunteer": volunteer})
