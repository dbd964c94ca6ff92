"""Placements' pages: the list with its filters and export, the record form (add and edit),
removal, and the upload.

Views stay thin: forms check input, the selectors read (scoped by hemma/registries/policies.py:
another region's or municipality's placement is a 404), the services write (a user who may see
but not record is refused with 403). The staff pages show every number in full, also those
below the suppression threshold (marked, as they are never published).

The upload goes upload → preview → confirm or cancel, as the statistics' upload does: the
preview plans the file (hemma/registries/placements_file.py: every change old → new, every
problem by row and column) and keeps it on the server under a token; the confirmation plans
the kept file again and records it through placements_record_many, all or nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hemma.accounts.roles import roles_of
from hemma.lib import suppression
from hemma.lib.forms import form_saved
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.registries import placements_file, policies, selectors, services, uploads
from hemma.registries.models import Placement
from hemma.registries.placements_forms import (
    PlacementFilterForm,
    PlacementForm,
    PlacementsUploadForm,
    name_of,
)

PAGE_SIZE = 50
_FILTERS = ("municipality", "period", "kind", "unit")


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


def _municipalities_visible(user) -> QuerySet[Municipality]:
    """The municipalities whose placements the user sees (as policies.placements_visible)."""
    if user.is_superuser:
        return Municipality.objects.order_by("code")
    roles = roles_of(user)
    return Municipality.objects.filter(
        Q(region_id__in=roles.regions) | Q(id__in=roles.municipalities)
    ).order_by("code")


def _recordable(user, region: Region | None = None) -> list[Municipality]:
    """The municipalities the user records placements for (in `region`, or in all)."""
    regions = [region] if region else policies.placement_regions_visible(user).order_by("key")
    found: list[Municipality] = []
    for each in regions:
        found += list(policies.placement_municipalities_recordable(user, each).order_by("code"))
    return found


def _closed_to_reporters(request) -> None:
    """An organisation reporter records their organisation's activities, nothing else: the
    placements' pages are forbidden to them (a placement itself does not exist for them)."""
    if policies.reports_only(request.user):
        raise PermissionDenied


def _period_key(code: str) -> tuple:
    """Newest year first; in a year the year, then its half-years, then its quarters."""
    return (-int(code[:4]), len(code), code)


# -- the list --------------------------------------------------------------------------------


def _filtered(request):
    """(the filter form, the placements it leaves, the filters as the selector takes them)."""
    user = request.user
    visible = policies.placements_visible(user)
    stored = set(visible.values_list("period", flat=True).distinct())
    codes = sorted(stored | {code[:4] for code in stored}, key=_period_key)
    units = list(Organisation.objects.filter(id__in=visible.values("unit_id")))
    form = PlacementFilterForm(
        request.GET or None,
        municipalities=list(_municipalities_visible(user)),
        period_codes=codes,
        units=units,
        language=_language(),
    )
    filters: dict = {}
    if form.is_bound:
        if form.is_valid():
            filters = {
                name: form.cleaned_data[name] for name in _FILTERS if form.cleaned_data[name]
            }
        else:
            filters["period"] = "-"  # nothing matches a bad filter
    return form, selectors.placement_list(user=user, **filters), filters


def _query_without_page(request) -> str:
    return urlencode([(k, request.GET[k]) for k in _FILTERS if request.GET.get(k)])


@login_required
@require_GET
def placement_list(request):
    _closed_to_reporters(request)
    form, placements, filters = _filtered(request)
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    recordable = {m.pk for m in _recordable(request.user)}
    limit = suppression.threshold()
    rows = [
        {
            "placement": placement,
            "small": suppression.is_suppressed(placement.people, limit=limit),
            "can_change": placement.municipality_id in recordable,
        }
        for placement in page.object_list
    ]
    return render(
        request,
        "registries/placements.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "count": page.paginator.count,
            "people": placements.aggregate(total=Sum("people"))["total"] or 0,
            "filtered": bool(filters),
            "query": _query_without_page(request),
            "can_record": bool(recordable),
            "threshold": limit,
        },
    )


# -- export ----------------------------------------------------------------------------------

_EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        placements_file.placements_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", placements_file.placements_csv),
}


@login_required
@require_GET
def placement_export(request, format: str):
    """The filtered list (every page of it) as XLSX or CSV in the placements file's format
    (so that it can be corrected and uploaded again), every number in full: the coordinators'
    own export, not a publication."""
    _closed_to_reporters(request)
    if format not in _EXPORTS:
        raise Http404
    _form, placements, _filters = _filtered(request)
    content_type, write = _EXPORTS[format]
    response = HttpResponse(write(placements, language=_language()), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="placements-{stamp}.{format}"'
    return response


# -- the record form -------------------------------------------------------------------------


def _region_for_new(request) -> Region:
    """The region a new placement is recorded in: the one chosen, else the user's first."""
    visible = policies.placement_regions_visible(request.user)
    regions = [
        r for r in visible.order_by("key") if policies.can_record_placement(request.user, r, None)
    ]
    key = request.POST.get("region") or request.GET.get("region")
    if key:
        for region in regions:
            if region.key == key:
                return region
        if visible.filter(key=key).exists():
            raise PermissionDenied
        raise Http404
    if not regions:
        raise PermissionDenied
    return regions[0]


def _form(request, region: Region, placement: Placement | None = None) -> PlacementForm:
    """The record form of `region` (changing `placement`): the municipalities the user
    records for; a municipality asked for that is not one of them is a 404 (unseen) or a 403."""
    user = request.user
    municipalities = _recordable(user, region)
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("municipality")
    if code and code not in {m.code for m in municipalities}:
        if _municipalities_visible(user).filter(code=code).exists():
            raise PermissionDenied
        raise Http404
    if not code:
        if placement is not None:
            code = placement.municipality.code
        else:
            own = roles_of(user).coordinated_municipalities
            mine = [m for m in municipalities if m.pk in own]
            code = (mine or municipalities)[0].code if municipalities else ""
    first = next((m for m in municipalities if m.code == code), None)
    initial = {}
    if placement is None and request.method == "GET":
        initial = {"period": request.GET.get("period") or str(timezone.localdate().year - 1)}
        if request.GET.get("municipality"):
            initial["municipality"] = request.GET["municipality"]
    return PlacementForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities,
        organisations=list(Organisation.objects.filter(region=region)),
        first=first,
        language=_language(),
        placement=placement,
        initial=initial,
    )


def _saved(form: PlacementForm, save) -> bool:
    """`form_saved`, the version's refusal (a stale save) above the form, not at its field."""
    return form_saved(form, save, above=("version",))


def _back_to_list(placement: Placement) -> str:
    return (
        reverse("registries:placements")
        + "?"
        + urlencode({"municipality": placement.municipality.code, "period": placement.period[:4]})
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_add(request):
    _closed_to_reporters(request)
    region = _region_for_new(request)
    form = _form(request, region)
    created: list[Placement] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.placement_record(
                actor=request.user, region=region, replace=False, **form.values()
            )
        ),
    ):
        placement = created[0]
        messages.success(
            request,
            _("The placement of %(unit)s (%(municipality)s, %(period)s) was recorded.")
            % {
                "unit": name_of(placement.unit, _language()),
                "municipality": name_of(placement.municipality, _language()),
                "period": placement.period,
            },
        )
        if "another" in request.POST:
            query = {
                "region": region.key,
                "municipality": placement.municipality.code,
                "period": placement.period,
            }
            return redirect(reverse("registries:placement_add") + "?" + urlencode(query))
        return redirect(_back_to_list(placement))
    return render(
        request,
        "registries/placement_edit.html",
        {"form": form, "region": region, "placement": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request, code):
    placement = selectors.placement_get(user=request.user, code=code)
    if not policies.can_change_placement(request.user, placement):
        raise PermissionDenied
    form = _form(request, placement.region, placement)
    saved: list[Placement] = []
    if request.method == "POST" and _saved(
        form,
        lambda: saved.append(
            services.placement_record(
                actor=request.user, region=placement.region, placement=placement, **form.values()
            )
        ),
    ):
        messages.success(request, _("The placement was saved."))
        return redirect(_back_to_list(saved[0]))
    return render(
        request,
        "registries/placement_edit.html",
        {"form": form, "region": placement.region, "placement": placement},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_delete(request, code):
    placement = selectors.placement_get(user=request.user, code=code)
    if not policies.can_change_placement(request.user, placement):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.placement_delete(actor=request.user, placement=placement)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The placement of %(unit)s (%(municipality)s, %(period)s) was removed.")
                % {
                    "unit": name_of(placement.unit, _language()),
                    "municipality": name_of(placement.municipality, _language()),
                    "period": placement.period,
                },
            )
            return redirect(_back_to_list(placement))
    return render(
        request,
        "registries/placement_delete.html",
        {"placement": placement, "errors": errors, "back": _back_to_list(placement)},
        status=400 if errors else 200,
    )


# -- the upload ------------------------------------------------------------------------------


def _format_columns() -> list[tuple[str, str]]:
    """The placements file's columns, headed in the user's language, and what each holds."""
    language = placements_file.vocabulary(_language())
    headings = placements_file.HEADINGS[language]
    kinds = ", ".join(f"“{name}”" for name in placements_file.KIND_NAMES[language].values())
    what = {
        "municipality_code": _("The municipality's official code, e.g. 598. Required."),
        "municipality": _("The municipality's name, for the reader: not read."),
        "unit": _(
            "The unit's key, or its name: an organisation of the region, not a unit of "
            "another municipality. Required."
        ),
        "unit_name": _("The unit's name, for the reader: not read."),
        "kind": _("The kind of place: %(kinds)s. Required.") % {"kinds": kinds},
        "period": _(
            "A year (2025), a half-year (2025H1) or a quarter (2025Q2). Required: not a "
            "period whose follow-up is approved."
        ),
        "people": _("How many people had such a place: a whole number. Required."),
        "note": _("A note on the placement; an empty cell keeps the stored one."),
    }
    return [(headings[column], what[column]) for column in placements_file.COLUMNS]


def _upload_saved(plan: placements_file.Plan) -> str:
    return _(
        "Saved: %(added)s new placements, %(changed)s numbers of people changed, "
        "%(notes)s notes changed."
    ) % {"added": plan.added, "changed": plan.people_changed, "notes": plan.notes_changed}


_UPLOAD = uploads.Upload(
    session_key="pending_placements_uploads",
    url_name="registries:placements_upload",
    done_url_name="registries:placements",
    upload_template="registries/placements_upload.html",
    preview_template="registries/placements_preview.html",
    form_class=PlacementsUploadForm,
    read_upload=placements_file.read_upload,
    plan=placements_file.placements_plan,
    record=placements_file.placements_import,
    saved=_upload_saved,
    max_problems=placements_file.MAX_PROBLEMS,
)


@login_required
@require_http_methods(["GET", "POST"])
def placements_upload(request):
    """Upload → preview (problems by row and column, changes old → new) → confirm or cancel."""
    _closed_to_reporters(request)
    return uploads.upload_page(
        request, _UPLOAD, region=_region_for_new(request), columns=_format_columns()
    )
