"""Reporting periods as short codes: "2024", "2024H1", "2024Q3", "2023-2025".

A value is recorded for one period; an indicator says which kind of period it is followed
up by (Indicator.Period). The code is what is stored, sent in the API and written in files.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

_CODE = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4])|-(\d{4}))?$")


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    code: str

    @property
    def kind(self) -> str:
        """As Indicator.Period: year, half_year, quarter or multi_year."""
        if "H" in self.code:
            return "half_year"
        if "Q" in self.code:
            return "quarter"
        if "-" in self.code:
            return "multi_year"
        return "year"

    @property
    def year(self) -> int:
        return self.start.year

    def __str__(self) -> str:
        return self.code.replace("-", "–")


def parse(code: str) -> Period:
    """The period a code names; InvalidPeriod if it names none."""
    match = _CODE.match(code.strip()) if isinstance(code, str) else None
    if not match:
        raise InvalidPeriod(code)
    year = int(match[1])
    if match[2]:
        half = int(match[3])
        start = datetime.date(year, 1 if half == 1 else 7, 1)
        end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    elif match[4]:
        quarter = int(match[5])
        start = datetime.date(year, 3 * quarter - 2, 1)
        next_start = (
            datetime.date(year + 1, 1, 1)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1)
        )
        end = next_start - datetime.timedelta(days=1)
    elif match[6]:
        last = int(match[6])
        if last <= year:
            raise InvalidPeriod(code)
        start, end = datetime.date(year, 1, 1), datetime.date(last, 12, 31)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not 1990 <= year <= 2200:
        raise InvalidPeriod(code)
    return Period(start=start, end=end, code=code.strip())


def valid(codes: Iterable[Period | str]) -> list[Period]:
    """The periods the codes name, in their order; a code that names none is left out (a
    stored code from before a rule changed, say: nothing to show or count for it)."""
    found = []
    for code in codes:
        if isinstance(code, Period):
            found.append(code)
            continue
        try:
            found.append(parse(str(code)))
        except InvalidPeriod:
            continue
    return found


def year(value: int) -> Period:
    return parse(str(value))


def codes_within(period: Period) -> list[str]:
    """The codes of the years, half-years and quarters that lie within `period` (itself
    included when it is one of them), in order: a year's figure is never split."""
    found = []
    for value in range(period.start.year, period.end.year + 1):
        parts = (f"{value}H1", f"{value}H2", *(f"{value}Q{q}" for q in range(1, 5)))
        for code in (str(value), *parts):
            inner = parse(code)
            if period.start <= inner.start and inner.end <= period.end:
                found.append(code)
    return found


def previous(period: Period) -> Period:
    """The period of the same kind just before."""
    kind = period.kind
    if kind == "year":
        return year(period.year - 1)
    if kind == "half_year":
        half = period.code[-1]
        return parse(f"{period.year - 1}H2" if half == "1" else f"{period.year}H1")
    if kind == "quarter":
        quarter = int(period.code[-1])
        return parse(f"{period.year - 1}Q4" if quarter == 1 else f"{period.year}Q{quarter - 1}")
    length = period.end.year - period.start.year + 1
    return parse(f"{period.start.year - length}-{period.start.year - 1}")
