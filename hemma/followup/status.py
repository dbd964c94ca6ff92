"""The status rules: from an indicator's target and the values recorded, one status.

Every rule is here and nowhere else; docs/status.md says the same in words, and
hemma/followup/tests/test_status.py tests each rule at its boundaries. The functions are pure:
they take what was recorded and return a Status, so they are the same for the web, the API,
imports and reports.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from hemma.followup.models import Status
from hemma.lib.periods import Period
from hemma.programmes.models import Indicator

Kind = Indicator.Kind
TargetType = Indicator.TargetType
Direction = Indicator.Direction

NUMERIC_KINDS = {
    Kind.COUNT,
    Kind.COUNT_WITH_PARTICIPANTS,
    Kind.FREQUENCY_BAND,
    Kind.EXTERNAL_INDEX,
    Kind.STATISTICS,
}


@dataclass(frozen=True)
class Recorded:
    """What was recorded for one indicator, municipality and period (a Measurement's values)."""

    number: Decimal | None = None
    done: bool | None = None
    done_on: datetime.date | None = None
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, measurement) -> "Recorded | None":
        if measurement is None:
            return None
        return cls(
            number=measurement.number,
            done=measurement.done,
            done_on=measurement.done_on,
            languages=tuple(measurement.languages or ()),
        )


def indicator_status(
    indicator: Indicator,
    *,
    period: Period,
    current: Recorded | None,
    previous: Recorded | None = None,
    last_done: datetime.date | None = None,
    first_year: int | None = None,
) -> Status:
    """The status of `indicator` for `period`.

    `previous` is what was recorded for the period before (for a direction target);
    `last_done` the latest date a milestone was done on or before this period's end;
    `first_year` the programme's first year (a milestone never done is not due before its
    first N years have passed).
    """
    kind = indicator.kind
    if kind == Kind.MILESTONE:
        return _milestone(indicator, period, current, last_done, first_year)
    if kind == Kind.ONGOING:
        return _done(current)
    if kind == Kind.DELIVERABLE_LANGUAGES:
        count = None if current is None else Decimal(len(current.languages))
        before = None if previous is None else Decimal(len(previous.languages))
        if count is None:
            return Status.NO_DATA
        if indicator.target_type in (TargetType.BAND, TargetType.DIRECTION):
            return _against_target(indicator, count, before)
        # No target, or "every N years" (which on a figure only asks that it was reported):
        # a deliverable in no language was not delivered.
        return Status.MET if count > 0 else Status.NOT_MET
    if kind == Kind.SURVEY and current is not None and current.number is None:
        return _done(current)
    # Counts, bands, indices, statistics, and surveys with a figure.
    number = None if current is None else current.number
    if number is None:
        return Status.NO_DATA
    before = None if previous is None else previous.number
    if not indicator.target_type:
        # No target: the follow-up asks for the figure, and it was given.
        return Status.MET
    return _against_target(indicator, number, before)


def _done(current: Recorded | None) -> Status:
    if current is None or current.done is None:
        return Status.NO_DATA
    return Status.MET if current.done else Status.NOT_MET


def _against_target(indicator: Indicator, number: Decimal, before: Decimal | None) -> Status:
    if indicator.target_type == TargetType.BAND:
        low, high = indicator.target_min, indicator.target_max
        if low is not None and number < low:
            return Status.NOT_MET
        if high is not None and number > high:
            return Status.EXCEEDED
        return Status.MET
    if indicator.target_type == TargetType.DIRECTION:
        if before is None:
            # The first value sets the baseline: there is nothing to compare it with yet.
            return Status.MET
        direction = indicator.target_direction
        # Holding the level is partly met, except at zero: 0 after 0 is nothing done for an
        # increase (not met), and the lowest there is for a decrease (met).
        if direction == Direction.INCREASE:
            if number > before:
                return Status.MET
            return Status.PARTLY_MET if number == before != 0 else Status.NOT_MET
        if direction == Direction.DECREASE:
            if number < before or number == before == 0:
                return Status.MET
            return Status.PARTLY_MET if number == before else Status.NOT_MET
        # Maintain: at least as much as before; something, but less, is partly met.
        if number >= before:
            return Status.MET
        return Status.PARTLY_MET if number > 0 else Status.NOT_MET
    # An "every N years" target on a number is read as: a value was reported.
    return Status.MET


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _milestone(
    indicator: Indicator,
    period: Period,
    current: Recorded | None,
    last_done: datetime.date | None,
    first_year: int | None,
) -> Status:
    if current is not None and current.done:
        return Status.MET
    years = indicator.target_years if indicator.target_type == TargetType.EVERY_N_YEARS else None
    if not years:
        return _done(current)
    if last_done is not None and last_done <= period.end:
        # Done on D: next due by D + N years. A period that ends before then is covered by
        # the last time; the period the due date falls in is met only if done in it. (Not
        # "starts before": that would let a yearly milestone done in May 2023 count as met
        # for 2024 with nothing done in 2024.)
        due = _add_years(last_done, years)
        return Status.MET if period.end < due else Status.NOT_MET
    if first_year is None:
        # Never done and no programme start to count from: judge what this period recorded
        # (counting from the period itself would make the milestone never due).
        return _done(current)
    # Never done: due by the end of the programme's first N years.
    due = datetime.date(first_year + years - 1, 12, 31)
    return Status.NOT_DUE if period.end < due else Status.NOT_MET


# -- roll-up -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollUp:
    """An action's, goal's, theme's or municipality's status from the statuses under it.

    The rule (shown to users as "met of judged"): statuses that say nothing (no data, not
    due) are left out; of the rest, all met or exceeded is met, none met or partly met is not
    met, anything between is partly met. With nothing to judge, the result is no data (or
    not due, when everything is not yet due).
    """

    status: Status
    met: int
    judged: int


def rollup(statuses: Iterable[str]) -> RollUp:
    statuses = list(statuses)
    judged = [s for s in statuses if s not in (Status.NO_DATA, Status.NOT_DUE)]
    if not judged:
        if statuses and all(s == Status.NOT_DUE for s in statuses):
            return RollUp(Status.NOT_DUE, 0, 0)
        return RollUp(Status.NO_DATA, 0, 0)
    met = sum(1 for s in judged if s in (Status.MET, Status.EXCEEDED))
    partly = sum(1 for s in judged if s == Status.PARTLY_MET)
    if met == len(judged):
        status = Status.MET
    elif met == 0 and partly == 0:
        status = Status.NOT_MET
    else:
        status = Status.PARTLY_MET
    return RollUp(status, met, len(judged))
