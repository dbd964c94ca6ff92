"""The status rules of hemma/followup/status.py, one test per kind and boundary.

docs/status.md states the same rules in words, with these examples in its tables. The
functions are pure: indicators are built unsaved and nothing touches the database.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemma.followup.models import Measurement, Status
from hemma.followup.status import Recorded, RollUp, _add_years, indicator_status, rollup
from hemma.lib.periods import parse
from hemma.programmes.models import Indicator

MET = Status.MET
EXCEEDED = Status.EXCEEDED
PARTLY = Status.PARTLY_MET
NOT_MET = Status.NOT_MET
NO_DATA = Status.NO_DATA
NOT_DUE = Status.NOT_DUE

NUMERIC_KINDS = [
    "count",
    "count_with_participants",
    "frequency_band",
    "external_index",
    "statistics",
    "survey",
]


def band(low, high, kind="frequency_band"):
    return Indicator(
        kind=kind,
        target_type="band",
        target_min=None if low is None else Decimal(low),
        target_max=None if high is None else Decimal(high),
    )


def direction(which, kind="statistics"):
    return Indicator(kind=kind, target_type="direction", target_direction=which)


def every(years, kind="milestone"):
    return Indicator(kind=kind, target_type="every_n_years", target_years=years)


def deliverable(**target):
    return Indicator(kind="deliverable_languages", **target)


def number(value):
    return Recorded(number=Decimal(value))


def done(flag):
    return Recorded(done=flag)


def languages(*codes):
    return Recorded(languages=codes)


def status(indicator, current, *, period="2024", **context):
    return indicator_status(indicator, period=parse(period), current=current, **context)


# -- bands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1", NOT_MET, id="1 below min: not met"),
        pytest.param("1.99", NOT_MET, id="1.99 just below min: not met"),
        pytest.param("2", MET, id="2 at min: met"),
        pytest.param("3", MET, id="3 inside: met"),
        pytest.param("4", MET, id="4 at max: met"),
        pytest.param("4.01", EXCEEDED, id="4.01 just above max: exceeded"),
        pytest.param("5", EXCEEDED, id="5 above max: exceeded"),
    ],
)
def test_band_2_to_4(value, expected):
    # given a band 2–4 (the joint meetings, "2-4 ggr per år")
    indicator = band(2, 4)

    # when a value is recorded, then
    assert status(indicator, number(value)) == expected


@pytest.mark.parametrize(
    ("low", "high", "value", "expected"),
    [
        pytest.param(2, None, "1", NOT_MET, id="at least 2, 1: not met"),
        pytest.param(2, None, "2", MET, id="at least 2, 2: met"),
        pytest.param(2, None, "1000", MET, id="at least 2, 1000: met, never exceeded"),
        pytest.param(None, 4, "0", MET, id="at most 4, 0: met"),
        pytest.param(None, 4, "4", MET, id="at most 4, 4: met"),
        pytest.param(None, 4, "5", EXCEEDED, id="at most 4, 5: exceeded"),
        pytest.param(3, 3, "3", MET, id="exactly 3, 3: met"),
    ],
)
def test_band_with_one_bound(low, high, value, expected):
    assert status(band(low, high), number(value)) == expected


@pytest.mark.parametrize("kind", NUMERIC_KINDS)
def test_band_applies_to_every_kind_with_a_figure(kind):
    indicator = band(2, 4, kind=kind)

    assert [status(indicator, number(v)) for v in ("1", "3", "5")] == [NOT_MET, MET, EXCEEDED]


@pytest.mark.parametrize(
    "current",
    [
        pytest.param(None, id="nothing recorded"),
        pytest.param(Recorded(), id="recorded without a figure"),
    ],
)
def test_band_without_a_figure_is_no_data(current):
    assert status(band(2, 4), current) == NO_DATA


# -- directions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "previous", "value", "expected"),
    [
        pytest.param("increase", "2", "3", MET, id="increase 2→3: met"),
        pytest.param("increase", "3", "3", PARTLY, id="increase 3→3: partly met"),
        pytest.param("increase", "4", "3", NOT_MET, id="increase 4→3: not met"),
        pytest.param("increase", None, "3", MET, id="increase, no previous: met (baseline)"),
        pytest.param("increase", "2", "0", NOT_MET, id="increase 2→0: not met"),
        pytest.param("increase", "0", "0", NOT_MET, id="increase 0→0: not met"),
        pytest.param("increase", None, "0", MET, id="increase, no previous, 0: met (baseline)"),
        pytest.param("decrease", "4", "3", MET, id="decrease 4→3: met"),
        pytest.param("decrease", "3", "3", PARTLY, id="decrease 3→3: partly met"),
        pytest.param("decrease", "2", "3", NOT_MET, id="decrease 2→3: not met"),
        pytest.param("decrease", None, "3", MET, id="decrease, no previous: met (baseline)"),
        pytest.param("decrease", "2", "0", MET, id="decrease 2→0: met"),
        pytest.param("decrease", "0", "0", MET, id="decrease 0→0: met (cannot go lower)"),
        pytest.param("maintain", "2", "3", MET, id="maintain 2→3: met"),
        pytest.param("maintain", "3", "3", MET, id="maintain 3→3: met"),
        pytest.param("maintain", "4", "3", PARTLY, id="maintain 4→3: partly met"),
        pytest.param("maintain", None, "3", MET, id="maintain, no previous: met (baseline)"),
        pytest.param("maintain", "2", "0", NOT_MET, id="maintain 2→0: not met"),
        pytest.param("maintain", "0", "0", MET, id="maintain 0→0: met"),
    ],
)
def test_direction(which, previous, value, expected):
    before = None if previous is None else number(previous)

    assert status(direction(which), number(value), previous=before) == expected


def test_direction_with_a_previous_row_but_no_previous_figure_is_a_baseline():
    assert status(direction("increase"), number(1), previous=Recorded()) == MET


def test_direction_without_a_figure_this_period_is_no_data():
    assert status(direction("increase"), None, previous=number(3)) == NO_DATA


# -- no target ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NUMERIC_KINDS)
@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(number(12), MET, id="a figure: met"),
        pytest.param(number(0), MET, id="0: met"),
        pytest.param(None, NO_DATA, id="nothing: no data"),
    ],
)
def test_no_target(kind, current, expected):
    assert status(Indicator(kind=kind), current) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(number(0), MET, id="0 reported: met"),
        pytest.param(None, NO_DATA, id="nothing: no data"),
    ],
)
def test_every_n_years_on_a_figure_asks_only_that_it_was_reported(current, expected):
    assert status(every(2, kind="count"), current) == expected


# -- kinds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "participants", "expected"),
    [
        pytest.param("1", 500, NOT_MET, id="1 course, 500 participants: not met"),
        pytest.param("3", 0, MET, id="3 courses, no participants: met"),
    ],
)
def test_count_with_participants_is_judged_on_the_count(count, participants, expected):
    # given "2–4 courses" and a value as it is stored
    indicator = band(2, 4, kind="count_with_participants")
    value = Measurement(number=Decimal(count), participants=participants)

    assert status(indicator, Recorded.of(value)) == expected


@pytest.mark.parametrize(
    ("indicator", "current", "previous", "expected"),
    [
        pytest.param(
            band(60, None, kind="external_index"),
            number("55.5"),
            None,
            NOT_MET,
            id="index at least 60, 55.5: not met",
        ),
        pytest.param(
            band(60, None, kind="external_index"),
            number(60),
            None,
            MET,
            id="index at least 60, 60: met",
        ),
        pytest.param(
            direction("increase", kind="external_index"),
            number(71),
            number(68),
            MET,
            id="index increase 68→71: met",
        ),
        pytest.param(
            direction("decrease"),
            number("12.5"),
            number("14.1"),
            MET,
            id="statistics decrease 14.1→12.5: met",
        ),
        pytest.param(
            direction("decrease"),
            number("14.1"),
            number("12.5"),
            NOT_MET,
            id="statistics decrease 12.5→14.1: not met",
        ),
        pytest.param(
            band(None, 10, kind="statistics"),
            number(11),
            None,
            EXCEEDED,
            id="statistics at most 10, 11: exceeded",
        ),
    ],
)
def test_external_index_and_statistics(indicator, current, previous, expected):
    assert status(indicator, current, previous=previous) == expected


@pytest.mark.parametrize(
    ("indicator", "current", "expected"),
    [
        pytest.param(
            band(100, None, kind="survey"),
            number(80),
            NOT_MET,
            id="at least 100 answers, 80: not met",
        ),
        pytest.param(
            band(100, None, kind="survey"), number(120), MET, id="at least 100 answers, 120: met"
        ),
        pytest.param(Indicator(kind="survey"), number(80), MET, id="no target, a figure: met"),
        pytest.param(Indicator(kind="survey"), done(True), MET, id="done: met"),
        pytest.param(Indicator(kind="survey"), done(False), NOT_MET, id="not done: not met"),
        pytest.param(Indicator(kind="survey"), Recorded(), NO_DATA, id="neither: no data"),
        pytest.param(Indicator(kind="survey"), None, NO_DATA, id="nothing: no data"),
        pytest.param(
            band(100, None, kind="survey"), done(True), MET, id="a band, done without a figure: met"
        ),
    ],
)
def test_survey(indicator, current, expected):
    assert status(indicator, current) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(done(True), MET, id="done: met"),
        pytest.param(done(False), NOT_MET, id="not done: not met"),
        pytest.param(Recorded(), NO_DATA, id="recorded without done: no data"),
        pytest.param(None, NO_DATA, id="nothing: no data"),
    ],
)
def test_ongoing(current, expected):
    assert status(Indicator(kind="ongoing"), current) == expected


@pytest.mark.parametrize(
    ("indicator", "current", "previous", "expected"),
    [
        pytest.param(
            deliverable(), languages("sv", "fi", "en"), None, MET, id="no target, 3 languages: met"
        ),
        pytest.param(
            deliverable(), languages(), None, NOT_MET, id="no target, no language: not met"
        ),
        pytest.param(deliverable(), None, None, NO_DATA, id="no target, nothing: no data"),
        pytest.param(
            band(3, None, kind="deliverable_languages"),
            languages("sv", "fi"),
            None,
            NOT_MET,
            id="at least 3 languages, 2: not met",
        ),
        pytest.param(
            band(3, None, kind="deliverable_languages"),
            languages("sv", "fi", "ar"),
            None,
            MET,
            id="at least 3 languages, 3: met",
        ),
        pytest.param(
            band(2, 4, kind="deliverable_languages"),
            languages("sv", "fi", "en", "ar", "so"),
            None,
            EXCEEDED,
            id="2–4 languages, 5: exceeded",
        ),
        pytest.param(
            direction("increase", kind="deliverable_languages"),
            languages("sv", "fi", "ar"),
            languages("sv", "fi"),
            MET,
            id="increase, 2→3 languages: met",
        ),
        pytest.param(
            direction("increase", kind="deliverable_languages"),
            languages("sv", "fi", "so"),
            languages("sv", "fi", "ar"),
            PARTLY,
            id="increase, 3→3 other languages: partly met",
        ),
        pytest.param(
            direction("increase", kind="deliverable_languages"),
            languages("sv"),
            languages("sv", "fi"),
            NOT_MET,
            id="increase, 2→1 languages: not met",
        ),
        pytest.param(
            direction("increase", kind="deliverable_languages"),
            languages("sv"),
            None,
            MET,
            id="increase, no previous: met (baseline)",
        ),
        pytest.param(
            every(2, kind="deliverable_languages"),
            languages(),
            None,
            NOT_MET,
            id="every 2 years, no language: not met",
        ),
        pytest.param(
            every(2, kind="deliverable_languages"),
            languages("sv"),
            None,
            MET,
            id="every 2 years, 1 language: met",
        ),
    ],
)
def test_deliverable_languages(indicator, current, previous, expected):
    assert status(indicator, current, previous=previous) == expected


# -- milestones --------------------------------------------------------------------------------

MAY_2023 = datetime.date(2023, 5, 10)


@pytest.mark.parametrize(
    ("period", "current", "expected"),
    [
        pytest.param("2023", None, MET, id="2023, the year it was done: met"),
        pytest.param("2024", done(False), MET, id="2024: met"),
        pytest.param("2026", None, MET, id="2026: met"),
        pytest.param("2027Q1", done(False), MET, id="2027Q1, ends before 10 May 2027: met"),
        pytest.param("2027Q2", done(False), NOT_MET, id="2027Q2, due 10 May 2027: not met"),
        pytest.param("2027", done(False), NOT_MET, id="2027, due 10 May 2027, not done: not met"),
        pytest.param("2027", done(True), MET, id="2027, due and done: met"),
        pytest.param("2028", done(False), NOT_MET, id="2028, not done: not met (overdue)"),
        pytest.param("2028", None, NOT_MET, id="2028, nothing recorded: not met (overdue)"),
        pytest.param("2024-2026", None, MET, id="2024–2026: met"),
    ],
)
def test_every_4_years_last_done_10_may_2023(period, current, expected):
    # given "updated every fourth year", last done on 10 May 2023: next due 10 May 2027
    indicator = every(4)

    assert status(indicator, current, period=period, last_done=MAY_2023, first_year=2023) == (
        expected
    )


@pytest.mark.parametrize(
    ("period", "current", "expected"),
    [
        pytest.param("2023", None, NOT_DUE, id="2023: not due"),
        pytest.param("2024", done(False), NOT_DUE, id="2024, not done: not due"),
        pytest.param("2025", None, NOT_DUE, id="2025: not due"),
        pytest.param("2026", done(False), NOT_MET, id="2026, end of the first 4 years: not met"),
        pytest.param("2026", None, NOT_MET, id="2026, nothing recorded: not met"),
        pytest.param("2026", done(True), MET, id="2026, done: met"),
        pytest.param("2027", None, NOT_MET, id="2027: not met"),
    ],
)
def test_every_4_years_never_done_since_2023(period, current, expected):
    indicator = every(4)

    assert status(indicator, current, period=period, first_year=2023) == expected


@pytest.mark.parametrize(
    ("period", "current", "last_done", "expected"),
    [
        pytest.param(
            "2024", done(False), MAY_2023, NOT_MET, id="done May 2023, 2024 not done: not met"
        ),
        pytest.param(
            "2024", None, MAY_2023, NOT_MET, id="done May 2023, 2024 nothing recorded: not met"
        ),
        pytest.param("2024", done(True), MAY_2023, MET, id="2024 done: met"),
        pytest.param(
            "2024",
            done(False),
            datetime.date(2023, 12, 31),
            NOT_MET,
            id="done 31 Dec 2023, 2024 (due on its last day) not done: not met",
        ),
        pytest.param(
            "2024Q1",
            done(False),
            MAY_2023,
            MET,
            id="done May 2023, 2024Q1 not done: met (due 10 May 2024)",
        ),
        pytest.param(
            "2023", done(False), None, NOT_MET, id="never done, first year not done: not met"
        ),
    ],
)
def test_every_year(period, current, last_done, expected):
    # given "Årlig genomgång i budgeteringsskedet": every year
    indicator = every(1)

    assert status(indicator, current, period=period, last_done=last_done, first_year=2023) == (
        expected
    )


@pytest.mark.parametrize(
    ("target", "current", "expected"),
    [
        pytest.param({}, done(True), MET, id="no target, done: met"),
        pytest.param({}, done(False), NOT_MET, id="no target, not done: not met"),
        pytest.param({}, None, NO_DATA, id="no target, nothing: no data"),
        pytest.param(
            {"target_type": "every_n_years", "target_years": 4},
            done(False),
            NOT_MET,
            id="every 4 years, never done, no first year known, not done: not met",
        ),
        pytest.param(
            {"target_type": "every_n_years", "target_years": 4},
            None,
            NO_DATA,
            id="every 4 years, never done, no first year known, nothing: no data",
        ),
    ],
)
def test_milestone_judged_on_this_period_alone(target, current, expected):
    indicator = Indicator(kind="milestone", **target)

    assert status(indicator, current, period="2030") == expected


@pytest.mark.parametrize(
    ("years", "period", "expected"),
    [
        pytest.param(4, "2027", MET, id="every 4 years, 2027: met"),
        pytest.param(4, "2027Q4", MET, id="every 4 years, 2027Q4: met"),
        pytest.param(4, "2028Q1", NOT_MET, id="every 4 years, 2028Q1 (due 29 Feb 2028): not met"),
        pytest.param(1, "2024Q4", MET, id="every year, 2024Q4: met"),
        pytest.param(1, "2025Q1", NOT_MET, id="every year, 2025Q1 (due 28 Feb 2025): not met"),
    ],
)
def test_milestone_done_on_a_leap_day(years, period, expected):
    leap_day = datetime.date(2024, 2, 29)

    assert status(every(years), None, period=period, last_done=leap_day, first_year=2023) == (
        expected
    )


@pytest.mark.parametrize(
    ("years", "due"),
    [
        pytest.param(4, datetime.date(2028, 2, 29), id="4 years: 29 February 2028"),
        pytest.param(1, datetime.date(2025, 2, 28), id="1 year: 28 February 2025"),
    ],
)
def test_a_leap_day_plus_n_years(years, due):
    # No period ends on 28 February or 1 March, so this date is checked directly.
    assert _add_years(datetime.date(2024, 2, 29), years) == due


# -- roll-up -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param([MET, MET], RollUp(MET, 2, 2), id="all met: met"),
        pytest.param([EXCEEDED, EXCEEDED], RollUp(MET, 2, 2), id="all exceeded: met"),
        pytest.param([MET, EXCEEDED], RollUp(MET, 2, 2), id="met and exceeded: met"),
        pytest.param([MET, NOT_MET], RollUp(PARTLY, 1, 2), id="mixed: partly met"),
        pytest.param([PARTLY, PARTLY], RollUp(PARTLY, 0, 2), id="only partly: partly met"),
        pytest.param([PARTLY, NOT_MET], RollUp(PARTLY, 0, 2), id="partly and not: partly met"),
        pytest.param([NOT_MET, NOT_MET], RollUp(NOT_MET, 0, 2), id="none met: not met"),
        pytest.param(
            [MET, NO_DATA, NOT_DUE], RollUp(MET, 1, 1), id="met, no data, not due: met, 1 of 1"
        ),
        pytest.param([NOT_MET, NO_DATA], RollUp(NOT_MET, 0, 1), id="not met, no data: not met"),
        pytest.param(
            [MET, MET, EXCEEDED, NOT_MET, NO_DATA],
            RollUp(PARTLY, 3, 4),
            id="3 of 4 judged met: partly met",
        ),
        pytest.param([NOT_DUE, NOT_DUE], RollUp(NOT_DUE, 0, 0), id="all not due: not due"),
        pytest.param([NOT_DUE, NO_DATA], RollUp(NO_DATA, 0, 0), id="not due, no data: no data"),
        pytest.param([], RollUp(NO_DATA, 0, 0), id="nothing: no data"),
    ],
)
def test_rollup(statuses, expected):
    assert rollup(statuses) == expected


def test_rollup_takes_stored_strings_and_any_iterable():
    # Measurement.status holds plain strings, and callers pass generators.
    assert rollup(s for s in ["met", "not_met", "no_data"]) == RollUp(PARTLY, 1, 2)


# -- property ----------------------------------------------------------------------------------

RANK = {NOT_MET: 0, MET: 1, EXCEEDED: 2}
figures = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def bands(draw):
    low, high = sorted([draw(figures), draw(figures)])
    which = draw(st.sampled_from(["both", "min", "max"]))
    return band(
        None if which == "max" else low,
        None if which == "min" else high,
        kind=draw(st.sampled_from(NUMERIC_KINDS)),
    )


@given(indicator=bands(), a=figures, b=figures)
def test_a_band_is_not_met_met_or_exceeded_and_monotonic_in_the_number(indicator, a, b):
    low, high = sorted([a, b])

    at_low = status(indicator, Recorded(number=low))
    at_high = status(indicator, Recorded(number=high))

    assert at_low in RANK
    assert at_high in RANK
    assert RANK[at_low] <= RANK[at_high]
    # and each status is where the bounds put it
    below = indicator.target_min is not None and low < indicator.target_min
    above = indicator.target_max is not None and low > indicator.target_max
    assert at_low == (NOT_MET if below else EXCEEDED if above else MET)
