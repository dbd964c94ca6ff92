"""The activity registry's pages: the list with its filters and export, the record form, an
activity's page with its history, and its removal.

Views stay thin: the filters and the form check input, the selectors read (scoped by
hemma/registries/policies.py: another region's activity is a 404), the services write (a
user who may see but not change is refused with 403). Every page works without JavaScript.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hemma.accounts.roles import roles_of
from hemma.audit import labels
from hemma.audit.models import AuditEvent
from hemma.lib.forms import form_saved as _saved
from hemma.lib.languages import language_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action, Programme
from hemma.registries import activities_file, policies, selectors, services
from hemma.registries.forms import AGE_GROUPS, GENDERS, ActivityFilterForm, ActivityForm
from hemma.registries.models import Activity

PAGE_SIZE = 50
_FILTERS = ("municipality", "period", "kind", "action", "organiser")


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


def _name(obj) -> str:
    return pick(obj.name, fallback="sv") or getattr(obj, "key", "") or getattr(obj, "code", "")


# -- the list --------------------------------------------------------------------------------


def _filter_choices(user) -> dict:
    """What the filters offer: the visible regions' municipalities, years, actions, organisers
    (for an organisation reporter: their region's, and their own organisations)."""
    regions = policies.regions_of_activities(user)
    programmes = Programme.objects.filter(region__in=regions)
    organisers = Organisation.objects.filter(
        Q(region__in=policies.regions_visible(user))
        | Q(pk__in=roles_of(user).reported_organisations)
    )
    years = sorted(
        {
            y
            for start, end in programmes.values_list("period_start", "period_end")
            for y in range(start, end + 1)
        }
        | {timezone.localdate().year},
        reverse=True,
    )
    return {
        "municipalities": list(Municipality.objects.filter(region__in=regions).order_by("code")),
        "years": years,
        "actions": list(
            Action.objects.filter(programme__in=programmes)
            .select_related("programme")
            .order_by("programme__slug", "goal__theme__position", "goal__position", "position")
        ),
        "organisations": list(organisers.order_by("key", "region_id")),
        "language": _language(),
    }


def _filtered(request):
    """(the filter form, the activities it leaves, the filters as the selector takes them)."""
    choices = _filter_choices(request.user)
    form = ActivityFilterForm(request.GET or None, **choices)
    filters: dict = {}
    kinds: list[str] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        for name in ("municipality", "period", "action", "organiser"):
            if data.get(name):
                filters[name] = data[name]
        kinds = list(data.get("kind") or [])
        if len(kinds) == 1:
            filters["kind"] = kinds[0]
    activities = selectors.activity_list(user=request.user, **filters)
    if len(kinds) > 1:
        # Several kinds (a computed indicator's, from the grid's link): any of them.
        activities = activities.filter(kind__in=kinds)
        filters["kind"] = kinds
    return form, activities, filters


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k in _FILTERS for v in request.GET.getlist(k) if v])


@login_required
@require_GET
def activity_list(request):
    form, activities, filters = _filtered(request)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    regions = list(policies.regions_of_activities(request.user))
    return render(
        request,
        "registries/list.html",
        {
            "form": form,
            "page": page,
            "activities": page.object_list,
            "count": page.paginator.count,
            "filtered": bool(filters),
            "query": _query_without_page(request),
            "can_add": any(policies.can_add_activity(request.user, r) for r in regions),
        },
    )


# -- export ----------------------------------------------------------------------------------


# The file's format is activities_file's, so that an exported list reads back unchanged.
_EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        activities_file.activities_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", activities_file.activities_csv),
}


@login_required
@require_GET
def activity_export(request, format: str):
    """The filtered list (every page of it) as XLSX or CSV."""
    if format not in _EXPORTS:
        raise Http404
    _form, activities, _filters = _filtered(request)
    content_type, write = _EXPORTS[format]
    response = HttpResponse(write(activities, language=_language()), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.{format}"'
    return response


# -- the record form -------------------------------------------------------------------------


def _region_for_new(request) -> Region:
    """The region a new activity is recorded in: the one chosen, else the user's only one."""
    regions = [
        r
        for r in policies.regions_of_activities(request.user).order_by("key")
        if policies.can_add_activity(request.user, r)
    ]
    key = request.POST.get("region") or request.GET.get("region")
    if key:
        for region in regions:
            if region.key == key:
                return region
        if policies.regions_of_activities(request.user).filter(key=key).exists():
            raise PermissionDenied
        raise Http404
    if not regions:
        raise PermissionDenied
    return regions[0]


def _form(request, region: Region, activity: Activity | None = None) -> ActivityForm:
    user = request.user
    municipalities = policies.activity_municipalities_for(user, region).order_by("code")
    # A reporter's activity may be of the region as a whole (their organisation organises it).
    whole = (
        policies.may_name_municipalities(user, region, [])
        or policies.organisations_reported_in(user, region).exists()
    )
    reporter = policies.records_as_reporter_only(user, region)
    if activity is not None:
        initial = ActivityForm.initial_of(activity)
    else:
        own = roles_of(user).coordinated_municipalities
        initial = {
            "recurrence": Activity.Recurrence.ONCE,
            # The user's own municipality ticked: most activities are a municipality's own.
            "municipalities": [m for m in municipalities if m.pk in own],
        }
    actions = list(
        Action.objects.filter(programme__region=region)
        .select_related("programme")
        .prefetch_related("indicators")
        .order_by("programme__slug", "goal__theme__position", "goal__position", "position")
    )
    return ActivityForm(
        request.POST if request.method == "POST" else None,
        region=region,
        municipalities=municipalities,
        organisations=Organisation.objects.filter(region=region).order_by("key"),
        organisers=policies.organisers_user_records_for(user, region).order_by("key"),
        organiser_required=reporter,
        actions=actions,
        language=_language(),
        whole_region_allowed=whole,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request):
    region = _region_for_new(request)
    form = _form(request, region)
    created: list[Activity] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.activity_create(actor=request.user, region=region, fields=form.values())
        ),
    ):
        messages.success(request, _("The activity was recorded."))
        if "another" in request.POST:
            return redirect(reverse("registries:add") + f"?{urlencode({'region': region.key})}")
        return redirect("registries:detail", code=created[0].code)
    return render(
        request, "registries/edit.html", {"form": form, "region": region, "activity": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, code):
    activity = selectors.activity_get(user=request.user, code=code)
    if not policies.can_change_activity(request.user, activity):
        raise PermissionDenied
    form = _form(request, activity.region, activity)
    if request.method == "POST" and _saved(
        form,
        lambda: services.activity_update(
            actor=request.user, activity=activity, fields=form.values()
        ),
    ):
        messages.success(request, _("The activity was saved."))
        return redirect("registries:detail", code=activity.code)
    return render(
        request,
        "registries/edit.html",
        {"form": form, "region": activity.region, "activity": activity},
    )


# -- an activity's page ----------------------------------------------------------------------


def _history(activity: Activity) -> list:
    """The activity's changes from the audit trail, newest first, as the programmes' read."""
    events = list(
        AuditEvent.objects.filter(
            target_type=Activity._meta.label_lower, target_id=str(activity.pk)
        ).order_by("-created_at", "-id")
    )
    municipalities = {
        m.code: _name(m) for m in Municipality.objects.filter(region_id=activity.region_id)
    }
    language = _language()
    # Organisations, the region and actions by name: one query per kind for the whole history.
    references = labels.reference_names(
        (event.changes for event in events), region_id=activity.region_id, language=language
    )
    return [
        (
            event,
            labels.change_lines(
                Activity,
                event.changes,
                language=language,
                municipalities=municipalities,
                references=references,
            ),
        )
        for event in events
    ]


@login_required
@require_GET
def activity_detail(request, code):
    activity = selectors.activity_get(user=request.user, code=code)
    return render(
        request,
        "registries/detail.html",
        {
            "activity": activity,
            "can_change": policies.can_change_activity(request.user, activity),
            # A reporter does not see the programmes' pages: the actions are named, not linked.
            "link_actions": not policies.reports_only(request.user),
            "history": _history(activity),
            "by_age": [
                (g.replace("-", "–"), (activity.participants_by_age or {}).get(g))
                for g in AGE_GROUPS
                if (activity.participants_by_age or {}).get(g) is not None
            ],
            "by_gender": [
                (label, (activity.participants_by_gender or {}).get(c))
                for c, label in GENDERS
                if (activity.participants_by_gender or {}).get(c) is not None
            ],
            "activity_languages": [language_name(c) for c in activity.languages or []],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, code):
    activity = selectors.activity_get(user=request.user, code=code)
    if not policies.can_change_activity(request.user, activity):
        raise PermissionDenied
    if request.method == "POST":
        title = activity.title
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity “%(title)s” was removed.") % {"title": title})
        return redirect("registries:list")
    return render(request, "registries/delete.html", {"activity": activity})
