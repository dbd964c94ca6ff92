"""/api/v1/values: list, record and bulk record indicator values (docs/api.md, "Values").

The same policies and services as the web: an indicator the user may not see is a 404, a
municipality they may not record for a 403 (hemma.followup.policies); a value changed by
someone else since the client read it is a 409 with the value as stored now.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer

from hemma.accounts.api_auth import request_user
from hemma.followup import selectors
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Measurement
from hemma.followup.schemas import (
    VALUE_COLUMNS,
    PagedValueOut,
    StaleValueOut,
    ValueBulkIn,
    ValueBulkOut,
    ValueIn,
    ValueOut,
    value_rows,
)
from hemma.followup.services import (
    VALUE_FIELDS,
    StaleValue,
    ValueItem,
    measurement_record,
    measurement_record_many,
    problems_of,
    stale_message,
)
from hemma.lib import periods
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes.schemas import WRITE_ERRORS, ErrorOut, ProblemsOut

router = Router(tags=["values"])

# Up to 1000 values a page (a larger limit gives 1000): a client reading a region's
# follow-up takes it in a few pages (the benchmark reads pages of 500, hemma/bench/runner.py).
MAX_LIMIT = 1000


@router.get(
    "",
    response={200: PagedValueOut, 400: ProblemsOut, 401: ErrorOut},
    summary="List values",
)
def value_list(
    request: HttpRequest,
    programme: str | None = None,
    period: str | None = None,
    municipality: str | None = None,
    *,
    page: Query[LimitOffsetPagination.Input],
) -> HttpResponse:
    """The values the token's user may see, in the programme's order.

    `programme` is a slug, `period` a period code (2024, 2024H1, …), `municipality` an
    official code or `region` for the values of the region as a whole.
    """
    if period:
        try:
            period = periods.parse(period).code
        except periods.InvalidPeriod:
            raise ProblemsFound(
                [Problem(_("“%(code)s” is not a period.") % {"code": period}, field="period")]
            ) from None
    values = selectors.measurement_list(
        user=request_user(request),
        programme=programme,
        period=period,
        municipality_code=municipality,
    )
    rows, count = selectors.measurement_page(
        values, fields=VALUE_COLUMNS, offset=page.offset, limit=min(page.limit, MAX_LIMIT)
    )
    return _rendered(request, {"items": value_rows(rows), "count": count})


@router.post(
    "",
    response={200: ValueOut, 409: StaleValueOut, **WRITE_ERRORS},
    summary="Record a value",
)
def value_record(request: HttpRequest, payload: ValueIn):
    """Record one value and answer with it as stored: its computed status and new version.

    Send no `version` for a first value and the version you read to change one; if someone
    else saved it meanwhile, nothing is saved and the answer (409) holds the value now stored.
    """
    user = request_user(request)
    indicator = selectors.indicator_for_values(
        user=user, programme=payload.programme, action=payload.action, indicator=payload.indicator
    )
    try:
        return measurement_record(
            actor=user,
            source=Measurement.Source.API,
            **_arguments(payload, indicator),
        )
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None
    except StaleValue as stale:
        return Status(409, {"detail": stale_message(stale.current), "current": stale.current})
    except PeriodLocked as locked:
        return Status(409, {"detail": str(locked), "current": None})


@router.post(
    "/bulk",
    response={200: ValueBulkOut, **WRITE_ERRORS},
    summary="Record many values, all or nothing",
)
def value_record_bulk(request: HttpRequest, payload: ValueBulkIn):
    """Record every item or none. A bad item is a problem at `items[3].number`; a stale
    version at `items[3].version`. Any item of a programme you may not see is a 404 and any
    municipality you may not record for a 403, for the whole list."""
    user = request_user(request)
    indicators = selectors.indicators_for_values(
        user=user, programmes={item.programme for item in payload.items}
    )
    items, problems = [], []
    for index, item in enumerate(payload.items):
        indicator = indicators.get((item.programme, item.action, item.indicator))
        if indicator is None:
            problems.append(
                Problem(
                    _("The programme has no indicator “%(indicator)s” in action “%(action)s”.")
                    % {"indicator": item.indicator, "action": item.action},
                    path=f"items[{index}].indicator",
                    field="indicator",
                )
            )
            continue
        items.append(ValueItem(**_arguments(item, indicator)))
    if problems:
        # Reported before the values are checked: the rest of the list names nothing yet.
        raise ProblemsFound(problems)
    recorded = measurement_record_many(actor=user, items=items, source=Measurement.Source.API)
    return {"items": recorded}


# -- helpers -----------------------------------------------------------------------------------


def _rendered(request: HttpRequest, data: dict) -> HttpResponse:
    """`data` as the API renders every answer, but not validated against its schema first:
    the listing's rows are already what PagedValueOut gives, and validating a thousand of them
    again would cost more than reading them (docs/performance.md, api-values)."""
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(request, data, response_status=200),
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


def _arguments(payload: ValueIn, indicator) -> dict:
    """The service's arguments from a ValueIn: only the value fields the client sent."""
    return {
        "indicator": indicator,
        "municipality": payload.municipality,
        "period": payload.period,
        "values": {
            name: getattr(payload, name)
            for name in VALUE_FIELDS
            if name in payload.model_fields_set
        },
        "comment": payload.comment,
        "version": payload.version,
    }
