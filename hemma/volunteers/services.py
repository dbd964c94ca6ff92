"""Recording friend persons: every write, audited and counted in one transaction.

Every recorder (the web forms, the API, the demo, the daily anonymiser) goes through these
services, so that the checks, the access rules (hemma/volunteers/policies.py), the audit trail
and the computed values (hemma.registries.computing.volunteers_changed) are the same whichever
way a change comes in. `actor=None` is the system, to which no policy applies.

The audit trail of a friend person is kept on the friend person: the changes of their active
periods and matches are rows about the volunteer too ("active_period", "match"), so that
erasing them finds every row that may hold their data. A row names the volunteer by their
code, never by their name.

Erasing (GDPR art. 17, on request) and making anonymous (after
`settings.HEMMA_VOLUNTEER_RETENTION_MONTHS` without activity) do the same: the name, the
e-mail, the phone, the note, the languages, the training date and the households' references
are emptied; the dates of recruitment and consent are kept to the month; the municipality,
the active periods and the households' sizes (which the follow-up counts) are kept; the audit
rows about the volunteer are deleted and one row says that the record was erased or made
anonymous, with nothing of the person in it. The read log stays: it holds who read, not what.

Problems are a ValidationError by field, all of them at once.
"""

import datetime
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_record
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.organisations.models import Municipality
from hemma.registries.computing import VolunteerState, volunteers_changed
from hemma.volunteers import policies
from hemma.volunteers.models import ActivePeriod, Match, Volunteer, VolunteerRead

FIELDS = (
    "municipality",
    "name",
    "email",
    "phone",
    "languages",
    "note",
    "consent_on",
    "recruited_on",
    "training_completed_on",
)
# What a new friend person needs; `active_from` (optional) opens their first active period.
REQUIRED = ("municipality", "name", "consent_on", "recruited_on")
CREATE_ONLY = ("active_from",)
PERIOD_FIELDS = ("starts_on", "ends_on")
MATCH_FIELDS = ("household_reference", "household_size", "starts_on", "ends_on")

_MAX_NAME: int = Volunteer._meta.get_field("name").max_length or 200
_MAX_PHONE: int = Volunteer._meta.get_field("phone").max_length or 40
_MAX_EMAIL = 254
_MAX_NOTE = 2000
_MAX_REFERENCE: int = Match._meta.get_field("household_reference").max_length or 40
_MAX_HOUSEHOLD = 30
_PHONE = re.compile(r"^[0-9 +()\-./]*$")
# A Finnish personal identity code (ddmmyy, century sign, number, check character): never a
# household's reference.
_IDENTITY_CODE = re.compile(r"\d{6}\s*[-+A-FU-Y]\s*\d{3}[0-9A-Y]", re.IGNORECASE)

# The audit trail's keys for a change of a period or a match (rows about the volunteer).
PERIOD_KEY = "active_period"
MATCH_KEY = "match"
ANONYMISER = "hemma volunteers-anonymise"


# -- a friend person ---------------------------------------------------------------------------


def volunteer_create(*, actor, fields: dict[str, Any]) -> Volunteer:
    """Record a new friend person of `fields["municipality"]` (a Municipality or its official
    code; the region is the municipality's), with `active_from` (optional) as the start of
    their first active period. The consent's date is required.

    Raises PermissionDenied for a user who records no friend persons, ValidationError by
    field (a municipality the actor does not record for is told so on "municipality").
    """
    if actor is not None and not policies.may_list_volunteers(actor):
        raise PermissionDenied
    errors = {
        name: _("This field is required.") for name in REQUIRED if fields.get(name) in (None, "")
    }
    cleaned = _cleaned(actor, fields, errors, creating=True)
    active_from = cleaned.pop("active_from", None)
    with transaction.atomic():
        volunteer = Volunteer(region=cleaned["municipality"].region, **cleaned)
        volunteer.created_by = actor if _signed_in(actor) else None
        volunteer.save()
        changes: dict[str, tuple[Any, Any]] = {
            name: (None, value)
            for name, value in _audited(volunteer).items()
            if value not in (None, "", [])
        }
        if active_from is not None:
            period = ActivePeriod.objects.create(volunteer=volunteer, starts_on=active_from)
            changes[PERIOD_KEY] = (None, _period_audited(period))
        audit_record(actor=actor, verb=AuditEvent.Verb.CREATE, target=volunteer, changes=changes)
        volunteers_changed([_state_now(volunteer)])
    return volunteer


def volunteer_update(*, actor, volunteer: Volunteer, fields: dict[str, Any]) -> Volunteer:
    """Change the fields given (the others stay). Moving a friend person to another
    municipality counts them again where they counted and where they count now.

    Raises Http404 / PermissionDenied as hemma.volunteers.policies.check_change (an anonymous
    record is never changed), ValidationError by field.
    """
    if actor is not None:
        policies.check_change(actor, volunteer)
    cleaned = _cleaned(actor, fields, {}, creating=False)
    with transaction.atomic():
        volunteer, before = _locked(volunteer)
        old = _audited(volunteer)
        for name, value in cleaned.items():
            setattr(volunteer, name, value)
        if "municipality" in cleaned:
            volunteer.region = cleaned["municipality"].region
        volunteer.save()
        new = _audited(volunteer)
        changes = {name: (old[name], new[name]) for name in new if old[name] != new[name]}
        if changes:
            audit_record(
                actor=actor, verb=AuditEvent.Verb.UPDATE, target=volunteer, changes=changes
            )
        volunteers_changed([before, VolunteerState.of(volunteer)])
    return volunteer


def volunteer_reads_record(*, reader, volunteers: Iterable[Volunteer], way: str) -> int:
    """Write that `reader` read these records (`way`: a VolunteerRead.Way), in one insert;
    how many rows. Nothing for the system (no reader)."""
    if not _signed_in(reader):
        return 0
    name = reader.get_username()[:150]
    rows = [
        VolunteerRead(volunteer=v, reader=reader, reader_name=name, way=way) for v in volunteers
    ]
    if rows:
        VolunteerRead.objects.bulk_create(rows)
    return len(rows)


# -- active periods ----------------------------------------------------------------------------


@contextmanager
def _changing(actor, volunteer: Volunteer) -> Iterator[Volunteer]:
    """Change a friend person's periods or matches: checked, locked, and counted again in
    the follow-up at the end, all in one transaction. Yields the locked record."""
    if actor is not None:
        policies.check_change(actor, volunteer)
    with transaction.atomic():
        volunteer, before = _locked(volunteer)
        yield volunteer
        volunteers_changed([before, _state_now(volunteer)])


def _audit_part(actor, volunteer: Volunteer, key: str, old, new) -> None:
    """A period or match changed (None: added or removed), written as a row about the
    person, so that erasure finds it by them."""
    if old != new:
        audit_record(
            actor=actor, verb=AuditEvent.Verb.UPDATE, target=volunteer, changes={key: (old, new)}
        )


def period_add(*, actor, volunteer: Volunteer, fields: dict[str, Any]) -> ActivePeriod:
    """Add an active period (`starts_on`, `ends_on` empty: still active). Periods of one
    friend person do not overlap."""
    with _changing(actor, volunteer) as volunteer:
        starts_on, ends_on = _range(fields, PERIOD_FIELDS, current=None)
        _check_no_overlap(volunteer, starts_on, ends_on, current=None)
        period = ActivePeriod.objects.create(
            volunteer=volunteer, starts_on=starts_on, ends_on=ends_on
        )
        _audit_part(actor, volunteer, PERIOD_KEY, None, _period_audited(period))
    return period


def period_change(*, actor, period: ActivePeriod, fields: dict[str, Any]) -> ActivePeriod:
    """Change the dates given (ending a period is giving its `ends_on`)."""
    with _changing(actor, period.volunteer) as volunteer:
        period = _own(volunteer.periods.all(), period)
        starts_on, ends_on = _range(fields, PERIOD_FIELDS, current=period)
        _check_no_overlap(volunteer, starts_on, ends_on, current=period)
        old = _period_audited(period)
        period.starts_on, period.ends_on = starts_on, ends_on
        period.save()
        _audit_part(actor, volunteer, PERIOD_KEY, old, _period_audited(period))
    return period


def period_remove(*, actor, period: ActivePeriod) -> None:
    with _changing(actor, period.volunteer) as volunteer:
        period = _own(volunteer.periods.all(), period)
        _audit_part(actor, volunteer, PERIOD_KEY, _period_audited(period), None)
        period.delete()


# -- matches with households -------------------------------------------------------------------


def match_add(*, actor, volunteer: Volunteer, fields: dict[str, Any]) -> Match:
    """Match the friend person with a household: `household_size` (required), the
    coordinator's own `household_reference` (never a name or an identity code), `starts_on`,
    `ends_on` (empty: still matched)."""
    with _changing(actor, volunteer) as volunteer:
        match = Match.objects.create(volunteer=volunteer, **_match_cleaned(fields, current=None))
        _audit_part(actor, volunteer, MATCH_KEY, None, _match_audited(match))
    return match


def match_change(*, actor, match: Match, fields: dict[str, Any]) -> Match:
    with _changing(actor, match.volunteer) as volunteer:
        match = _own(volunteer.matches.all(), match)
        values = _match_cleaned(fields, current=match)
        old = _match_audited(match)
        for name, value in values.items():
            setattr(match, name, value)
        match.save()
        _audit_part(actor, volunteer, MATCH_KEY, old, _match_audited(match))
    return match


def match_remove(*, actor, match: Match) -> None:
    with _changing(actor, match.volunteer) as volunteer:
        match = _own(volunteer.matches.all(), match)
        _audit_part(actor, volunteer, MATCH_KEY, _match_audited(match), None)
        match.delete()


# -- the rights of the person: access (art. 15) and erasure (art. 17) --------------------------


def volunteer_export(*, actor, volunteer: Volunteer) -> dict[str, Any]:
    """Everything stored about the friend person (GDPR art. 15): the record, the active
    periods, the matches, the audit trail about them and the read log of the record (this
    export's read included), as plain JSON values. The export is written to the read log."""
    if actor is not None:
        policies.check_view(actor, volunteer)
    volunteer = (
        Volunteer.objects.select_related("region", "municipality", "created_by")
        .prefetch_related("periods", "matches")
        .get(pk=volunteer.pk)
    )
    volunteer_reads_record(reader=actor, volunteers=[volunteer], way=VolunteerRead.Way.EXPORT)
    history = AuditEvent.objects.filter(
        _audit_rows_about(volunteer, volunteer.periods.all(), volunteer.matches.all())
    ).order_by("created_at", "id")
    reads = volunteer.reads.order_by("read_at", "id")
    return {
        "exported_at": timezone.now().isoformat(),
        "exported_by": actor.get_username() if _signed_in(actor) else "",
        "friend_person": {
            "code": str(volunteer.code),
            "region": volunteer.region.key,
            "municipality": volunteer.municipality.code,
            "municipality_name": str(volunteer.municipality),
            "name": volunteer.name,
            "email": volunteer.email,
            "phone": volunteer.phone,
            "languages": list(volunteer.languages or []),
            "note": volunteer.note,
            "consent_on": _iso(volunteer.consent_on),
            "recruited_on": _iso(volunteer.recruited_on),
            "training_completed_on": _iso(volunteer.training_completed_on),
            "anonymised_at": _iso(volunteer.anonymised_at),
            "recorded_by": volunteer.created_by.get_username() if volunteer.created_by else "",
            "created_at": _iso(volunteer.created_at),
            "updated_at": _iso(volunteer.updated_at),
        },
        "active_periods": [
            {"starts_on": _iso(p.starts_on), "ends_on": _iso(p.ends_on)}
            for p in volunteer.periods.all()
        ],
        "matches": [
            {
                "household_reference": m.household_reference,
                "household_size": m.household_size,
                "starts_on": _iso(m.starts_on),
                "ends_on": _iso(m.ends_on),
            }
            for m in volunteer.matches.all()
        ],
        "changes": [
            {
                "at": _iso(event.created_at),
                "by": event.actor_name,
                "verb": event.verb,
                "changes": event.changes,
            }
            for event in history
        ],
        "reads": [
            {"at": _iso(read.read_at), "by": read.reader_name, "way": read.way} for read in reads
        ],
    }


def volunteer_erase(*, actor, volunteer: Volunteer) -> Volunteer:
    """Erase the friend person's personal data at their request (GDPR art. 17): as the
    module says, what is kept is only what the follow-up counts. Only those who may change
    the record may erase it; an anonymous record has nothing left to erase (403)."""
    if actor is not None:
        policies.check_change(actor, volunteer)
    with transaction.atomic():
        volunteer, before = _locked(volunteer)
        _make_anonymous(volunteer, actor=actor, verb=AuditEvent.Verb.ERASE, before=before)
    return volunteer


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The day before which a friend person's last activity makes them due to be made
    anonymous: `settings.HEMMA_VOLUNTEER_RETENTION_MONTHS` months before `today`."""
    today = today or timezone.localdate()
    months = settings.HEMMA_VOLUNTEER_RETENTION_MONTHS
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):  # the same day, or the month's last
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def volunteers_due(*, today: datetime.date | None = None):
    """The friend persons inactive for longer than the retention time: not yet anonymous, no
    open active period or match, and every date (recruited, consent, training, the ends of
    their periods and matches) before `retention_cutoff`."""
    cutoff = retention_cutoff(today)
    periods = ActivePeriod.objects.filter(volunteer=OuterRef("pk"))
    matches = Match.objects.filter(volunteer=OuterRef("pk"))
    recent = Q(ends_on__isnull=True) | Q(ends_on__gte=cutoff) | Q(starts_on__gte=cutoff)
    return (
        Volunteer.objects.filter(
            anonymised_at__isnull=True, recruited_on__lt=cutoff, consent_on__lt=cutoff
        )
        .filter(Q(training_completed_on__isnull=True) | Q(training_completed_on__lt=cutoff))
        .exclude(Exists(periods.filter(recent)))
        .exclude(Exists(matches.filter(recent)))
        .order_by("id")
    )


def volunteers_anonymise(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Volunteer]:
    """Make anonymous every friend person inactive for longer than
    `settings.HEMMA_VOLUNTEER_RETENTION_MONTHS` (`volunteers_due`); those made (or, with
    `dry_run`, to be made) anonymous. Each in a transaction of its own, audited as done by the
    system. Run daily by `hemma volunteers-anonymise`."""
    now = now or timezone.now()
    due = list(volunteers_due(today=timezone.localdate(now)))
    if dry_run:
        return due
    done = []
    for volunteer in due:
        with transaction.atomic():
            volunteer, before = _locked(volunteer, changeable=False)
            if volunteer.is_anonymous:
                continue  # made anonymous meanwhile
            _make_anonymous(
                volunteer, actor=None, verb=AuditEvent.Verb.ANONYMISE, before=before, now=now
            )
        done.append(volunteer)
    return done


def _make_anonymous(
    volunteer: Volunteer,
    *,
    actor,
    verb: str,
    before: VolunteerState,
    now: datetime.datetime | None = None,
) -> None:
    """Erase the person from a locked record (inside the caller's transaction)."""
    now = now or timezone.now()
    AuditEvent.objects.filter(
        _audit_rows_about(volunteer, volunteer.periods.all(), volunteer.matches.all())
    ).delete()
    volunteer.name = ""
    volunteer.email = ""
    volunteer.phone = ""
    volunteer.note = ""
    volunteer.languages = []
    volunteer.training_completed_on = None
    # Kept to the month: enough for any count, too coarse to tell one person.
    volunteer.recruited_on = volunteer.recruited_on.replace(day=1)
    volunteer.consent_on = volunteer.consent_on.replace(day=1)
    volunteer.anonymised_at = now
    volunteer.save()
    volunteer.matches.update(household_reference="")
    # Someone erased is active no more: open periods and matches end today (those not yet
    # begun go), so the follow-up counts them until today and never after.
    today = timezone.localdate(now)
    for rows in (volunteer.periods, volunteer.matches):
        rows.filter(starts_on__gt=today).delete()
        rows.filter(ends_on__isnull=True).update(ends_on=today)
    audit_record(
        actor=actor,
        actor_name=ANONYMISER if verb == AuditEvent.Verb.ANONYMISE else "",
        verb=verb,
        target=volunteer,
        changes={"anonymised_at": (None, now)},
    )
    volunteers_changed([before, _state_now(volunteer)])


def _audit_rows_about(volunteer: Volunteer, periods, matches) -> Q:
    """The audit rows about the friend person: theirs, and any about their periods or matches
    by themselves (none are written so, but any written so would hold their data)."""
    return (
        Q(target_type=Volunteer._meta.label_lower, target_id=str(volunteer.pk))
        | Q(
            target_type=ActivePeriod._meta.label_lower,
            target_id__in=[str(p.pk) for p in periods],
        )
        | Q(target_type=Match._meta.label_lower, target_id__in=[str(m.pk) for m in matches])
    )


# -- checking ----------------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _locked(volunteer: Volunteer, *, changeable: bool = True) -> tuple[Volunteer, VolunteerState]:
    """The record read again and locked for a change, with what it counts (to recount from).
    An anonymous record is never changed (PermissionDenied, unless not `changeable`)."""
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("region", "municipality")
        .prefetch_related("periods", "matches")
        .get(pk=volunteer.pk)
    )
    if changeable and volunteer.is_anonymous:
        raise PermissionDenied
    return volunteer, VolunteerState.of(volunteer)


def _state_now(volunteer: Volunteer) -> VolunteerState:
    """Where the friend person counts as stored now (their periods and matches read again)."""
    return VolunteerState.of(
        Volunteer.objects.prefetch_related("periods", "matches").get(pk=volunteer.pk)
    )


def _own(items, item):
    """`item` as one of the locked volunteer's periods or matches (else it is not theirs)."""
    for each in items:
        if each.pk == item.pk:
            return each
    raise PermissionDenied


def _cleaned(
    actor, fields: dict[str, Any], errors: dict[str, str], *, creating: bool
) -> dict[str, Any]:
    """The given fields checked and made model values."""
    known = FIELDS + CREATE_ONLY if creating else FIELDS
    for name in fields:
        if name not in known:
            errors.setdefault(name, _("Unknown field “%(field)s”.") % {"field": name})
    cleaned: dict[str, Any] = {}

    def check(name: str, parse) -> None:
        if name not in fields or name in errors:
            return
        try:
            cleaned[name] = parse(fields[name])
        except ValidationError as error:
            errors[name] = error.messages[0]

    check("municipality", lambda v: _municipality(actor, v))
    check("name", _name)
    check("email", _email)
    check("phone", _phone)
    check("languages", _languages)
    check("note", _note)
    check("consent_on", _consent)
    check("recruited_on", lambda v: _date(v, required=True))
    check("training_completed_on", lambda v: _date(v, required=False))
    check("active_from", lambda v: _date(v, required=False))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _municipality(actor, value) -> Municipality:
    code = value.code if isinstance(value, Municipality) else str(value or "").strip()
    allowed = (
        Municipality.objects.select_related("region")
        if actor is None
        else policies.municipalities_user_records_for(actor)
    )
    found = allowed.filter(code=code).first()
    if found is None:
        raise ValidationError(
            _("“%(code)s” is not a municipality whose friend persons you record.") % {"code": code}
        )
    return found


def _text(value, *, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Give a text."))
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(_("Keep it within %(max)s characters.") % {"max": limit})
    return value


def _name(value) -> str:
    name = _text(value, limit=_MAX_NAME)
    if not name:
        raise ValidationError(_("Give the friend person's name."))
    return name


def _email(value) -> str:
    email = _text(value, limit=_MAX_EMAIL)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Give an e-mail address such as name@example.org.")) from None
    return email


def _phone(value) -> str:
    phone = _text(value, limit=_MAX_PHONE)
    if not _PHONE.match(phone):
        raise ValidationError(_("Give the phone number in digits, such as +358 40 123 4567."))
    return phone


def _note(value) -> str:
    return _text(value, limit=_MAX_NOTE)


def _languages(value) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give the languages as a list of language codes."))
    codes = [v.strip() for v in value]
    unknown = [code for code in codes if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s. Use %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGES)}
        )
    return [code for code in CONTENT_LANGUAGES if code in codes]


def _date(value, *, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError(_("Give the date."))
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(_("Give the date as YYYY-MM-DD."))


def _consent(value) -> datetime.date:
    day = _date(value, required=True)
    assert day is not None
    if day > timezone.localdate():
        raise ValidationError(_("The consent cannot be given on a day still to come."))
    return day


def _range(
    fields: dict[str, Any], known: tuple[str, ...], *, current
) -> tuple[datetime.date, datetime.date | None]:
    """The (`starts_on`, `ends_on`) given, or as stored for what is not given."""
    errors: dict[str, str] = {}
    for name in fields:
        if name not in known:
            errors[name] = _("Unknown field “%(field)s”.") % {"field": name}
    values: dict[str, Any] = {
        "starts_on": getattr(current, "starts_on", None),
        "ends_on": getattr(current, "ends_on", None),
    }
    for name, required in (("starts_on", True), ("ends_on", False)):
        if name in fields:
            try:
                values[name] = _date(fields[name], required=required)
            except ValidationError as error:
                errors[name] = error.messages[0]
        elif required and current is None:
            errors[name] = _("Give the date.")
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if not errors and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last date is before the first.")
    if errors:
        raise ValidationError(errors)
    return starts_on, ends_on


def _check_no_overlap(
    volunteer: Volunteer,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    *,
    current: ActivePeriod | None,
) -> None:
    for other in volunteer.periods.all():
        if current is not None and other.pk == current.pk:
            continue
        other_end = other.ends_on or datetime.date.max
        if starts_on <= other_end and (ends_on or datetime.date.max) >= other.starts_on:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The period overlaps another active period of the friend person "
                        "(from %(start)s): change that one instead."
                    )
                    % {"start": other.starts_on.isoformat()}
                }
            )


def _match_cleaned(fields: dict[str, Any], *, current: Match | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    dates = {name: fields[name] for name in PERIOD_FIELDS if name in fields}
    for name in fields:
        if name not in MATCH_FIELDS:
            errors[name] = _("Unknown field “%(field)s”.") % {"field": name}
    try:
        values["starts_on"], values["ends_on"] = _range(dates, PERIOD_FIELDS, current=current)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if "household_size" in fields or current is None:
        try:
            values["household_size"] = _household_size(fields.get("household_size"))
        except ValidationError as error:
            errors["household_size"] = error.messages[0]
    if "household_reference" in fields:
        try:
            values["household_reference"] = _reference(fields["household_reference"])
        except ValidationError as error:
            errors["household_reference"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return values


def _household_size(value) -> int:
    if value in (None, ""):
        raise ValidationError(_("Give the number of people in the household."))
    if isinstance(value, bool):
        raise ValidationError(_("Give the household's size as a whole number."))
    try:
        size = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Give the household's size as a whole number.")) from None
    if not 1 <= size <= _MAX_HOUSEHOLD:
        raise ValidationError(
            _("A household has from 1 to %(max)s people.") % {"max": _MAX_HOUSEHOLD}
        )
    return size


def _reference(value) -> str:
    reference = _text(value, limit=_MAX_REFERENCE)
    if _IDENTITY_CODE.search(reference):
        raise ValidationError(
            _("A household's reference is your own code, never a personal identity code.")
        )
    return reference


# -- the audit trail's values ------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _audited(volunteer: Volunteer) -> dict[str, Any]:
    """The record's fields as the audit trail writes them: the municipality by its code."""
    return {
        "municipality": volunteer.municipality.code,
        "name": volunteer.name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "languages": list(volunteer.languages or []),
        "note": volunteer.note,
        "consent_on": _iso(volunteer.consent_on),
        "recruited_on": _iso(volunteer.recruited_on),
        "training_completed_on": _iso(volunteer.training_completed_on),
    }


def _period_audited(period: ActivePeriod) -> list[str | None]:
    """A period as [first day, last day or None]."""
    return [_iso(period.starts_on), _iso(period.ends_on)]


def _match_audited(match: Match) -> list[Any]:
    """A match as [household reference, size, first day, last day or None]."""
    return [
        match.household_reference,
        match.household_size,
        _iso(match.starts_on),
        _iso(match.ends_on),
    ]
