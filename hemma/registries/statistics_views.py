"""Service statistics' pages: the table of a period (municipality × measure) with its filters
and export, the form for one municipality's figures of a period, removal, and the upload.

Views stay thin: forms check input, the selectors read (scoped by hemma/registries/policies.py:
another region's or municipality's statistic is a 404), the services write (a user who may see
but not record is refused with 403). The staff pages show every figure in full, also counts
below the suppression threshold (marked, as they are never published).

The upload goes upload → preview → confirm or cancel, as the values upload does
(hemma/followup/upload_views.py): the preview plans the file (hemma/registries/statistics_file
.py: every change old → new, every problem by row and column) and keeps it on the server under a
token (programmes.services.pending_import_save); the confirmation plans the kept file again and
records it through statistics_record_many, all or nothing. Nothing can be confirmed while the
file has problems.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hemma.accounts.roles import roles_of
from hemma.lib import suppression
from hemma.lib.problems import Problem, ProblemsFound
from hemma.organisations.models import Municipality, Region
from hemma.registries import policies, selectors, services, statistics_file, uploads
from hemma.registries.models import ServiceStatistic
from hemma.registries.statistics_forms import (
    ALL_PERIODS,
    StatisticFilterForm,
    StatisticPlaceForm,
    StatisticsForm,
    StatisticsUploadForm,
    measure_field,
    municipality_name,
)

Measure = ServiceStatistic.Measure


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


def _municipalities_visible(user) -> QuerySet[Municipality]:
    """The municipalities whose statistics the user sees (as policies.statistics_visible)."""
    if user.is_superuser:
        return Municipality.objects.select_related("region").order_by("code")
    roles = roles_of(user)
    return (
        Municipality.objects.filter(Q(region_id__in=roles.regions) | Q(id__in=roles.municipalities))
        .select_related("region")
        .order_by("code")
    )


def _recordable(user) -> list[Municipality]:
    """The municipalities the user records statistics for, over all their regions."""
    found: list[Municipality] = []
    for region in policies.regions_visible(user).order_by("key"):
        found += list(policies.statistic_municipalities_recordable(user, region).order_by("code"))
    return found


def _closed_to_reporters(request) -> None:
    """An organisation reporter records their organisation's activities, nothing else: the
    statistics' pages are forbidden to them (a statistic itself does not exist for them)."""
    if policies.reports_only(request.user):
        raise PermissionDenied


def shown(value: Decimal | None, measure: str) -> str:
    """A figure as the staff pages show it: a count without decimals, in the user's locale."""
    if value is None:
        return ""
    if value == value.to_integral():
        return str(int(value))
    return formats.number_format(value.normalize(), use_l10n=True)


# -- the list --------------------------------------------------------------------------------


def _filtered(request):
    """(the filter form, the statistics it leaves, the municipalities and measures of the
    table, the effective filters as a query string)."""
    user = request.user
    language = _language()
    municipalities = list(_municipalities_visible(user))
    visible = policies.statistics_visible(user)
    period_codes = sorted(
        set(visible.values_list("period", flat=True).distinct()), key=_period_key, reverse=True
    )
    data = request.GET.copy()
    if not data.get("period"):
        # The latest period with figures (last year, when there are none yet): the table of
        # one period is what a coordinator compares.
        data["period"] = period_codes[0] if period_codes else str(timezone.localdate().year - 1)
    if data["period"] not in period_codes and data["period"] != ALL_PERIODS:
        period_codes = sorted([*period_codes, data["period"]], key=_period_key, reverse=True)
    form = StatisticFilterForm(
        data, municipalities=municipalities, period_codes=period_codes, language=language
    )
    filters: dict = {}
    if form.is_valid():
        cleaned = form.cleaned_data
        if cleaned.get("municipality"):
            filters["municipality"] = cleaned["municipality"]
        if cleaned.get("period") and cleaned["period"] != ALL_PERIODS:
            filters["period"] = cleaned["period"]
        if cleaned.get("measure"):
            filters["measure"] = cleaned["measure"]
    else:
        filters["period"] = "-"  # nothing matches a bad filter
    statistics = selectors.statistic_list(user=user, **filters).order_by(
        "-period", "municipality__code", "measure"
    )
    shown_municipalities = [
        m for m in municipalities if m.code == filters.get("municipality", m.code)
    ]
    measures = [m for m in Measure if m.value == filters.get("measure", m.value)]
    query = urlencode(
        [(k, form.data.get(k)) for k in ("municipality", "period", "measure") if form.data.get(k)]
    )
    return form, statistics, filters, shown_municipalities, measures, query


def _period_key(code: str) -> tuple:
    return (code[:4], code)


def _table(statistics, *, period: str | None, municipalities: list[Municipality], measures):
    """The rows of the table: (municipality, period, [cell per measure]) — for one period,
    every municipality shown (also those without figures); for all, those with figures."""
    found: dict[tuple[str, int], dict[str, ServiceStatistic]] = {}
    for statistic in statistics:
        found.setdefault((statistic.period, statistic.municipality_id), {})[statistic.measure] = (
            statistic
        )
    by_id = {m.pk: m for m in municipalities}
    if period is not None:
        keys = [(period, m.pk) for m in municipalities]
    else:
        keys = [key for key in found if key[1] in by_id]
    limit = suppression.threshold()
    rows = []
    for period_code, municipality_id in keys:
        cells = []
        for measure in measures:
            statistic = found.get((period_code, municipality_id), {}).get(measure)
            value = statistic.value if statistic else None
            cells.append(
                {
                    "statistic": statistic,
                    "value": shown(value, measure),
                    "small": measure in ServiceStatistic.COUNTS
                    and suppression.is_suppressed(value, limit=limit),
                }
            )
        rows.append({"municipality": by_id[municipality_id], "period": period_code, "cells": cells})
    return rows


@login_required
@require_GET
def statistic_list(request):
    _closed_to_reporters(request)
    form, statistics, filters, municipalities, measures, query = _filtered(request)
    period = filters.get("period")
    rows = _table(statistics, period=period, municipalities=municipalities, measures=measures)
    recordable = {m.pk for m in _recordable(request.user)}
    for row in rows:
        row["can_record"] = row["municipality"].pk in recordable
    return render(
        request,
        "registries/statistics.html",
        {
            "form": form,
            "rows": rows,
            "measures": measures,
            "period": period,
            "query": query,
            "count": len(statistics),
            "can_record": bool(recordable),
            "threshold": suppression.threshold(),
        },
    )


# -- export ----------------------------------------------------------------------------------

_EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        statistics_file.statistics_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", statistics_file.statistics_csv),
}


@login_required
@require_GET
def statistic_export(request, format: str):
    """The filtered list as XLSX or CSV in the statistics file's format (so that it can be
    corrected and uploaded again), every figure in full: the coordinators' own export, not a
    publication."""
    _closed_to_reporters(request)
    if format not in _EXPORTS:
        raise Http404
    _form, statistics, _filters, _municipalities, _measures, _query = _filtered(request)
    content_type, write = _EXPORTS[format]
    response = HttpResponse(write(statistics, language=_language()), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="statistics-{stamp}.{format}"'
    return response


# -- one municipality's figures --------------------------------------------------------------


def _place(request) -> tuple[StatisticPlaceForm, Municipality | None, str | None]:
    """The chosen municipality (one the user records for: else 404 or 403) and period."""
    recordable = _recordable(request.user)
    if not recordable:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("municipality")
    if code and code not in {m.code for m in recordable}:
        if _municipalities_visible(request.user).filter(code=code).exists():
            raise PermissionDenied
        raise Http404
    data = {
        "municipality": code or recordable[0].code,
        "period": source.get("period") or str(timezone.localdate().year - 1),
    }
    form = StatisticPlaceForm(data, municipalities=recordable, language=_language())
    if not form.is_valid():
        return form, None, None
    municipality = next(m for m in recordable if m.code == form.cleaned_data["municipality"])
    return form, municipality, form.cleaned_data["period"]


def _problems_onto(form: StatisticsForm, items: list[dict], problems: list[Problem]) -> None:
    """A service's problems (`items[i].field`) onto the figures form's fields."""
    for problem in problems:
        field = None
        if problem.field in ("source", "note"):
            field = problem.field
        elif problem.field in ("value", "measure") and problem.path.startswith("items["):
            index = int(problem.path[6 : problem.path.index("]")])
            if index < len(items):
                field = measure_field(items[index]["measure"])
        form.add_error(field, problem.message)


def _saved(request, form: StatisticsForm, municipality: Municipality, period: str) -> bool:
    """Record the figures given and remove those emptied, all or nothing; the services'
    problems onto the form's fields."""
    if not form.is_valid():
        return False
    items, removed = form.changes()
    records = [{**item, "municipality": municipality, "period": period} for item in items]
    try:
        with transaction.atomic():
            if records:
                services.statistics_record_many(
                    actor=request.user, region=municipality.region, items=records
                )
            for statistic in removed:
                services.statistic_delete(actor=request.user, statistic=statistic)
    except ProblemsFound as found:
        _problems_onto(form, records, found.problems)
        return False
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    if records or removed:
        messages.success(
            request,
            _("The figures of %(municipality)s for %(period)s were saved.")
            % {"municipality": municipality_name(municipality), "period": period},
        )
    else:
        messages.info(request, _("Nothing was changed."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def statistics_record(request):
    """One municipality's figures for a period: chosen by GET, recorded by POST."""
    _closed_to_reporters(request)
    place, municipality, period = _place(request)
    existing: dict[str, ServiceStatistic] = {}
    if municipality is not None and period is not None:
        existing = {
            s.measure: s
            for s in selectors.statistic_list(
                user=request.user, municipality=municipality, period=period
            )
        }
    posted = request.method == "POST" and municipality is not None and period is not None
    form = StatisticsForm(request.POST if posted else None, existing=existing)
    if posted and _saved(request, form, municipality, period):
        return redirect(reverse("registries:statistics") + "?" + urlencode({"period": period}))
    return render(
        request,
        "registries/statistic_record.html",
        {"place": place, "form": form, "municipality": municipality, "period": period},
        status=400 if form.errors or (request.method == "POST" and place.errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def statistic_delete(request, code):
    statistic = selectors.statistic_get(user=request.user, code=code)
    if not policies.can_change_statistic(request.user, statistic):
        raise PermissionDenied
    back = (
        reverse("registries:statistics_record")
        + "?"
        + urlencode({"municipality": statistic.municipality.code, "period": statistic.period})
    )
    if request.method == "POST":
        services.statistic_delete(actor=request.user, statistic=statistic)
        messages.success(
            request,
            _("“%(measure)s” of %(municipality)s for %(period)s was removed.")
            % {
                "measure": statistic.get_measure_display(),
                "municipality": municipality_name(statistic.municipality),
                "period": statistic.period,
            },
        )
        return redirect(back)
    return render(
        request,
        "registries/statistic_delete.html",
        {
            "statistic": statistic,
            "value": shown(statistic.value, statistic.measure),
            "back": back,
        },
    )


# -- the upload ------------------------------------------------------------------------------


def _upload_region(request) -> Region:
    """The region the file is for: the one chosen, else the first the user records in."""
    regions = [
        r
        for r in policies.regions_visible(request.user).order_by("key")
        if policies.can_record_statistic(request.user, r, None)
    ]
    key = request.POST.get("region") or request.GET.get("region")
    if key:
        for region in regions:
            if region.key == key:
                return region
        if policies.regions_visible(request.user).filter(key=key).exists():
            raise PermissionDenied
        raise Http404
    if not regions:
        raise PermissionDenied
    return regions[0]


def _format_columns() -> list[tuple[str, str]]:
    """The statistics file's columns, headed in the user's language, and what each holds."""
    headings = statistics_file.HEADINGS[statistics_file.vocabulary(_language())]
    what = {
        "municipality_code": _("The municipality's official code, e.g. 598. Required."),
        "municipality": _("The municipality's name, for the reader: not read."),
        "period": _("A year (2025), a half-year (2025H1) or a quarter (2025Q2). Required."),
        "source": _(
            "The system or report the row's figures are from; an empty cell keeps the stored one."
        ),
        "note": _("A note on the row's figures; an empty cell keeps the stored one."),
    }
    for measure, label in Measure.choices:
        what[measure] = (
            _("%(measure)s: a whole number.") % {"measure": label}
            if measure in ServiceStatistic.COUNTS
            else _("%(measure)s: days, decimals allowed.") % {"measure": label}
        )
    return [(headings[column], what[column]) for column in statistics_file.COLUMNS]


def _preview_rows(plan: statistics_file.Plan) -> list[dict]:
    """Each change of the plan as the preview shows it: where, and what changed old → new
    (the figure, the source, the note: only what differs from what is stored)."""
    return [
        {
            "change": change,
            "old": shown(change.old, change.measure),
            "new": shown(change.new, change.measure),
        }
        for change in plan.changes
    ]


def _upload_saved(plan: statistics_file.Plan) -> str:
    return _(
        "Saved: %(added)s new figures, %(changed)s figures changed, %(details)s "
        "source or note changed."
    ) % {
        "added": plan.added,
        "changed": plan.figures_changed,
        "details": plan.details_changed,
    }


_UPLOAD = uploads.Upload(
    session_key="pending_statistics_uploads",
    url_name="registries:statistics_upload",
    done_url_name="registries:statistics",
    upload_template="registries/statistics_upload.html",
    preview_template="registries/statistics_preview.html",
    form_class=StatisticsUploadForm,
    read_upload=statistics_file.read_upload,
    plan=statistics_file.statistics_plan,
    record=statistics_file.statistics_import,
    saved=_upload_saved,
    max_problems=statistics_file.MAX_PROBLEMS,
    preview_context=lambda plan: {"changes": _preview_rows(plan)},
)


@login_required
@require_http_methods(["GET", "POST"])
def statistics_upload(request):
    """Upload → preview (problems by row and column, changes old → new) → confirm or cancel."""
    _closed_to_reporters(request)
    return uploads.upload_page(
        request, _UPLOAD, region=_upload_region(request), columns=_format_columns()
    )
