"""Reads of the follow-up's statuses: per indicator, rolled up, as a matrix, and over time.

Every status shown comes from one of two places: the status stored with a value (computed
when it was recorded, hemma.followup.services), or, where nothing was recorded, the same
rules (hemma.followup.status.indicator_status) asked about a missing value, which gives
"no data", or "not due" for a milestone whose first N years are not over. Roll-ups use
hemma.followup.status.rollup: an action from its indicators, a goal, a theme and the whole
programme from their actions (docs/status.md).

Which indicators count for a period: those followed up by that kind of period (a yearly
indicator in a year, a quarterly one in a quarter). A year's dashboard does not judge a
quarterly indicator from one of its quarters.

Which indicators count for a place (`followed_up_at`): a municipality counts those followed
up in each municipality, never one followed up for the region as a whole (a joint action's);
the region as a whole counts the region's own, and a municipality's kind only where the region
has a value of it (a regional total). Where nothing under a roll-up is followed up, it is not
"no data" but "not followed up here".

Every function reads in a fixed number of queries, whatever the number of municipalities,
years and indicators.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemma.followup import policies, publishing
from hemma.followup.models import Assessment, Assignment, Measurement, Round, Status
from hemma.followup.rounds import is_asked
from hemma.followup.selectors import REGION
from hemma.followup.status import RollUp, indicator_status, rollup
from hemma.lib import periods, suppression
from hemma.lib.periods import Period
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Indicator, Programme, Theme
from hemma.programmes.selectors import programme_get

Kind = Indicator.Kind

# A status is never shown by colour alone: each has a symbol beside its word.
SYMBOLS = {
    Status.MET: "✓",
    Status.EXCEEDED: "▲",
    Status.PARTLY_MET: "◐",
    Status.NOT_MET: "✗",
    Status.NO_DATA: "–",
    Status.NOT_DUE: "○",
}

# The roll-up rule in words, shown wherever a roll-up is (docs/status.md, "Roll-up").
ROLLUP_RULE = gettext_lazy(
    "An action is met when all of its judged indicators are met or exceeded, not met when "
    "none is met or partly met, and partly met in between. A goal, a theme and the whole "
    "programme are judged the same way from their actions. No data and not due are left "
    "out; “2 of 3 met” counts what was judged."
)

# What the region's column of a status matrix is, said under the matrix: it reads like a
# total of the municipalities, but it judges only the joint actions (`followed_up_at`).
REGION_COLUMN_NOTE = gettext_lazy(
    "The column “Region as a whole” judges only what the municipalities follow up jointly "
    "(such as the joint meetings); it is not a total of the municipalities."
)


@dataclass(frozen=True)
class Place:
    """A column of the follow-up: a municipality, or the region as a whole (`code` "region")."""

    code: str
    label: str
    municipality: Municipality | None = None

    @property
    def is_region(self) -> bool:
        return self.municipality is None


@dataclass
class Cell:
    """One indicator's status for one place and period, with the value it comes from."""

    indicator: Indicator
    place: Place
    status: str
    measurement: Measurement | None = None
    # False: the indicator is not followed up for this place (nothing to judge or miss here).
    followed_up: bool = True
    # Its place among the municipalities compared (equal figures share a place), if ranked.
    rank: int | None = None
    # What of the value is suppressed where it is published (hemma/followup/publishing.py).
    hidden: publishing.Hidden = publishing.SHOWN

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[Status(self.status)]

    @property
    def value(self) -> str:
        """The value in full, for the coordinators' own pages."""
        return value_display(self.indicator, self.measurement)

    @property
    def published(self) -> str:
        """The value as it may leave the coordinators' pages: small counts of people hidden."""
        return value_display(self.indicator, self.measurement, hidden=self.hidden)

    @property
    def published_comment(self) -> str:
        """The comment as it may be published: none where a figure is hidden, as a comment
        may state it."""
        if self.measurement is None or self.hidden != publishing.SHOWN:
            return ""
        return self.measurement.comment

    @property
    def published_number(self) -> float | None:
        """The figure a published chart or file may give (None: none, or hidden)."""
        if self.hidden.number:
            return None
        return chart_number(self.indicator, self.measurement)


@dataclass(frozen=True)
class Rolled:
    """A roll-up as shown: status, word, symbol and "met of judged"."""

    status: str
    met: int
    judged: int
    # False: nothing under it is followed up for this place (shown as "—", not "no data").
    followed_up: bool = True

    @classmethod
    def of(cls, result: RollUp) -> "Rolled":
        return cls(
            status=str(result.status),
            met=result.met,
            judged=result.judged,
            followed_up=not isinstance(result, NotFollowedUp),
        )

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[Status(self.status)]


@dataclass(frozen=True)
class NotFollowedUp(RollUp):
    """The roll-up of an action (goal, theme) none of whose indicators is followed up for a
    place: a joint action's in a municipality's column. Nothing to judge, and nothing missing."""


NOT_FOLLOWED_UP = NotFollowedUp(Status.NO_DATA, 0, 0)


def status_label(status: str) -> str:
    return str(Status(status).label)


# -- what is shown of a value ----------------------------------------------------------------


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value != value.to_integral() else str(int(value))


def value_display(
    indicator: Indicator,
    measurement: Measurement | None,
    *,
    hidden: publishing.Hidden = publishing.SHOWN,
) -> str:
    """A recorded value in words, as its kind records it ("" when nothing was recorded), with
    what is `hidden` shown as "< 5"."""
    if measurement is None:
        return ""
    kind = indicator.kind
    parts = []
    if measurement.number is not None:
        parts.append(
            suppression.SUPPRESSED % {"threshold": suppression.threshold()}
            if hidden.number
            else _number(measurement.number)
        )
    if kind == Kind.COUNT_WITH_PARTICIPANTS and measurement.participants is not None:
        participants = (
            suppression.SUPPRESSED % {"threshold": suppression.threshold()}
            if hidden.participants
            else measurement.participants
        )
        parts.append(_("%(n)s participants") % {"n": participants})
    if kind == Kind.DELIVERABLE_LANGUAGES:
        parts.append(", ".join(measurement.languages or ()) or _("no language"))
    if measurement.done is not None:
        done = _("done") if measurement.done else _("not done")
        if measurement.done_on:
            done = _("%(done)s on %(date)s") % {
                "done": done,
                "date": measurement.done_on.isoformat(),
            }
        parts.append(done)
    return "; ".join(parts)


def chart_number(indicator: Indicator, measurement: Measurement | None) -> float | None:
    """The figure a line chart draws for a value (None: nothing to draw)."""
    if measurement is None:
        return None
    if indicator.kind == Kind.DELIVERABLE_LANGUAGES:
        return float(len(measurement.languages or ()))
    return None if measurement.number is None else float(measurement.number)


def is_figure_kind(indicator: Indicator) -> bool:
    """Whether the indicator's history is a line of figures (else: done / not done marks)."""
    return indicator.kind not in (Kind.MILESTONE, Kind.ONGOING)


# -- places and periods ----------------------------------------------------------------------


def places_of(programme: Programme) -> list[Place]:
    """The programme's municipalities by code, then the region as a whole (one query)."""
    # .all(), sorted here: the programme's table has them prefetched already.
    places = [
        Place(code=m.code, label=pick(m.name, fallback=programme.language), municipality=m)
        for m in sorted(programme.municipalities.all(), key=lambda m: m.code)
    ]
    places.append(Place(code=REGION, label=str(_("Region as a whole"))))
    return places


def place_get(places: Sequence[Place], code: str | None) -> Place | None:
    return next((p for p in places if p.code == code), None)


def period_choices(*, user, programme: Programme) -> list[periods.Period]:
    """The periods to choose from, oldest first: the programme's years, and every period
    that has values or a reporting round (two queries); for the public, the approved ones."""
    if user is publishing.PUBLIC:
        return publishing.approved_periods(programme)
    codes = {str(y) for y in range(programme.period_start, programme.period_end + 1)}
    return sorted(periods.valid(codes | set(_recorded_and_round_periods(user, programme))))


def _recorded_and_round_periods(user, programme: Programme) -> list[str]:
    """The periods with values of the programme, and those of its rounds (one query)."""
    recorded = (
        policies.measurements_visible(user)
        .filter(indicator__action__programme=programme)
        .order_by()
        .values_list("period", flat=True)
    )
    rounds = Round.objects.filter(programme=programme).order_by().values_list("period", flat=True)
    return list(recorded.union(rounds))


def latest_period(*, user, programme: Programme) -> periods.Period:
    """The latest period with values, or of a reporting round if that is later; with
    neither, the programme's current year (its first or last year outside its span). For the
    public, the latest approved period (404 if none is)."""
    if user is publishing.PUBLIC:
        approved = publishing.approved_periods(programme)
        if not approved:
            raise Http404
        return max(approved, key=lambda p: (p.end, p.start))
    with_values = periods.valid(
        policies.measurements_visible(user)
        .filter(indicator__action__programme=programme)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    rounds = periods.valid(
        Round.objects.filter(programme=programme).values_list("period", flat=True)
    )
    candidates = with_values + rounds
    if candidates:
        return max(candidates, key=lambda p: (p.end, p.start))
    year = min(max(timezone.localdate().year, programme.period_start), programme.period_end)
    return periods.year(year)


def parse_period(code: str) -> periods.Period:
    """The period a URL names; a code that names none is a 404."""
    try:
        return periods.parse(code)
    except periods.InvalidPeriod:
        raise Http404 from None


# -- statuses of indicators ------------------------------------------------------------------


def _last_done(values: Iterable[Measurement], period: periods.Period) -> datetime.date | None:
    """The latest date a milestone was done on or before the end of `period`.

    As the recording service counts it: done without a date is done on its period's last day.
    """
    dates = []
    for value in values:
        if not value.done:
            continue
        try:
            other = periods.parse(value.period)
        except periods.InvalidPeriod:
            continue
        if other.end <= period.end:
            dates.append(value.done_on or other.end)
    return max(dates, default=None)


def missing_status(
    indicator: Indicator,
    programme: Programme,
    period: periods.Period,
    done_values: Iterable[Measurement],
) -> str:
    """The status of a value that was not recorded: no data, or a milestone's not due / not met."""
    return str(
        indicator_status(
            indicator,
            period=period,
            current=None,
            last_done=_last_done(done_values, period) if indicator.kind == Kind.MILESTONE else None,
            first_year=programme.period_start,
        )
    )


def _place_key(municipality_id: int | None, codes: dict[int, str]) -> str:
    return REGION if municipality_id is None else codes.get(municipality_id, "")


def followed_up_at(indicator: Indicator, place: Place, *, has_values: bool) -> bool:
    """Whether `indicator` counts for `place` (is judged there, and missing when empty).

    A municipality counts the indicators followed up in each municipality. The region as a
    whole counts its own (a joint action's), and another only where it `has_values` of it: a
    value in the period, or for a milestone one done before (a regional total, recorded on
    purpose; an empty one is no one's duty, so it is not missing).
    """
    if indicator.scope == Indicator.Scope.REGION:
        return place.is_region
    return not place.is_region or has_values


def indicator_cells(
    *,
    user,
    programme: Programme,
    period: periods.Period,
    indicators: Sequence[Indicator],
    places: Sequence[Place],
) -> dict[tuple[int, str], Cell]:
    """Each indicator's cell for each place in `period`, by (indicator id, place code).

    Two queries: the period's values, and the milestones' done values up to the period's end
    (for "not due" and "overdue" where nothing was recorded).
    """
    codes = {p.municipality.pk: p.code for p in places if p.municipality is not None}
    visible = policies.measurements_visible(user).filter(indicator__in=[i.pk for i in indicators])
    recorded: dict[tuple[int, str], Measurement] = {}
    # Every place's values, so that what is hidden where published does not depend on the
    # places asked for.
    in_period = list(visible.filter(period=period.code).order_by())
    hidden = publishing.hidden_values(in_period, {i.pk: i for i in indicators})
    for value in in_period:
        if value.municipality_id is None or value.municipality_id in codes:
            recorded[(value.indicator_id, _place_key(value.municipality_id, codes))] = value
    done: dict[tuple[int, str], list[Measurement]] = defaultdict(list)
    milestones = [i.pk for i in indicators if i.kind == Kind.MILESTONE]
    if milestones:
        # Every year's: only what the last done date needs is read.
        done_values = visible.filter(indicator__in=milestones, done=True).only(
            "indicator_id", "municipality_id", "period", "done", "done_on"
        )
        for value in done_values.order_by():
            done[(value.indicator_id, _place_key(value.municipality_id, codes))].append(value)
    cells = {}
    for indicator in indicators:
        for place in places:
            key = (indicator.pk, place.code)
            found = recorded.get(key)
            if not followed_up_at(indicator, place, has_values=found is not None or key in done):
                cells[key] = Cell(indicator, place, Status.NO_DATA.value, followed_up=False)
                continue
            if found is not None:
                status = found.status
            else:
                status = missing_status(indicator, programme, period, done.get(key, ()))
            cells[key] = Cell(
                indicator=indicator,
                place=place,
                status=status,
                measurement=found,
                hidden=hidden.get(found.pk, publishing.SHOWN) if found else publishing.SHOWN,
            )
    return cells


def action_rollups(
    actions: Iterable[Action],
    indicators_of: dict[int, list[Indicator]],
    cells: dict[tuple[int, str], Cell],
    places: Sequence[Place],
) -> dict[tuple[int, str], RollUp]:
    """Each action's roll-up of its indicators followed up for each place, by (action id,
    place code); NOT_FOLLOWED_UP where it has indicators but none is followed up there."""
    found: dict[tuple[int, str], RollUp] = {}
    for action in actions:
        own = indicators_of.get(action.pk, ())
        for place in places:
            here = [c for i in own if (c := cells[(i.pk, place.code)]).followed_up]
            found[(action.pk, place.code)] = (
                rollup(c.status for c in here) if here or not own else NOT_FOLLOWED_UP
            )
    return found


def _indicators_for(programme: Programme, period: periods.Period) -> list[Indicator]:
    """The programme's indicators followed up by this kind of period, in the table's order."""
    return list(
        Indicator.objects.filter(action__programme=programme, period=period.kind)
        .select_related("action")
        .order_by(
            "action__goal__theme__position",
            "action__goal__theme_id",
            "action__goal__position",
            "action__goal_id",
            "action__position",
            "action_id",
            "position",
            "id",
        )
    )


# -- the programme table's status column -----------------------------------------------------


@dataclass
class ActionStatus:
    """An action's computed status, and beside it (never instead) the manual assessment."""

    rolled: Rolled
    assessment: Assessment | None = None

    @property
    def assessed(self) -> Rolled | None:
        if self.assessment is None:
            return None
        return Rolled(status=self.assessment.status, met=0, judged=0)


def action_statuses(
    *, user, programme: Programme, actions: Sequence[Action], period: periods.Period, place: Place
) -> dict[int, ActionStatus]:
    """Each action's rolled-up status for one period and place, with its manual assessment.

    `actions` come with their indicators prefetched (hemma.programmes.selectors.programme_page);
    those followed up by another kind of period are left out. Three queries.
    """
    indicators_of = {
        a.pk: [i for i in a.indicators.all() if i.period == period.kind] for a in actions
    }
    indicators = [i for found in indicators_of.values() for i in found]
    cells = indicator_cells(
        user=user, programme=programme, period=period, indicators=indicators, places=[place]
    )
    rolled = action_rollups(actions, indicators_of, cells, [place])
    assessments = Assessment.objects.filter(action__programme=programme, period=period.code)
    assessments = (
        assessments.filter(municipality__isnull=True)
        if place.is_region
        else assessments.filter(municipality=place.municipality)
    )
    by_action = {a.action_id: a for a in assessments}
    return {
        a.pk: ActionStatus(
            rolled=Rolled.of(rolled[(a.pk, place.code)]), assessment=by_action.get(a.pk)
        )
        for a in actions
    }


# -- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """A roll-up for one place, and how many of its actions carry a manual assessment there."""

    place: Place
    rolled: Rolled
    assessments: int = 0


@dataclass
class MatrixRow:
    """A theme's or goal's row of the matrix (or the whole programme's): a roll-up per place."""

    level: str  # "theme", "goal" or "total"
    title: dict
    key: str
    cells: list[MatrixCell]
    goals: list["MatrixRow"] = field(default_factory=list)


@dataclass
class ManualAssessment:
    """A manual assessment of an action for a place, beside (never instead of) its computed
    status."""

    assessment: Assessment
    action: Action
    place: Place
    computed: Rolled

    @property
    def assessed(self) -> Rolled:
        return Rolled(status=self.assessment.status, met=0, judged=0)


@dataclass
class Change:
    indicator: Indicator
    place: Place
    before: Cell
    now: Cell

    @property
    def first_value(self) -> bool:
        return self.before.measurement is None and self.now.measurement is not None


@dataclass
class AssignmentProgress:
    assignment: Assignment
    place: Place
    actions: list[Action]
    indicators: int
    missing: int

    @property
    def ready(self) -> bool:
        return self.assignment.ready_at is not None


@dataclass
class PlaceMissing:
    place: Place
    cells: list[Cell]


@dataclass
class Dashboard:
    programme: Programme
    period: Period
    previous: Period | None
    periods: list[Period]
    places: list[Place]
    rows: list[MatrixRow]
    total: MatrixRow
    indicator_count: int
    changes: list[Change]
    round: Round | None
    days_left: int | None
    assignments: list[AssignmentProgress]
    missing: list[PlaceMissing]
    assessments: list[ManualAssessment]
    demo: bool

    @property
    def days_past(self) -> int:
        return -(self.days_left or 0)


def _rolled_cells(action_ids: list[int], rolled, places: Sequence[Place]):
    """(place, roll-up of the actions) for each place; "not followed up" where none of the
    actions is followed up there."""
    cells = []
    for place in places:
        results = [rolled[(a, place.code)] for a in action_ids]
        here = [r for r in results if not isinstance(r, NotFollowedUp)]
        result = rollup(r.status for r in here) if here or not results else NOT_FOLLOWED_UP
        cells.append((place, Rolled.of(result)))
    return cells


def dashboard(*, user, slug: str, period_code: str) -> Dashboard:
    """The dashboard of a programme for a period (404 if the user may not see the programme).

    A fixed number of queries (about a dozen) whatever the number of municipalities, years,
    themes and indicators.
    """
    programme = programme_get(user=user, slug=slug)
    period = parse_period(period_code)
    if user is publishing.PUBLIC and not publishing.is_approved(
        period, publishing.approved_periods(programme)
    ):
        raise Http404
    places = places_of(programme)
    themes = list(
        Theme.objects.filter(programme=programme).prefetch_related("goals__actions")
    )  # three queries: themes, goals, actions
    indicators = _indicators_for(programme, period)
    indicators_of: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        indicators_of[indicator.action_id].append(indicator)
    cells = indicator_cells(
        user=user, programme=programme, period=period, indicators=indicators, places=places
    )
    actions = [a for t in themes for g in t.goals.all() for a in g.actions.all()]
    rolled = action_rollups(actions, indicators_of, cells, places)

    assessments = _manual_assessments(programme, period, actions, places, rolled)
    assessed = {(a.action.pk, a.place.code) for a in assessments}

    def matrix_cells(ids: list[int]) -> list[MatrixCell]:
        return [
            MatrixCell(place, result, sum((i, place.code) in assessed for i in ids))
            for place, result in _rolled_cells(ids, rolled, places)
        ]

    rows = []
    for theme in themes:
        goal_rows = []
        for goal in theme.goals.all():
            ids = [a.pk for a in goal.actions.all()]
            goal_rows.append(MatrixRow("goal", goal.title, goal.key, matrix_cells(ids)))
        ids = [a.pk for g in theme.goals.all() for a in g.actions.all()]
        rows.append(MatrixRow("theme", theme.title, theme.key, matrix_cells(ids), goal_rows))
    total = MatrixRow("total", {}, "", matrix_cells([a.pk for a in actions]))

    previous = _previous(period)
    changes: list[Change] = []
    if previous is not None:
        before = indicator_cells(
            user=user, programme=programme, period=previous, indicators=indicators, places=places
        )
        for indicator in indicators:
            for place in places:
                old, new = before[(indicator.pk, place.code)], cells[(indicator.pk, place.code)]
                if new.measurement is None and new.status == Status.NO_DATA:
                    # Not reported yet: that is what is missing (below), not a change.
                    continue
                if old.status != new.status or (
                    new.measurement is not None and old.measurement is None
                ):
                    changes.append(Change(indicator, place, old, new))

    round_, days_left, progress = _round_progress(programme, period, places, indicators_of, cells)
    missing = [
        PlaceMissing(
            place,
            [
                cell
                for i in indicators
                if (cell := cells[(i.pk, place.code)]).followed_up and not cell.measurement
            ],
        )
        for place in places
    ]
    demo = any(
        c.measurement is not None and c.measurement.source == Measurement.Source.DEMO
        for c in cells.values()
    )
    return Dashboard(
        programme=programme,
        period=period,
        previous=previous,
        periods=period_choices(user=user, programme=programme),
        places=places,
        rows=rows,
        total=total,
        indicator_count=len(indicators),
        changes=changes,
        round=round_,
        days_left=days_left,
        assignments=progress,
        missing=missing,
        assessments=assessments,
        demo=demo,
    )


def _manual_assessments(
    programme: Programme,
    period: periods.Period,
    actions: Sequence[Action],
    places: Sequence[Place],
    rolled: dict[tuple[int, str], RollUp],
) -> list[ManualAssessment]:
    """The period's manual assessments in the table's order of actions, then of places, each
    with the computed status of its action and place (one query). An assessment for a
    municipality the programme no longer covers is not listed, as its column is not shown."""
    found: dict[tuple[int, str], Assessment] = {}
    for assessment in (
        Assessment.objects.filter(action__programme=programme, period=period.code)
        .select_related("municipality", "assessed_by")
        .order_by()
    ):
        code = assessment.municipality.code if assessment.municipality else REGION
        found[(assessment.action_id, code)] = assessment
    listed = []
    for action in actions:
        for place in places:
            made = found.get((action.pk, place.code))
            if made is None:
                continue
            computed = rolled[(action.pk, place.code)]
            listed.append(ManualAssessment(made, action, place, Rolled.of(computed)))
    return listed


def _previous(period: periods.Period) -> periods.Period | None:
    try:
        return periods.previous(period)
    except periods.InvalidPeriod:
        return None


def _round_progress(programme, period, places, indicators_of, cells):
    """The period's round, the days left to its deadline, and each reporter's progress."""
    round_ = Round.objects.filter(programme=programme, period=period.code).first()
    if round_ is None:
        return None, None, []
    days_left = (round_.deadline - timezone.localdate()).days
    assignments = list(
        round_.assignments.select_related("municipality", "organisation").prefetch_related(
            "actions"
        )
    )
    # Each reporter counts what they are asked for: their actions' indicators followed up
    # for their place (a joint action's only for the region's reporter).
    progress = []
    by_code = {p.code: p for p in places}
    for assignment in assignments:
        code = assignment.municipality.code if assignment.municipality else REGION
        place = by_code.get(code) or Place(
            code=code, label=pick(assignment.municipality.name) if assignment.municipality else ""
        )
        actions = list(assignment.actions.all())
        own = [
            i
            for a in actions
            for i in indicators_of.get(a.pk, ())
            if is_asked(i, assignment.municipality_id)
        ]
        missing = sum(
            1 for i in own if (cell := cells.get((i.pk, code))) is None or cell.measurement is None
        )
        progress.append(
            AssignmentProgress(
                assignment=assignment,
                place=place,
                actions=actions,
                indicators=len(own),
                missing=missing,
            )
        )
    return round_, days_left, progress


# -- one indicator over time -----------------------------------------------------------------


@dataclass
class HistoryRow:
    place: Place
    cells: list[Cell | None]  # one per period; None: the period is not of the indicator's kind


@dataclass
class IndicatorHistory:
    programme: Programme
    indicator: Indicator
    places: list[Place]
    periods: list[Period]
    rows: list[HistoryRow]
    latest: Period | None
    period: Period | None  # the period compared: the one asked for, else the latest
    comparison: list[Cell]  # the municipalities only, highest first
    region: Cell | None  # the region as a whole in that period, shown apart
    demo: bool


def indicator_history(
    *, user, slug: str, action_key: str, indicator_key: str, period_code: str | None = None
) -> IndicatorHistory:
    """An indicator's values and statuses over the years, for every place (four queries).

    The municipalities are compared in `period_code` when it is one of the indicator's
    periods, else in the latest period with values.
    """
    programme = programme_get(user=user, slug=slug)
    indicator = (
        Indicator.objects.filter(
            action__programme=programme, action__key=action_key, key=indicator_key
        )
        .select_related("action")
        .first()
    )
    if indicator is None:
        raise Http404
    indicator.action.programme = programme
    places = places_of(programme)
    codes = {p.municipality.pk: p.code for p in places if p.municipality is not None}
    values: dict[tuple[str, str], Measurement] = {}
    done: dict[str, list[Measurement]] = defaultdict(list)
    every = list(policies.measurements_visible(user).filter(indicator=indicator).order_by())
    hidden = publishing.hidden_values(every, {indicator.pk: indicator})
    for value in every:
        if value.municipality_id is not None and value.municipality_id not in codes:
            continue  # a municipality the programme no longer covers
        code = _place_key(value.municipality_id, codes)
        values[(code, value.period)] = value
        if value.done:
            done[code].append(value)
    own_kind = {
        p.code for p in periods.valid(code for _c, code in values) if p.kind == indicator.period
    }
    if indicator.period == Indicator.Period.YEAR:
        own_kind |= {str(y) for y in range(programme.period_start, programme.period_end + 1)}
    shown = sorted(periods.valid(own_kind))
    if user is publishing.PUBLIC:
        approved = publishing.approved_periods(programme)
        shown = [p for p in shown if publishing.is_approved(p, approved)]
    rows = []
    # Only the places where the indicator is followed up: the region alone for a joint one,
    # the region beside the municipalities only where it has a value of its own.
    followed = [
        place
        for place in places
        if followed_up_at(
            indicator, place, has_values=any(code == place.code for code, _p in values)
        )
    ]
    for place in followed:
        cells: list[Cell | None] = []
        for period in shown:
            found = values.get((place.code, period.code))
            status = (
                found.status
                if found is not None
                else missing_status(indicator, programme, period, done.get(place.code, ()))
            )
            cells.append(
                Cell(
                    indicator=indicator,
                    place=place,
                    status=status,
                    measurement=found,
                    hidden=hidden.get(found.pk, publishing.SHOWN) if found else publishing.SHOWN,
                )
            )
        rows.append(HistoryRow(place=place, cells=cells))
    with_values = [p for p in shown if any((pl.code, p.code) in values for pl in followed)]
    latest = with_values[-1] if with_values else None
    chosen = _chosen_period(period_code, shown) or latest
    comparison: list[Cell] = []
    region: Cell | None = None
    if chosen is not None:
        index = shown.index(chosen)
        for row in rows:
            cell = row.cells[index]
            if cell is None:
                continue
            if row.place.is_region:
                region = cell
            else:
                comparison.append(cell)
        comparison.sort(key=_comparison_order)
        _rank(comparison)
    return IndicatorHistory(
        programme=programme,
        indicator=indicator,
        places=followed,
        periods=shown,
        rows=rows,
        latest=latest,
        period=chosen,
        comparison=comparison,
        region=region,
        demo=any(v.source == Measurement.Source.DEMO for v in values.values()),
    )


def _chosen_period(code: str | None, shown: Sequence[Period]) -> Period | None:
    """The period a link asks for (`?period=`), if it is one of the indicator's periods."""
    try:
        asked = periods.parse(code or "")
    except periods.InvalidPeriod:
        return None
    return asked if asked in shown else None


_STATUS_ORDER = [
    Status.EXCEEDED,
    Status.MET,
    Status.PARTLY_MET,
    Status.NOT_MET,
    Status.NOT_DUE,
    Status.NO_DATA,
]


def _rank(cells: list[Cell]) -> None:
    """Give each cell with a figure its place, highest first: equal figures share a place
    and the next comes after them all (1, 1, 3)."""
    previous = None
    for index, cell in enumerate(cells, start=1):
        number = chart_number(cell.indicator, cell.measurement)
        if number is None:
            continue
        if previous is None or number != previous[0]:
            previous = (number, index)
        cell.rank = previous[1]


def _comparison_order(cell: Cell):
    """Highest figure first; then by status; places without a value last."""
    number = chart_number(cell.indicator, cell.measurement)
    return (
        number is None,
        -(number or 0.0),
        _STATUS_ORDER.index(Status(cell.status)),
        cell.place.code,
    )
