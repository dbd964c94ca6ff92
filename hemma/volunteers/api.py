"""/api/v1/volunteers: friend persons, their active periods and matches (docs/api.md).

The same policies and services as the web pages (hemma/volunteers/policies.py): a region
coordinator works with every friend person of the region, a municipal coordinator with their
own municipality's; a viewer or an organisation reporter reads no personal data (403); a
friend person out of the user's sight is a 404. Every response that carries a friend person's
record is written to the read log ("api"); the export of everything about one person (GDPR
art. 15) as an export. There is no DELETE of a friend person: erasure (art. 17) keeps the
anonymous facts the follow-up counts.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hemma.accounts.api_auth import request_user
from hemma.followup.services import problems_of
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes.schemas import WRITE_ERRORS, ErrorOut, ProblemsOut
from hemma.volunteers import selectors, services
from hemma.volunteers.models import Volunteer, VolunteerRead
from hemma.volunteers.schemas import (
    ExportOut,
    MatchIn,
    MatchOut,
    MatchPatchIn,
    PeriodIn,
    PeriodOut,
    PeriodPatchIn,
    VolunteerFieldsIn,
    VolunteerIn,
    VolunteerOut,
    VolunteerPageOut,
    VolunteerPatchIn,
)

router = Router(tags=["volunteers"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "",
    response={200: VolunteerPageOut, 400: ProblemsOut, 401: ErrorOut, 403: ErrorOut},
    summary="List friend persons",
)
def volunteer_list(
    request: HttpRequest,
    region: str | None = None,
    municipality: str | None = None,
    period: str | None = None,
    language: str | None = None,
    trained: bool | None = None,
    anonymised: bool = False,
    limit: int = Query(100, ge=1, le=100),
    offset: int = Query(0, ge=0),
):
    """The friend persons the token's user may see, by municipality and name, `limit` (1–100)
    from `offset`. `region` is a region's key; `municipality` an official code; `period` a
    period code (those with an active period overlapping it); `language` a language code they
    speak; `trained` whether their training is completed; `anonymised` true for the records
    made anonymous instead of those with personal data. Each one listed is a read."""
    problems = []
    if period:
        try:
            periods.parse(period)
        except periods.InvalidPeriod:
            problems.append(
                Problem(_("“%(code)s” is not a period.") % {"code": period}, field="period")
            )
    if language and language not in CONTENT_LANGUAGES:
        problems.append(
            Problem(_("“%(code)s” is not a language code.") % {"code": language}, field="language")
        )
    if problems:
        raise ProblemsFound(problems)
    user = request_user(request)
    found = selectors.volunteer_list(
        user=user,
        region=region,
        municipality=municipality,
        period=period,
        language=language,
        trained=trained,
        anonymised=anonymised,
    )
    items = list(found[offset : offset + limit])
    services.volunteer_reads_record(reader=user, volunteers=items, way=VolunteerRead.Way.API)
    return {"items": items, "count": found.count()}


@router.post("", response={201: VolunteerOut, **WRITE_ERRORS}, summary="Add a friend person")
def volunteer_add(request: HttpRequest, payload: VolunteerIn):
    """Record a friend person of a municipality you record for; the consent's date is
    required. Answered with the record as stored (201), its `code` to address it by."""
    user = request_user(request)
    fields = payload.dict()
    volunteer = _saved(lambda: services.volunteer_create(actor=user, fields=fields))
    return Status(201, _read(user, volunteer.code))


@router.get("/{code}", response={200: VolunteerOut, **_READ_ERRORS}, summary="Read a friend person")
def volunteer_read(request: HttpRequest, code: str):
    return _read(request_user(request), code)


@router.put(
    "/{code}", response={200: VolunteerOut, **WRITE_ERRORS}, summary="Replace a friend person"
)
def volunteer_replace(request: HttpRequest, code: str, payload: VolunteerFieldsIn):
    """Replace every field of the record (not its periods and matches)."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    fields = payload.dict()
    _saved(lambda: services.volunteer_update(actor=user, volunteer=volunteer, fields=fields))
    return _read(user, code)


@router.patch(
    "/{code}", response={200: VolunteerOut, **WRITE_ERRORS}, summary="Change a friend person"
)
def volunteer_change(request: HttpRequest, code: str, payload: VolunteerPatchIn):
    """Change the fields sent; the others stay as they are."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    fields = payload.dict(include=payload.model_fields_set)
    _saved(lambda: services.volunteer_update(actor=user, volunteer=volunteer, fields=fields))
    return _read(user, code)


@router.get(
    "/{code}/export",
    response={200: ExportOut, **_READ_ERRORS},
    summary="Export everything about a friend person",
)
def volunteer_export(request: HttpRequest, code: str):
    """Everything stored about the friend person (GDPR art. 15): the record, the active
    periods, the matches, the audit trail about them and the read log of the record."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    return services.volunteer_export(actor=user, volunteer=volunteer)


@router.post(
    "/{code}/erase",
    response={204: None, **_READ_ERRORS},
    summary="Erase a friend person's personal data",
)
def volunteer_erase(request: HttpRequest, code: str):
    """Erase the person's data at their request (GDPR art. 17): what the follow-up counts is
    kept, with nothing that names them (docs/registries.md). A record already anonymous, or
    one you may not change, is a 403."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    services.volunteer_erase(actor=user, volunteer=volunteer)
    return HttpResponse(status=204)


# -- active periods ----------------------------------------------------------------------------


@router.post(
    "/{code}/periods", response={201: PeriodOut, **WRITE_ERRORS}, summary="Add an active period"
)
def period_add(request: HttpRequest, code: str, payload: PeriodIn):
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    fields = payload.dict()
    period = _saved(lambda: services.period_add(actor=user, volunteer=volunteer, fields=fields))
    return Status(201, period)


@router.patch(
    "/{code}/periods/{period_id}",
    response={200: PeriodOut, **WRITE_ERRORS},
    summary="Change an active period",
)
def period_change(request: HttpRequest, code: str, period_id: int, payload: PeriodPatchIn):
    """Change the dates sent (end the period by sending its `ends_on`)."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    period = _one(volunteer.periods.all(), period_id)
    fields = payload.dict(include=payload.model_fields_set)
    return _saved(lambda: services.period_change(actor=user, period=period, fields=fields))


@router.delete(
    "/{code}/periods/{period_id}",
    response={204: None, **_READ_ERRORS},
    summary="Remove an active period",
)
def period_remove(request: HttpRequest, code: str, period_id: int):
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    period = _one(volunteer.periods.all(), period_id)
    services.period_remove(actor=user, period=period)
    return HttpResponse(status=204)


# -- matches -----------------------------------------------------------------------------------


@router.post("/{code}/matches", response={201: MatchOut, **WRITE_ERRORS}, summary="Add a match")
def match_add(request: HttpRequest, code: str, payload: MatchIn):
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    fields = payload.dict()
    match = _saved(lambda: services.match_add(actor=user, volunteer=volunteer, fields=fields))
    return Status(201, match)


@router.patch(
    "/{code}/matches/{match_id}",
    response={200: MatchOut, **WRITE_ERRORS},
    summary="Change a match",
)
def match_change(request: HttpRequest, code: str, match_id: int, payload: MatchPatchIn):
    """Change the fields sent (end the match by sending its `ends_on`)."""
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    match = _one(volunteer.matches.all(), match_id)
    fields = payload.dict(include=payload.model_fields_set)
    return _saved(lambda: services.match_change(actor=user, match=match, fields=fields))


@router.delete(
    "/{code}/matches/{match_id}",
    response={204: None, **_READ_ERRORS},
    summary="Remove a match",
)
def match_remove(request: HttpRequest, code: str, match_id: int):
    user = request_user(request)
    volunteer = selectors.volunteer_get(user=user, code=code)
    match = _one(volunteer.matches.all(), match_id)
    services.match_remove(actor=user, match=match)
    return HttpResponse(status=204)


# -- helpers -----------------------------------------------------------------------------------


def _read(user, code) -> Volunteer:
    """The record as stored, written to the read log: it is sent to the client."""
    volunteer = selectors.volunteer_get(user=user, code=code)
    services.volunteer_reads_record(reader=user, volunteers=[volunteer], way=VolunteerRead.Way.API)
    return volunteer


def _one(items, pk: int):
    for item in items:
        if item.pk == pk:
            return item
    raise Http404


def _saved(save):
    """Run a service; a ValidationError is a 400 with its problems by field."""
    try:
        return save()
    except ValidationError as error:
        raise ProblemsFound(problems_of(error)) from None
