"""A survey's results: the page, a chart per question, and the answers as a file.

Whoever may see the programme sees the results (small counts hidden for a viewer:
hemma/surveys/results.py); the coordinators export the answers they read in full. Private to
the user (Cache-Control), as every page behind the login is.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hemma.followup.dashboard_views import hash_of
from hemma.lib import charts
from hemma.surveys import exports
from hemma.surveys.results import QuestionResult, SurveyResults, survey_for_results, survey_results


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def results(request, slug: str, key: str, period: str):
    survey = survey_for_results(user=request.user, slug=slug, key=key, period=period)
    found = survey_results(
        user=request.user, survey=survey, language=request.GET.get("language", "")
    )
    return _private(
        render(
            request,
            "surveys/results.html",
            {
                "results": found,
                "survey": survey,
                "programme": survey.programme,
                "questions": [(q, chart_description(found, q)) for q in found.questions],
            },
        )
    )


def chart_description(found: SurveyResults, result: QuestionResult) -> str:
    """The chart's text alternative (its <img alt> and the SVG's <desc>); "" for none."""
    if result.has_table:
        return _(
            "%(question)s: the share of those who answered choosing each answer, in all the "
            "municipalities together. The table gives every figure."
        ) % {"question": result.text}
    if result.is_number:
        return _(
            "%(question)s: the mean answer per municipality. The table gives every figure."
        ) % {"question": result.text}
    return ""


# The chart is an image of its own: matplotlib's SVG styles itself inline, which the page's
# policy forbids; as an image it runs no script and touches nothing of the page.
@csp_replace(  # type: ignore[arg-type]
    {"default-src": [NONE], "script-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": None}
)
@login_required
@require_GET
def results_chart(request, slug: str, key: str, period: str, question: str):
    survey = survey_for_results(user=request.user, slug=slug, key=key, period=period)
    found = survey_results(
        user=request.user, survey=survey, language=request.GET.get("language", "")
    )
    result = next((q for q in found.questions if q.question.key == question), None)
    description = chart_description(found, result) if result is not None else ""
    if result is None or not description:
        raise Http404
    if result.has_table:
        svg = charts.bar_chart(
            title=result.text,
            description=description,
            labels=[_label(row.label, row.total.hidden) for row in result.rows],
            values=[row.total.share_number for row in result.rows],
            value_label=_("Share of those who answered (%)"),
            percent=True,
            rtl=get_language_bidi(),
        )
    else:
        figures = [*result.numbers, result.numbers_total]
        places = [p.label for p in found.places] + [_("All")]
        svg = charts.bar_chart(
            title=result.text,
            description=description,
            labels=[
                _label(label, f is not None and f.count.hidden)
                for label, f in zip(places, figures, strict=True)
            ],
            values=[f.mean_number if f else None for f in figures],
            value_label=_("Mean"),
            percent=False,
            rtl=get_language_bidi(),
        )
    etag = f'"{hash_of(svg)}"'
    unchanged = get_conditional_response(request, etag=etag)
    response = unchanged or HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    return _private(response)


def _label(label: str, hidden: bool) -> str:
    return _("%(label)s (hidden)") % {"label": label} if hidden else label


_EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.answers_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", exports.answers_csv),
}


@login_required
@require_GET
def results_export(request, slug: str, key: str, period: str, format: str):
    """The answers the user reads in full, as CSV or XLSX (403 for a viewer)."""
    if format not in _EXPORTS:
        raise Http404
    survey = survey_for_results(user=request.user, slug=slug, key=key, period=period)
    headings, rows = exports.answers_table(user=request.user, survey=survey)
    content_type, write = _EXPORTS[format]
    response = HttpResponse(write(headings, rows), content_type=content_type)
    name = f"{survey.key}-{survey.period}-answers.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)
