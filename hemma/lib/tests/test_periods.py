import datetime

import pytest

from hemma.lib import periods


@pytest.mark.parametrize(
    ("code", "start", "end", "kind"),
    [
        ("2024", (2024, 1, 1), (2024, 12, 31), "year"),
        ("2024H1", (2024, 1, 1), (2024, 6, 30), "half_year"),
        ("2024H2", (2024, 7, 1), (2024, 12, 31), "half_year"),
        ("2024Q1", (2024, 1, 1), (2024, 3, 31), "quarter"),
        ("2024Q4", (2024, 10, 1), (2024, 12, 31), "quarter"),
        ("2023-2025", (2023, 1, 1), (2025, 12, 31), "multi_year"),
    ],
)
def test_codes_name_their_dates(code, start, end, kind):
    period = periods.parse(code)
    assert (period.start, period.end, period.kind) == (
        datetime.date(*start),
        datetime.date(*end),
        kind,
    )


@pytest.mark.parametrize(
    "code", ["", "24", "2024H3", "2024Q5", "2025-2023", "2024-2024", "x", "1800"]
)
def test_bad_codes_are_refused(code):
    with pytest.raises(periods.InvalidPeriod):
        periods.parse(code)


@pytest.mark.parametrize(
    ("code", "before"),
    [
        ("2024", "2023"),
        ("2024H1", "2023H2"),
        ("2024H2", "2024H1"),
        ("2024Q1", "2023Q4"),
        ("2024Q3", "2024Q2"),
        ("2023-2025", "2020-2022"),
    ],
)
def test_the_previous_period_is_of_the_same_kind(code, before):
    assert periods.previous(periods.parse(code)).code == before


def test_codes_within_a_period_are_the_years_halves_and_quarters_inside_it():
    assert periods.codes_within(periods.parse("2025")) == [
        "2025", "2025H1", "2025H2", "2025Q1", "2025Q2", "2025Q3", "2025Q4"
    ]  # fmt: skip
    assert periods.codes_within(periods.parse("2025H2")) == ["2025H2", "2025Q3", "2025Q4"]
    assert periods.codes_within(periods.parse("2025Q2")) == ["2025Q2"]
    assert len(periods.codes_within(periods.parse("2023-2025"))) == 21
