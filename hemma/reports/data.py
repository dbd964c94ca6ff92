"""The council report's contents, read once and shared by every format (pdf, docx, xlsx).

`report_read` assembles one `Report` in a fixed number of queries, whatever the number of
themes, actions, indicators, municipalities and years: the status matrix and the changes
since the previous period come from the dashboard (hemma.followup.statuses.dashboard), the
programme table from its prefetched tree, and every indicator's values over the years from
one read of the values.

A report leaves the coordinators' screens (it goes to the councils and, approved, to the
public), so every value in it is the published one: small counts of people hidden as "< 5"
(hemma/followup/publishing.py), never the figure itself.

Everything is in the report's language: the caller activates it (translation.override)
around both the reading and the writing, and the programme's texts are picked in it, with
the programme's own language as the fallback.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.followup import locks, policies, publishing, statuses
from hemma.followup.models import Assessment, Measurement, Status
from hemma.followup.selectors import REGION
from hemma.followup.statuses import Cell, Place, Rolled
from hemma.lib import periods, suppression
from hemma.lib.periods import Period
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.interchange.exporting import programme_tree
from hemma.programmes.models import Action, ActionParty, Indicator, Programme

# A programme's text (a map language → text) in the report's language.
Text = Callable[[dict | None], str]


@dataclass(frozen=True)
class Value:
    """One indicator's value for one place and period, as it may be published."""

    place: Place
    period: Period
    text: str  # in words, "< 5" where hidden; "" when nothing was recorded
    number: float | None  # the figure (None: none, or hidden)
    participants: int | None  # a count with participants' participants (None: none, or hidden)
    suppressed: bool  # something of the value is hidden
    status: str
    comment: str
    recorded: bool
    done: bool | None  # a milestone's or an ongoing activity's: done, not done, or unknown

    @property
    def status_label(self) -> str:
        return statuses.status_label(self.status)

    @property
    def symbol(self) -> str:
        return statuses.SYMBOLS[Status(self.status)]


@dataclass
class HistoryLine:
    """One place's values of an indicator over the indicator's periods in the report."""

    place: Place
    values: list[Value]


@dataclass
class IndicatorPart:
    key: str
    name: str
    kind: str
    unit: str
    target: str
    # True: drawn as a line of figures; False: as done / not done marks.
    figures: bool
    band: tuple[float | None, float | None] | None
    values: list[Value]  # the report's period, for each place where it is followed up
    periods: list[Period]  # the chart's periods, oldest first, the report's the last
    history: list[HistoryLine]
    chart_title: str
    chart_description: str  # the chart's text alternative


@dataclass(frozen=True)
class PlaceStatus:
    place: Place
    rolled: Rolled
    assessment: Assessment | None = None

    @property
    def assessed_label(self) -> str:
        return statuses.status_label(self.assessment.status) if self.assessment else ""


@dataclass
class ActionPart:
    key: str
    title: str
    responsible: str
    # The units each municipality of the report named ("Jakobstad: Welcome Office").
    units: list[str]
    partners: str
    followup: str
    statuses: list[PlaceStatus]
    indicators: list[IndicatorPart]


@dataclass
class GoalPart:
    key: str
    title: str
    actions: list[ActionPart]


@dataclass
class ThemePart:
    key: str
    title: str
    goals: list[GoalPart]


@dataclass
class MatrixLine:
    """A theme's, a goal's or the whole programme's roll-up for each place of the report."""

    level: str  # "theme", "goal" or "total"
    title: str
    cells: list[Rolled]


@dataclass(frozen=True)
class ChangeLine:
    action: str
    indicator: str
    place: Place
    before: Value
    now: Value


@dataclass(frozen=True)
class Decision:
    municipality: str
    body: str
    date: datetime.date
    section: str


@dataclass
class Report:
    programme_slug: str
    programme_title: str
    region: str
    # The municipality reported on; "" for the whole programme (every municipality).
    municipality: str
    municipality_code: str
    language: str
    period: Period
    previous: Period | None
    made_on: datetime.date
    # False: the period's reporting round is not approved; the report is preliminary.
    approved: bool
    places: list[Place]
    matrix: list[MatrixLine]
    themes: list[ThemePart]
    changes: list[ChangeLine]
    decisions: list[Decision]
    next_review: datetime.date | None
    legal_basis: str
    translation_note: str
    demo: bool
    suppression_note: str

    @property
    def scope(self) -> str:
        """Whom the report is about: the municipality, or the region's municipalities."""
        if self.municipality:
            return self.municipality
        return _("%(region)s, all municipalities") % {"region": self.region}

    def actions(self) -> Iterator[ActionPart]:
        for theme in self.themes:
            for goal in theme.goals:
                yield from goal.actions

    def indicators(self) -> Iterator[tuple[ActionPart, IndicatorPart]]:
        for action in self.actions():
            for indicator in action.indicators:
                yield action, indicator


def report_read(
    *,
    reader,
    programme: Programme,
    period: Period,
    municipality: Municipality | None,
    language: str,
) -> Report:
    """The report of `programme` for `period`, about `municipality` (None: all of them), as
    `reader` may see it (404 if they may not see the programme). Call it with `language`
    active."""
    board = statuses.dashboard(user=reader, slug=programme.slug, period_code=period.code)
    programme = programme_tree(board.programme)
    fallback = programme.language

    def text(value: dict | None) -> str:
        return pick(value, language, fallback=fallback)

    places = _report_places(board.places, municipality)
    codes = [p.code for p in places]

    actions = [a for t in programme.themes.all() for g in t.goals.all() for a in g.actions.all()]
    indicators_of = {
        a.pk: [i for i in a.indicators.all() if i.period == period.kind] for a in actions
    }
    indicators = [i for found in indicators_of.values() for i in found]
    cells = statuses.indicator_cells(
        user=reader, programme=programme, period=period, indicators=indicators, places=places
    )
    rolled = statuses.action_rollups(actions, indicators_of, cells, places)
    assessments = _assessments(programme, period, codes)
    history = _history(reader, programme, period, indicators, places)

    def action_part(action: Action) -> ActionPart:
        responsible, units, partners = _parties(action, places, text)
        return ActionPart(
            key=action.key,
            title=text(action.title),
            responsible=responsible,
            units=units,
            partners=partners,
            followup=text(action.followup),
            statuses=[
                PlaceStatus(
                    place,
                    Rolled.of(rolled[(action.pk, place.code)]),
                    assessments.get((action.pk, place.code)),
                )
                for place in places
            ],
            indicators=[
                _indicator_part(i, places, cells, history, period, text)
                for i in indicators_of[action.pk]
            ],
        )

    themes = [
        ThemePart(
            key=theme.key,
            title=text(theme.title),
            goals=[
                GoalPart(
                    key=goal.key,
                    title=text(goal.title),
                    actions=[action_part(a) for a in goal.actions.all()],
                )
                for goal in theme.goals.all()
            ],
        )
        for theme in programme.themes.all()
    ]

    def cells_of(row: statuses.MatrixRow) -> list[Rolled]:
        return [c.rolled for c in row.cells if c.place.code in codes]

    matrix = []
    for row in board.rows:
        matrix.append(MatrixLine("theme", text(row.title), cells_of(row)))
        matrix.extend(MatrixLine("goal", text(goal.title), cells_of(goal)) for goal in row.goals)
    matrix.append(MatrixLine("total", _("The whole programme"), cells_of(board.total)))

    changes = [
        ChangeLine(
            action=text(change.indicator.action.title),
            indicator=text(change.indicator.name),
            place=change.place,
            before=_value(change.before, board.previous or period),
            now=_value(change.now, period),
        )
        for change in board.changes
        if change.place.code in codes and change.now.followed_up
    ]
    covered = {p.municipality.pk for p in places if p.municipality is not None}
    decisions = [
        Decision(
            municipality=text(d.municipality.name),
            body=text(d.body),
            date=d.date,
            section=d.section,
        )
        for d in programme.council_decisions.all()
        if d.municipality_id in covered
    ]
    return Report(
        programme_slug=programme.slug,
        programme_title=text(programme.title),
        region=text(programme.region.name),
        municipality=text(municipality.name) if municipality else "",
        municipality_code=municipality.code if municipality else "",
        language=language,
        period=period,
        previous=board.previous,
        made_on=timezone.localdate(),
        # Approved: within the period of an approved (and so locked) reporting round. Not
        # publishing.approved_periods, which has none while the programme is a draft.
        approved=publishing.is_approved(period, locks.locked_periods(programme)),
        places=places,
        matrix=matrix,
        themes=themes,
        changes=changes,
        decisions=decisions,
        next_review=programme.next_review,
        legal_basis=programme.legal_basis,
        translation_note=(programme.translation_notes or {}).get(language, ""),
        demo=board.demo,
        suppression_note=_(
            "Counts of fewer than %(n)s people are shown as “< %(n)s”, so that nobody can be "
            "picked out."
        )
        % {"n": suppression.threshold()},
    )


def _report_places(places: Sequence[Place], municipality: Municipality | None) -> list[Place]:
    """Every place of the programme; for one municipality, it and the region as a whole (whose
    column carries the joint actions, such as the joint meetings, that it takes part in)."""
    if municipality is None:
        return list(places)
    return [p for p in places if p.is_region or p.code == municipality.code]


def _assessments(
    programme: Programme, period: Period, codes: Sequence[str]
) -> dict[tuple[int, str], Assessment]:
    found = {}
    for assessment in Assessment.objects.filter(
        action__programme=programme, period=period.code
    ).select_related("municipality"):
        code = assessment.municipality.code if assessment.municipality else REGION
        if code in codes:
            found[(assessment.action_id, code)] = assessment
    return found


def _parties(action: Action, places: Sequence[Place], text: Text) -> tuple[str, list[str], str]:
    """Responsible, the municipal units named, and partners, as the programme table shows them:
    the text as written where there is one, else the organisations."""
    responsible: list[str] = []
    partners: list[str] = []
    units: dict[str, list[str]] = defaultdict(list)
    shown = {p.code: p.label for p in places if p.municipality is not None}
    for party in action.party_links.all():
        name = text(party.organisation.name)
        if party.municipality is not None:
            if party.municipality.code in shown:
                units[party.municipality.code].append(name)
        elif party.role == ActionParty.Role.RESPONSIBLE:
            responsible.append(name)
        else:
            partners.append(name)
    said = text(action.responsible_text)
    if not said:
        said = (
            _("Set per municipality")
            if action.responsible_per_municipality
            else ", ".join(responsible)
        )
    return (
        said,
        [f"{shown[code]}: {', '.join(names)}" for code, names in sorted(units.items())],
        text(action.partners_text) or ", ".join(partners),
    )


@dataclass
class _History:
    periods: list[Period]
    # By (place code, period code).
    values: dict[tuple[str, str], Measurement]
    hidden: dict[int, publishing.Hidden]


def _history(
    reader,
    programme: Programme,
    period: Period,
    indicators: Sequence[Indicator],
    places: Sequence[Place],
) -> dict[int, _History]:
    """Each indicator's values up to the report's period, by indicator id (one query).

    Its periods are those of its kind with a value, and for a yearly indicator every year of
    the programme, none after the report's. What is hidden is judged on every place's values,
    as on every published page, so the report gives nothing away that they do not.
    """
    codes = {p.municipality.pk: p.code for p in places if p.municipality is not None}
    every = list(
        policies.measurements_visible(reader).filter(indicator__in=[i.pk for i in indicators])
    )
    hidden = publishing.hidden_values(every, {i.pk: i for i in indicators})
    found: dict[int, _History] = {i.pk: _History([], {}, hidden) for i in indicators}
    kinds = {i.pk: i.period for i in indicators}
    seen: dict[int, set[Period]] = defaultdict(set)
    for value in every:
        try:
            when = periods.parse(value.period)
        except periods.InvalidPeriod:
            continue
        if when.kind != kinds[value.indicator_id] or when.end > period.end:
            continue
        seen[value.indicator_id].add(when)
        if value.municipality_id is None:
            found[value.indicator_id].values[(REGION, value.period)] = value
        elif value.municipality_id in codes:
            code = codes[value.municipality_id]
            found[value.indicator_id].values[(code, value.period)] = value
    years = {
        periods.year(y)
        for y in range(programme.period_start, programme.period_end + 1)
        if periods.year(y).end <= period.end
    }
    for indicator in indicators:
        shown = seen[indicator.pk] | (years if indicator.period == Indicator.Period.YEAR else set())
        found[indicator.pk].periods = sorted(shown | {period})
    return found


def _value(cell: Cell, period: Period) -> Value:
    measurement = cell.measurement
    participants = None
    if (
        measurement is not None
        and measurement.participants is not None
        and not cell.hidden.participants
    ):
        participants = measurement.participants
    return Value(
        place=cell.place,
        period=period,
        text=cell.published,
        number=cell.published_number,
        participants=participants,
        suppressed=cell.hidden != publishing.SHOWN,
        status=cell.status,
        comment=cell.published_comment,
        recorded=measurement is not None,
        done=measurement.done if measurement else None,
    )


def _indicator_part(
    indicator: Indicator,
    places: Sequence[Place],
    cells: dict[tuple[int, str], Cell],
    history: dict[int, _History],
    period: Period,
    text: Text,
) -> IndicatorPart:
    own = history[indicator.pk]
    now = [
        _value(cell, period)
        for place in places
        if (cell := cells[(indicator.pk, place.code)]).followed_up
    ]
    lines = []
    for place in places:
        has_values = any(code == place.code for code, _p in own.values)
        if not statuses.followed_up_at(indicator, place, has_values=has_values):
            continue
        line: list[Value] = []
        for each in own.periods:
            if each == period:
                cell = cells[(indicator.pk, place.code)]
            else:
                found = own.values.get((place.code, each.code))
                cell = Cell(
                    indicator=indicator,
                    place=place,
                    status=found.status if found else Status.NO_DATA.value,
                    measurement=found,
                    hidden=own.hidden.get(found.pk, publishing.SHOWN)
                    if found
                    else publishing.SHOWN,
                )
            line.append(_value(cell, each))
        lines.append(HistoryLine(place, line))
    band = None
    if indicator.target_type == Indicator.TargetType.BAND:
        band = (
            None if indicator.target_min is None else float(indicator.target_min),
            None if indicator.target_max is None else float(indicator.target_max),
        )
    name = text(indicator.name)
    description = _("%(indicator)s from %(first)s to %(last)s for %(places)s.") % {
        "indicator": name,
        "first": own.periods[0],
        "last": own.periods[-1],
        "places": ", ".join(line.place.label for line in lines) or "–",
    }
    if indicator.target_display:
        description += " " + _("Target: %(target)s.") % {"target": indicator.target_display}
    description += " " + _("The table below the chart gives every value and status.")
    return IndicatorPart(
        key=indicator.key,
        name=name,
        kind=str(Indicator.Kind(indicator.kind).label),
        unit=text(indicator.unit),
        target=str(indicator.target_display),
        figures=statuses.is_figure_kind(indicator),
        band=band,
        values=now,
        periods=own.periods,
        history=lines,
        chart_title=name,
        chart_description=description,
    )
