"""/api/v1/activities: list, read, add, change and delete activities (docs/api.md).

The same policies and services as the web pages: an activity of a region the user may not see
is a 404, one they may see but not change a 403 (hemma.registries.policies). Adding, changing
or deleting an activity counts the computed indicators it feeds again, in the same
transaction: /api/v1/values shows the new values at once.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from hemma.followup.services import problems_of
from hemma.lib import periods
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes.schemas import ErrorOut, ProblemsOut
from hemma.registries import policies, selectors, services
from hemma.registries.schemas import ActivityIn, ActivityOut, ActivityPatchIn

router = Router(tags=["activities"])

_READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS = {400: ProblemsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


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
        user=_user(request),
        region=region,
        municipality=municipality,
        period=period,
        kind=kind,
        action=action,
        organiser=organiser,
    )


@router.get("/{code}", response={200: ActivityOut, **_READ_ERRORS}, summary="Read an activity")
def activity_read(request: HttpRequest, code: str):
    return selectors.activity_get(user=_user(request), code=code)


@router.post("", response={201: ActivityOut, **_WRITE_ERRORS}, summary="Add an activity")
def activity_add(request: HttpRequest, payload: ActivityIn):
    """Add an activity of a region; answered with it as stored (201), its `code` to address
    it by. A municipal coordinator adds activities that name their own municipality only."""
    user = _user(request)
    region = policies.regions_visible(user).filter(key=payload.region).first()
    if region is None:
        raise Http404
    fields = payload.dict(exclude={"region"})
    activity = _saved(lambda: services.activity_create(actor=user, region=region, fields=fields))
    return Status(201, selectors.activity_get(user=user, code=activity.code))


@router.put("/{code}", response={200: ActivityOut, **_WRITE_ERRORS}, summary="Replace an activity")
def activity_replace(request: HttpRequest, code: str, payload: ActivityIn):
    """Replace every field of an activity (its region stays: send the one it has)."""
    user = _user(request)
    activity = selectors.activity_get(user=user, code=code)
    if payload.region != activity.region.key:
        raise ProblemsFound(
            [Problem(_("An activity stays in its region."), path="region", field="region")]
        )
    fields = payload.dict(exclude={"region"})
    _saved(lambda: services.activity_update(actor=user, activity=activity, fields=fields))
    return selectors.activity_get(user=user, code=code)


@router.patch("/{code}", response={200: ActivityOut, **_WRITE_ERRORS}, summary="Change an activity")
def activity_change(request: HttpRequest, code: str, payload: ActivityPatchIn):
    """Change the fields sent; the others stay as they are."""
    user = _user(request)
    activity = selectors.activity_get(user=user, code=code)
    fields = payload.dict(include=payload.model_fields_set)
    _saved(lambda: services.activity_update(actor=user, activity=activity, fields=fields))
    return selectors.activity_get(user=user, code=code)


@router.delete(
    "/{code}", response={204: None, **_READ_ERRORS, 403: ErrorOut}, summary="Delete an activity"
)
def activity_remove(request: HttpRequest, code: str):
    user = _user(request)
    activity = selectors.activity_get(user=user, code=code)
    services.activity_delete(actor=user, activity=activity)
    return HttpResponse(status=204)


# -- helpers -----------------------------------------------------------------------------------


def _user(request: HttpRequest):
    """The token's user: django-ninja puts what the auth class returned on request.auth."""
    return request.auth  # type: ignore[attr-defined]


def _saved(save):
    """Run a service; a ValidationError is a 400 with its problems by field."""
    try:
        return save()
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None
