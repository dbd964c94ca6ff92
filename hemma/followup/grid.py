"""Reads for the grid of values: a programme's actions for one municipality and one period.

Every read takes the user and is scoped by the policies: a programme the user may not see,
an unknown municipality or a period outside the programme is a 404. The grid page is read in
a fixed number of queries whatever the number of actions, indicators and values.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.accounts.roles import roles_of
from hemma.audit import labels
from hemma.audit.labels import ChangeLine
from hemma.audit.models import AuditEvent
from hemma.followup import policies
from hemma.followup.locks import locked_periods, locking_period
from hemma.followup.models import Assessment, Measurement, Round, Status
from hemma.followup.selectors import REGION
from hemma.followup.status import RollUp, indicator_status, rollup
from hemma.information.models import Site
from hemma.lib import periods
from hemma.lib.languages import local_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Goal, Indicator, Programme, Theme
from hemma.programmes.selectors import programme_get
from hemma.registries.computing import INFORMATION_QUERIES, is_computed

# The symbols beside each status's word (never colour alone).
STATUS_SYMBOLS = {
    Status.MET: "✓",
    Status.EXCEEDED: "▲",
    Status.PARTLY_MET: "◐",
    Status.NOT_MET: "✗",
    Status.NO_DATA: "–",
    Status.NOT_DUE: "○",
}


@dataclass(frozen=True)
class Place:
    """The municipality the grid is for, or the region as a whole (`municipality` None)."""

    code: str
    municipality: Municipality | None
    name: str


@dataclass
class Cell:
    """One indicator's value in the grid, with what its row shows and its form."""

    indicator: Indicator
    value: Measurement | None
    status: str
    # False when there is no value to enter in this grid: the indicator is followed up by
    # another kind of period than the grid's, or (`elsewhere`) for another place.
    due: bool = True
    # True in a municipality's grid for an indicator followed up for the region as a whole:
    # its row is read-only, points to the region's grid and is not in the action's roll-up.
    elsewhere: bool = False
    # True in the region's grid for an indicator counted in each municipality: the counts
    # are the municipalities' (a computed indicator has no regional total to override).
    counted_in_municipalities: bool = False
    form: object = None  # a hemma.followup.forms.ValueForm, set by the view
    version: int = 0  # the version the form carries
    message: str = ""  # after a save: what happened
    error: bool = False
    stale: Measurement | None = None  # the value now stored, after a refused stale save
    focus: str = ""  # the field to give the focus to after a swap
    # Counted from the registries (hemma.registries.computing): the count is read-only, a
    # coordinator may override it with a justification; `counted_url` is the list of the
    # records counted (activities, statistics, friend persons or placements), filtered to
    # exactly those.
    computed: bool = False
    counted_url: str = ""

    @property
    def anchor(self) -> str:
        return f"value-{self.indicator.action.key}-{self.indicator.key}"

    @property
    def overridden(self) -> bool:
        return self.value is not None and bool(self.value.override)

    @property
    def counted(self) -> int | None:
        """How many activities the value counts (None: not counted yet)."""
        if self.value is None or self.value.computed_number is None:
            return None
        return int(self.value.computed_number)

    @property
    def counted_shown(self) -> str:
        """The count as a person reads it: "12" or "12 (40 participants)"."""
        if self.counted is None:
            return "–"
        participants = self.value.computed_participants if self.value is not None else None
        if self.indicator.query == Indicator.Query.SURVEY and self.value is not None:
            # A share of those who answered the question (hemma/surveys/counting.py), or a
            # number of answers; the respondents behind a share are its participants.
            number = self.value.computed_number
            assert number is not None  # counted is not None
            if self.indicator.kind != Indicator.Kind.SURVEY:
                return str(self.counted)
            return _("%(share)s %% of %(respondents)s who answered") % {
                "share": f"{number.normalize():f}",
                "respondents": participants or 0,
            }
        if participants is None:
            return str(self.counted)
        return _("%(count)s (%(participants)s participants)") % {
            "count": self.counted,
            "participants": participants,
        }

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[Status(self.status)]

    @property
    def shown(self) -> str:
        return value_shown(self.value)

    @property
    def stale_shown(self) -> str:
        return value_shown(self.stale)


@dataclass
class Row:
    """One action: its indicators' cells, its rolled-up status and its manual assessment."""

    action: Action
    cells: list[Cell]
    rollup: RollUp
    assessment: Assessment | None

    @property
    def anchor(self) -> str:
        return f"action-{self.action.key}"

    @property
    def status_label(self) -> str:
        return str(self.rollup.status.label)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.rollup.status]

    @property
    def assessment_symbol(self) -> str:
        return STATUS_SYMBOLS[Status(self.assessment.status)] if self.assessment else ""


@dataclass
class Grid:
    programme: Programme
    period: periods.Period
    place: Place
    places: list[Place]
    period_choices: list[periods.Period]
    can_record: bool
    locked: periods.Period | None
    themes: list[tuple[Theme, list[tuple[Goal, list[Row]]]]] = field(default_factory=list)
    demo: bool = False

    @property
    def editable(self) -> bool:
        return self.can_record and self.locked is None


# -- where the grid is -----------------------------------------------------------------------


def grid_programme(*, user, slug: str) -> Programme:
    """The programme if the user may see its values (else 404), with its municipalities."""
    programme = programme_get(user=user, slug=slug)
    programme.grid_municipalities = list(programme.municipalities.order_by("code"))  # type: ignore[attr-defined]
    return programme


def grid_places(programme: Programme) -> list[Place]:
    """The municipalities of the programme, then the region as a whole."""
    language = programme.language
    places = [
        Place(code=m.code, municipality=m, name=pick(m.name, fallback=language) or m.code)
        for m in programme.grid_municipalities  # type: ignore[attr-defined]
    ]
    places.append(Place(code=REGION, municipality=None, name=_("The region as a whole")))
    return places


def grid_place(programme: Programme, code: str) -> Place:
    for place in grid_places(programme):
        if place.code == code:
            return place
    raise Http404


def grid_period(programme: Programme, code: str) -> periods.Period:
    """The period a code names, if it lies within the programme's years (else 404)."""
    try:
        period = periods.parse(code)
    except periods.InvalidPeriod:
        raise Http404 from None
    if period.start.year < programme.period_start or period.end.year > programme.period_end:
        raise Http404
    return period


def grid_period_choices(
    programme: Programme, indicators: list[Indicator], current: periods.Period | None = None
) -> list[periods.Period]:
    """The periods to pick from: the programme's years, and the half-years, quarters or whole
    period when some indicator is followed up by those."""
    kinds = {indicator.period for indicator in indicators}
    years = range(programme.period_start, programme.period_end + 1)
    choices = [periods.year(y) for y in years]
    if Indicator.Period.HALF_YEAR in kinds:
        choices += [periods.parse(f"{y}H{h}") for y in years for h in (1, 2)]
    if Indicator.Period.QUARTER in kinds:
        choices += [periods.parse(f"{y}Q{q}") for y in years for q in (1, 2, 3, 4)]
    if Indicator.Period.MULTI_YEAR in kinds and programme.period_end > programme.period_start:
        choices.append(periods.parse(f"{programme.period_start}-{programme.period_end}"))
    if current is not None and current not in choices:
        choices.append(current)
    return sorted(choices, key=lambda p: (p.start, p.end))


def grid_default(*, user, programme: Programme, today: datetime.date | None = None) -> tuple:
    """The (period code, place code) the grid opens at.

    The period: the latest open round's, else the last of the programme's years that has
    ended, else this year kept within the programme's years. The place: a municipal
    coordinator's own municipality, else the programme's first, else the region.
    """
    today = today or timezone.localdate()
    open_rounds = [
        periods.parse(code)
        for code in Round.objects.filter(programme=programme, state=Round.State.OPEN).values_list(
            "period", flat=True
        )
    ]
    if open_rounds:
        period = max(open_rounds, key=lambda p: (p.end, p.start)).code
    else:
        ended = min(today.year - 1, programme.period_end)
        year = (
            ended
            if ended >= programme.period_start
            else min(max(today.year, programme.period_start), programme.period_end)
        )
        period = str(year)
    municipalities = programme.grid_municipalities  # type: ignore[attr-defined]
    own = roles_of(user).coordinated_municipalities
    mine = [m for m in municipalities if m.pk in own]
    if mine:
        place = mine[0].code
    elif municipalities:
        place = municipalities[0].code
    else:
        place = REGION
    return period, place


# -- the grid --------------------------------------------------------------------------------


def _indicators() -> Prefetch:
    return Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))


def grid_page(*, user, programme: Programme, period: periods.Period, place: Place) -> Grid:
    """The whole grid: every action of the programme by theme and goal, with its values."""
    themes = list(
        Theme.objects.filter(programme=programme)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "id").prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.order_by("position", "id").prefetch_related(
                            _indicators()
                        ),
                    )
                ),
            )
        )
    )
    actions = [a for t in themes for g in t.goals.all() for a in g.actions.all()]
    for action in actions:
        action.programme = programme
    rows = {row.action.pk: row for row in _rows(programme, actions, period, place)}
    locked = locking_period(period, locked_periods(programme))
    indicators = [i for a in actions for i in a.indicators.all()]
    grid = Grid(
        programme=programme,
        period=period,
        place=place,
        places=grid_places(programme),
        period_choices=grid_period_choices(programme, indicators, period),
        can_record=_can_record(user, programme, place),
        locked=locked,
        themes=[
            (
                theme,
                [(goal, [rows[a.pk] for a in goal.actions.all()]) for goal in theme.goals.all()],
            )
            for theme in themes
        ],
    )
    grid.demo = any(
        cell.value is not None and cell.value.source == Measurement.Source.DEMO
        for row in rows.values()
        for cell in row.cells
    )
    return grid


def grid_row(
    *, user, programme: Programme, period: periods.Period, place: Place, action_key: str
) -> Row:
    """One action's row of the grid (after a save, or for its partial); 404 if unknown."""
    action = (
        Action.objects.filter(programme=programme, key=action_key)
        .prefetch_related(_indicators())
        .first()
    )
    if action is None:
        raise Http404
    action.programme = programme
    return _rows(programme, [action], period, place)[0]


def grid_can_record(*, user, programme: Programme, period: periods.Period, place: Place) -> tuple:
    """(may the user record for the place, the approved round's period that locks it)."""
    return (
        _can_record(user, programme, place),
        locking_period(period, locked_periods(programme)),
    )


def _can_record(user, programme: Programme, place: Place) -> bool:
    return policies.can_record_value(user, programme, place.municipality)


def _for_place(queryset, place: Place):
    if place.municipality is None:
        return queryset.filter(municipality__isnull=True)
    return queryset.filter(municipality=place.municipality)


def _rows(
    programme: Programme, actions: list[Action], period: periods.Period, place: Place
) -> list[Row]:
    """The rows of `actions` (indicators prefetched): three queries whatever their number
    (and one for the information site, where an indicator counts the information pages)."""
    indicators = [i for a in actions for i in a.indicators.all()]
    information_site = (
        _information_site(place)
        if any(is_computed(i) and i.query in INFORMATION_QUERIES for i in indicators)
        else ""
    )
    values = {
        m.indicator_id: m
        for m in _for_place(
            Measurement.objects.filter(indicator__in=indicators, period=period.code), place
        )
    }
    assessments = {
        a.action_id: a
        for a in _for_place(
            Assessment.objects.filter(action__in=actions, period=period.code), place
        ).select_related("assessed_by")
    }
    # A milestone with no value this period may still be met (done within its N years) or
    # not due yet: its status comes from the dates it was done on before.
    milestones = [
        i for i in indicators if i.kind == Indicator.Kind.MILESTONE and i.pk not in values
    ]
    done_dates: dict[int, list[datetime.date]] = {}
    if milestones:
        for m in _for_place(
            Measurement.objects.filter(indicator__in=milestones, done=True), place
        ).only("indicator_id", "period", "done_on"):
            try:
                other = periods.parse(m.period)
            except periods.InvalidPeriod:
                continue
            if other.end <= period.end:
                done_dates.setdefault(m.indicator_id, []).append(m.done_on or other.end)
    rows = []
    for action in actions:
        cells = []
        for indicator in action.indicators.all():
            indicator.action = action
            value = values.get(indicator.pk)
            if value is not None:
                value.indicator = indicator
            elsewhere = place.municipality is not None and indicator.scope == Indicator.Scope.REGION
            if elsewhere:
                # A joint action's indicator has the region's value only (a value stored for a
                # municipality before the indicator was made the region's is not shown).
                value = None
            due = indicator.period == period.kind and not elsewhere
            # In the region's grid a municipality's kind of indicator is a regional total:
            # judged where one was recorded, never overdue where none was.
            judged_here = (
                place.municipality is not None
                or indicator.scope == Indicator.Scope.REGION
                or indicator.pk in done_dates
            )
            if value is not None:
                status = value.status
            elif indicator.kind == Indicator.Kind.MILESTONE and due and judged_here:
                status = indicator_status(
                    indicator,
                    period=period,
                    current=None,
                    last_done=max(done_dates.get(indicator.pk, []), default=None),
                    first_year=programme.period_start,
                )
            else:
                status = Status.NO_DATA
            computed = is_computed(indicator)
            counted_in_municipalities = (
                computed
                and place.municipality is None
                and indicator.scope == Indicator.Scope.MUNICIPALITY
            )
            if counted_in_municipalities:
                due = False
            cells.append(
                Cell(
                    indicator=indicator,
                    value=value,
                    status=status,
                    due=due,
                    elsewhere=elsewhere,
                    counted_in_municipalities=counted_in_municipalities,
                    version=value.version if value is not None else 0,
                    computed=computed,
                    counted_url=counted_url(
                        programme, indicator, period, place, information_site=information_site
                    )
                    if computed
                    else "",
                )
            )
        rows.append(
            Row(
                action=action,
                cells=cells,
                rollup=rollup(cell.status for cell in cells if cell.due),
                assessment=assessments.get(action.pk),
            )
        )
    return rows


# The list of each query's records, and what it filters by besides the municipality and the
# period: the activities by the action and the kinds counted, the service statistics by the
# measure, the placements by the kinds of place; the friend persons by nothing more.
_RECORDS_LISTS = {
    Indicator.Query.ACTIVITIES: ("registries:list", "kind"),
    Indicator.Query.STATISTIC: ("registries:statistics", "measure"),
    Indicator.Query.VOLUNTEERS: ("volunteers:list", ""),
    Indicator.Query.PLACEMENTS: ("registries:placements", "kind"),
}


def _information_site(place: Place) -> str:
    """The address (slug) of the municipality's information site; "" for the region as a whole
    or a municipality without one."""
    if place.municipality is None:
        return ""
    return (
        Site.objects.filter(municipality=place.municipality).values_list("slug", flat=True).first()
        or ""
    )


def counted_url(
    programme: Programme,
    indicator: Indicator,
    period: periods.Period,
    place: Place,
    *,
    information_site: str | None = None,
) -> str:
    """The address of the list that shows exactly the records a computed value counts
    (hemma.registries.computing: activities_counted, statistics_counted, volunteers_counted,
    placements_counted): filtered by the place's municipality (none for the region as a
    whole), the period, and what the indicator counts.

    The information pages' counts come from the municipality's information site (its page in
    the information hub, showing the period's figures page by page; `information_site` its
    slug, "" none, None: looked up here), the region's from the list of the sites."""
    if indicator.query in INFORMATION_QUERIES:
        if information_site is None:
            information_site = _information_site(place)
        # With the period and languages counted: the page lists the pages counted, with
        # their figures (hemma.information.selectors.period_figures).
        counted = urlencode(
            [("period", period.code), *(("in", code) for code in indicator.query_kinds or [])]
        )
        if place.municipality is not None and information_site:
            return f"{reverse('information:site', args=[information_site])}?{counted}"
        return f"{reverse('information:sites')}?{counted}"
    if indicator.query == Indicator.Query.SURVEY:
        # The survey's results: the answers behind the value, counted and suppressed there.
        return reverse(
            "surveys:results", args=[programme.slug, indicator.query_survey, period.code]
        )
    name, kinds_filter = _RECORDS_LISTS[Indicator.Query(indicator.query)]
    query: list[tuple[str, str]] = []
    if place.municipality is not None:
        query.append(("municipality", place.municipality.code))
    query.append(("period", period.code))
    if indicator.query == Indicator.Query.ACTIVITIES:
        query.append(("action", f"{programme.slug}/{indicator.action.key}"))
    if indicator.query == Indicator.Query.VOLUNTEERS:
        # Those made anonymous still count: the list shows them too.
        query.append(("records", "all"))
    if kinds_filter:
        query += [(kinds_filter, kind) for kind in indicator.query_kinds or []]
    return f"{reverse(name)}?{urlencode(query)}"


def value_shown(value: Measurement | None) -> str:
    """A value as a person reads it: "3", "12 (40 participants)", "done 2024-05-02", "sv, fi"."""
    if value is None:
        return "–"
    parts = []
    if value.number is not None:
        parts.append(labels.number_text(value.number))
    if value.participants is not None:
        parts.append(
            _("(%(count)s participants)") % {"count": value.participants}
            if parts
            else _("%(count)s participants") % {"count": value.participants}
        )
    if value.done is not None:
        done = _("done") if value.done else _("not done")
        parts.append(f"{done} {value.done_on.isoformat()}" if value.done_on else str(done))
    if value.indicator.kind == Indicator.Kind.DELIVERABLE_LANGUAGES:
        parts.append(
            ", ".join(local_name(code) for code in value.languages)
            if value.languages
            else _("none")
        )
    return " ".join(str(p) for p in parts) or "–"


# -- a value's history -----------------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: AuditEvent
    lines: list[ChangeLine]


def value_history(
    *, user, programme: Programme, period: periods.Period, place: Place, indicator: Indicator
) -> tuple[Measurement | None, list[HistoryEntry]]:
    """The value (if any) and its changes from the audit trail, newest first.

    The changes read as in the programme's history (hemma.audit.labels).
    """
    value = _for_place(
        Measurement.objects.filter(indicator=indicator, period=period.code), place
    ).first()
    if value is None:
        return None, []
    events = AuditEvent.objects.filter(
        Q(programme_id=programme.pk) | Q(programme_id__isnull=True),
        target_type=Measurement._meta.label_lower,
        target_id=str(value.pk),
    ).order_by("-created_at", "-id")
    municipalities = {place.code: str(place.name)} if place.municipality is not None else {}
    return value, [
        HistoryEntry(
            event=event,
            lines=labels.change_lines(
                Measurement,
                event.changes,
                language=programme.language,
                municipalities=municipalities,
            ),
        )
        for event in events
    ]
