"""/api/v1/public: the approved follow-up, read-only and without a token (docs/api.md,
"Public API").

The same rows as the open data files (hemma/public/opendata.py), paginated. Every answer
carries an ETag (a hash of its body) and Last-Modified, and a conditional GET whose copy is
current gets 304 Not Modified without a body, so that harvesters can poll cheaply. A draft
programme, a period that is not approved, an unknown municipality or one the programme does
not cover is a 404, as for the files.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Field, Query, Router, Schema

from hemma.programmes.schemas import ErrorOut
from hemma.public import opendata
from hemma.public.schemas import PublicProgrammeListOut, PublicValuePageOut

router = Router(tags=["public"], auth=None)

PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000


@router.get(
    "/programmes",
    response={200: PublicProgrammeListOut, 304: None},
    summary="List published programmes and their approved periods",
    url_name="public_programme_list",
)
def public_programme_list(request: HttpRequest) -> HttpResponse:
    """The approved and archived programmes, by slug, each with its approved periods (newest
    first), the addresses of their values and files, and the licence of the data."""
    found = opendata.programmes_open()
    items = []
    for programme, rounds in found:
        items.append(
            {
                "slug": programme.slug,
                "title": programme.title,
                "language": programme.language,
                "status": programme.status,
                "region": programme.region.key,
                "municipalities": [
                    {"code": m.code, "name": m.name}
                    for m in sorted(programme.municipalities.all(), key=lambda m: m.code)
                ],
                "periods": [
                    {
                        "period": r.period,
                        "approved_at": r.approved_at,
                        "values": _absolute(
                            request,
                            reverse("api:public_value_list", args=[programme.slug]),
                            {"period": r.period},
                        ),
                        "files": {
                            name.replace(".", "_"): _absolute(
                                request,
                                reverse(
                                    "opendata:programme_file",
                                    args=[programme.slug, r.period, name],
                                ),
                            )
                            for name in opendata.FILE_NAMES
                        },
                    }
                    for r in rounds
                ],
                "data_page": _absolute(request, reverse("public:data", args=[programme.slug])),
            }
        )
    body = {"licence": opendata.licence(), "items": items}
    return _answer(request, PublicProgrammeListOut, body, opendata.programmes_last_modified(found))


class ValueFilters(Schema):
    period: str = Field(description="An approved period's code: 2024, 2024H1, 2023-2025.")
    municipality: str | None = Field(
        None, description="A municipality's official code: only its values (not the region's)."
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/programmes/{slug}/values",
    response={200: PublicValuePageOut, 304: None, 404: ErrorOut},
    summary="List a programme's published values of an approved period",
    url_name="public_value_list",
)
def public_value_list(
    request: HttpRequest, slug: str, filters: Query[ValueFilters]
) -> HttpResponse:
    """The values of the approved `period` (its half-years and quarters included), in the
    programme's order: theme, goal, action, indicator, the region first and then the
    municipalities by code, period. Counts of people under the suppression threshold are
    null, with `suppressed` true. `page_size` is 1–1000 (default 500)."""
    data = opendata.open_data_get(
        slug=slug, period_code=filters.period, municipality_code=filters.municipality
    )
    count = len(data.rows)
    start = (filters.page - 1) * filters.page_size
    items = data.rows[start : start + filters.page_size]
    path = reverse("api:public_value_list", args=[slug])

    def page_address(page: int) -> str:
        query = {"period": filters.period, "page": page, "page_size": filters.page_size}
        if filters.municipality:
            query["municipality"] = filters.municipality
        return _absolute(request, path, query)

    body = {
        "programme": data.programme.slug,
        "period": data.period.code,
        "municipality": data.municipality.code if data.municipality else None,
        "licence": opendata.licence(),
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "next": page_address(filters.page + 1) if start + filters.page_size < count else None,
        "previous": page_address(filters.page - 1) if filters.page > 1 else None,
        "items": items,
    }
    return _answer(request, PublicValuePageOut, body, data.last_modified)


def _absolute(request: HttpRequest, path: str, query: dict[str, Any] | None = None) -> str:
    return request.build_absolute_uri(f"{path}?{urlencode(query)}" if query else path)


def _answer(request: HttpRequest, schema: type[Schema], body: dict, last_modified) -> HttpResponse:
    """The body in its documented shape, with ETag and Last-Modified (or 304)."""
    content = schema.model_validate(body).model_dump_json().encode()
    return opendata.cached_response(
        request, content, content_type="application/json", last_modified=last_modified
    )
