"""Open data on the web: the files of each approved period (at /data/, hemma/public/data_urls.py)
and the page that lists them (/<language>/public/<programme>/data/). No login: only what
hemma.followup.publishing makes public; any other programme or period is a 404."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from hemma.followup.models import Round
from hemma.lib import periods
from hemma.lib.texts import pick
from hemma.public import opendata


@require_safe
def programme_file(request: HttpRequest, slug: str, period: str, name: str) -> HttpResponse:
    if name not in opendata.FILES:
        raise Http404
    data = opendata.open_data_get(slug=slug, period_code=period)
    return opendata.file_response(request, data, name)


@require_safe
def municipality_file(
    request: HttpRequest, slug: str, period: str, code: str, name: str
) -> HttpResponse:
    if name not in opendata.FILES:
        raise Http404
    data = opendata.open_data_get(slug=slug, period_code=period, municipality_code=code)
    return opendata.file_response(request, data, name)


@require_safe
def national_file(request: HttpRequest, year: int) -> StreamingHttpResponse:
    """Every published programme's approved values of `year` in one CSV, streamed: the server
    holds one programme's values at a time whatever the size of the country. No ETag (it would
    need the whole file first); a 404 where no programme has an approved period that year."""
    plan = opendata.national_year(year)
    if not plan:
        raise Http404
    response = StreamingHttpResponse(
        opendata.national_values_csv(plan), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="hemma-{year}.csv"'
    patch_cache_control(response, public=True, max_age=opendata.MAX_AGE)
    return response


@dataclass(frozen=True)
class Download:
    """One place's files of a period: the programme's (`code` empty) or a municipality's."""

    label: str
    code: str
    files: list[tuple[str, str]]  # (file name, address), in the order of FILE_NAMES


@dataclass(frozen=True)
class PeriodDownloads:
    period: periods.Period
    round: Round
    api: str
    downloads: list[Download]


@require_safe
def data_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's open data: each approved period's files, the licence, the fields and
    the API's address (three queries)."""
    programme = opendata.programme_published(slug)
    municipalities = sorted(programme.municipalities.all(), key=lambda m: m.code)
    values_api = reverse("api:public_value_list", args=[programme.slug])
    found = []
    for round_ in opendata.approved_rounds(programme):
        downloads = [
            Download(
                label=str(programme),
                code="",
                files=[
                    (name, reverse("opendata:programme_file", args=[slug, round_.period, name]))
                    for name in opendata.FILE_NAMES
                ],
            )
        ]
        downloads += [
            Download(
                label=pick(m.name, fallback=programme.language) or m.code,
                code=m.code,
                files=[
                    (
                        name,
                        reverse(
                            "opendata:municipality_file", args=[slug, round_.period, m.code, name]
                        ),
                    )
                    for name in opendata.FILE_NAMES
                ],
            )
            for m in municipalities
        ]
        found.append(
            PeriodDownloads(
                period=periods.parse(round_.period),
                round=round_,
                api=request.build_absolute_uri(f"{values_api}?period={round_.period}"),
                downloads=downloads,
            )
        )
    return render(
        request,
        "public/data.html",
        {
            "programme": programme,
            "periods": found,
            "licence": opendata.licence(),
            "fields": opendata.FIELDS,
            "programmes_api": request.build_absolute_uri(reverse("api:public_programme_list")),
        },
    )
