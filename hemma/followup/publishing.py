"""What of the follow-up is public, and how a published value is shown.

Public (without logging in: the public site, open data, the public API) are the approved and
archived programmes, and of their follow-up only the approved periods: those within a
reporting round a region coordinator approved, which locks them (hemma/followup/locks.py).
A value of an open period, or of a draft programme, is never public, whatever page asks.
Reads for the public pass `PUBLIC` (hemma.programmes.policies) where a user is asked for, so
that every read of the follow-up (hemma.followup.statuses) has one policy.

Published figures that count people (hemma.programmes.models.Indicator.counts_people, a
survey's number of answers, and the participants of a count with participants) are suppressed
under the threshold (default 5): shown as "< 5". A share of a survey's answers keeps the
number of those who answered the question as its participants (hemma/surveys/counting.py):
a share resting on fewer than the threshold is not published as a figure, and that number of
people is suppressed like any other. Where a total for the region is published beside the
municipalities and only one of them is hidden, one more is hidden
(hemma.lib.suppression.hidden_in_group), so that no total lets a hidden count be worked back.
Whether a value is hidden depends on the values of its indicator and period only, never on
the page, so no two pages together give it away.
The coordinators' own pages show every figure; what leaves them (public pages, open data,
reports) shows `Cell.published`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hemma.followup.models import Measurement, Round
from hemma.lib import periods, suppression
from hemma.programmes.models import Indicator, Programme
from hemma.programmes.policies import PUBLIC, PUBLISHED_STATES

__all__ = [
    "PUBLIC",
    "Hidden",
    "approved_periods",
    "counts_people",
    "hidden_values",
    "is_approved",
    "measurements_published",
    "programmes_published",
]


def programmes_published() -> QuerySet[Programme]:
    return Programme.objects.filter(status__in=PUBLISHED_STATES)


def approved_periods(programme: Programme) -> list[periods.Period]:
    """The periods of the programme's approved rounds, oldest first (one query); empty for a
    programme that is not published."""
    if programme.status not in PUBLISHED_STATES:
        return []
    codes = Round.objects.filter(programme=programme, state=Round.State.APPROVED).values_list(
        "period", flat=True
    )
    return sorted(periods.parse(code) for code in codes)


def is_approved(period: periods.Period, approved: Iterable[periods.Period]) -> bool:
    """Whether `period` lies within one of the `approved` periods (a year's quarters do)."""
    return any(each.start <= period.start and period.end <= each.end for each in approved)


def _codes_of(period: periods.Period) -> set[str]:
    return {period.code, *periods.codes_within(period)}


def measurements_published() -> QuerySet[Measurement]:
    """The values of approved periods of published programmes (one query for the rounds)."""
    rounds = Round.objects.filter(
        state=Round.State.APPROVED, programme__status__in=PUBLISHED_STATES
    ).values_list("programme_id", "period")
    codes: dict[int, set[str]] = defaultdict(set)
    for programme_id, code in rounds:
        try:
            codes[programme_id] |= _codes_of(periods.parse(code))
        except periods.InvalidPeriod:
            continue
    published = Q(pk__in=[])
    for programme_id, found in codes.items():
        published |= Q(indicator__action__programme_id=programme_id, period__in=sorted(found))
    return Measurement.objects.filter(published)


def counts_people(indicator: Indicator) -> bool:
    """Whether the indicator's figure is a number of people (suppressed when published)."""
    return (
        indicator.counts_people
        or indicator.query in (Indicator.Query.VOLUNTEERS, Indicator.Query.PLACEMENTS)
        or (indicator.query == Indicator.Query.SURVEY and not indicator.query_question)
    )


def is_survey_share(indicator: Indicator) -> bool:
    """Whether the figure is a share of a survey's answers, its participants those who
    answered the question."""
    return indicator.query == Indicator.Query.SURVEY and bool(indicator.query_question)


@dataclass(frozen=True)
class Hidden:
    """What of one value is suppressed where it is published."""

    number: bool = False
    participants: bool = False


SHOWN = Hidden()


def hidden_values(
    values: Iterable[Measurement], indicators: dict[int, Indicator]
) -> dict[int, Hidden]:
    """What to hide of each value where it is published, by the value's id (only those with
    something hidden). `values` are all the values of the indicators in the periods asked
    about, for every place: each indicator and period is one group, the region's value its
    total."""
    groups: dict[tuple[int, str], list[Measurement]] = defaultdict(list)
    for value in values:
        groups[(value.indicator_id, value.period)].append(value)
    found: dict[int, Hidden] = {}
    for (indicator_id, _period), group in groups.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            continue
        total = next((v.pk for v in group if v.municipality_id is None), None)
        numbers: set[int] = set()
        if counts_people(indicator):
            numbers = suppression.hidden_in_group({v.pk: v.number for v in group}, total=total)
        participants: set[int] = set()
        if indicator.kind == Indicator.Kind.COUNT_WITH_PARTICIPANTS or is_survey_share(indicator):
            participants = suppression.hidden_in_group(
                {v.pk: v.participants for v in group}, total=total
            )
        if is_survey_share(indicator):
            # A share of fewer people than the threshold would all but name them.
            numbers = {v.pk for v in group if suppression.is_suppressed(v.participants)}
        for pk in numbers | participants:
            found[pk] = Hidden(number=pk in numbers, participants=pk in participants)
    return found
