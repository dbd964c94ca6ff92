"""/api/v1/placements: list, read, record (one or many) and delete placements (docs/api.md).

The same policies and services as the web pages: a region coordinator records for any of the
region's municipalities, a municipal coordinator for their own; viewers read; another region's
placement is a 404. Recording or deleting one counts again, in the same transaction, the
"placements" indicators it feeds: /api/v1/values shows the new values at once.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict

from hemma.accounts.api_auth import request_user
from hemma.followup.services import problems_of
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes.schemas import WRITE_ERRORS, ErrorOut, ProblemsOut
from hemma.registries import policies, selectors, services
from hemma.registries.models import Placement

router = Router(tags=["placements"])

_READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


def _kind(**kwargs):
    return Field(json_schema_extra={"enum": list(Placement.Kind.values)}, **kwargs)


# -- shapes ------------------------------------------------------------------------------------


class PlacementFieldsIn(Schema):
    """One placement: how many people a unit had in a kind of place in a period."""

    # A misspelt field ("peopel") is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(description="The municipality's official code.")
    unit: str = Field(
        description="The unit's key: an organisation of the region, not another municipality's."
    )
    kind: str = _kind()
    period: str = Field(description="A year (2025), a half-year (2025H1) or a quarter (2025Q1).")
    people: int = Field(description="The number of people, at least 0.")
    note: str = ""
    version: str | None = Field(
        None,
        description=(
            "The `version` read with the placement: given, a placement changed or removed "
            "meanwhile is refused rather than replaced."
        ),
    )


class PlacementIn(PlacementFieldsIn):
    """A placement to record (created, or replacing the one stored for its municipality,
    unit, kind and period)."""

    region: str = Field(description="The region's key.")


class PlacementsBulkIn(Schema):
    """Placements to record all or none."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(description="The region's key.")
    items: list[PlacementFieldsIn] = Field(max_length=5000)


class PlacementOut(Schema):
    code: uuid.UUID
    region: str = Field(description="The region's key.")
    municipality: str = Field(description="The municipality's official code.")
    municipality_name: str
    unit: str = Field(description="The unit's key.")
    unit_name: str
    kind: str = _kind()
    kind_label: str = Field(description="The kind in the request's language.")
    period: str
    people: int
    note: str
    entered_by: str | None = Field(description="Who recorded it last (a username).")
    version: str = Field(description="Send it back when replacing, to hear of a change meanwhile.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region(placement: Placement) -> str:
        return placement.region.key

    @staticmethod
    def resolve_municipality(placement: Placement) -> str:
        return placement.municipality.code

    @staticmethod
    def resolve_municipality_name(placement: Placement) -> str:
        return str(placement.municipality)

    @staticmethod
    def resolve_unit(placement: Placement) -> str:
        return placement.unit.key

    @staticmethod
    def resolve_unit_name(placement: Placement) -> str:
        return str(placement.unit)

    @staticmethod
    def resolve_kind_label(placement: Placement) -> str:
        return str(Placement.Kind(placement.kind).label)

    @staticmethod
    def resolve_entered_by(placement: Placement) -> str | None:
        return placement.entered_by.get_username() if placement.entered_by else None

    @staticmethod
    def resolve_version(placement: Placement) -> str:
        return services.placement_version(placement)


# -- operations --------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[PlacementOut], 400: ProblemsOut, 401: ErrorOut},
    summary="List placements",
)
@paginate(LimitOffsetPagination, max_limit=500)
def placement_list(
    request: HttpRequest,
    region: str | None = None,
    municipality: str | None = None,
    period: str | None = None,
    kind: str | None = None,
    unit: str | None = None,
):
    """The placements the token's user may see, newest period first. `region` is a region's
    key, `municipality` an official code, `period` a period code (the placements of that
    period and of the half-years and quarters within it), `kind` a kind of place, `unit` a
    unit's key."""
    problems = []
    if period and selectors.placement_periods_within(period) is None:
        problems.append(
            Problem(_("“%(code)s” is not a period.") % {"code": period}, field="period")
        )
    if kind and kind not in Placement.Kind.values:
        problems.append(
            Problem(_("“%(kind)s” is not a kind of place.") % {"kind": kind}, field="kind")
        )
    if problems:
        raise ProblemsFound(problems)
    return selectors.placement_list(
        user=request_user(request),
        region=region,
        municipality=municipality,
        period=period,
        kind=kind,
        unit=unit,
    )


@router.post(
    "",
    response={200: PlacementOut, 201: PlacementOut, **WRITE_ERRORS},
    summary="Record a placement",
)
def placement_record(request: HttpRequest, payload: PlacementIn):
    """Record how many people a unit had in a kind of place in a period: created (201), or
    replacing the placement stored for the same municipality, unit, kind and period (200)."""
    user = request_user(request)
    region = _region(user, payload.region)
    fields = payload.dict(exclude={"region"})
    existed = Placement.objects.filter(
        region=region,
        municipality__code=payload.municipality.strip(),
        unit__key=payload.unit.strip(),
        kind=payload.kind,
        period=payload.period.strip(),
    ).exists()
    try:
        placement = services.placement_record(actor=user, region=region, **fields)
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None
    return Status(200 if existed else 201, selectors.placement_get(user=user, code=placement.code))


# Before "/{code}", which would take "bulk" for a code.
@router.post(
    "/bulk", response={200: list[PlacementOut], **WRITE_ERRORS}, summary="Record placements"
)
def placements_record(request: HttpRequest, payload: PlacementsBulkIn):
    """Record every item or none: a 400 lists each bad item's problems (`items[3].people`)."""
    user = request_user(request)
    region = _region(user, payload.region)
    recorded = services.placements_record_many(
        actor=user, region=region, items=[item.dict() for item in payload.items]
    )
    return list(selectors.placement_list(user=user).filter(pk__in=[p.pk for p in recorded]))


@router.get("/{code}", response={200: PlacementOut, **_READ_ERRORS}, summary="Read a placement")
def placement_read(request: HttpRequest, code: str):
    return selectors.placement_get(user=request_user(request), code=code)


@router.delete(
    "/{code}",
    response={204: None, 400: ProblemsOut, **_READ_ERRORS, 403: ErrorOut},
    summary="Delete a placement",
)
def placement_remove(request: HttpRequest, code: str):
    """Delete a placement; one of a period whose follow-up is approved is kept (400)."""
    user = request_user(request)
    placement = selectors.placement_get(user=user, code=code)
    try:
        services.placement_delete(actor=user, placement=placement)
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None
    return HttpResponse(status=204)


def _region(user, key: str):
    region = policies.placement_regions_visible(user).filter(key=key).first()
    if region is None:
        raise Http404
    return region
