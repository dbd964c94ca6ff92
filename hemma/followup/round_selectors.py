"""Reads of reporting rounds, for a user and scoped by hemma.followup.policies.

A round of a programme the user may not see does not exist for them (404); a change they
may not make is forbidden (403). The overview and the reporter's page are read in a fixed
number of queries, whatever the number of reporters, actions and indicators.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hemma.accounts.roles import roles_of
from hemma.followup import policies
from hemma.followup.models import Assignment, Measurement, ReportingLink, Round
from hemma.followup.rounds import (
    grid_path,
    is_asked,
    measurements_of_round,
    periods_within,
)
from hemma.programmes.models import Action, Indicator, Programme
from hemma.programmes.policies import programmes_visible


def programme_for_rounds(*, user, slug: str, manage: bool = False) -> Programme:
    programme = programmes_visible(user).select_related("region").filter(slug=slug).first()
    if programme is None:
        raise Http404
    if manage and not policies.can_manage_round(user, programme):
        raise PermissionDenied
    return programme


def round_list(*, user, programme: Programme) -> QuerySet[Round]:
    if not policies.can_view_round(user, programme):
        raise Http404
    return (
        Round.objects.filter(programme=programme)
        .annotate(
            reporters=Count("assignments", distinct=True),
            ready=Count(
                "assignments", filter=Q(assignments__ready_at__isnull=False), distinct=True
            ),
        )
        .order_by("-period")
    )


def round_get(*, user, slug: str, period: str, manage: bool = False) -> Round:
    """The round if the user may see its programme (else 404) and, with `manage`, run it."""
    programme = programme_for_rounds(user=user, slug=slug, manage=manage)
    round = Round.objects.filter(programme=programme, period=period).first()
    if round is None:
        raise Http404
    round.programme = programme
    return round


def assignment_get(*, user, slug: str, period: str, pk: int) -> Assignment:
    round = round_get(user=user, slug=slug, period=period)
    assignment = (
        Assignment.objects.filter(round=round, pk=pk).select_related("municipality").first()
    )
    if assignment is None:
        raise Http404
    assignment.round = round
    return assignment


def link_get(*, user, slug: str, period: str, pk: int) -> ReportingLink:
    round = round_get(user=user, slug=slug, period=period)
    link = (
        ReportingLink.objects.filter(assignment__round=round, pk=pk)
        .select_related("assignment__municipality", "assignment__organisation")
        .first()
    )
    if link is None:
        raise Http404
    link.assignment.round = round
    return link


# -- the overview ----------------------------------------------------------------------------


@dataclass
class ReporterRow:
    assignment: Assignment
    actions: list[Action]
    expected: int
    filled: int
    links: list[ReportingLink]
    can_ready: bool
    can_links: bool
    grid_url: str = ""

    @property
    def missing(self) -> int:
        return self.expected - self.filled


@dataclass
class RoundOverview:
    round: Round
    rows: list[ReporterRow]
    can_manage: bool
    ready: int = 0
    missing: int = 0


def _actions_prefetch() -> Prefetch:
    return Prefetch(
        "actions",
        queryset=Action.objects.order_by(
            "goal__theme__position", "goal__position", "position", "id"
        ).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
        ),
    )


def _slots(assignment: Assignment, actions: list[Action], round_period: str) -> list[tuple]:
    """The (indicator, municipality, period) values the reporter is asked for: of their
    actions' indicators, those followed up for their place (rounds.is_asked)."""
    municipality_id = assignment.municipality_id
    return [
        (indicator.pk, municipality_id, code)
        for action in actions
        for indicator in action.indicators.all()
        if is_asked(indicator, municipality_id)
        for code in periods_within(round_period, indicator.period)
    ]


def round_overview(*, user, round: Round) -> RoundOverview:
    programme = round.programme
    can_manage = policies.can_manage_round(user, programme)
    coordinated: set[int] = set()
    if not can_manage:
        mine = roles_of(user).coordinated_municipalities
        coordinated = set(programme.municipalities.filter(pk__in=mine).values_list("pk", flat=True))
    assignments = list(
        round.assignments.select_related("municipality", "organisation")
        .prefetch_related(
            _actions_prefetch(),
            Prefetch("links", queryset=ReportingLink.objects.order_by("-created_at")),
        )
        .order_by("position", "id")
    )
    recorded = measurements_of_round(round)
    rows = []
    for assignment in assignments:
        assignment.round = round
        actions = list(assignment.actions.all())
        slots = _slots(assignment, actions, round.period)
        own = assignment.municipality_id is not None and assignment.municipality_id in coordinated
        rows.append(
            ReporterRow(
                assignment=assignment,
                actions=actions,
                expected=len(slots),
                filled=sum(1 for slot in slots if slot in recorded),
                links=list(assignment.links.all()),
                can_ready=can_manage or own,
                can_links=can_manage or own,
                grid_url=grid_path(round, assignment.municipality),
            )
        )
    return RoundOverview(
        round=round,
        rows=rows,
        can_manage=can_manage,
        ready=sum(1 for row in rows if row.assignment.ready_at),
        missing=sum(row.missing for row in rows),
    )


# -- the reporter's page (a reporting link) --------------------------------------------------


@dataclass
class LinkSlot:
    indicator: Indicator
    period: str
    value: Measurement | None


@dataclass
class LinkAction:
    action: Action
    slots: list[LinkSlot]


def link_page(*, link: ReportingLink) -> list[LinkAction]:
    """The link's actions, each with its indicators' values for the round's period(s) and the
    reporter's municipality (or the region as a whole)."""
    assignment = link.assignment
    round = assignment.round
    actions = list(
        Action.objects.filter(pk__in=assignment.actions.values("pk"))
        .order_by("goal__theme__position", "goal__position", "position", "id")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
        )
    )
    codes = {
        code for kind in Indicator.Period.values for code in periods_within(round.period, kind)
    }
    values = Measurement.objects.filter(
        indicator__action__in=[a.pk for a in actions], period__in=codes
    )
    values = (
        values.filter(municipality__isnull=True)
        if assignment.municipality_id is None
        else values.filter(municipality_id=assignment.municipality_id)
    )
    found = {(m.indicator_id, m.period): m for m in values}
    page = []
    for action in actions:
        action.programme = round.programme
        slots = []
        for indicator in action.indicators.all():
            if not is_asked(indicator, assignment.municipality_id):
                continue  # followed up for another place (rounds.is_asked)
            indicator.action = action
            for code in periods_within(round.period, indicator.period):
                slots.append(LinkSlot(indicator, code, found.get((indicator.pk, code))))
        page.append(LinkAction(action, slots))
    return page
