"""Seeing the follow-up: the dashboard of a programme and period, and one indicator over time.

Reads only: whoever may see the programme sees these pages (hemma.followup.policies). The
responses are private to the user (Cache-Control), as every page behind the login is.
"""

import hashlib
from collections.abc import Callable

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hemma.followup import statuses
from hemma.lib import charts, periods
from hemma.lib.texts import pick
from hemma.programmes.selectors import programme_get


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def dashboard_start(request, slug: str):
    """The dashboard of the period chosen in the picker (`?period=`), else of the latest
    period with values (or of the latest round)."""
    programme = programme_get(user=request.user, slug=slug)
    try:
        period = periods.parse(request.GET.get("period", ""))
    except periods.InvalidPeriod:
        period = statuses.latest_period(user=request.user, programme=programme)
    return redirect("followup:dashboard", slug=programme.slug, period=period.code)


@login_required
@require_GET
def dashboard(request, slug: str, period: str):
    board = statuses.dashboard(user=request.user, slug=slug, period_code=period)
    return _private(
        render(
            request,
            "followup/dashboard.html",
            {
                "board": board,
                "programme": board.programme,
                "rollup_rule": statuses.ROLLUP_RULE,
            },
        )
    )


@login_required
@require_GET
def indicator(request, slug: str, action: str, indicator: str):
    history = statuses.indicator_history(
        user=request.user,
        slug=slug,
        action_key=action,
        indicator_key=indicator,
        period_code=request.GET.get("period"),
    )
    return _private(
        render(
            request,
            "followup/indicator.html",
            {
                "history": history,
                "programme": history.programme,
                "indicator": history.indicator,
                "action": history.indicator.action,
                "chart_alt": chart_description(history),
            },
        )
    )


# The chart is an image of its own: matplotlib's SVG styles itself inline, which the page's
# policy forbids; as an image it runs no script and touches nothing of the page.
# (django-csp types its decorators for views that take the request only.)
@csp_replace(  # type: ignore[arg-type]
    {"default-src": [NONE], "script-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": None}
)
@login_required
@require_GET
def indicator_chart(request, slug: str, action: str, indicator: str):
    history = statuses.indicator_history(
        user=request.user, slug=slug, action_key=action, indicator_key=indicator
    )
    svg = chart_svg(history, rtl=get_language_bidi())
    etag = f'"{hash_of(svg)}"'
    unchanged = get_conditional_response(request, etag=etag)
    response = unchanged or HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    return _private(response)


def hash_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def chart_description(history: statuses.IndicatorHistory) -> str:
    """The chart's text alternative (its <img alt> and the SVG's <desc>); also the public
    site's (hemma/public/views.py)."""
    indicator = history.indicator
    name = pick(indicator.name, fallback=history.programme.language)
    places = ", ".join(p.label for p in history.places)
    first = history.periods[0] if history.periods else None
    last = history.periods[-1] if history.periods else None
    text = _("%(indicator)s from %(first)s to %(last)s for %(places)s.") % {
        "indicator": name,
        "first": first or "–",
        "last": last or "–",
        "places": places,
    }
    if indicator.target_display:
        text += " " + _("Target: %(target)s.") % {"target": indicator.target_display}
    text += " " + _("The table below the chart gives every value and status.")
    return text


def recorded_number(cell: statuses.Cell) -> float | None:
    """The figure the coordinators' chart draws: every recorded one."""
    return statuses.chart_number(cell.indicator, cell.measurement)


def chart_svg(
    history: statuses.IndicatorHistory,
    *,
    rtl: bool,
    number: Callable[[statuses.Cell], float | None] = recorded_number,
) -> str:
    """The indicator's chart over the years. `number` gives the figure drawn for a cell: the
    public site draws only what may be published (`Cell.published_number`)."""
    indicator = history.indicator
    title = pick(indicator.name, fallback=history.programme.language)
    categories = [str(p) for p in history.periods]
    description = chart_description(history)
    if statuses.is_figure_kind(indicator):
        band = None
        if indicator.target_type == indicator.TargetType.BAND:
            low, high = indicator.target_min, indicator.target_max
            band = charts.Band(
                low=None if low is None else float(low),
                high=None if high is None else float(high),
                label=_("Target: %(target)s") % {"target": indicator.target_display},
            )
        return charts.line_chart(
            title=title,
            description=description,
            categories=categories,
            series=[
                charts.Series(
                    row.place.label,
                    [number(c) if c else None for c in row.cells],
                )
                for row in history.rows
            ],
            band=band,
            value_label=pick(indicator.unit, fallback=history.programme.language),
            rtl=rtl,
        )
    return charts.marks_chart(
        title=title,
        description=description,
        categories=categories,
        rows=[
            charts.Marks(
                row.place.label,
                [c.measurement.done if c and c.measurement else None for c in row.cells],
            )
            for row in history.rows
        ],
        done_label=_("Done"),
        not_done_label=_("Not done"),
        rtl=rtl,
    )
