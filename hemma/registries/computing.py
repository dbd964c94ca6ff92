"""Indicators counted from the registries: the counting rule, and the values kept current.

The rule (docs/registries.md says the same in words). A computed indicator (source
"registry") with the query "activities" counts, for a municipality and a period, the
activities that

- serve the indicator's action (the activity's actions include it),
- are of one of the indicator's `query_kinds`, if it names any,
- are of the programme's region,
- have dates [starts_on, ends_on, or starts_on for a single day] that overlap the period, and
- name the municipality.

For the region as a whole (an indicator with scope "region") every such activity of the region
counts once, whatever municipalities it names. The value's number is the count; a "count with
participants" indicator's participants are the sum of the counted activities' participants
(those without a number left out; none known: no number). A count of 0 is a value once the
period has begun; before that it is no value yet.

A computed indicator with the query "statistic" and the measure M (its one `query_kinds`)
takes, for a municipality and a period of its own kind, the service statistic M of that
municipality and period (none: no value). For the region as a whole (scope "region") it takes
the sum over the programme's municipalities of M when M is a count (ServiceStatistic.COUNTS);
a median is not summed, so it has no value for the region (and hemma.programmes refuses such
an indicator). `statistics_counted` gives the statistics behind a value.

A computed indicator with the query "volunteers" counts the friend persons of the municipality
(for the region as a whole: of the programme's municipalities) with an active period overlapping
the period, an open end being still active; its participants are the sizes of the households
matched with them in that period (`volunteers_counted`). One with the query "placements" sums
the people of the municipality's placements of its kinds (none named: every kind) whose period
lies within the value's period (`placements_counted`). Neither is tied to an action: they
count the region's records. A count of 0 is a value once the period has begun.

A computed indicator with the query "survey" takes the number of answers to its programme's
survey of the value's period, or the share of them answering a question with one of its
choices: the rule is hemma/surveys/counting.py's, counted here with the others.

The queries "information_created" and "information_used" count the information hub's pages
(hemma/information): those of the municipality's information site (for the region as a whole:
of the region's own site and its programme's municipalities' sites), in the languages of the
indicator's `query_kinds` (none named: every language). "information_created" is the number of
language versions first published within the period (local dates): a page published in Swedish
and Arabic in 2025 is 2 for 2025, and a version withdrawn since still counts in the period it
was published in. "information_used" is the sum of the views and downloads of those pages
within the period. Neither is tied to the indicator's action; a count of 0 is a value once the
period has begun. The rule in words: hemma/information/counting.py.

Values are maintained totals: every service that creates, changes or deletes an activity calls
`activity_changed` in its transaction (a statistic: `statistics_changed`; a friend person:
`volunteers_changed`; a placement: `placements_changed`; a survey's answer:
`survey_answers_changed`; an information page published or read: `information_changed`, the
reads through a task, hemma/information/tasks.py), which counts again
the values the change can touch (the computed indicators of the old and new actions, for the
old and new municipalities and the region, in the periods the old and new dates overlap) with a
fixed number of queries, and writes them as Measurement rows with source "computed" and a
status by the same rules as a recorded value. A value within an approved round is left as it
was approved. An overridden value (a coordinator's number with a justification in `override`)
keeps its number: only `computed_number` and `computed_participants` follow the records.
Derived values are not audited (the change of the activity is). A survey's values are
written as changed at the start of the week (hemma.surveys.counting.counted_at).
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.audit.services import audit_record
from hemma.followup import policies as followup_policies
from hemma.followup.locks import check_unlocked, locking_period
from hemma.followup.models import Measurement, Round
from hemma.followup.services import figure_of, measurement_status, programme_period
from hemma.followup.status import Recorded
from hemma.information.models import Site, Use, Version
from hemma.lib import periods
from hemma.lib.periods import Period, valid
from hemma.organisations.models import Municipality
from hemma.programmes.models import Indicator, Programme
from hemma.registries.models import Activity, Placement, ServiceStatistic
from hemma.surveys.counting import Wanted, answers_tallied, counted_at, survey_figure
from hemma.surveys.models import Survey
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

Kind = Indicator.Kind

# The largest number a Measurement holds (14 digits, 2 of them decimals).
_MAX_NUMBER = Decimal("999999999999")


# The queries whose values this module counts.
QUERIES = (
    Indicator.Query.ACTIVITIES,
    Indicator.Query.STATISTIC,
    Indicator.Query.VOLUNTEERS,
    Indicator.Query.PLACEMENTS,
    Indicator.Query.SURVEY,
    Indicator.Query.INFORMATION_CREATED,
    Indicator.Query.INFORMATION_USED,
)

# The queries counted from the information hub's pages (hemma/information).
INFORMATION_QUERIES = frozenset(
    {Indicator.Query.INFORMATION_CREATED, Indicator.Query.INFORMATION_USED}
)


def is_computed(indicator: Indicator) -> bool:
    """Whether the indicator's values are counted from the registries (activities, a service
    statistic, friend persons, placements, a survey's answers or the information pages)."""
    return indicator.source == Indicator.Source.REGISTRY and indicator.query in QUERIES


def statistic_measure(indicator: Indicator) -> str | None:
    """The one measure (ServiceStatistic.Measure) a statistic indicator takes, or None."""
    if indicator.query != Indicator.Query.STATISTIC or len(indicator.query_kinds or []) != 1:
        return None
    return indicator.query_kinds[0]


# -- the rule ----------------------------------------------------------------------------------


def _overlapping(start: datetime.date, end: datetime.date) -> Q:
    """Activities whose dates [starts_on, ends_on or starts_on] overlap [start, end]."""
    return Q(starts_on__lte=end) & (
        Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start)
    )


def activities_counted(
    *, indicator: Indicator, municipality: Municipality | None, period: Period | str
) -> QuerySet[Activity]:
    """The activities behind `indicator`'s value for `municipality` (None: the region as a
    whole) and `period`: the records that "where it comes from" links to. Not scoped by a
    user: whoever sees the value sees its region's activities (hemma.registries.policies)."""
    if not is_computed(indicator) or indicator.query != Indicator.Query.ACTIVITIES:
        return Activity.objects.none()
    if isinstance(period, str):
        period = periods.parse(period)
    programme = indicator.action.programme
    found = Activity.objects.filter(
        _overlapping(period.start, period.end),
        region_id=programme.region_id,
        actions=indicator.action_id,
    )
    if indicator.query_kinds:
        found = found.filter(kind__in=indicator.query_kinds)
    if municipality is not None:
        found = found.filter(municipalities=municipality)
    return found


def statistics_counted(
    *, indicator: Indicator, municipality: Municipality | None, period: Period | str
) -> QuerySet[ServiceStatistic]:
    """The statistics behind a statistic indicator's value for `municipality` (None: the
    region as a whole, the sum of its municipalities' counts) and `period`.

    The rule: an indicator with the query "statistic" and the measure M takes, for a
    municipality and a period of its own kind, the statistic M of that municipality and
    period (none: no value). For the region as a whole it takes the sum over the programme's
    municipalities of M, when M is a count (ServiceStatistic.COUNTS); a median is not summed,
    so such an indicator has no value for the region (and cannot be made one).
    """
    measure = statistic_measure(indicator) if is_computed(indicator) else None
    if measure is None:
        return ServiceStatistic.objects.none()
    code = period.code if isinstance(period, Period) else str(period).strip()
    programme = indicator.action.programme
    found = ServiceStatistic.objects.filter(
        region_id=programme.region_id, measure=measure, period=code
    )
    if municipality is not None:
        return found.filter(municipality=municipality)
    if measure not in ServiceStatistic.COUNTS:
        return ServiceStatistic.objects.none()
    return found.filter(municipality__in=programme.municipalities.all())


def volunteers_counted(
    *, indicator: Indicator, municipality: Municipality | None, period: Period | str
) -> QuerySet[Volunteer]:
    """The friend persons behind a "volunteers" indicator's value for `municipality` (None:
    the region as a whole: every municipality of the programme) and `period`.

    The rule: a friend person of the municipality (and of the programme's region) counts once
    in every period one of their active periods overlaps, both ends counted, an open end being
    still active. A "count with participants" indicator's participants are the sizes of the
    households matched with the counted friend persons in matches overlapping the period.
    """
    if not is_computed(indicator) or indicator.query != Indicator.Query.VOLUNTEERS:
        return Volunteer.objects.none()
    if isinstance(period, str):
        period = periods.parse(period)
    programme = indicator.action.programme
    active = ActivePeriod.objects.filter(_overlapping_open(period.start, period.end)).values(
        "volunteer_id"
    )
    found = Volunteer.objects.filter(region_id=programme.region_id, id__in=Subquery(active))
    if municipality is not None:
        return found.filter(municipality=municipality)
    return found.filter(municipality__in=programme.municipalities.all())


def placements_counted(
    *, indicator: Indicator, municipality: Municipality | None, period: Period | str
) -> QuerySet[Placement]:
    """The placements behind a "placements" indicator's value for `municipality` (None: the
    region as a whole: every municipality of the programme) and `period`.

    The rule: the value is the sum of the people of the municipality's placements of the
    indicator's kinds (none named: every kind) whose period lies within the value's period: a
    placement of 2025H1 counts in 2025H1 and 2025; one of 2025 does not count in
    2025H1 (a year's figure cannot be split).
    """
    if not is_computed(indicator) or indicator.query != Indicator.Query.PLACEMENTS:
        return Placement.objects.none()
    if isinstance(period, str):
        period = periods.parse(period)
    programme = indicator.action.programme
    found = Placement.objects.filter(region_id=programme.region_id, period__in=_within(period))
    if indicator.query_kinds:
        found = found.filter(kind__in=indicator.query_kinds)
    if municipality is not None:
        return found.filter(municipality=municipality)
    return found.filter(municipality__in=programme.municipalities.all())


def information_sites(*, indicator: Indicator, municipality: Municipality | None) -> QuerySet[Site]:
    """The information sites whose pages an "information_created" or "information_used"
    indicator's value for `municipality` counts (None: the region as a whole: the region's own
    site and those of the programme's municipalities)."""
    if not is_computed(indicator) or indicator.query not in INFORMATION_QUERIES:
        return Site.objects.none()
    programme = indicator.action.programme
    found = Site.objects.filter(region_id=programme.region_id)
    if municipality is not None:
        return found.filter(municipality=municipality)
    return found.filter(
        Q(municipality__isnull=True) | Q(municipality__in=programme.municipalities.all())
    )


def _within(period: Period) -> set[str]:
    """The codes of the years, half-years and quarters that lie within `period`."""
    return set(periods.codes_within(period))


@dataclass(frozen=True)
class _Tally:
    """The activities of one kind serving one action in one period and place, as the count
    needs them: how many, the sum of their participants and how many of them gave a number."""

    activities: int = 0
    participants: int = 0
    with_participants: int = 0

    def __add__(self, other: "_Tally") -> "_Tally":
        return _Tally(
            self.activities + other.activities,
            self.participants + other.participants,
            self.with_participants + other.with_participants,
        )


# (period code, region id, action id, municipality id or None for the region)
_TallyKey = tuple[str, int, int, int | None]


# -- periods -----------------------------------------------------------------------------------


def _periods_of(programme: Programme, kind: str) -> list[Period]:
    """Every period of `kind` (Indicator.Period) within the programme's years."""
    first, last = programme.period_start, programme.period_end
    if kind == Indicator.Period.MULTI_YEAR:
        # The programme's years as one period; a programme of one year has none.
        return [periods.parse(f"{first}-{last}")] if last > first else []
    years = range(first, last + 1)
    if kind == Indicator.Period.HALF_YEAR:
        return [periods.parse(f"{y}H{h}") for y in years for h in (1, 2)]
    if kind == Indicator.Period.QUARTER:
        return [periods.parse(f"{y}Q{q}") for y in years for q in (1, 2, 3, 4)]
    return [periods.year(y) for y in years]


# -- keeping the values current ----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityState:
    """What of an activity decides where and how much it counts: before or after a change.
    Two states differ exactly when the values may differ (a new number of participants, or
    another kind, counts again as much as new dates)."""

    region_id: int
    action_ids: frozenset[int]
    municipality_ids: frozenset[int]
    starts_on: datetime.date
    ends_on: datetime.date | None
    kind: str = ""
    participants: int | None = None

    @classmethod
    def of(cls, activity: Activity) -> "ActivityState":
        return cls(
            region_id=activity.region_id,
            action_ids=frozenset(a.pk for a in activity.actions.all()),
            municipality_ids=frozenset(m.pk for m in activity.municipalities.all()),
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
            kind=activity.kind,
            participants=activity.participants,
        )


def activity_changed(*, before: ActivityState | None, after: ActivityState | None) -> int:
    """Count again every value a change of an activity can touch; how many values changed.

    `before` is the activity as it was (None: it is new), `after` as it is now (None: it was
    deleted). Call it inside the transaction that changed the activity, after the change.
    Within `counting_deferred` it only notes the change, counted once at the end.
    """
    states = [state for state in (before, after) if state is not None]
    if _defer(_activities_changed, states):
        return 0
    return _activities_changed(states)


def _activities_changed(states: Sequence[ActivityState]) -> int:
    action_ids = set().union(*(state.action_ids for state in states))
    if not action_ids:
        return 0
    indicators = Indicator.objects.filter(
        action_id__in=action_ids,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.ACTIVITIES,
    ).select_related("action__programme")
    ranges = {(state.starts_on, state.ends_on or state.starts_on) for state in states}
    return _refresh(
        indicators,
        municipality_ids=set().union(*(state.municipality_ids for state in states)),
        wanted=lambda period: any(
            start <= period.end and end >= period.start for start, end in ranges
        ),
    )


# The changes noted within `counting_deferred`: (how to count them, states), or None outside.
_deferred: ContextVar[list[tuple[Callable[[list], int], list]] | None] = ContextVar(
    "hemma_counting_deferred", default=None
)


def _defer(count: Callable[[list], int], states: Sequence) -> bool:
    """Note `states` to be counted by `count` at the end of `counting_deferred`; whether it
    was (False outside one: count now)."""
    noted = _deferred.get()
    if noted is None:
        return False
    noted.append((count, list(states)))
    return True


@contextmanager
def counting_deferred() -> Iterator[None]:
    """Within this block (inside a transaction), the changes of records are noted and their
    values counted once when it ends, by kind of record: a file of 500 activities is counted
    once, not 500 times. Nothing is counted if the block raises (the transaction is undone)."""
    if _deferred.get() is not None:  # already within one: the outer block counts
        yield
        return
    token = _deferred.set([])
    try:
        yield
        noted = _deferred.get() or []
    finally:
        _deferred.reset(token)
    by_count: dict[Callable[[list], int], list] = defaultdict(list)
    for count, states in noted:
        by_count[count].extend(states)
    for count, states in by_count.items():
        count(states)


@dataclass(frozen=True)
class StatisticState:
    """What of a service statistic decides which values it counts in."""

    region_id: int
    municipality_id: int
    period: str
    measure: str

    @classmethod
    def of(cls, statistic: ServiceStatistic) -> "StatisticState":
        return cls(
            region_id=statistic.region_id,
            municipality_id=statistic.municipality_id,
            period=statistic.period,
            measure=statistic.measure,
        )


def statistics_changed(states: Iterable[StatisticState]) -> int:
    """Count again every value that statistics created, changed or deleted can touch (the
    statistic indicators of their measures in their regions, for their municipalities and the
    region as a whole, in their periods); how many values changed. One call for any number of
    statistics, a fixed number of queries. Call it inside the transaction of the change."""
    states = list(states)
    if not states or _defer(statistics_changed, states):
        return 0
    measures = {state.measure for state in states}
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.STATISTIC,
            action__programme__region_id__in={state.region_id for state in states},
        ).select_related("action__programme")
        # query_kinds is a JSON list: compared here, as SQLite cannot look into it.
        if statistic_measure(indicator) in measures
    ]
    codes = {state.period for state in states}
    return _refresh(
        indicators,
        municipality_ids={state.municipality_id for state in states},
        wanted=lambda period: period.code in codes,
    )


@dataclass(frozen=True)
class VolunteerState:
    """What of a friend person decides which values they count in: their place and the dates
    of their active periods and matches."""

    region_id: int
    municipality_id: int
    ranges: frozenset[tuple[datetime.date, datetime.date | None]]

    @classmethod
    def of(cls, volunteer: Volunteer) -> "VolunteerState":
        """Reads `volunteer.periods.all()` and `volunteer.matches.all()` (prefetch them)."""
        return cls(
            region_id=volunteer.region_id,
            municipality_id=volunteer.municipality_id,
            ranges=frozenset(
                [(p.starts_on, p.ends_on) for p in volunteer.periods.all()]
                + [(m.starts_on, m.ends_on) for m in volunteer.matches.all()]
            ),
        )


def volunteers_changed(states: Iterable[VolunteerState]) -> int:
    """Count again every value a change of friend persons can touch (the "volunteers"
    indicators of their regions, for their municipalities and the region as a whole, in the
    periods their active periods and matches overlap, before and after); how many values
    changed. Call it inside the transaction of the change, with the states before and after."""
    states = list(states)
    if not states or _defer(volunteers_changed, states):
        return 0
    indicators = Indicator.objects.filter(
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.VOLUNTEERS,
        action__programme__region_id__in={state.region_id for state in states},
    ).select_related("action__programme")
    far = datetime.date.max
    ranges = {(start, end or far) for state in states for start, end in state.ranges}
    return _refresh(
        list(indicators),
        municipality_ids={state.municipality_id for state in states},
        wanted=lambda period: any(
            start <= period.end and end >= period.start for start, end in ranges
        ),
    )


@dataclass(frozen=True)
class PlacementState:
    """What of a placement decides which values it counts in."""

    region_id: int
    municipality_id: int
    period: str
    kind: str

    @classmethod
    def of(cls, placement: Placement) -> "PlacementState":
        return cls(
            region_id=placement.region_id,
            municipality_id=placement.municipality_id,
            period=placement.period,
            kind=placement.kind,
        )


def placements_changed(states: Iterable[PlacementState]) -> int:
    """Count again every value that placements created, changed or deleted can touch (the
    "placements" indicators of their regions counting their kinds, for their municipalities and
    the region as a whole, in the periods their periods lie within); how many values changed.
    One call for any number of placements, a fixed number of queries."""
    states = list(states)
    if not states or _defer(placements_changed, states):
        return 0
    kinds = {state.kind for state in states}
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.PLACEMENTS,
            action__programme__region_id__in={state.region_id for state in states},
        ).select_related("action__programme")
        # query_kinds is a JSON list: compared here, as SQLite cannot look into it.
        if not indicator.query_kinds or kinds & set(indicator.query_kinds)
    ]
    codes = {state.period for state in states}
    return _refresh(
        indicators,
        municipality_ids={state.municipality_id for state in states},
        wanted=lambda period: bool(codes & _within(period)),
    )


@dataclass(frozen=True)
class SurveyAnswers:
    """Where answers to a survey count: the survey (its programme, key and period) and the
    municipality of the link they came through (None: the survey's common link)."""

    programme_id: int
    survey: str
    period: str
    municipality_id: int | None


def survey_answers_changed(states: Iterable[SurveyAnswers]) -> int:
    """Count again every value that answers stored (or removed) can touch: the indicators
    counted from their surveys, for the municipalities of their links and the region as a
    whole, in the surveys' periods; how many values changed. One call for any number of
    answers, a fixed number of queries. Call it inside the transaction of the change
    (hemma.surveys.counting.survey_answered)."""
    states = list(states)
    if not states or _defer(survey_answers_changed, states):
        return 0
    surveys = {(state.programme_id, state.survey) for state in states}
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.SURVEY,
            action__programme_id__in={programme_id for programme_id, _key in surveys},
            query_survey__in={key for _programme_id, key in surveys},
        ).select_related("action__programme")
        if (indicator.action.programme_id, indicator.query_survey) in surveys
    ]
    codes = {state.period for state in states}
    return _refresh(
        indicators,
        municipality_ids={s.municipality_id for s in states if s.municipality_id is not None},
        wanted=lambda period: period.code in codes,
    )


@dataclass(frozen=True)
class InformationChange:
    """Where a change of an information site's pages counts: the site's region and
    municipality (None: the region's own site), the days whose periods it touches (a version
    first published, a page read), and the queries it can change."""

    region_id: int
    municipality_id: int | None
    days: frozenset[datetime.date]
    queries: frozenset[str] = INFORMATION_QUERIES


def information_changed(states: Iterable[InformationChange]) -> int:
    """Count again every value that a change of information pages can touch: the indicators
    of the changes' queries in their regions, for the sites' municipalities and the region as a
    whole, in the periods containing their days; how many values changed. One call for any
    number of changes, a fixed number of queries. Call it inside the transaction of the change
    (hemma.information.counting.material_changed; the reads: hemma/information/tasks.py)."""
    states = list(states)
    if not states or _defer(information_changed, states):
        return 0
    indicators = Indicator.objects.filter(
        source=Indicator.Source.REGISTRY,
        query__in=set().union(*(state.queries for state in states)),
        action__programme__region_id__in={state.region_id for state in states},
    ).select_related("action__programme")
    days = set().union(*(state.days for state in states))
    return _refresh(
        list(indicators),
        municipality_ids={s.municipality_id for s in states if s.municipality_id is not None},
        wanted=lambda period: any(period.start <= day <= period.end for day in days),
    )


def indicators_recount(*, indicators: Sequence[Indicator]) -> int:
    """Count again the values of `indicators` whose counting changed (made computed, or
    counting other kinds or another measure), in the years the registries have records of
    them in (activities serving their actions; statistics of their measure; friend persons'
    active periods and placements of the region; the programme's surveys of their keys; the
    region's information pages first published or read): years without records keep what was
    typed in. A fixed number of queries."""
    indicators = [i for i in indicators if i.query]
    if not indicators:
        return 0
    programme = indicators[0].action.programme
    first, last = programme.period_start, programme.period_end
    years: set[int] = set()
    on_activities = [i.action_id for i in indicators if i.query == Indicator.Query.ACTIVITIES]
    if on_activities:
        for starts_on, ends_on in Activity.objects.filter(actions__in=on_activities).values_list(
            "starts_on", "ends_on"
        ):
            years.update(range(starts_on.year, (ends_on or starts_on).year + 1))
    measures = {
        m for i in indicators if i.query == Indicator.Query.STATISTIC for m in i.query_kinds
    }
    if measures:
        for code in (
            ServiceStatistic.objects.filter(region_id=programme.region_id, measure__in=measures)
            .values_list("period", flat=True)
            .distinct()
        ):
            if code[:4].isdigit():
                years.add(int(code[:4]))
    if any(i.query == Indicator.Query.VOLUNTEERS for i in indicators):
        for starts_on, ends_on in ActivePeriod.objects.filter(
            volunteer__region_id=programme.region_id
        ).values_list("starts_on", "ends_on"):
            years.update(range(starts_on.year, (ends_on.year if ends_on else last) + 1))
    if any(i.query == Indicator.Query.PLACEMENTS for i in indicators):
        for code in (
            Placement.objects.filter(region_id=programme.region_id)
            .values_list("period", flat=True)
            .distinct()
        ):
            if code[:4].isdigit():
                years.add(int(code[:4]))
    surveys = {i.query_survey for i in indicators if i.query == Indicator.Query.SURVEY}
    if surveys:
        for code in Survey.objects.filter(programme=programme, key__in=surveys).values_list(
            "period", flat=True
        ):
            if code[:4].isdigit():
                years.add(int(code[:4]))
    region_pages = Q(page__site__region_id=programme.region_id)
    if any(i.query == Indicator.Query.INFORMATION_CREATED for i in indicators):
        for moment in Version.objects.filter(
            region_pages, first_published_at__isnull=False
        ).datetimes("first_published_at", "year"):
            years.add(moment.year)
    if any(i.query == Indicator.Query.INFORMATION_USED for i in indicators):
        for day in Use.objects.filter(region_pages).dates("day", "year"):
            years.add(day.year)
    years = {year for year in years if first <= year <= last}
    if not years:
        return 0
    codes = [code for year in sorted(years) for code in periods.codes_within(periods.year(year))]
    if last > first:
        codes.append(f"{first}-{last}")  # the programme's whole period
    return computed_values_refresh(indicators=indicators, periods=codes)


def computed_values_refresh(
    *,
    indicators: Iterable[Indicator],
    municipalities: Iterable[Municipality | None] | None = None,
    periods: Iterable[Period | str] | None = None,
) -> int:
    """Count again the values of the computed `indicators` (others are left out) for
    `municipalities` and `periods`; how many values were written (created or changed).

    `municipalities` None is every municipality of each indicator's programme; a region-scope
    indicator's value is the region's, whichever municipalities are given. `periods` (codes)
    None is every period of each indicator's kind within its programme's years; periods of
    another kind or outside the years are left out. A fixed number of queries, whatever the
    number of activities, statistics and values.
    """
    codes = None if periods is None else {period.code for period in valid(periods)}
    municipality_ids = (
        None if municipalities is None else {m.pk for m in municipalities if m is not None}
    )
    with transaction.atomic():
        return _refresh(
            list(indicators),
            municipality_ids=municipality_ids,
            wanted=(lambda period: True) if codes is None else (lambda p: p.code in codes),
        )


def _refresh(indicators, *, municipality_ids: set[int] | None, wanted) -> int:
    today = timezone.localdate()
    ids = sorted({i.pk for i in indicators if i.pk is not None})
    if not ids:
        return 0
    # Locked in the indicators' order, so that two changes counting the same values wait for
    # each other (a value not yet stored cannot be locked) and never deadlock.
    computed = list(
        Indicator.objects.filter(pk__in=ids, source=Indicator.Source.REGISTRY, query__in=QUERIES)
        .select_related("action__programme")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not computed:
        return 0
    programmes = {i.action.programme_id: i.action.programme for i in computed}
    covered: dict[int, set[int]] = defaultdict(set)  # programme → its municipalities
    for programme_id, municipality_id in Programme.municipalities.through.objects.filter(
        programme_id__in=programmes
    ).values_list("programme_id", "municipality_id"):
        covered[programme_id].add(municipality_id)
    locked: dict[int, list[Period]] = defaultdict(list)
    for programme_id, code in Round.objects.filter(
        programme_id__in=programmes, state=Round.State.APPROVED
    ).values_list("programme_id", "period"):
        locked[programme_id].append(periods.parse(code))

    # The values to count: (indicator, municipality id or None for the region, period).
    targets: list[tuple[Indicator, int | None, Period]] = []
    # The periods whose statuses are judged again (those counted and every later one), and
    # the periods before them, read for the judging only. Earlier periods are not read.
    judged: set[str] = set()
    context: set[str] = set()
    for indicator in computed:
        programme = indicator.action.programme
        if indicator.scope == Indicator.Scope.REGION:
            places: list[int | None] = [None]
        else:
            mine = covered[programme.pk]
            places = list(sorted(mine if municipality_ids is None else mine & municipality_ids))
        first: Period | None = None
        for period in _periods_of(programme, indicator.period):
            if first is not None:
                # A later period's status may change with this one (the period before, the
                # last done date): it is judged again.
                judged.add(period.code)
            if not wanted(period) or locking_period(period, locked[programme.pk]):
                # A period within an approved round is left as it was approved.
                continue
            if first is None:
                first = period
                judged.add(period.code)
                with contextlib.suppress(periods.InvalidPeriod):
                    context.add(periods.previous(period).code)
            targets.extend((indicator, place, period) for place in places)
    if not targets:
        return 0

    counting = [t for t in targets if t[0].query == Indicator.Query.ACTIVITIES]
    activities = _activity_tallies(counting) if counting else {}
    statistics = _statistics_for(
        [t for t in targets if t[0].query == Indicator.Query.STATISTIC], covered
    )
    volunteers = _volunteers_for(
        [t for t in targets if t[0].query == Indicator.Query.VOLUNTEERS], covered
    )
    placements = _placements_for(
        [t for t in targets if t[0].query == Indicator.Query.PLACEMENTS], covered
    )
    tallies = answers_tallied(
        _wanted(indicator, period)
        for indicator, _place, period in targets
        if indicator.query == Indicator.Query.SURVEY
    )
    information = _information_for(
        [t for t in targets if t[0].query in INFORMATION_QUERIES], covered
    )
    series = _series_of(computed, {place for _i, place, _p in targets}, codes=judged | context)

    created: list[Measurement] = []
    changed: dict[int, Measurement] = {}
    touched: set[tuple[int, int | None]] = set()
    now = timezone.now()
    # A survey's values do not tell when an answer came in: they change "this week".
    this_week = counted_at(now)

    def changed_at(indicator: Indicator) -> datetime.datetime:
        return this_week if indicator.query == Indicator.Query.SURVEY else now

    for indicator, place, period in targets:
        begun = period.start <= today
        if indicator.query == Indicator.Query.STATISTIC:
            number, participants = _statistic(indicator, place, period, statistics, covered), None
        elif indicator.query == Indicator.Query.VOLUNTEERS:
            within = covered[indicator.action.programme_id] if place is None else {place}
            number, participants = _volunteers(indicator, within, period, volunteers, begun=begun)
        elif indicator.query == Indicator.Query.PLACEMENTS:
            within = covered[indicator.action.programme_id] if place is None else {place}
            number, participants = _placements(indicator, within, period, placements, begun=begun)
        elif indicator.query == Indicator.Query.SURVEY:
            wanted_figure = _wanted(indicator, period)
            number, participants = survey_figure(wanted_figure, tallies.get(wanted_figure), place)
        elif indicator.query in INFORMATION_QUERIES:
            # The region as a whole: its own site (None) and its municipalities'.
            sites: set[int | None] = (
                {*covered[indicator.action.programme_id], None} if place is None else {place}
            )
            number = _information(indicator, sites, period, information, begun=begun)
            participants = None
        else:
            counted = _tally(indicator, place, period, activities)
            number, participants = _count(indicator, counted, begun=begun)
        key = (indicator.pk, place)
        value = series[key].get(period.code)
        if value is None:
            if number is None:
                continue  # nothing counted in a period not yet begun: no value yet
            value = Measurement(
                indicator=indicator,
                municipality_id=place,
                period=period.code,
                number=number,
                participants=participants,
                computed_number=number,
                computed_participants=participants,
                source=Measurement.Source.COMPUTED,
                version=1,
            )
            series[key][period.code] = value
            created.append(value)
            touched.add(key)
            continue
        # Its status is judged again even if the count stays: an override may have changed.
        touched.add(key)
        new: dict[str, Any] = {"computed_number": number, "computed_participants": participants}
        if not value.override:
            new.update(number=number, participants=participants, source=Measurement.Source.COMPUTED)
        if any(getattr(value, name) != wanted_value for name, wanted_value in new.items()):
            for name, wanted_value in new.items():
                setattr(value, name, wanted_value)
            value.version += 1
            value.updated_at = changed_at(indicator)
            changed[value.pk] = value

    # Statuses: of the values counted again, and of the later periods of their series (a
    # direction target compares with the period before). Approved periods stay as they are.
    by_indicator = {i.pk: i for i in computed}
    for indicator_id, place in touched:
        indicator = by_indicator[indicator_id]
        programme = indicator.action.programme
        by_period = series[(indicator_id, place)]
        for code, value in by_period.items():
            if code not in judged:
                continue
            try:
                period = periods.parse(code)
            except periods.InvalidPeriod:
                continue
            if locking_period(period, locked[programme.pk]):
                continue
            status = measurement_status(
                indicator=indicator,
                programme=programme,
                period=period,
                current=Recorded.of(value),
                series=by_period,
            )
            if status != value.status:
                value.status = status
                if value.pk is not None:
                    value.updated_at = changed_at(indicator)
                    changed[value.pk] = value
    if created:
        Measurement.objects.bulk_create(created)
        # Made now (auto_now_add): a survey's values as made this week.
        answered = [v.pk for v in created if v.indicator.query == Indicator.Query.SURVEY]
        if answered:
            Measurement.objects.filter(pk__in=answered).update(
                created_at=this_week, updated_at=this_week
            )
    if changed:
        Measurement.objects.bulk_update(
            list(changed.values()),
            [
                "number",
                "participants",
                "computed_number",
                "computed_participants",
                "source",
                "status",
                "version",
                "updated_at",
            ],
        )
    return len(created) + len(changed)


def _wanted(indicator: Indicator, period: Period) -> Wanted:
    """What a survey indicator's value of `period` takes from the answers."""
    return Wanted(
        programme_id=indicator.action.programme_id,
        survey=indicator.query_survey,
        period=period.code,
        question=indicator.query_question,
        kinds=frozenset(indicator.query_kinds or ()),
    )


def _count(
    indicator: Indicator, counted: _Tally, *, begun: bool
) -> tuple[Decimal | None, int | None]:
    """The number and participants of a value from the activities it counts."""
    if not counted.activities and not begun:
        return None, None
    number = Decimal(counted.activities)
    if indicator.kind != Kind.COUNT_WITH_PARTICIPANTS:
        return number, None
    if counted.activities and not counted.with_participants:
        return number, None
    return number, counted.participants


def _statistic(
    indicator: Indicator,
    place: int | None,
    period: Period,
    statistics: dict[tuple[int, str, str], Decimal],
    covered: dict[int, set[int]],
) -> Decimal | None:
    """The rule of `statistics_counted`, on the statistics read once."""
    measure = statistic_measure(indicator)
    if measure is None:
        return None
    if place is not None:
        return statistics.get((place, period.code, measure))
    if measure not in ServiceStatistic.COUNTS:
        return None  # a median is not summed
    found = [
        statistics[key]
        for key in ((m, period.code, measure) for m in covered[indicator.action.programme_id])
        if key in statistics
    ]
    return sum(found, Decimal(0)) if found else None


def _statistics_for(
    targets: list[tuple[Indicator, int | None, Period]], covered: dict[int, set[int]]
) -> dict[tuple[int, str, str], Decimal]:
    """The statistics `targets` may take, by (municipality, period, measure): one query."""
    if not targets:
        return {}
    regions = {i.action.programme.region_id for i, _m, _p in targets}
    measures = {statistic_measure(i) for i, _m, _p in targets} - {None}
    codes = {p.code for _i, _m, p in targets}
    municipality_ids = set().union(*(covered[i.action.programme_id] for i, _m, _p in targets))
    return {
        (municipality_id, period, measure): value
        for municipality_id, period, measure, value in ServiceStatistic.objects.filter(
            region_id__in=regions,
            measure__in=measures,
            period__in=codes,
            municipality_id__in=municipality_ids,
        ).values_list("municipality_id", "period", "measure", "value")
    }


# The information pages' counts as _information_for reads them: by (query, region), the rows
# (site's municipality or None for the region's own site, language, first day of the month,
# count).
_InformationRows = dict[tuple[str, int], list[tuple[int | None, str, datetime.date, int]]]


def _information(
    indicator: Indicator,
    sites: set[int | None],
    period: Period,
    information: _InformationRows,
    *,
    begun: bool,
) -> Decimal | None:
    """The rule of the information queries, on the monthly counts read once: the sum over the
    sites of `sites` (municipalities; None the region's own) and the indicator's languages."""
    languages = set(indicator.query_kinds or [])
    counted = [
        count
        for municipality_id, language, month, count in information.get(
            (indicator.query, indicator.action.programme.region_id), []
        )
        if municipality_id in sites
        and (not languages or language in languages)
        and period.start <= month <= period.end
    ]
    if not counted and not begun:
        return None
    return Decimal(sum(counted))


def _information_for(
    targets: list[tuple[Indicator, int | None, Period]], covered: dict[int, set[int]]
) -> _InformationRows:
    """What the information `targets` may count, per site, language and month (every period
    is made of whole months): one query per query counted. A version counts in the month (local
    time) it was first published; a day's use in its month."""
    if not targets:
        return {}
    regions = {i.action.programme.region_id for i, _m, _p in targets}
    municipality_ids = set().union(*(covered[i.action.programme_id] for i, _m, _p in targets))
    start = min(period.start for _i, _m, period in targets)
    end = max(period.end for _i, _m, period in targets)
    queries = {i.query for i, _m, _p in targets}
    sites = Q(page__site__region_id__in=regions) & (
        Q(page__site__municipality__isnull=True)
        | Q(page__site__municipality_id__in=municipality_ids)
    )
    found: _InformationRows = defaultdict(list)
    fields = ("page__site__region_id", "page__site__municipality_id", "language", "month")
    if Indicator.Query.INFORMATION_CREATED in queries:
        zone = timezone.get_default_timezone()
        first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        versions = (
            Version.objects.filter(
                sites, first_published_at__gte=first, first_published_at__lt=after
            )
            .annotate(month=TruncMonth("first_published_at", tzinfo=zone))
            .values_list(*fields)
            .annotate(count=Count("pk"))
            .order_by()
        )
        for region_id, municipality_id, language, month, count in versions:
            found[(Indicator.Query.INFORMATION_CREATED, region_id)].append(
                (municipality_id, language, month.date(), count)
            )
    if Indicator.Query.INFORMATION_USED in queries:
        uses = (
            Use.objects.filter(sites, day__gte=start, day__lte=end)
            .annotate(month=TruncMonth("day"))
            .values_list(*fields)
            .annotate(count=Sum(F("views") + F("downloads")))
            .order_by()
        )
        for region_id, municipality_id, language, month, count in uses:
            found[(Indicator.Query.INFORMATION_USED, region_id)].append(
                (municipality_id, language, month, count or 0)
            )
    return found


@dataclass
class _Volunteer:
    """A friend person as the count needs them: their place, active periods and matches."""

    municipality_id: int
    active: list[tuple[datetime.date, datetime.date | None]]
    matches: list[tuple[datetime.date, datetime.date | None, int]]


def _overlaps(start: datetime.date, end: datetime.date | None, period: Period) -> bool:
    return start <= period.end and (end is None or end >= period.start)


def _volunteers(
    indicator: Indicator,
    places: set[int],
    period: Period,
    volunteers: dict[int, _Volunteer],
    *,
    begun: bool,
) -> tuple[Decimal | None, int | None]:
    """The rule of `volunteers_counted`, on the friend persons read once."""
    counted = [
        v
        for v in volunteers.values()
        if v.municipality_id in places and any(_overlaps(s, e, period) for s, e in v.active)
    ]
    if not counted and not begun:
        return None, None
    number = Decimal(len(counted))
    if indicator.kind != Kind.COUNT_WITH_PARTICIPANTS:
        return number, None
    households = sum(size for v in counted for s, e, size in v.matches if _overlaps(s, e, period))
    return number, households


def _volunteers_for(
    targets: list[tuple[Indicator, int | None, Period]], covered: dict[int, set[int]]
) -> dict[int, _Volunteer]:
    """The friend persons `targets` may count, by id: two queries."""
    if not targets:
        return {}
    regions = {i.action.programme.region_id for i, _m, _p in targets}
    municipality_ids = set().union(*(covered[i.action.programme_id] for i, _m, _p in targets))
    start = min(period.start for _i, _m, period in targets)
    end = max(period.end for _i, _m, period in targets)
    mine = Q(volunteer__region_id__in=regions, volunteer__municipality_id__in=municipality_ids)
    found: dict[int, _Volunteer] = {}
    for volunteer_id, municipality_id, starts_on, ends_on in ActivePeriod.objects.filter(
        mine, _overlapping_open(start, end)
    ).values_list("volunteer_id", "volunteer__municipality_id", "starts_on", "ends_on"):
        found.setdefault(volunteer_id, _Volunteer(municipality_id, [], [])).active.append(
            (starts_on, ends_on)
        )
    for volunteer_id, starts_on, ends_on, size in Match.objects.filter(
        mine, _overlapping_open(start, end), volunteer_id__in=list(found)
    ).values_list("volunteer_id", "starts_on", "ends_on", "household_size"):
        found[volunteer_id].matches.append((starts_on, ends_on, size))
    return found


def _overlapping_open(start: datetime.date, end: datetime.date) -> Q:
    """Rows whose dates [starts_on, ends_on, an empty end being still going] overlap."""
    return Q(starts_on__lte=end) & (Q(ends_on__gte=start) | Q(ends_on__isnull=True))


def _placements(
    indicator: Indicator,
    places: set[int],
    period: Period,
    placements: list[tuple[int, str, str, int]],
    *,
    begun: bool,
) -> tuple[Decimal | None, int | None]:
    """The rule of `placements_counted`, on the placements read once."""
    codes = _within(period)
    kinds = set(indicator.query_kinds or [])
    counted = [
        people
        for municipality_id, code, kind, people in placements
        if municipality_id in places and code in codes and (not kinds or kind in kinds)
    ]
    if not counted and not begun:
        return None, None
    return Decimal(sum(counted)), None


def _placements_for(
    targets: list[tuple[Indicator, int | None, Period]], covered: dict[int, set[int]]
) -> list[tuple[int, str, str, int]]:
    """The placements `targets` may count, as (municipality, period, kind, people): one
    query."""
    if not targets:
        return []
    regions = {i.action.programme.region_id for i, _m, _p in targets}
    municipality_ids = set().union(*(covered[i.action.programme_id] for i, _m, _p in targets))
    codes = set().union(*(_within(period) for _i, _m, period in targets))
    return list(
        Placement.objects.filter(
            region_id__in=regions, municipality_id__in=municipality_ids, period__in=codes
        ).values_list("municipality_id", "period", "kind", "people")
    )


def _activity_tallies(
    targets: list[tuple[Indicator, int | None, Period]],
) -> dict[_TallyKey, dict[str, _Tally]]:
    """The activities that may count in `targets`, tallied in the database by period, region,
    action, place and kind: one query for the municipalities' values and one for the
    region's, each a UNION ALL of one GROUP BY per period (the rule of `activities_counted`).

    The kinds are tallied apart and summed for each indicator's kinds (`_tally`), so that
    indicators of one action with different kinds share a row.
    """
    action_ids = {indicator.action_id for indicator, _place, _period in targets}
    region_ids = {indicator.action.programme.region_id for indicator, _place, _period in targets}
    by_place: dict[bool, dict[str, Period]] = {True: {}, False: {}}
    municipality_ids: set[int] = set()
    for _indicator, place, period in targets:
        by_place[place is None][period.code] = period
        if place is not None:
            municipality_ids.add(place)
    found: dict[_TallyKey, dict[str, _Tally]] = defaultdict(dict)
    for regional, wanted in by_place.items():
        if not wanted:
            continue
        grouped = ["region_id", "actions", "kind"]
        parts = []
        for code, period in sorted(wanted.items()):
            part = Activity.objects.filter(
                _overlapping(period.start, period.end),
                region_id__in=region_ids,
                actions__in=action_ids,
            )
            if not regional:
                # Filtered and grouped on the same join: a row per activity, action and
                # municipality.
                part = part.filter(municipalities__in=municipality_ids)
            parts.append(
                part.order_by()
                .values(*grouped, *([] if regional else ["municipalities"]))
                .annotate(
                    period=Value(code),
                    tally_activities=Count("pk"),
                    tally_participants=Coalesce(Sum("participants"), 0),
                    tally_with_participants=Count("participants"),
                )
            )
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for row in rows:
            key = (
                row["period"],
                row["region_id"],
                row["actions"],
                None if regional else row["municipalities"],
            )
            found[key][row["kind"]] = _Tally(
                row["tally_activities"],
                row["tally_participants"],
                row["tally_with_participants"],
            )
    return found


def _tally(
    indicator: Indicator,
    place: int | None,
    period: Period,
    tallies: dict[_TallyKey, dict[str, _Tally]],
) -> _Tally:
    """The activities counted in the value of `indicator` for `place` and `period`: those of
    its kinds (none named: every kind)."""
    key = (period.code, indicator.action.programme.region_id, indicator.action_id, place)
    by_kind = tallies.get(key, {})
    kinds = indicator.query_kinds or by_kind
    total = _Tally()
    for kind in kinds:
        total += by_kind.get(kind, _Tally())
    return total


def _series_of(
    indicators: list[Indicator], places: set[int | None], *, codes: set[str]
) -> dict[tuple[int, int | None], dict[str, Measurement]]:
    """The stored values of the indicators for the places, by (indicator, place) and period,
    locked for the change (one query): those of the periods `codes`, and every value marked
    done (the last done date judges the statuses after it)."""
    ids = [p for p in places if p is not None]
    where = Q(municipality_id__in=ids)
    if None in places:
        where |= Q(municipality__isnull=True)
    values = (
        Measurement.objects.filter(
            where, Q(period__in=codes) | Q(done=True), indicator__in=indicators
        )
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    found: dict[tuple[int, int | None], dict[str, Measurement]] = defaultdict(dict)
    by_id = {i.pk: i for i in indicators}
    for value in values:
        value.indicator = by_id[value.indicator_id]
        found[(value.indicator_id, value.municipality_id)][value.period] = value
    return found


# -- overriding a count ------------------------------------------------------------------------


def computed_override_set(
    *,
    actor,
    indicator: Indicator,
    municipality: Municipality | str | None,
    period: str,
    number,
    participants=None,
    justification: str,
) -> Measurement:
    """Give a computed value a coordinator's own number (e.g. records came in late), with the
    justification shown beside it. The count keeps following the records in
    `computed_number`; clearing the override (`computed_override_clear`) returns to it.

    Who may: whoever may record the indicator's values for `municipality` (Http404 for a
    programme the actor may not see, PermissionDenied else). Problems are a ValidationError by
    field; a period within an approved round raises PeriodLocked.
    """
    programme = indicator.action.programme
    municipality = _municipality(programme, municipality)
    _check_access(actor, programme, municipality)
    parsed = _override_target(indicator, programme, municipality, period)
    errors: dict[str, str] = {}
    cleaned_number = cleaned_participants = None
    try:
        # By the indicator's kind: a count whole, a statistic (a median) with decimals.
        cleaned_number = figure_of(indicator, number)
    except ValidationError as error:
        errors["number"] = error.messages[0]
    if indicator.kind == Kind.COUNT_WITH_PARTICIPANTS:
        try:
            cleaned_participants = _whole(participants, required=False, message="")
        except ValidationError as error:
            errors["participants"] = error.messages[0]
    elif participants not in (None, ""):
        errors["participants"] = _("This indicator counts no participants.")
    justification = (justification or "").strip()
    if not justification:
        errors["justification"] = _("Give the reason for overriding the count.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check_unlocked(programme, parsed)
        value = _stored(indicator, municipality, parsed)
        old: dict[str, Any] = (
            {"number": None, "participants": None, "override": ""}
            if value is None
            else {
                "number": value.number,
                "participants": value.participants,
                "override": value.override,
            }
        )
        new = {
            "number": cleaned_number,
            "participants": cleaned_participants,
            "override": justification,
        }
        entered = {
            "entered_by": actor if actor is not None and actor.is_authenticated else None,
            "entered_by_name": actor.get_username() if actor is not None else "",
        }
        if value is None:
            value = Measurement.objects.create(
                indicator=indicator,
                municipality=municipality,
                period=parsed.code,
                source=Measurement.Source.COMPUTED,
                version=1,
                **new,
                **entered,
            )
        elif old != new:
            for name, each in {**new, **entered}.items():
                setattr(value, name, each)
            value.version += 1
            value.save()
        else:
            return value
        # The count beside it and the status, by the same rules as every computed value.
        computed_values_refresh(
            indicators=[indicator],
            municipalities=[municipality] if municipality is not None else [],
            periods=[parsed.code],
        )
        value.refresh_from_db()
        audit_record(
            actor=actor,
            verb="update" if old["override"] or old["number"] is not None else "create",
            target=value,
            programme_id=programme.pk,
            changes={name: (old[name], new[name]) for name in new if old[name] != new[name]},
        )
    return value


def computed_override_clear(
    *, actor, indicator: Indicator, municipality: Municipality | str | None, period: str
) -> Measurement | None:
    """Take a coordinator's override away: the value is the count again. The same checks as
    `computed_override_set`; nothing to do without an override."""
    programme = indicator.action.programme
    municipality = _municipality(programme, municipality)
    _check_access(actor, programme, municipality)
    parsed = _override_target(indicator, programme, municipality, period)
    with transaction.atomic():
        check_unlocked(programme, parsed)
        value = _stored(indicator, municipality, parsed)
        if value is None or not value.override:
            return value
        old = {
            "number": value.number,
            "participants": value.participants,
            "override": value.override,
        }
        value.override = ""
        value.entered_by = actor if actor is not None and actor.is_authenticated else None
        value.entered_by_name = actor.get_username() if actor is not None else ""
        value.version += 1
        value.save()
        computed_values_refresh(
            indicators=[indicator],
            municipalities=[municipality] if municipality is not None else [],
            periods=[parsed.code],
        )
        value.refresh_from_db()
        new = {"number": value.number, "participants": value.participants, "override": ""}
        audit_record(
            actor=actor,
            verb="update",
            target=value,
            programme_id=programme.pk,
            changes={name: (old[name], new[name]) for name in new if old[name] != new[name]},
        )
    return value


def _municipality(programme: Programme, given: Municipality | str | None) -> Municipality | None:
    """A municipality given by its official code: one of the programme's, or a problem."""
    if given is None or isinstance(given, Municipality):
        return given
    found = programme.municipalities.filter(code=str(given).strip()).first()
    if found is None:
        raise ValidationError(
            {
                "municipality": _("“%(code)s” is not one of the programme's municipalities.")
                % {"code": given}
            }
        )
    return found


def _check_access(actor, programme: Programme, municipality: Municipality | None) -> None:
    if actor is None:
        return
    if not followup_policies.can_view_values(actor, programme):
        raise Http404
    if not followup_policies.can_record_value(actor, programme, municipality):
        raise PermissionDenied


def _override_target(
    indicator: Indicator, programme: Programme, municipality: Municipality | None, period: str
) -> Period:
    """The period of an override, after checking the indicator is computed and the place is
    one its values are counted for."""
    if not is_computed(indicator):
        raise ValidationError(
            {"number": _("This indicator is not counted from the registries: record its value.")}
        )
    errors: dict[str, str] = {}
    if indicator.scope == Indicator.Scope.REGION and municipality is not None:
        errors["municipality"] = _(
            "This indicator is followed up for the region as a whole, not per municipality."
        )
    elif indicator.scope != Indicator.Scope.REGION:
        if municipality is None:
            errors["municipality"] = _("Choose the municipality whose count is overridden.")
        elif not programme.municipalities.filter(pk=municipality.pk).exists():
            errors["municipality"] = _(
                "“%(code)s” is not one of the programme's municipalities."
            ) % {"code": municipality.code}
    parsed = None
    try:
        parsed = programme_period(programme, period)
    except ValidationError as error:
        errors["period"] = error.message_dict["period"][0]
    if parsed is not None and parsed.kind != indicator.period:
        errors["period"] = _("This indicator is followed up by %(wanted)s.") % {
            "wanted": str(Indicator.Period(indicator.period).label).lower()
        }
    if errors or parsed is None:
        raise ValidationError(errors)
    return parsed


def _stored(
    indicator: Indicator, municipality: Municipality | None, period: Period
) -> Measurement | None:
    values = Measurement.objects.filter(indicator=indicator, period=period.code)
    values = (
        values.filter(municipality__isnull=True)
        if municipality is None
        else values.filter(municipality=municipality)
    )
    return values.select_for_update().first()


def _whole(value, *, required: bool, message: str) -> int | None:
    """A count as a person or a program writes it: 12, "12", "1 200"; never below zero."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(message)
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Give a whole number."))
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Give a whole number.")) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(_("Give a whole number."))
    if number < 0:
        raise ValidationError(_("The value cannot be below zero."))
    if number > _MAX_NUMBER:
        raise ValidationError(_("The number is too large."))
    return int(number)
