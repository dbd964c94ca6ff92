"""/api/v1/activities: list, read, add, change and delete activities (docs/api.md).

The same policies and services as the web pages: an activity of a region the user may not see
is a 404, one they may see but not change a 403 (hemma.registries.policies). An organisation
reporter adds activities organised by their organisation (given as the organiser, or left out:
it is then theirs); another organiser is a 403. Adding, changing
or deleting an activity counts the computed indicators it feeds again, in the same
transaction: /api/v1/values shows the new values at once.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from hemma.accounts.api_auth import request_user
from hemma.followup.services import problems_of
from hemma.lib import periods
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes.schemas import WRITE_ERRORS, ErrorOut, ProblemsOut
from hemma.registries import policies, selectors, services
from hemma.registries.models import ServiceStatistic
from hemma.registries.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatchIn,
    StatisticIn,
    StatisticOut,
    StatisticsBulkIn,
)

router = Router(tags=["activities"])

_READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


@router.get(
    "",
    response={200: list[ActivityOut], 400: ProblemsOut, 401: ErrorOut},
    summary="List activities",
)
@paginate(LimitOffsetPagination, max_limit=100)
def activity_list(
    request: HttpRequest,
    region: str | None = None,
    municipality: str | None = None,
    period: str | None = None,
    kind: str | None = None,
    action: str | None = None,
    organiser: str | None = None,
):
    """The activities the token's user may see, newest first.

    `region` is a region's key; `municipality` an official code (activities that name it) or
    `region` (those of the region as a whole); `period` a period code (activities whose dates
    overlap it); `kind` an activity kind; `action` "programme-slug/action-key"; `organiser`
    an organisation's key.
    """
    if period:
        try:
            periods.parse(period)
        except periods.InvalidPeriod:
            raise ProblemsFound(
                [Problem(_("“%(code)s” is not a period.") % {"code": period}, field="period")]
            ) from None
    return selectors.activity_list(
        user=request_user(request),
        region=region,
        municipality=municipality,
        period=period,
        kind=kind,
        action=action,
        organiser=organiser,
    )


@router.get("/{code}", response={200: ActivityOut, **_READ_ERRORS}, summary="Read an activity")
def activity_read(request: HttpRequest, code: str):
    return selectors.activity_get(user=request_user(request), code=code)


@router.post("", response={201: ActivityOut, **WRITE_ERRORS}, summary="Add an activity")
def activity_add(request: HttpRequest, payload: ActivityIn):
    """Add an activity of a region; answered with it as stored (201), its `code` to address
    it by. A municipal coordinator adds activities that name their own municipality only; an
    organisation reporter those their organisation organises (the organiser left out: theirs)."""
    user = request_user(request)
    region = policies.regions_of_activities(user).filter(key=payload.region).first()
    if region is None:
        raise Http404
    fields = payload.dict(exclude={"region"})
    if "organiser" not in payload.model_fields_set:
        own = _own_organiser(user, region)
        if own is not None:
            fields["organiser"] = own
    activity = _saved(lambda: services.activity_create(actor=user, region=region, fields=fields))
    return Status(201, selectors.activity_get(user=user, code=activity.code))


@router.put("/{code}", response={200: ActivityOut, **WRITE_ERRORS}, summary="Replace an activity")
def activity_replace(request: HttpRequest, code: str, payload: ActivityIn):
    """Replace every field of an activity (its region stays: send the one it has). A
    reporter's organiser left out stays their organisation."""
    user = request_user(request)
    activity = selectors.activity_get(user=user, code=code)
    if payload.region != activity.region.key:
        raise ProblemsFound(
            [Problem(_("An activity stays in its region."), path="region", field="region")]
        )
    fields = payload.dict(exclude={"region"})
    if "organiser" not in payload.model_fields_set:
        own = _own_organiser(user, activity.region)
        if own is not None:
            fields["organiser"] = own
    _saved(lambda: services.activity_update(actor=user, activity=activity, fields=fields))
    return selectors.activity_get(user=user, code=code)


@router.patch("/{code}", response={200: ActivityOut, **WRITE_ERRORS}, summary="Change an activity")
def activity_change(request: HttpRequest, code: str, payload: ActivityPatchIn):
    """Change the fields sent; the others stay as they are."""
    user = request_user(request)
    activity = selectors.activity_get(user=user, code=code)
    fields = payload.dict(include=payload.model_fields_set)
    _saved(lambda: services.activity_update(actor=user, activity=activity, fields=fields))
    return selectors.activity_get(user=user, code=code)


@router.delete(
    "/{code}", response={204: None, **_READ_ERRORS, 403: ErrorOut}, summary="Delete an activity"
)
def activity_remove(request: HttpRequest, code: str):
    user = request_user(request)
    activity = selectors.activity_get(user=user, code=code)
    services.activity_delete(actor=user, activity=activity)
    return HttpResponse(status=204)


# -- helpers -----------------------------------------------------------------------------------


def _own_organiser(user, region) -> str | None:
    """The key of the organisation a reporter records for in `region`, when they record there
    only as its reporter and for one organisation; else None (the organiser stays unnamed)."""
    if not policies.records_as_reporter_only(user, region):
        return None
    own = list(policies.organisations_reported_in(user, region)[:2])
    return own[0].key if len(own) == 1 else None


def _saved(save):
    """Run a service; a ValidationError is a 400 with its problems by field."""
    try:
        return save()
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None


# -- /api/v1/statistics ------------------------------------------------------------------------
#
# Service statistics (docs/api.md, "Statistics"): a region coordinator records any of the
# region's municipalities, a municipal coordinator their own; viewers read. Recording one
# counts again, in the same transaction, the statistic indicators it feeds.

statistics_router = Router(tags=["statistics"])


@statistics_router.get(
    "",
    response={200: list[StatisticOut], 400: ProblemsOut, 401: ErrorOut},
    summary="List service statistics",
)
@paginate(LimitOffsetPagination, max_limit=500)
def statistic_list(
    request: HttpRequest,
    region: str | None = None,
    municipality: str | None = None,
    period: str | None = None,
    measure: str | None = None,
):
    """The statistics the token's user may see, newest period first. `region` is a region's
    key, `municipality` an official code, `period` a period code, `measure` a measure."""
    problems = []
    if period:
        try:
            periods.parse(period)
        except periods.InvalidPeriod:
            problems.append(
                Problem(_("“%(code)s” is not a period.") % {"code": period}, field="period")
            )
    if measure and measure not in ServiceStatistic.Measure.values:
        problems.append(
            Problem(_("“%(measure)s” is not a measure.") % {"measure": measure}, field="measure")
        )
    if problems:
        raise ProblemsFound(problems)
    return selectors.statistic_list(
        user=request_user(request),
        region=region,
        municipality=municipality,
        period=period,
        measure=measure,
    )


@statistics_router.post(
    "",
    response={200: StatisticOut, 201: StatisticOut, **WRITE_ERRORS},
    summary="Record a statistic",
)
def statistic_record(request: HttpRequest, payload: StatisticIn):
    """Record a municipality's statistic of a measure in a period: created (201), or replacing
    the one stored (200)."""
    user = request_user(request)
    region = _region(user, payload.region)
    fields = payload.dict(exclude={"region"})
    existed = ServiceStatistic.objects.filter(
        region=region,
        municipality__code=payload.municipality,
        period=payload.period.strip(),
        measure=payload.measure,
    ).exists()
    statistic = _saved(lambda: services.statistic_record(actor=user, region=region, **fields))
    return Status(200 if existed else 201, selectors.statistic_get(user=user, code=statistic.code))


# Before "/{code}", which would take "bulk" for a code.
@statistics_router.post(
    "/bulk", response={200: list[StatisticOut], **WRITE_ERRORS}, summary="Record statistics"
)
def statistics_record(request: HttpRequest, payload: StatisticsBulkIn):
    """Record every item or none: a 400 lists each bad item's problems (`items[3].value`)."""
    user = request_user(request)
    region = _region(user, payload.region)
    recorded = services.statistics_record_many(
        actor=user, region=region, items=[item.dict() for item in payload.items]
    )
    return list(selectors.statistic_list(user=user).filter(pk__in=[s.pk for s in recorded]))


@statistics_router.get(
    "/{code}", response={200: StatisticOut, **_READ_ERRORS}, summary="Read a statistic"
)
def statistic_read(request: HttpRequest, code: str):
    return selectors.statistic_get(user=request_user(request), code=code)


@statistics_router.delete(
    "/{code}", response={204: None, **_READ_ERRORS, 403: ErrorOut}, summary="Delete a statistic"
)
def statistic_remove(request: HttpRequest, code: str):
    user = request_user(request)
    statistic = selectors.statistic_get(user=user, code=code)
    services.statistic_delete(actor=user, statistic=statistic)
    return HttpResponse(status=204)


def _region(user, key: str):
    region = policies.regions_visible(user).filter(key=key).first()
    if region is None:
        raise Http404
    return region
