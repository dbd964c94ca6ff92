"""Reads of the public site: what anyone sees of a programme and its follow-up, unsigned.

Every read is the public's (`PUBLIC`, hemma/followup/publishing.py): only approved and archived
programmes, and of their follow-up only the approved periods; a draft programme, or a period
not approved, is a 404 however the page is asked for. Values are shown as they may be
published (`Cell.published`: small counts of people hidden). Each read takes a fixed number of
queries whatever the number of municipalities, years and indicators.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404

from hemma.followup import policies, publishing, statuses
from hemma.followup.models import Assessment, Measurement, Round, Status
from hemma.followup.statuses import ActionStatus, Cell, Place, Rolled
from hemma.lib import periods
from hemma.lib.periods import Period
from hemma.programmes.models import Action, Indicator, Programme
from hemma.programmes.policies import PUBLIC
from hemma.programmes.selectors import programme_get, programme_page


@dataclass
class Published:
    """A published programme and its approved periods, oldest first."""

    programme: Programme
    periods: list[Period]

    @property
    def latest(self) -> Period | None:
        return self.periods[-1] if self.periods else None


def programme_index() -> list[Published]:
    """The published programmes, newest first, each with its approved periods (three
    queries: the programmes, their municipalities, their approved rounds)."""
    programmes = list(
        publishing.programmes_published()
        .select_related("region")
        .prefetch_related("municipalities")
        .order_by("-period_start", "slug")
    )
    codes: dict[int, list[str]] = defaultdict(list)
    for programme_id, code in Round.objects.filter(
        programme__in=programmes, state=Round.State.APPROVED
    ).values_list("programme_id", "period"):
        codes[programme_id].append(code)
    return [Published(p, sorted(periods.valid(codes[p.pk]))) for p in programmes]


def programme_front(*, slug: str) -> Published:
    """A published programme with its municipalities, council decisions, themes and goals,
    and its approved periods (404 for a programme that is not published)."""
    found = programme_get(user=PUBLIC, slug=slug)
    programme = (
        Programme.objects.filter(pk=found.pk)
        .select_related("region")
        .prefetch_related("municipalities", "council_decisions__municipality", "themes__goals")
        .get()
    )
    return Published(programme, publishing.approved_periods(programme))


def _actions_of(programme: Programme) -> list[Action]:
    return [
        action
        for theme in programme.themes.all()
        for goal in theme.goals.all()
        for action in goal.actions.all()
    ]


def _approved(programme: Programme, code: str) -> tuple[Period, list[Period]]:
    """The period a URL names, if it is approved (else 404), and every approved period."""
    period = statuses.parse_period(code)
    approved = publishing.approved_periods(programme)
    if not publishing.is_approved(period, approved):
        raise Http404
    return period, approved


# -- the follow-up of one period ---------------------------------------------------------------


@dataclass
class PeriodFollowUp:
    """The programme's table for one approved period and place.

    Each action of the tree carries `public_status` (its ActionStatus) and each indicator
    `public_cell` (its Cell, None when it is followed up by another kind of period), as an
    annotation would.
    """

    programme: Programme
    period: Period
    periods: list[Period]
    places: list[Place]
    place: Place
    demo: bool  # some of the values shown are demo data


def period_followup(*, slug: str, period_code: str, place_code: str | None) -> PeriodFollowUp:
    """The programme's table with each action's status and each indicator's published value
    in an approved period, for one place (default: the first municipality, as on the staff
    table: most actions are followed up per municipality, so the region as a whole would
    show mostly "not followed up here"; a place the programme does not cover is a 404)."""
    programme = programme_page(user=PUBLIC, slug=slug)
    period, approved = _approved(programme, period_code)
    places = statuses.places_of(programme)
    place = statuses.place_get(places, place_code) if place_code else places[0]
    if place is None:
        raise Http404
    actions = _actions_of(programme)
    found = statuses.action_statuses(
        user=PUBLIC, programme=programme, actions=actions, period=period, place=place
    )
    indicators = [i for a in actions for i in a.indicators.all() if i.period == period.kind]
    cells = statuses.indicator_cells(
        user=PUBLIC, programme=programme, period=period, indicators=indicators, places=[place]
    )
    for action in actions:
        action.public_status = found[action.pk]  # type: ignore[attr-defined]
        for indicator in action.indicators.all():
            indicator.public_cell = cells.get((indicator.pk, place.code))  # type: ignore[attr-defined]
    return PeriodFollowUp(
        programme=programme,
        period=period,
        periods=approved,
        places=places,
        place=place,
        demo=_any_demo(c.measurement for c in cells.values()),
    )


def _any_demo(values) -> bool:
    return any(v is not None and v.source == Measurement.Source.DEMO for v in values)


def matrix(*, slug: str, period_code: str) -> statuses.Dashboard:
    """The status matrix of an approved period (404 otherwise). Of the dashboard the public
    pages show the matrix only: rounds, what is missing and who assessed are the staff's."""
    return statuses.dashboard(user=PUBLIC, slug=slug, period_code=period_code)


def indicator_history(*, slug: str, action_key: str, indicator_key: str):
    """An indicator's published values and statuses in every approved period."""
    return statuses.indicator_history(
        user=PUBLIC, slug=slug, action_key=action_key, indicator_key=indicator_key
    )


# -- one municipality over the approved periods ------------------------------------------------


@dataclass
class MunicipalityFollowUp:
    """One municipality's follow-up in every approved period.

    Each action of the tree carries `public_statuses` (an ActionStatus per period) and each
    indicator `public_cells` (a Cell per period; None where the indicator is followed up by
    another kind of period), as annotations would.
    """

    programme: Programme
    place: Place
    periods: list[Period]
    demo: bool  # some of the values shown are demo data


def municipality_followup(*, slug: str, code: str) -> MunicipalityFollowUp:
    """One municipality's statuses and published values in every approved period (404 for a
    municipality the programme does not cover). Six queries beyond the programme's table,
    however many periods are approved."""
    programme = programme_page(user=PUBLIC, slug=slug)
    places = statuses.places_of(programme)
    place = next((p for p in places if p.municipality is not None and p.code == code), None)
    if place is None or place.municipality is None:
        raise Http404
    approved = publishing.approved_periods(programme)
    actions = _actions_of(programme)
    indicators = [i for a in actions for i in a.indicators.all()]
    # Every place's values, so that what is hidden is what every other page hides too.
    values = list(
        policies.measurements_visible(PUBLIC)
        .filter(indicator__in=[i.pk for i in indicators])
        .order_by()
    )
    hidden = publishing.hidden_values(values, {i.pk: i for i in indicators})
    own = [v for v in values if v.municipality_id == place.municipality.pk]
    by_key = {(v.indicator_id, v.period): v for v in own}
    done: dict[int, list[Measurement]] = defaultdict(list)
    for value in own:
        if value.done:
            done[value.indicator_id].append(value)
    assessments = {
        (a.action_id, a.period): a
        for a in Assessment.objects.filter(
            action__programme=programme,
            municipality=place.municipality,
            period__in=[p.code for p in approved],
        )
    }
    per_period = [
        _period_statuses(programme, period, actions, place, by_key, done, hidden, assessments)
        for period in approved
    ]
    for action in actions:
        action.public_statuses = [found[0][action.pk] for found in per_period]  # type: ignore[attr-defined]
        for indicator in action.indicators.all():
            indicator.public_cells = [found[1].get(indicator.pk) for found in per_period]  # type: ignore[attr-defined]
    return MunicipalityFollowUp(
        programme=programme,
        place=place,
        periods=approved,
        demo=_any_demo(by_key.get((i.pk, p.code)) for i in indicators for p in approved),
    )


def _period_statuses(
    programme: Programme,
    period: Period,
    actions: Sequence[Action],
    place: Place,
    values: dict[tuple[int, str], Measurement],
    done: dict[int, list[Measurement]],
    hidden: dict[int, publishing.Hidden],
    assessments: dict[tuple[int, str], Assessment],
) -> tuple[dict[int, ActionStatus], dict[int, Cell]]:
    """Each action's status and each indicator's cell for `place` in `period`, as
    statuses.action_statuses gives them, from values read once for every period."""
    indicators_of: dict[int, list[Indicator]] = {
        a.pk: [i for i in a.indicators.all() if i.period == period.kind] for a in actions
    }
    cells: dict[tuple[int, str], Cell] = {}
    for indicator in (i for found in indicators_of.values() for i in found):
        key = (indicator.pk, place.code)
        found = values.get((indicator.pk, period.code))
        if not statuses.followed_up_at(indicator, place, has_values=found is not None):
            cells[key] = Cell(indicator, place, Status.NO_DATA.value, followed_up=False)
            continue
        cells[key] = Cell(
            indicator=indicator,
            place=place,
            status=found.status
            if found is not None
            else statuses.missing_status(indicator, programme, period, done.get(indicator.pk, ())),
            measurement=found,
            hidden=hidden.get(found.pk, publishing.SHOWN) if found else publishing.SHOWN,
        )
    rolled = statuses.action_rollups(actions, indicators_of, cells, [place])
    action_statuses = {
        a.pk: ActionStatus(
            rolled=Rolled.of(rolled[(a.pk, place.code)]),
            assessment=assessments.get((a.pk, period.code)),
        )
        for a in actions
    }
    return action_statuses, {indicator_id: cell for (indicator_id, _c), cell in cells.items()}
