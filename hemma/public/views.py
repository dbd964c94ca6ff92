"""The public site: published programmes and the follow-up of their approved periods.

No login: anyone reads these pages, and everyone (a coordinator signed in too) gets the same
page, read as the public (hemma/public/selectors.py). The pages read no session and set no
cookie (public/base.html has no form), so a shared cache may keep them for a few minutes.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language_bidi
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from hemma.followup import statuses
from hemma.followup.dashboard_views import chart_description, chart_svg, hash_of
from hemma.public import selectors

# Approving a period changes what is public; five minutes is how long a page may lag.
public_cache = cache_control(public=True, max_age=300)


@require_GET
@public_cache
def index(request):
    return render(request, "public/index.html", {"published": selectors.programme_index()})


@require_GET
@public_cache
def programme(request, slug: str):
    front = selectors.programme_front(slug=slug)
    return render(
        request,
        "public/programme.html",
        {"programme": front.programme, "periods": front.periods, "latest": front.latest},
    )


@require_GET
@public_cache
def period(request, slug: str, period: str):
    followup = selectors.period_followup(
        slug=slug, period_code=period, place_code=request.GET.get("place")
    )
    return render(
        request,
        "public/period.html",
        {
            "followup": followup,
            "programme": followup.programme,
            "period": followup.period,
            "rollup_rule": statuses.ROLLUP_RULE,
            "region_note": statuses.REGION_COLUMN_NOTE,
        },
    )


@require_GET
@public_cache
def matrix(request, slug: str, period: str):
    board = selectors.matrix(slug=slug, period_code=period)
    return render(
        request,
        "public/matrix.html",
        {
            "board": board,
            "programme": board.programme,
            "period": board.period,
            "rollup_rule": statuses.ROLLUP_RULE,
            "region_note": statuses.REGION_COLUMN_NOTE,
        },
    )


@require_GET
@public_cache
def indicator(request, slug: str, action: str, indicator: str):
    history = selectors.indicator_history(slug=slug, action_key=action, indicator_key=indicator)
    return render(
        request,
        "public/indicator.html",
        {
            "history": history,
            "programme": history.programme,
            "indicator": history.indicator,
            "action": history.indicator.action,
            "chart_alt": chart_description(history),
        },
    )


def published_number(cell: statuses.Cell) -> float | None:
    return cell.published_number


# An image of its own, as on the staff page (hemma/followup/dashboard_views.py): matplotlib's
# SVG styles itself inline. Only published figures are drawn: a hidden one leaves a gap.
@csp_replace(  # type: ignore[arg-type]
    {"default-src": [NONE], "script-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": None}
)
@require_GET
@public_cache
def indicator_chart(request, slug: str, action: str, indicator: str):
    history = selectors.indicator_history(slug=slug, action_key=action, indicator_key=indicator)
    svg = chart_svg(history, rtl=get_language_bidi(), number=published_number)
    etag = f'"{hash_of(svg)}"'
    unchanged = get_conditional_response(request, etag=etag)
    response = unchanged or HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    return response


@require_GET
@public_cache
def municipality(request, slug: str, code: str):
    followup = selectors.municipality_followup(slug=slug, code=code)
    return render(
        request,
        "public/municipality.html",
        {
            "followup": followup,
            "programme": followup.programme,
            "place": followup.place,
            "rollup_rule": statuses.ROLLUP_RULE,
        },
    )
