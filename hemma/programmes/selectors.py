"""Reads of programmes, always for a user and scoped by hemma.programmes.policies."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import locale as django_locale
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.lib import languages
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


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str
    language: str = ""  # set when the line is one language of a text


@dataclass
class HistoryEntry:
    event: AuditEvent
    node: str  # "Action", "Indicator", … in the active language
    lines: list[ChangeLine]
    action_key: str = ""  # the action page to link to, if the node still has one


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


def _extra_labels() -> dict[str, str]:
    return {
        "responsible": _("Responsible"),
        "partners": _("Partners"),
        "parties": _("Parties"),
        "municipalities": _("Municipalities"),
        "council_decisions": _("Council decisions"),
        "file": _("File"),
        "action": _("Action"),
        "position": _("Position in its goal"),
        "goal": _("Goal"),
    }


def _model_field(node: str, name: str):
    model = _NODE_MODELS.get(node)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(node: str, name: str, municipalities: dict[str, str]) -> str:
    if name.startswith("units:"):
        code = name.split(":", 1)[1]
        return _("Units named by %(municipality)s") % {
            "municipality": municipalities.get(code, code)
        }
    extra = _extra_labels()
    if name in extra:
        return str(extra[name])
    field = _model_field(node, name)
    return capfirst(str(field.verbose_name)) if field is not None else name


def _shown(value, field=None, language: str = "") -> str:
    """One value of a change as a person reads it."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value) or "—"
    if isinstance(value, dict):
        return pick(value, fallback=language) or "—"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal | float):
        return f"{value:g}" if isinstance(value, float) else f"{value.normalize():f}"
    return str(value)


def _language_order(codes, language: str) -> list[str]:
    staff = [code for code, _name in languages.STAFF_LANGUAGES]
    return sorted(codes, key=lambda c: (c != language, staff.index(c) if c in staff else 99, c))


def change_lines(
    node: str,
    changes: dict,
    *,
    language: str,
    municipalities: dict[str, str] | None = None,
) -> list[ChangeLine]:
    """Each field's old → new; a text gives one line per language that changed."""
    lines = []
    for name, pair in changes.items():
        old, new = pair
        label = _field_label(node, name, municipalities or {})
        if (
            isinstance(old, dict | type(None))
            and isinstance(new, dict | type(None))
            and (isinstance(old, dict) or isinstance(new, dict))
        ):
            old, new = old or {}, new or {}
            codes = {c for c in {*old, *new} if old.get(c, "") != new.get(c, "")}
            for code in _language_order(codes, language):
                lines.append(
                    ChangeLine(
                        label=label,
                        old=old.get(code) or "—",
                        new=new.get(code) or "—",
                        language=str(get_language_info(code)["name_translated"])
                        if code in django_locale.LANG_INFO
                        else code,
                    )
                )
            continue
        field = _model_field(node, name)
        lines.append(
            ChangeLine(
                label=label, old=_shown(old, field, language), new=_shown(new, field, language)
            )
        )
    return lines


def node_label(node: str) -> str:
    """ "action" → "Action", in the active language."""
    model = _NODE_MODELS.get(node)
    return capfirst(str(model._meta.verbose_name)) if model else node


def _node_of(event: AuditEvent) -> str:
    return event.target_type.rsplit(".", 1)[-1]


def history_entries(events, *, programme: Programme) -> list[HistoryEntry]:
    """Audit events as a history page shows them; three queries whatever their number."""
    events = list(events)
    municipalities = {
        m.code: pick(m.name, fallback=programme.language)
        for m in Municipality.objects.filter(programmes=programme)
    }
    action_ids = {int(e.target_id) for e in events if _node_of(e) == "action"}
    indicator_ids = {int(e.target_id) for e in events if _node_of(e) == "indicator"}
    action_keys = {
        str(pk): key
        for pk, key in Action.objects.filter(programme=programme, pk__in=action_ids).values_list(
            "pk", "key"
        )
    }
    indicator_actions = {
        str(pk): key
        for pk, key in Indicator.objects.filter(
            action__programme=programme, pk__in=indicator_ids
        ).values_list("pk", "action__key")
    }
    entries = []
    for event in events:
        node = _node_of(event)
        entries.append(
            HistoryEntry(
                event=event,
                node=node_label(node),
                lines=change_lines(
                    node,
                    event.changes,
                    language=programme.language,
                    municipalities=municipalities,
                ),
                action_key=action_keys.get(event.target_id)
                or indicator_actions.get(event.target_id, "")
                if node in ("action", "indicator")
                else "",
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
