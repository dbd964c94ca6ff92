"""Recording values against indicators: one value, or many at once, all or nothing.

Every recorder (the web grid, the API, file uploads, reporting links) goes through
`measurement_record`, so the checks, the optimistic locking, the status and the audit trail
are the same whichever way a value comes in. A recorded value replaces what was there: fields
of its kind that are not given are emptied.
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.audit.services import audit_record
from hemma.followup import policies
from hemma.followup.locks import PeriodLocked, check_unlocked, locked_periods, locking_period
from hemma.followup.models import Assessment, Measurement, ReportingLink, Status
from hemma.followup.status import Recorded, indicator_status
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.lib.problems import Problem, ProblemsFound
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Indicator, Programme

Kind = Indicator.Kind

# What each kind of indicator takes; the first field of each is required.
VALUE_FIELDS = ("number", "participants", "done", "done_on", "languages")
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    Kind.COUNT: ("number",),
    Kind.STATISTICS: ("number",),
    Kind.EXTERNAL_INDEX: ("number",),
    Kind.FREQUENCY_BAND: ("number",),
    Kind.COUNT_WITH_PARTICIPANTS: ("number", "participants"),
    Kind.MILESTONE: ("done", "done_on"),
    Kind.ONGOING: ("done", "done_on"),
    Kind.DELIVERABLE_LANGUAGES: ("languages",),
    # A survey is either done (it was sent) or gives a figure (a score, a response count).
    Kind.SURVEY: ("number", "done", "done_on"),
}
# An external index (a score such as TEAviisari's, or a change) may be below zero.
_SIGNED_KINDS = {Kind.EXTERNAL_INDEX}
# What counts things (events, meetings, plans) is a whole number; statistics, indices and
# survey figures (a share, a mean score) may have decimals.
WHOLE_KINDS = {Kind.COUNT, Kind.COUNT_WITH_PARTICIPANTS, Kind.FREQUENCY_BAND}
# A figure: digits with an optional sign and decimals; spaces (also no-break ones) are read as
# thousands separators. No exponents ("1e3"), no "Infinity".
_FIGURE = re.compile(r"[+-]?\d+(\.\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Measurement.number: 14 digits, 2 of them decimals.
_MAX_NUMBER = Decimal("999999999999.99")


class StaleValue(Exception):
    """The value was changed (or first recorded) by someone else since the client read it.

    `current` is the value as stored now, for the client to show; nothing was saved.
    """

    def __init__(self, current: Measurement | None):
        super().__init__("stale value")
        self.current = current


@dataclass
class ValueItem:
    """One value of `measurement_record_many`; the arguments of `measurement_record`.

    `municipality` may be given as the municipality's official code.
    """

    indicator: Indicator
    municipality: Municipality | str | None
    period: str
    values: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    version: int | None = None


# -- recording -------------------------------------------------------------------------------


def measurement_record(
    *,
    actor,
    indicator: Indicator,
    municipality: Municipality | str | None,
    period: str,
    values: dict[str, Any],
    comment: str = "",
    version: int | None,
    source: str,
    link: ReportingLink | None = None,
) -> Measurement:
    """Record the value of `indicator` for `municipality` (None: the region) and `period`.

    `version` is the version the client read: None (or 0) to record a first value, the
    stored value's version to change it. A value changed meanwhile raises StaleValue and
    keeps the first save. Raises Http404 for an indicator the actor may not see,
    PermissionDenied for a municipality they may not record for, and ValidationError naming
    the field for a value that does not fit, and PeriodLocked for a period within an approved
    round. `actor=None` is the system itself (demo data, commands), to which no policy
    applies, unless `link` is given: then the value is entered through that reporting link
    (checked valid by the caller), may only be of its actions, municipality and period, and
    is attributed to its recipient.
    """
    with _recording():
        return _record(
            actor=actor,
            link=link,
            item=ValueItem(
                indicator=indicator,
                municipality=municipality,
                period=period,
                values=values,
                comment=comment,
                version=version,
            ),
            source=source,
            cache={},
        )


def measurement_record_many(
    *, actor, items: list[ValueItem], source: str, link: ReportingLink | None = None
) -> list[Measurement]:
    """Record every item or none: ProblemsFound lists each bad item's problems by its index.

    A path reads `items[3].number`; a locked period is a problem at `items[3].period`. An
    item the actor may not see or record for refuses the whole list (Http404,
    PermissionDenied), as a single record would.
    """
    problems: list[Problem] = []
    recorded: list[Measurement] = []
    cache: dict = {}
    seen: dict[tuple, int] = {}
    with transaction.atomic():
        for index, item in enumerate(items):
            key = (item.indicator.pk, _code_of(item.municipality), str(item.period).strip())
            if key in seen:
                problems.append(
                    _problem(
                        index,
                        "period",
                        _("The same value is already given in items[%(index)s].")
                        % {"index": seen[key]},
                    )
                )
                continue
            seen[key] = index
            try:
                # A savepoint per item: a failed one must not spoil the transaction for the
                # items after it, whose problems are reported too.
                with _recording():
                    recorded.append(
                        _record(actor=actor, link=link, item=item, source=source, cache=cache)
                    )
            except PeriodLocked as locked:
                problems.append(_problem(index, "period", str(locked)))
            except ValidationError as error:
                problems.extend(problems_of(error, prefix=f"items[{index}]"))
            except StaleValue as stale:
                problems.append(_problem(index, "version", stale_message(stale.current)))
        if problems:
            # Raised inside the transaction: whatever the good items saved is undone.
            raise ProblemsFound(problems)
    return recorded


def stale_message(current: Measurement | None) -> str:
    if current is None:
        return _("This value was removed meanwhile. Reload it before saving.")
    return _(
        "Someone else saved this value meanwhile (it is now version %(version)s). "
        "Your change was not saved: look at the value now stored and save again."
    ) % {"version": current.version}


def problems_of(error: ValidationError, *, prefix: str = "") -> list[Problem]:
    """A ValidationError's messages as problems, each with its field and `prefix.field` path."""
    if not hasattr(error, "error_dict"):
        return [Problem(message, path=prefix) for message in error.messages]
    problems = []
    for name, errors in error.error_dict.items():
        for each in errors:
            for message in each.messages:
                path = f"{prefix}.{name}" if prefix else name
                problems.append(Problem(message, path=path, field=name))
    return problems


# -- the steps of one record -----------------------------------------------------------------


class _FirstValueTaken(Exception):
    """Someone else recorded the first value between our read and our write: the database
    refused ours. Only a rollback follows that in the transaction, so this is raised out of
    it, and `_recording` tells it as a StaleValue afterwards."""

    def __init__(self, indicator: Indicator, municipality: Municipality | None, period: str):
        super().__init__("first value taken")
        self.indicator, self.municipality, self.period = indicator, municipality, period

    def current(self) -> Measurement | None:
        found = _place_values(self.indicator, self.municipality).filter(period=self.period).first()
        return found and _loaded(found, self.indicator, self.municipality)


@contextmanager
def _recording() -> Iterator[None]:
    """The transaction (a savepoint within another) of one record. A first value someone else
    recorded meanwhile is a StaleValue with the value they stored, read after the rollback:
    the write itself needs no savepoint of its own."""
    try:
        with transaction.atomic():
            yield
    except _FirstValueTaken as taken:
        raise StaleValue(taken.current()) from None


def _problem(index: int, name: str, message: str) -> Problem:
    return Problem(message, path=f"items[{index}].{name}", field=name)


def _code_of(municipality: Municipality | str | None) -> str | None:
    if municipality is None:
        return None
    return municipality if isinstance(municipality, str) else municipality.code


@dataclass
class _ProgrammeContext:
    municipalities: dict[str, Municipality]
    locked: list[periods.Period]


def _programme_context(actor, programme: Programme, cache: dict) -> _ProgrammeContext:
    """The programme's municipalities by code and its locked periods, after checking the
    actor may see it (else 404). Kept in `cache` for the other items of a list.
    """
    if programme.pk not in cache:
        if actor is not None and not policies.can_view_values(actor, programme):
            raise Http404
        cache[programme.pk] = _ProgrammeContext(
            # In no order: they are looked up by code.
            municipalities={m.code: m for m in programme.municipalities.order_by()},
            locked=locked_periods(programme),
        )
    return cache[programme.pk]


def _record(
    *, actor, item: ValueItem, source: str, cache: dict, link: ReportingLink | None = None
) -> Measurement:
    indicator = item.indicator
    programme = indicator.action.programme
    context = _programme_context(actor, programme, cache)

    municipality = _municipality(item.municipality, context.municipalities)
    if link is not None:
        if actor is not None or not policies.can_record_by_link(
            link, indicator, municipality, item.period
        ):
            raise PermissionDenied
    elif actor is not None and not policies.can_record_value(actor, programme, municipality):
        raise PermissionDenied

    if indicator.source == Indicator.Source.REGISTRY:
        # Its value is the count of the records (hemma/registries/computing.py); a person
        # changes it only as an override, with a justification.
        raise ValidationError(
            {
                "number": _(
                    "This indicator is counted from the registries: override its count with a "
                    "justification instead."
                )
            }
        )

    # The period and the values are checked together, so that all their problems are told.
    errors: dict[str, list[str]] = {}
    if municipality is not None and indicator.scope == Indicator.Scope.REGION:
        # A joint action's indicator has one value, the region's. (The other way round is
        # allowed: a municipality-scope indicator may have a regional total as well.)
        errors["municipality"] = [
            _(
                "This indicator is followed up for the region as a whole, not per "
                "municipality: record its value for the region."
            )
        ]
    period = cleaned = None
    try:
        period = _period(indicator, programme, item.period)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned = _values(indicator, period, item.values)
    except ValidationError as error:
        errors.update(error.message_dict)
    # A locked period is told first: there is no point in correcting a value it refuses.
    locking = period and locking_period(period, context.locked)
    if locking:
        raise PeriodLocked(locking.code)
    if errors or period is None or cleaned is None:
        raise ValidationError(errors)
    comment = (item.comment or "").strip()

    series = _series(indicator, municipality)
    existing = series.get(period.code)
    if existing is None:
        if item.version not in (None, 0):
            # Nothing was stored for the client to have read. (Values are not removed, so
            # this is a client's mistake rather than a race.)
            raise ValidationError(
                {"version": _("There is no value to change yet: send no version to record it.")}
            )
    elif item.version != existing.version:
        raise StaleValue(_loaded(existing, indicator, municipality))

    new = {**cleaned, "comment": comment}
    new["status"] = _status_of(indicator, programme, period, Recorded(**_recorded(new)), series)
    entered = {
        "source": source,
        "entered_by": actor if actor is not None and actor.is_authenticated else None,
        "entered_by_name": (
            link.recipient_name
            if link is not None
            else actor.get_username()
            if actor is not None
            else ""
        ),
    }

    if existing is None:
        measurement = _create(indicator, municipality, period, new, entered)
        changes: dict[str, tuple[Any, Any]] = {"period": (None, period.code)}
        if municipality is not None:
            changes["municipality"] = (None, municipality.code)
        changes.update(
            {name: (None, value) for name, value in new.items() if value not in (None, "", [])}
        )
        verb = "create"
    else:
        changes = {
            name: (getattr(existing, name), value)
            for name, value in new.items()
            if getattr(existing, name) != value
        }
        if not changes:
            # Saved again as it was (from wherever): nothing to record, the version stays.
            return _loaded(existing, indicator, municipality)
        if existing.source != source:
            changes["source"] = (existing.source, source)
        measurement = _update(existing, new, entered, indicator, municipality)
        verb = "update"
    measurement = _loaded(measurement, indicator, municipality)

    series[period.code] = measurement
    _recompute_later(indicator, programme, period, series)
    audit_record(
        actor=actor,
        actor_name=link.recipient_name if link is not None else "",
        verb=verb,
        target=measurement,
        programme_id=programme.pk,
        changes=changes,
    )
    return measurement


def _municipality(
    given: Municipality | str | None, municipalities: dict[str, Municipality]
) -> Municipality | None:
    if given is None or given == "":
        return None
    code = given if isinstance(given, str) else given.code
    found = municipalities.get(code.strip())
    if found is None:
        raise ValidationError(
            {
                "municipality": _("“%(code)s” is not one of the programme's municipalities.")
                % {"code": code}
            }
        )
    return found


def programme_period(programme: Programme, code: str) -> periods.Period:
    """The period `code` names, if it is one and lies within the programme's years; else a
    ValidationError on "period" saying what a period looks like or what the years are."""
    try:
        period = periods.parse(str(code))
    except periods.InvalidPeriod:
        raise ValidationError(
            {
                "period": _(
                    "“%(code)s” is not a period: write a year (2024), a half-year (2024H1), "
                    "a quarter (2024Q3) or years (2023-2025)."
                )
                % {"code": code}
            }
        ) from None
    if period.start.year < programme.period_start or period.end.year > programme.period_end:
        raise ValidationError(
            {
                "period": _("“%(code)s” is outside the programme's period %(start)s–%(end)s.")
                % {
                    "code": period.code,
                    "start": programme.period_start,
                    "end": programme.period_end,
                }
            }
        )
    return period


def _period(indicator: Indicator, programme: Programme, code: str) -> periods.Period:
    period = programme_period(programme, code)
    if period.kind != indicator.period:
        raise ValidationError(
            {
                "period": _(
                    "This indicator is followed up by %(wanted)s; “%(code)s” is a %(given)s."
                )
                % {
                    "wanted": str(Indicator.Period(indicator.period).label).lower(),
                    "code": period.code,
                    "given": str(Indicator.Period(period.kind).label).lower(),
                }
            }
        )
    return period


def _values(indicator: Indicator, period: periods.Period | None, values: dict[str, Any]) -> dict:
    """The value's fields for its kind, checked; every problem at once, by field.

    Without a valid `period`, a date is checked for its form only.
    """
    allowed = FIELDS_OF_KIND.get(indicator.kind, ("number",))
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name not in allowed and value not in (None, []):
            errors[name] = (
                _("A value of this kind of indicator (%(kind)s) has no “%(field)s”.")
                % {"kind": str(Kind(indicator.kind).label).lower(), "field": name}
                if name in VALUE_FIELDS
                else _("Unknown field “%(field)s”.") % {"field": name}
            )
    cleaned: dict[str, Any] = {name: None for name in VALUE_FIELDS}
    cleaned["languages"] = []

    def check(name: str, parse) -> None:
        value = values.get(name)
        if value is None or name in errors:
            return
        try:
            cleaned[name] = parse(value)
        except ValidationError as error:
            errors[name] = error.messages[0]

    if "number" in allowed:
        check(
            "number",
            lambda v: _number(
                v,
                signed=indicator.kind in _SIGNED_KINDS,
                whole=indicator.kind in WHOLE_KINDS,
            ),
        )
    if "participants" in allowed:
        check("participants", _participants)
    if "done" in allowed:
        check("done", _done)
    if "done_on" in allowed:
        check("done_on", lambda v: _done_on(v, period))
    if "languages" in allowed:
        check("languages", _languages)

    # The value itself is required; a comment alone records nothing to judge.
    if indicator.kind == Kind.SURVEY:
        if cleaned["number"] is None and cleaned["done"] is None and not errors:
            errors["number"] = _("Give the survey's figure, or whether it was done.")
    elif allowed[0] == "languages":
        if values.get("languages") is None and "languages" not in errors:
            errors["languages"] = _("Give the languages delivered (an empty list for none).")
    elif cleaned[allowed[0]] is None and allowed[0] not in errors:
        errors[allowed[0]] = (
            _("Give whether it was done.") if allowed[0] == "done" else _("Give the value.")
        )
    if (
        cleaned["done_on"] is not None
        and cleaned["done"] is not True
        and not {"done", "done_on"} & errors.keys()
    ):
        errors["done_on"] = _("A date is given only for what was done.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def figure_of(indicator: Indicator, value) -> Decimal:
    """`value` read as a figure of `indicator`, by the rules of its kind (whole for counts,
    two decimals for statistics, below zero only for an index); a ValidationError says why
    not. Empty is "Give the value."."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("Give the value."))
    return _number(
        value, signed=indicator.kind in _SIGNED_KINDS, whole=indicator.kind in WHOLE_KINDS
    )


def _number(value, *, signed: bool, whole: bool) -> Decimal:
    """A figure as a person or a program writes it: 12, 12.5, 12,5, "1 200"; never 1e3."""
    if isinstance(value, bool):
        raise ValidationError(_("Give a number, such as 12 or 12,5."))
    if isinstance(value, int | Decimal | float):
        value = str(value)
    text = _SPACES.sub("", str(value)).replace(",", ".")
    if not _FIGURE.fullmatch(text):
        raise ValidationError(_("Give a number, such as 12 or 12,5."))
    number = Decimal(text)
    if not signed and number < 0:
        raise ValidationError(_("The value cannot be below zero."))
    if whole and number != number.to_integral_value():
        raise ValidationError(_("Give a whole number: this indicator counts."))
    if number.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("Give at most two decimals."))
    if abs(number) > _MAX_NUMBER:
        raise ValidationError(_("The number is too large."))
    return number


def _participants(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise ValidationError(_("Give the number of participants as a whole number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(_("Give the number of participants as a whole number."))
    if number < 0:
        raise ValidationError(_("The number of participants cannot be below zero."))
    return int(number)


def _done(value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_("Give done as true or false."))
    return value


def _done_on(value, period: periods.Period | None) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(_("Give the date as YYYY-MM-DD.")) from None
    if not isinstance(value, datetime.date):
        raise ValidationError(_("Give the date as YYYY-MM-DD."))
    if period is not None and value > period.end:
        raise ValidationError(
            _("The date is after the period %(period)s.") % {"period": str(period)}
        )
    return value


def _languages(value) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give the languages as a list of language codes."))
    codes = [v.strip() for v in value]
    unknown = [code for code in codes if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s. Use %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGES)}
        )
    # In one order, without repeats, so that the same languages are the same value.
    return [code for code in CONTENT_LANGUAGES if code in codes]


# -- status ----------------------------------------------------------------------------------


def _place_values(indicator: Indicator, municipality: Municipality | None) -> QuerySet[Measurement]:
    """The values of this indicator for this municipality (or the region)."""
    values = Measurement.objects.filter(indicator=indicator)
    if municipality is None:
        return values.filter(municipality__isnull=True)
    return values.filter(municipality=municipality)


def _series(indicator: Indicator, municipality: Municipality | None) -> dict[str, Measurement]:
    """Every value of this indicator for this municipality (or the region), by period code,
    locked until the record's transaction ends (in the model's order, so that records at the
    same time lock them in one order and cannot deadlock)."""
    return {m.period: m for m in _place_values(indicator, municipality).select_for_update()}


def _recorded(fields: dict) -> dict:
    return {
        "number": fields["number"],
        "done": fields["done"],
        "done_on": fields["done_on"],
        "languages": tuple(fields["languages"] or ()),
    }


def _status_of(
    indicator: Indicator,
    programme: Programme,
    period: periods.Period,
    current: Recorded | None,
    series: dict[str, Measurement],
) -> str:
    """The status of `period`, with the period before and the last done date from `series`.

    `current` is what is being recorded for `period` (it may not be in `series` yet).
    """
    try:
        previous = Recorded.of(series.get(periods.previous(period).code))
    except periods.InvalidPeriod:  # before the first year a period can be
        previous = None
    done_dates = []
    for code, value in series.items():
        if code == period.code:
            continue  # `current` stands for it
        other = periods.parse(code)
        if other.end <= period.end and value.done:
            done_dates.append(value.done_on or other.end)
    if current is not None and current.done:
        done_dates.append(current.done_on or period.end)
    return indicator_status(
        indicator,
        period=period,
        current=current,
        previous=previous,
        last_done=max(done_dates, default=None),
        first_year=programme.period_start,
    )


def measurement_status(
    *,
    indicator: Indicator,
    programme: Programme,
    period: periods.Period,
    current: Recorded | None,
    series: dict[str, Measurement],
) -> str:
    """The status of `indicator`'s value `current` for `period`, by the rules every recorder
    uses; `series` is the place's other values by period code (for the period before and the
    last done date). For the computed values of hemma/registries/computing.py."""
    return _status_of(indicator, programme, period, current, series)


def _recompute_later(
    indicator: Indicator,
    programme: Programme,
    period: periods.Period,
    series: dict[str, Measurement],
) -> None:
    """Give the later periods of the series their status again: they depend on this one.

    A direction target compares with the period before; a milestone counts from the last
    done date. Every later period is recomputed, which is simple and always right. The
    statuses are derived, so they are not written to the audit trail (the values are).
    """
    changed = []
    for code, value in series.items():
        other = periods.parse(code)
        if other.start <= period.start:
            continue
        status = _status_of(indicator, programme, other, Recorded.of(value), series)
        if status != value.status:
            value.status = status
            changed.append(value)
    if changed:
        Measurement.objects.bulk_update(changed, ["status"])


# -- writes ----------------------------------------------------------------------------------


def _create(
    indicator: Indicator,
    municipality: Municipality | None,
    period: periods.Period,
    new: dict,
    entered: dict,
) -> Measurement:
    try:
        return Measurement.objects.create(
            indicator=indicator,
            municipality=municipality,
            period=period.code,
            version=1,
            **new,
            **entered,
        )
    except IntegrityError:
        raise _FirstValueTaken(indicator, municipality, period.code) from None


def _update(
    existing: Measurement,
    new: dict,
    entered: dict,
    indicator: Indicator,
    municipality: Municipality | None,
) -> Measurement:
    # Compare-and-set on the version the client read (checked equal to `existing.version`): of
    # two saves based on the same version, only the first one writes, whatever the database's
    # locking does.
    written = Measurement.objects.filter(pk=existing.pk, version=existing.version).update(
        **new, **entered, version=F("version") + 1, updated_at=timezone.now()
    )
    if not written:
        current = Measurement.objects.filter(pk=existing.pk).first()
        raise StaleValue(current and _loaded(current, indicator, municipality))
    existing.refresh_from_db()
    return existing


def _loaded(
    measurement: Measurement, indicator: Indicator, municipality: Municipality | None
) -> Measurement:
    """The value with its indicator and municipality set, so its answer needs no queries."""
    measurement.indicator = indicator
    measurement.municipality = municipality
    return measurement


# -- assessments -----------------------------------------------------------------------------

# What a manual assessment may say: a judgement of the action, not "no data" or "not due".
ASSESSMENT_STATUSES = (Status.MET, Status.EXCEEDED, Status.PARTLY_MET, Status.NOT_MET)


def assessment_record(
    *,
    actor,
    action: Action,
    municipality: Municipality | None,
    period: str,
    status: str,
    justification: str,
) -> Assessment:
    """Set the coordinator's own judgement of `action` for `municipality` (None: the region)
    and `period`, beside its computed status; it replaces the one there was.

    Who may: whoever may record the action's values for that municipality (Http404 for a
    programme the actor may not see, PermissionDenied else). A justification is required;
    problems are a ValidationError by field; a locked period raises PeriodLocked.
    """
    programme = action.programme
    _assessment_check_access(actor, programme, municipality)
    justification = (justification or "").strip()
    errors: dict[str, str] = {}
    try:
        parsed = programme_period(programme, period)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        parsed = None
    if status not in ASSESSMENT_STATUSES:
        errors["status"] = _("Choose the assessment: met, exceeded, partly met or not met.")
    if not justification:
        errors["justification"] = _("Give the reason for the assessment.")
    if errors or parsed is None:
        raise ValidationError(errors)
    with transaction.atomic():
        check_unlocked(programme, parsed)
        existing = (
            _assessments_of(action, municipality).filter(period=parsed.code).select_for_update()
        ).first()
        if existing is None:
            assessment = Assessment.objects.create(
                action=action,
                municipality=municipality,
                period=parsed.code,
                status=status,
                justification=justification,
                assessed_by=actor if actor is not None and actor.is_authenticated else None,
            )
            changes: dict[str, tuple[Any, Any]] = {
                "action": (None, action.key),
                "period": (None, parsed.code),
            }
            if municipality is not None:
                changes["municipality"] = (None, municipality.code)
            changes.update({"status": (None, status), "justification": (None, justification)})
            verb = "create"
        else:
            changes = {
                name: (getattr(existing, name), value)
                for name, value in {"status": status, "justification": justification}.items()
                if getattr(existing, name) != value
            }
            if not changes:
                return existing
            existing.status = status
            existing.justification = justification
            existing.assessed_by = actor if actor is not None and actor.is_authenticated else None
            existing.save()
            assessment = existing
            verb = "update"
        audit_record(
            actor=actor,
            verb=verb,
            target=assessment,
            programme_id=programme.pk,
            changes=changes,
        )
    return assessment


def assessment_delete(
    *, actor, action: Action, municipality: Municipality | None, period: str
) -> None:
    """Remove the manual assessment of `action` for `municipality` and `period`, if any.

    The same checks as assessment_record: access, then a locked period raises PeriodLocked.
    """
    programme = action.programme
    _assessment_check_access(actor, programme, municipality)
    parsed = programme_period(programme, period)
    with transaction.atomic():
        check_unlocked(programme, parsed)
        existing = (
            _assessments_of(action, municipality).filter(period=parsed.code).select_for_update()
        ).first()
        if existing is None:
            return
        audit_record(
            actor=actor,
            verb="delete",
            target=existing,
            programme_id=programme.pk,
            changes={
                "status": (existing.status, None),
                "justification": (existing.justification, None),
            },
        )
        existing.delete()


def _assessment_check_access(actor, programme: Programme, municipality: Municipality | None):
    if actor is None:
        return
    if not policies.can_view_values(actor, programme):
        raise Http404
    if (
        municipality is not None
        and not programme.municipalities.filter(pk=municipality.pk).exists()
    ):
        raise Http404
    if not policies.can_record_value(actor, programme, municipality):
        raise PermissionDenied


def _assessments_of(action: Action, municipality: Municipality | None):
    found = Assessment.objects.filter(action=action)
    if municipality is None:
        return found.filter(municipality__isnull=True)
    return found.filter(municipality=municipality)
