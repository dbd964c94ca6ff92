"""Reads of programmes, always for a user and scoped by hemma.programmes.policies."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hemma.audit import labels
from hemma.audit.labels import ChangeLine
from hemma.audit.models import AuditEvent
from hemma.followup import history as followup_history
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes import policies
from hemma.programmes.interchange.exporting import programme_tree
from hemma.programmes.models import Action, ActionParty, Goal, Indicator, Programme, Theme


def programme_list(*, user) -> QuerySet[Programme]:
    return (
        policies.programmes_visible(user)
        .select_related("region")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("-period_start", "slug")
    )


def programme_get(*, user, slug: str, write: bool = False) -> Programme:
    """The programme if the user may see it (else 404) and, with `write`, change it (else 403)."""
    programme = policies.programmes_visible(user).select_related("region").filter(slug=slug).first()
    if programme is None:
        raise Http404
    if write and not policies.can_edit_programme(user, programme):
        raise PermissionDenied
    return programme


def programme_table(*, user, slug: str) -> Programme:
    """The programme with its whole tree, read in a fixed number of queries."""
    return programme_tree(programme_get(user=user, slug=slug))


def action_get(*, user, slug: str, key: str, write: bool = False) -> Action:
    programme = programme_get(user=user, slug=slug, write=write)
    action = (
        Action.objects.filter(programme=programme, key=key)
        .select_related("goal__theme", "programme__region")
        .first()
    )
    if action is None:
        raise Http404
    return action


# -- the table's rows, an action's page and the history (hemma/programmes/edit_views.py) ------


def _sort_parties(actions) -> None:
    """Give each action its parties sorted for the table, from the prefetched links.

    `responsible_organisations` and `partner_organisations` are the programme-wide parties;
    `municipal_units` lists (municipality, [organisation, …]) for the units each
    municipality named, by municipality code.
    """
    for action in actions:
        responsible: list[Organisation] = []
        partners: list[Organisation] = []
        units: dict[Municipality, list[Organisation]] = {}
        for party in action.party_links.all():
            if party.municipality_id:
                units.setdefault(party.municipality, []).append(party.organisation)
            elif party.role == ActionParty.Role.RESPONSIBLE:
                responsible.append(party.organisation)
            else:
                partners.append(party.organisation)
        # Attributes for the templates, as an annotation would be.
        action.responsible_organisations = responsible  # type: ignore[attr-defined]
        action.partner_organisations = partners  # type: ignore[attr-defined]
        action.municipal_units = sorted(  # type: ignore[attr-defined]
            units.items(), key=lambda item: item[0].code
        )


def _actions_with_parties() -> QuerySet[Action]:
    return Action.objects.prefetch_related(
        Prefetch(
            "party_links",
            queryset=ActionParty.objects.select_related("organisation", "municipality"),
        ),
        "indicators",
    )


def programme_page(*, user, slug: str) -> Programme:
    """The programme's whole tree for its table, in a fixed number of queries."""
    programme = programme_table(user=user, slug=slug)
    _sort_parties(
        action
        for theme in programme.themes.all()
        for goal in theme.goals.all()
        for action in goal.actions.all()
    )
    return programme


def theme_get(*, user, slug: str, theme_key: str, write: bool = False) -> Theme:
    programme = programme_get(user=user, slug=slug, write=write)
    theme = Theme.objects.filter(programme=programme, key=theme_key).first()
    if theme is None:
        raise Http404
    theme.programme = programme
    return theme


def goal_get(*, user, slug: str, theme_key: str, goal_key: str, write: bool = False) -> Goal:
    """The goal with its actions and their parties, as its rows in the table show them."""
    theme = theme_get(user=user, slug=slug, theme_key=theme_key, write=write)
    goal = (
        Goal.objects.filter(theme=theme, key=goal_key)
        .prefetch_related(Prefetch("actions", queryset=_actions_with_parties()))
        .first()
    )
    if goal is None:
        raise Http404
    goal.theme = theme
    _sort_parties(goal.actions.all())
    return goal


def action_page(*, user, slug: str, key: str, write: bool = False) -> Action:
    """The action with its parties and indicators, and its place in its goal's rows.

    `first_in_goal`, `last_in_goal` and `goal_size` let its row carry the goal's cell and its
    move buttons, as the table does.
    """
    programme = programme_get(user=user, slug=slug, write=write)
    action = (
        _actions_with_parties()
        .filter(programme=programme, key=key)
        .select_related("goal__theme")
        .first()
    )
    if action is None:
        raise Http404
    action.programme = action.goal.theme.programme = programme
    _sort_parties([action])
    siblings = list(
        Action.objects.filter(goal_id=action.goal_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    action.first_in_goal = siblings[0] == action.pk  # type: ignore[attr-defined]
    action.last_in_goal = siblings[-1] == action.pk  # type: ignore[attr-defined]
    action.goal_size = len(siblings)  # type: ignore[attr-defined]
    return action


def indicator_get(
    *, user, slug: str, key: str, indicator_key: str, write: bool = False
) -> Indicator:
    action = action_get(user=user, slug=slug, key=key, write=write)
    indicator = Indicator.objects.filter(action=action, key=indicator_key).first()
    if indicator is None:
        raise Http404
    indicator.action = action
    return indicator


def programme_goals(*, programme: Programme) -> QuerySet[Goal]:
    """The programme's goals in the table's order (for "move to another goal")."""
    return (
        Goal.objects.filter(theme__programme=programme)
        .select_related("theme")
        .order_by("theme__position", "theme__id", "position", "id")
    )


def region_organisations(
    *, programme: Programme, municipality: Municipality | None = None
) -> QuerySet[Organisation]:
    """The organisations a party may be chosen from.

    Without `municipality`: all of the programme's region. With it: those that belong to no
    municipality, and that municipality's own units (not the units of its neighbours).
    """
    organisations = Organisation.objects.filter(region_id=programme.region_id)
    if municipality is not None:
        organisations = organisations.filter(
            Q(municipality__isnull=True) | Q(municipality=municipality)
        )
    return organisations.order_by("key")


# -- the audit trail, ready to show ------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: AuditEvent
    node: str  # "Action", "Indicator", … in the active language
    lines: list[ChangeLine]
    action_key: str = ""  # the action page to link to, if the node still has one
    # What a follow-up event is about, in words ("Value: Joint meetings, Jakobstad, 2025");
    # empty for the programme's own nodes, shown as node and name.
    what: str = ""


_NODE_MODELS = {
    "programme": Programme,
    "theme": Theme,
    "goal": Goal,
    "action": Action,
    "indicator": Indicator,
    "organisation": Organisation,
    "municipality": Municipality,
    "region": Region,
}


def change_lines(
    node: str,
    changes: dict,
    *,
    language: str,
    municipalities: dict[str, str] | None = None,
) -> list[ChangeLine]:
    """Each field's old → new (hemma.audit.labels); a text gives one line per language."""
    return labels.change_lines(
        _NODE_MODELS.get(node), changes, language=language, municipalities=municipalities
    )


def node_label(node: str) -> str:
    """ "action" → "Action", in the active language."""
    return labels.model_label(_NODE_MODELS.get(node), fallback=node)


def _node_of(event: AuditEvent) -> str:
    return event.target_type.rsplit(".", 1)[-1]


def history_entries(events, *, programme: Programme) -> list[HistoryEntry]:
    """Audit events as a history page shows them, the follow-up's among them.

    A fixed number of queries whatever the number of events: the programme's municipalities,
    the actions and indicators linked to, and one per kind of follow-up target
    (hemma.followup.history).
    """
    events = list(events)
    municipalities = {
        m.code: pick(m.name, fallback=programme.language)
        for m in Municipality.objects.filter(programmes=programme)
    }
    action_ids = {int(e.target_id) for e in events if e.target_type == "programmes.action"}
    indicator_ids = {int(e.target_id) for e in events if e.target_type == "programmes.indicator"}
    action_keys = (
        {
            str(pk): key
            for pk, key in Action.objects.filter(
                programme=programme, pk__in=action_ids
            ).values_list("pk", "key")
        }
        if action_ids
        else {}
    )
    indicator_actions = (
        {
            str(pk): key
            for pk, key in Indicator.objects.filter(
                action__programme=programme, pk__in=indicator_ids
            ).values_list("pk", "action__key")
        }
        if indicator_ids
        else {}
    )
    subjects = followup_history.event_subjects(
        events, programme=programme, municipalities=municipalities
    )
    entries = []
    for event in events:
        node = _node_of(event)
        model = labels.model_of(event.target_type)
        entries.append(
            HistoryEntry(
                event=event,
                node=labels.model_label(model, fallback=node),
                lines=labels.change_lines(
                    model,
                    event.changes,
                    language=programme.language,
                    municipalities=municipalities,
                ),
                action_key=action_keys.get(event.target_id)
                or indicator_actions.get(event.target_id, "")
                if node in ("action", "indicator")
                else "",
                what=subjects.get(event.pk, ""),
            )
        )
    return entries


def action_history(*, action: Action) -> list[HistoryEntry]:
    """The action's trail and its indicators', newest first; removed indicators included."""
    programme = action.programme
    own = Q(target_type="programmes.action", target_id=str(action.pk))
    # Indicators that are gone are found by the action key their creation or removal recorded.
    linked = AuditEvent.objects.filter(
        programme_id=programme.pk, target_type="programmes.indicator"
    ).filter(Q(changes__action__0=action.key) | Q(changes__action__1=action.key))
    indicator_ids = {str(pk) for pk in action.indicators.values_list("pk", flat=True)}
    indicators = Q(target_type="programmes.indicator") & (
        Q(target_id__in=indicator_ids) | Q(target_id__in=linked.values("target_id"))
    )
    events = AuditEvent.objects.filter(programme_id=programme.pk).filter(own | indicators)
    return history_entries(events.order_by("-created_at", "-id"), programme=programme)


def programme_history(*, programme: Programme) -> QuerySet[AuditEvent]:
    """Every change to the programme, imports included, newest first."""
    return AuditEvent.objects.filter(programme_id=programme.pk).order_by("-created_at", "-id")
