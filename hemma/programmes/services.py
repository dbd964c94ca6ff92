"""Changes to a programme made from the web: every write to a programme's tree goes through here.

Each service is keyword-only, runs in one transaction and writes an AuditEvent with old → new
for every field it changed (hemma.audit.services), with `programme_id` set so that the
programme's whole history reads without joins. Texts are maps language → text: a form edits
some languages, and the languages it does not show are kept as they were.
"""

import datetime
import io
import json
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hemma.audit.services import audit_record, diff
from hemma.followup.recompute import status_fields_changed, statuses_recompute
from hemma.lib.languages import CONTENT_LANGUAGES, local_name
from hemma.lib.problems import Problem, ProblemsFound
from hemma.lib.texts import clean, pick
from hemma.organisations.models import Municipality, Organisation
from hemma.programmes import policies
from hemma.programmes.interchange import reading
from hemma.programmes.interchange.files import document_from_file
from hemma.programmes.interchange.importing import ImportResult, programme_import
from hemma.programmes.models import Action, ActionParty, Goal, Indicator, Programme, Theme

if TYPE_CHECKING:
    from hemma.surveys.counting import SurveyToCount

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # the interchange format's key
KEY_MAX_LENGTH = 80

# -- helpers ---------------------------------------------------------------------------------


def _texts(old: dict | None, edited: dict[str, str] | None) -> dict[str, str]:
    """`old` with the edited languages replaced (an emptied one removed), the others kept."""
    return clean({**(old or {}), **(edited or {})})


def _require_own_language(programme: Programme, text: dict[str, str], field: str) -> None:
    if not text.get(programme.language):
        raise ValidationError(
            _("%(field)s: the text in the programme's own language is required.") % {"field": field}
        )


def _key_for(wanted: str, source_text: str, taken: set[str], fallback: str) -> str:
    """`wanted` if given (it must be free), else a free key made from `source_text`."""
    if wanted:
        if not KEY_PATTERN.fullmatch(wanted) or len(wanted) > KEY_MAX_LENGTH:
            raise ValidationError(_("“%(key)s” is not a valid key.") % {"key": wanted})
        if wanted in taken:
            raise ValidationError(_("The key “%(key)s” is already in use.") % {"key": wanted})
        return wanted
    base = slugify(source_text)[: KEY_MAX_LENGTH - 4].strip("-_") or fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _names(organisations, language: str) -> list[str]:
    """Organisations as the trail records them: by name, in the programme's language."""
    return [pick(o.name, language) or o.key for o in organisations]


def _title(node, language: str) -> str:
    return pick(node.title, language) or node.key


# -- themes and goals ------------------------------------------------------------------------


def _title_update(*, actor, node: Theme | Goal, programme: Programme, title: dict[str, str]):
    """Change a theme's or a goal's title: the texts given replace those languages only."""
    values = {"title": _texts(node.title, title)}
    _require_own_language(programme, values["title"], _("Title"))
    with transaction.atomic():
        changes = diff(node, values)
        if changes:
            node.title = values["title"]
            node.save(update_fields=["title"])
            audit_record(
                actor=actor, verb="update", target=node, programme_id=programme.pk, changes=changes
            )


def theme_update(*, actor, theme: Theme, title: dict[str, str]) -> Theme:
    _title_update(actor=actor, node=theme, programme=theme.programme, title=title)
    return theme


def goal_update(*, actor, goal: Goal, title: dict[str, str]) -> Goal:
    _title_update(actor=actor, node=goal, programme=goal.theme.programme, title=title)
    return goal


# -- actions ---------------------------------------------------------------------------------


def _check_organisations(programme: Programme, organisations: Sequence[Organisation]) -> None:
    if any(o.region_id != programme.region_id for o in organisations):
        raise ValidationError(_("An organisation of another region cannot take part."))


def _set_parties(
    action: Action, responsible: Sequence[Organisation], partners: Sequence[Organisation]
) -> dict[str, tuple[Any, Any]]:
    """Replace the action's programme-wide parties (not the units municipalities named)."""
    language = action.programme.language
    current = list(
        action.party_links.filter(municipality__isnull=True)
        .select_related("organisation")
        .order_by("position", "id")
    )
    changes: dict[str, tuple[Any, Any]] = {}
    wanted = {
        ActionParty.Role.RESPONSIBLE: list(dict.fromkeys(responsible)),
        ActionParty.Role.PARTNER: list(dict.fromkeys(partners)),
    }
    for role, field in (
        (ActionParty.Role.RESPONSIBLE, "responsible"),
        (ActionParty.Role.PARTNER, "partners"),
    ):
        before = [p.organisation for p in current if p.role == role]
        if [o.pk for o in before] != [o.pk for o in wanted[role]]:
            changes[field] = (_names(before, language), _names(wanted[role], language))
    if changes:
        ActionParty.objects.filter(action=action, municipality__isnull=True).delete()
        ActionParty.objects.bulk_create(
            ActionParty(action=action, organisation=o, role=role, position=i)
            for role, organisations in wanted.items()
            for i, o in enumerate(organisations)
        )
    return changes


def action_update(
    *,
    actor,
    action: Action,
    title: dict[str, str],
    responsible_text: dict[str, str],
    partners_text: dict[str, str],
    followup: dict[str, str],
    responsible_per_municipality: bool,
    responsible: Sequence[Organisation],
    partners: Sequence[Organisation],
) -> Action:
    programme = action.programme
    values: dict[str, Any] = {
        "title": _texts(action.title, title),
        "responsible_text": _texts(action.responsible_text, responsible_text),
        "partners_text": _texts(action.partners_text, partners_text),
        "followup": _texts(action.followup, followup),
        "responsible_per_municipality": responsible_per_municipality,
    }
    _require_own_language(programme, values["title"], _("Action"))
    _check_organisations(programme, [*responsible, *partners])
    with transaction.atomic():
        changes = diff(action, values)
        if changes:
            for field, (_old, new) in changes.items():
                setattr(action, field, new)
            action.save(update_fields=list(changes))
        changes.update(_set_parties(action, responsible, partners))
        if changes:
            audit_record(
                actor=actor,
                verb="update",
                target=action,
                programme_id=programme.pk,
                changes=changes,
            )
    return action


def action_create(
    *,
    actor,
    goal: Goal,
    key: str = "",
    title: dict[str, str],
    responsible_text: dict[str, str] | None = None,
    partners_text: dict[str, str] | None = None,
    followup: dict[str, str] | None = None,
    responsible_per_municipality: bool = False,
    responsible: Sequence[Organisation] = (),
    partners: Sequence[Organisation] = (),
) -> Action:
    """A new action at the end of `goal`; without a key, one is made from its title."""
    programme = goal.theme.programme
    values: dict[str, Any] = {
        "title": _texts({}, title),
        "responsible_text": _texts({}, responsible_text),
        "partners_text": _texts({}, partners_text),
        "followup": _texts({}, followup),
        "responsible_per_municipality": responsible_per_municipality,
    }
    _require_own_language(programme, values["title"], _("Action"))
    _check_organisations(programme, [*responsible, *partners])
    with transaction.atomic():
        taken = set(Action.objects.filter(programme=programme).values_list("key", flat=True))
        key = _key_for(key, pick(values["title"], programme.language), taken, "action")
        _lock_goals({goal.pk})
        action = Action.objects.create(
            programme=programme,
            goal=goal,
            key=key,
            position=Action.objects.filter(goal=goal).count(),
            **values,
        )
        action.programme = programme
        _set_parties(action, responsible, partners)
        language = programme.language
        changes: dict[str, tuple[Any, Any]] = {
            field: (None, value) for field, value in values.items() if value
        }
        changes["goal"] = (None, _title(goal, language))
        if responsible:
            changes["responsible"] = (None, _names(responsible, language))
        if partners:
            changes["partners"] = (None, _names(partners, language))
        audit_record(
            actor=actor, verb="create", target=action, programme_id=programme.pk, changes=changes
        )
    return action


def _renumber(actions: list[Action]) -> None:
    """Positions 0..n-1 in the list's order, written only where they changed."""
    changed = []
    for position, action in enumerate(actions):
        if action.position != position:
            action.position = position
            changed.append(action)
    Action.objects.bulk_update(changed, ["position"])


def _lock_goals(goal_ids: set[int]) -> dict[int, Goal]:
    """Lock the goals (always in the same order) while their actions' positions change.

    Two quick moves, additions or removals in a goal are then made one after the other, each
    on what the other left, so positions stay dense 0..n-1. (SQLite writes one transaction at
    a time anyway; PostgreSQL waits on these row locks.)
    """
    goals = (
        Goal.objects.select_for_update(of=("self",)).select_related("theme").filter(pk__in=goal_ids)
    )
    return {goal.pk: goal for goal in goals.order_by("pk")}


def _actions_of(goal_id: int) -> list[Action]:
    return list(Action.objects.filter(goal_id=goal_id).order_by("position", "id"))


def action_move(
    *,
    actor,
    action: Action,
    direction: Literal["up", "down"] | None = None,
    goal: Goal | None = None,
) -> Action:
    """Move the action one place up or down in its goal, or to the end of another goal."""
    programme = action.programme
    if (goal is None) == (direction is None):
        raise ValueError("Give either a direction or a goal.")
    if goal is not None and goal.theme.programme_id != programme.pk:
        raise ValidationError(_("The goal is not in this programme."))
    language = programme.language
    with transaction.atomic():
        # Where the action is now, not where the (possibly stale) page saw it.
        old_goal_id = Action.objects.values_list("goal_id", flat=True).get(pk=action.pk)
        new_goal_id = goal.pk if goal is not None else old_goal_id
        goals = _lock_goals({old_goal_id, new_goal_id})
        source = _actions_of(old_goal_id)
        moved = next((a for a in source if a.pk == action.pk), None)
        if moved is None:
            raise ValidationError(_("The action was moved meanwhile. Reload the page."))
        old_place = source.index(moved)
        if new_goal_id == old_goal_id and direction is None:
            return action
        if new_goal_id == old_goal_id:
            new_place = old_place - 1 if direction == "up" else old_place + 1
            if not 0 <= new_place < len(source):
                _renumber(source)
                return action
            source.insert(new_place, source.pop(old_place))
            _renumber(source)
            changes: dict[str, tuple[Any, Any]] = {"position": (old_place + 1, new_place + 1)}
        else:
            source.remove(moved)
            _renumber(source)
            target = _actions_of(new_goal_id)
            new_place = len(target)
            moved.goal = goals[new_goal_id]
            moved.position = new_place
            moved.save(update_fields=["goal", "position"])
            _renumber([*target, moved])
            changes = {
                "goal": (
                    _title(goals[old_goal_id], language),
                    _title(goals[new_goal_id], language),
                ),
                "position": (old_place + 1, new_place + 1),
            }
        audit_record(
            actor=actor, verb="move", target=moved, programme_id=programme.pk, changes=changes
        )
    action.goal, action.position = moved.goal, moved.position
    return action


def _indicator_values(indicator: Indicator) -> dict[str, Any]:
    return {field: getattr(indicator, field) for field in INDICATOR_FIELDS}


def action_delete(*, actor, action: Action) -> None:
    """Remove the action, its parties and its indicators; the rest of its goal closes up."""
    programme = action.programme
    with transaction.atomic():
        for indicator in action.indicators.all():
            _indicator_removed(actor, indicator, action)
        changes = {
            field: (getattr(action, field), None)
            for field in ("title", "responsible_text", "partners_text", "followup")
            if getattr(action, field)
        }
        audit_record(
            actor=actor, verb="delete", target=action, programme_id=programme.pk, changes=changes
        )
        goal_id = action.goal_id
        _lock_goals({goal_id})
        action.delete()
        _renumber(_actions_of(goal_id))


# -- the units each municipality names -------------------------------------------------------


def municipal_units_set(
    *,
    actor,
    action: Action,
    municipality: Municipality,
    organisations: Sequence[Organisation],
    new_unit: str = "",
) -> list[Organisation]:
    """Name `municipality`'s responsible units for an action that is set per municipality.

    `new_unit` (a name) adds a new unit organisation of that municipality and names it too.
    """
    programme = action.programme
    language = programme.language
    if not action.responsible_per_municipality:
        raise ValidationError(_("This action's responsible party is not set per municipality."))
    if not programme.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError(_("The municipality is not one of the programme's."))
    if any(
        o.region_id != programme.region_id or o.municipality_id not in (None, municipality.pk)
        for o in organisations
    ):
        raise ValidationError(_("Choose organisations of the region or of this municipality."))
    wanted = list(dict.fromkeys(organisations))
    with transaction.atomic():
        new_unit = new_unit.strip()
        if new_unit:
            region = programme.region
            taken = set(Organisation.objects.filter(region=region).values_list("key", flat=True))
            unit = Organisation.objects.create(
                region=region,
                municipality=municipality,
                kind=Organisation.Kind.MUNICIPAL_UNIT,
                key=_key_for("", f"{municipality.code}-{new_unit}", taken, "unit"),
                name={language: new_unit},
            )
            audit_record(
                actor=actor,
                verb="create",
                target=unit,
                programme_id=programme.pk,
                changes={"name": (None, unit.name), "municipality": (None, str(municipality))},
            )
            wanted.append(unit)
        current = [
            p.organisation
            for p in ActionParty.objects.filter(action=action, municipality=municipality)
            .select_related("organisation")
            .order_by("position", "id")
        ]
        if [o.pk for o in current] != [o.pk for o in wanted]:
            ActionParty.objects.filter(action=action, municipality=municipality).delete()
            ActionParty.objects.bulk_create(
                ActionParty(
                    action=action,
                    organisation=o,
                    role=ActionParty.Role.RESPONSIBLE,
                    municipality=municipality,
                    position=i,
                )
                for i, o in enumerate(wanted)
            )
            audit_record(
                actor=actor,
                verb="update",
                target=action,
                programme_id=programme.pk,
                # One field per municipality: the history can say whose units changed.
                changes={
                    f"units:{municipality.code}": (
                        _names(current, language),
                        _names(wanted, language),
                    )
                },
            )
    return wanted


# -- indicators ------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "name",
    "kind",
    "unit",
    "period",
    "target_type",
    "target_min",
    "target_max",
    "target_direction",
    "target_years",
    "counts_people",
)


def _target(
    target_type: str,
    target_min: Decimal | None,
    target_max: Decimal | None,
    target_direction: str,
    target_years: int | None,
) -> dict[str, Any]:
    """The target's fields, those of other target types emptied."""
    kind = Indicator.TargetType
    return {
        "target_type": target_type,
        "target_min": target_min if target_type == kind.BAND else None,
        "target_max": target_max if target_type == kind.BAND else None,
        "target_direction": target_direction if target_type == kind.DIRECTION else "",
        "target_years": target_years if target_type == kind.EVERY_N_YEARS else None,
    }


def _lock_action(action: Action) -> None:
    """Lock the action while its indicators' keys and positions change (see _lock_goals)."""
    list(Action.objects.select_for_update().filter(pk=action.pk).values_list("pk"))


def _indicator_removed(actor, indicator: Indicator, action: Action) -> None:
    changes = {
        f: (v, None)
        for f, v in _indicator_values(indicator).items()
        if v not in ("", None) and v is not False
    }
    # The action's key ties the removed indicator to the action's history.
    changes["action"] = (action.key, None)
    audit_record(
        actor=actor,
        verb="delete",
        target=indicator,
        programme_id=action.programme_id,
        changes=changes,
    )


def indicator_create(
    *,
    actor,
    action: Action,
    key: str = "",
    name: dict[str, str],
    kind: str,
    unit: dict[str, str] | None = None,
    period: str = Indicator.Period.YEAR,
    target_type: str = "",
    target_min: Decimal | None = None,
    target_max: Decimal | None = None,
    target_direction: str = "",
    target_years: int | None = None,
    scope: str | None = None,
    counts_people: bool = False,
    source: str | None = None,
    query: str = "",
    query_kinds: Sequence[str] = (),
    query_survey: str = "",
    query_question: str = "",
) -> Indicator:
    programme = action.programme
    values = {
        "name": _texts({}, name),
        "kind": kind,
        "unit": _texts({}, unit),
        "period": period,
        **_target(target_type, target_min, target_max, target_direction, target_years),
        "scope": scope or Indicator.Scope.MUNICIPALITY,
        "counts_people": counts_people,
        **_counting(
            source or Indicator.Source.MANUAL, query, query_kinds, query_survey, query_question
        ),
    }
    _check_counting(programme, values)
    _require_own_language(programme, values["name"], _("Name"))
    with transaction.atomic():
        _lock_action(action)
        siblings = list(Indicator.objects.filter(action=action).values_list("key", flat=True))
        key = _key_for(key, pick(values["name"], programme.language), set(siblings), "indicator")
        indicator = Indicator.objects.create(
            action=action, key=key, position=len(siblings), **values
        )
        # What was given: not the empty texts and fields, nor `counts_people` left False.
        changes = {
            f: (None, v) for f, v in values.items() if v not in ("", None, {}) and v is not False
        }
        changes["action"] = (None, action.key)
        audit_record(
            actor=actor,
            verb="create",
            target=indicator,
            programme_id=programme.pk,
            changes=changes,
        )
        if indicator.source == Indicator.Source.REGISTRY:
            _recount(indicator)
    return indicator


def indicator_update(
    *,
    actor,
    indicator: Indicator,
    name: dict[str, str],
    kind: str,
    unit: dict[str, str],
    period: str,
    target_type: str,
    target_min: Decimal | None,
    target_max: Decimal | None,
    target_direction: str,
    target_years: int | None,
    scope: str | None = None,
    counts_people: bool | None = None,
    source: str | None = None,
    query: str = "",
    query_kinds: Sequence[str] = (),
    query_survey: str = "",
    query_question: str = "",
) -> Indicator:
    """Change the indicator; `scope` None keeps where it is followed up, `counts_people` None
    whether its figure is a number of people, `source` None where its values come from."""
    programme = indicator.action.programme
    values = {
        "name": _texts(indicator.name, name),
        "kind": kind,
        "unit": _texts(indicator.unit, unit),
        "period": period,
        **_target(target_type, target_min, target_max, target_direction, target_years),
        "scope": indicator.scope if scope is None else scope,
        "counts_people": indicator.counts_people if counts_people is None else counts_people,
    }
    if source is not None:
        values.update(_counting(source, query, query_kinds, query_survey, query_question))
    _check_counting(programme, {**{f: getattr(indicator, f) for f in _COUNTING_FIELDS}, **values})
    _require_own_language(programme, values["name"], _("Name"))
    with transaction.atomic():
        changes = diff(indicator, values)
        if changes:
            for field, (_old, new) in changes.items():
                setattr(indicator, field, new)
            indicator.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                verb="update",
                target=indicator,
                programme_id=programme.pk,
                changes=changes,
            )
            if status_fields_changed(changes):
                # The values' statuses were judged against the old target: judge them again.
                statuses_recompute(indicators=[indicator])
            if indicator.source == Indicator.Source.REGISTRY and {
                "source",
                "query",
                "query_kinds",
                "query_survey",
                "query_question",
                "scope",
                "period",
                "kind",
            } & set(changes):
                _recount(indicator)
    return indicator


# What says where an indicator's values come from.
_COUNTING_FIELDS = ("query", "query_kinds", "query_survey", "query_question")


def _counting(
    source: str,
    query: str,
    query_kinds: Sequence[str],
    query_survey: str = "",
    query_question: str = "",
) -> dict:
    """Where an indicator's values come from: typed in, or counted (a query, some kinds; for
    a survey, its key and a question)."""
    if source != Indicator.Source.REGISTRY:
        return {
            "source": Indicator.Source.MANUAL,
            "query": "",
            "query_kinds": [],
            "query_survey": "",
            "query_question": "",
        }
    if not query:
        raise ValidationError({"query": _("Choose what is counted.")})
    survey = query == Indicator.Query.SURVEY
    return {
        "source": source,
        "query": query,
        "query_kinds": sorted(set(query_kinds)),
        "query_survey": (query_survey or "").strip() if survey else "",
        "query_question": (query_question or "").strip() if survey else "",
    }


# The kinds of indicator each query may count: those whose value is a number of records (a
# milestone or a survey is not), and for a service statistic also "statistics", for the
# median, which has decimals. (Placements sum their people; friend persons are counted, with
# the households they are matched with as a "count with participants"' participants.) A
# survey's number of answers is a count, a share answering a question a survey.
_NUMBERS = (
    Indicator.Kind.COUNT,
    Indicator.Kind.COUNT_WITH_PARTICIPANTS,
    Indicator.Kind.FREQUENCY_BAND,
)
COUNTED_KINDS: dict[str, tuple[str, ...]] = {
    Indicator.Query.ACTIVITIES: _NUMBERS,
    Indicator.Query.STATISTIC: (
        Indicator.Kind.COUNT,
        Indicator.Kind.FREQUENCY_BAND,
        Indicator.Kind.STATISTICS,
    ),
    Indicator.Query.VOLUNTEERS: _NUMBERS,
    # The number of a placement is already people: there are no participants to count.
    Indicator.Query.PLACEMENTS: (Indicator.Kind.COUNT, Indicator.Kind.FREQUENCY_BAND),
    Indicator.Query.SURVEY: (Indicator.Kind.COUNT, Indicator.Kind.SURVEY),
    # The language versions published, and the pages' views and downloads: counts of
    # material and of reads, never participants.
    Indicator.Query.INFORMATION_CREATED: (Indicator.Kind.COUNT, Indicator.Kind.FREQUENCY_BAND),
    Indicator.Query.INFORMATION_USED: (Indicator.Kind.COUNT,),
}

# The queries counted from the information pages, whose `query_kinds` are language codes.
_INFORMATION_QUERIES = (Indicator.Query.INFORMATION_CREATED, Indicator.Query.INFORMATION_USED)


def query_kind_choices(query: str) -> list[tuple[str, Any]]:
    """(value, label) of what `query` may name in `query_kinds`: the kinds of activity, the
    service statistics' measures, the kinds of place, the languages of the information pages;
    friend persons take none."""
    # Imported here: the registries build on the programmes, not the other way round.
    from hemma.registries.models import Activity, Placement, ServiceStatistic

    languages = [(code, local_name(code)) for code in CONTENT_LANGUAGES]
    choices: dict[str, list[tuple[str, Any]]] = {
        Indicator.Query.ACTIVITIES: Activity.Kind.choices,
        Indicator.Query.STATISTIC: ServiceStatistic.Measure.choices,
        Indicator.Query.PLACEMENTS: Placement.Kind.choices,
        Indicator.Query.INFORMATION_CREATED: languages,
        Indicator.Query.INFORMATION_USED: languages,
    }
    return choices.get(query, [])


def counting_problems(
    *,
    kind: str,
    scope: str | None,
    query: str,
    query_kinds: Sequence[str],
    survey: str = "",
    question: str = "",
    surveys: "Mapping[str, SurveyToCount] | None" = None,
    document: bool = False,
) -> list[tuple[str, str]]:
    """What is wrong with counting an indicator of `kind` and `scope` by `query` and
    `query_kinds` (hemma/registries/computing.py), for a survey's answers `survey` and
    `question` (hemma/surveys/counting.py): (field, message) pairs, none when it may.

    The one place of these rules, for the indicator form, the services below and the
    programme format (hemma.programmes.interchange.validation, which passes `document` to
    have the values named by their codes and the format's fields, as a document writes them;
    otherwise by their labels, as the form shows them). The fields are the Indicator's:
    "query", "query_kinds", "query_survey", "query_question", "kind", "scope". `scope` None:
    not known, not checked. `surveys` (hemma.surveys.counting.surveys_to_count) are the
    programme's latest surveys by key; None: not known (a document read on its own).

    - The query is one of the list (never written by a user).
    - The indicator is of a kind the query counts (COUNTED_KINDS).
    - Activities and places: `query_kinds` are kinds of activity (of place); none is every
      kind. A service statistic: exactly one measure, and a median, which is not summed over
      the municipalities, is not of the region as a whole. Friend persons: no kinds. The
      information pages: `query_kinds` are content language codes; none is every language.
    - A survey: its key is required. Without a question it counts the answers (a count, no
      kinds); with one, the share choosing one of `query_kinds` (a survey, at least one
      choice). Where the programme has a survey of the key, the question is one of its
      latest's, answered by a choice, and the kinds are that question's choices; where it
      has none yet, the question and choices are taken as given.
    """
    # Imported here: the registries build on the programmes, not the other way round.
    from hemma.registries.models import ServiceStatistic

    def named(value: str, choices) -> str:
        return value if document else str(dict(choices).get(value, value))

    def listed(values, choices) -> str:
        return ", ".join(named(v, choices) for v in values)

    if query not in COUNTED_KINDS:
        return [("query", _("Choose what is counted."))]
    if query == Indicator.Query.SURVEY:
        return _survey_counting_problems(
            kind=kind,
            kinds=list(query_kinds or []),
            survey=survey,
            question=question,
            surveys=surveys,
            document=document,
        )
    problems: list[tuple[str, str]] = []
    allowed = COUNTED_KINDS[query]
    if kind not in allowed:
        kinds = Indicator.Kind.choices
        problems.append(
            (
                "kind",
                _("an indicator of kind “%(kind)s” cannot be counted; use one of: %(kinds)s")
                % {"kind": named(kind, kinds), "kinds": listed(allowed, kinds)}
                if document
                else _(
                    "An indicator of kind “%(kind)s” cannot be counted from this source: "
                    "choose one of: %(kinds)s."
                )
                % {"kind": named(kind, kinds), "kinds": listed(allowed, kinds)},
            )
        )
    kinds_given = list(query_kinds or [])
    choices = query_kind_choices(query)
    known = [value for value, _label in choices]
    if query == Indicator.Query.VOLUNTEERS:
        if kinds_given:
            problems.append(
                (
                    "query_kinds",
                    _("friend persons are counted without kinds: leave out “kinds”")
                    if document
                    else _("Friend persons are counted without kinds: choose none."),
                )
            )
    elif query == Indicator.Query.STATISTIC:
        if len(kinds_given) != 1 or kinds_given[0] not in known:
            problems.append(
                (
                    "query_kinds",
                    _("a service statistic is exactly one measure in “kinds”, one of: %(measures)s")
                    % {"measures": ", ".join(known)}
                    if document
                    else _("Choose the one service statistic the indicator takes."),
                )
            )
        elif scope == Indicator.Scope.REGION and kinds_given[0] not in ServiceStatistic.COUNTS:
            problems.append(
                (
                    "scope",
                    _(
                        "“%(measure)s” is a median, which is not summed over the "
                        "municipalities: follow it up in each municipality (leave out "
                        "“scope: region”)"
                    )
                    % {"measure": kinds_given[0]}
                    if document
                    else _(
                        "A median is not summed over the municipalities: follow this "
                        "indicator up in each municipality."
                    ),
                )
            )
    else:
        unknown = [k for k in kinds_given if k not in known]
        measures = ServiceStatistic.Measure.values
        if unknown and query == Indicator.Query.ACTIVITIES and set(unknown) <= set(measures):
            problems.append(
                (
                    "query_kinds",
                    _(
                        "“%(kinds)s” are service statistics, not kinds of activity: write "
                        "“query: statistic”"
                    )
                    % {"kinds": ", ".join(sorted(unknown))}
                    if document
                    else _("Choose among the kinds of activity."),
                )
            )
        elif unknown and query in _INFORMATION_QUERIES:
            problems.append(
                (
                    "query_kinds",
                    _("“%(kinds)s” are not language codes; use those of: %(known)s")
                    % {"kinds": ", ".join(unknown), "known": ", ".join(known)}
                    if document
                    else _("Choose among the languages."),
                )
            )
        elif unknown and query == Indicator.Query.ACTIVITIES:
            problems.append(
                (
                    "query_kinds",
                    _("“%(kinds)s” are not kinds of activity; use those of: %(known)s")
                    % {"kinds": ", ".join(unknown), "known": ", ".join(known)}
                    if document
                    else _("Choose among the kinds of activity."),
                )
            )
        elif unknown:
            problems.append(
                (
                    "query_kinds",
                    _("“%(kinds)s” are not kinds of place; use those of: %(known)s")
                    % {"kinds": ", ".join(unknown), "known": ", ".join(known)}
                    if document
                    else _("Choose among the kinds of place."),
                )
            )
    return problems


def _survey_counting_problems(
    *,
    kind: str,
    kinds: list[str],
    survey: str,
    question: str,
    surveys: "Mapping[str, SurveyToCount] | None",
    document: bool,
) -> list[tuple[str, str]]:
    """counting_problems for the answers to a survey."""
    problems: list[tuple[str, str]] = []
    if not survey:
        problems.append(
            (
                "query_survey",
                _("name the survey whose answers are counted in “survey”, by its key")
                if document
                else _("Choose the survey whose answers are counted."),
            )
        )
    if question and kind != Indicator.Kind.SURVEY:
        problems.append(
            (
                "kind",
                _("a share of those answering a question is of kind “survey”")
                if document
                else _("A share of those answering a question is an indicator of kind “Survey”."),
            )
        )
    elif not question and kind != Indicator.Kind.COUNT:
        problems.append(
            (
                "kind",
                _("the number of answers is of kind “count”; name a question for a share")
                if document
                else _(
                    "The number of answers is an indicator of kind “Count”; choose a question "
                    "for a share."
                ),
            )
        )
    if not question:
        if kinds:
            problems.append(
                (
                    "query_kinds",
                    _("the number of answers takes no “kinds”: name the question in “question”")
                    if document
                    else _("Choose the answers counted only with a question."),
                )
            )
        return problems
    found = (surveys or {}).get(survey)
    counted = None if found is None else found.questions.get(question)
    if found is not None and counted is None:
        problems.append(
            (
                "query_question",
                _("“%(question)s” is not a question of the survey “%(survey)s” of %(period)s")
                % {"question": question, "survey": survey, "period": found.period}
                if document
                else _("This is not a question of the survey's latest year (%(period)s).")
                % {"period": found.period},
            )
        )
    elif counted is not None and not counted.has_choices:
        problems.append(
            (
                "query_question",
                _("“%(question)s” is not answered by choosing: name a choice question")
                % {"question": question}
                if document
                else _("Choose a single or multiple choice question: its answers are counted."),
            )
        )
    if not kinds:
        problems.append(
            (
                "query_kinds",
                _("a share names the answers counted in “kinds”: choices of the question")
                if document
                else _("Choose the answers counted."),
            )
        )
    elif counted is not None and counted.has_choices:
        unknown = [k for k in kinds if k not in counted.choices]
        if unknown:
            problems.append(
                (
                    "query_kinds",
                    _(
                        "“%(kinds)s” are not choices of the question “%(question)s”; use those of: "
                        "%(known)s"
                    )
                    % {
                        "kinds": ", ".join(unknown),
                        "question": question,
                        "known": ", ".join(counted.choices),
                    }
                    if document
                    else _("Choose among the answers to the question."),
                )
            )
    return problems


def _check_counting(programme: Programme, values: dict) -> None:
    """Refuse counting that counting_problems finds wrong (nothing to check when typed in),
    a survey's question checked against the programme's latest survey of its key."""
    query = values["query"]
    if not query:
        return
    surveys = None
    if query == Indicator.Query.SURVEY:
        # Imported here: the surveys build on the programmes, not the other way round.
        from hemma.surveys.counting import surveys_to_count

        surveys = surveys_to_count(programme)
    problems = counting_problems(
        kind=values["kind"],
        scope=values["scope"],
        query=query,
        query_kinds=values["query_kinds"],
        survey=values["query_survey"],
        question=values["query_question"],
        surveys=surveys,
    )
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)


def _recount(indicator: Indicator) -> None:
    """Count the values of an indicator whose counting changed, where the registries have
    records of it — as an import does: years without records keep what was typed in."""
    # Imported here: the registries build on the programmes, not the other way round.
    from hemma.registries.computing import indicators_recount

    indicators_recount(indicators=[indicator])


def indicator_delete(*, actor, indicator: Indicator) -> None:
    action = indicator.action
    with transaction.atomic():
        _indicator_removed(actor, indicator, action)
        _lock_action(action)
        indicator.delete()
        rest = list(Indicator.objects.filter(action=action).order_by("position", "id"))
        for position, other in enumerate(rest):
            other.position = position
        Indicator.objects.bulk_update(rest, ["position"])


# -- import from the web ---------------------------------------------------------------------
#
# Between the preview and the confirmation the uploaded file waits on the server, under
# DATA_DIR/imports/<token>.bin with <token>.json beside it (who uploaded it, its name, the
# programme). The browser only holds the random token, which must also be in its session and
# belong to the same user; the confirmation reads the file again and re-runs the whole import,
# so nothing the client sends is trusted. Files are removed on confirmation and swept after an
# hour. (Several app servers need DATA_DIR on shared storage, as they do for the database.)

PENDING_IMPORT_SECONDS = 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PendingImport:
    token: str
    name: str
    data: bytes
    programme_slug: str


def _imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _pending_paths(token: str) -> tuple[Path, Path]:
    folder = _imports_dir()
    return folder / f"{token}.bin", folder / f"{token}.json"


def pending_imports_sweep(*, max_age: int = PENDING_IMPORT_SECONDS) -> int:
    """Remove waiting uploads older than `max_age` seconds; how many files were removed."""
    folder = _imports_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    cutoff = time.time() - max_age
    for path in folder.iterdir():
        if path.suffix in (".bin", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def pending_import_save(*, user, name: str, data: bytes, programme: Programme | None) -> str:
    pending_imports_sweep()
    folder = _imports_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _pending_paths(token)
    data_path.write_bytes(data)
    meta = {
        "user": user.pk,
        "name": name,
        "programme": programme.slug if programme else "",
        "saved": datetime.datetime.now(datetime.UTC).isoformat(),
    }
    meta_path.write_text(json.dumps(meta))
    return token


def pending_import_load(*, user, token: str) -> PendingImport | None:
    """The waiting upload if `token` names one of this user's that has not expired."""
    if not _TOKEN.match(token or ""):
        return None
    data_path, meta_path = _pending_paths(token)
    try:
        meta = json.loads(meta_path.read_text())
        if time.time() - meta_path.stat().st_mtime > PENDING_IMPORT_SECONDS:
            return None
        if meta.get("user") != user.pk:
            return None
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    return PendingImport(token, meta["name"], data, meta.get("programme", ""))


def pending_import_delete(*, token: str) -> None:
    if _TOKEN.match(token or ""):
        for path in _pending_paths(token):
            path.unlink(missing_ok=True)


def _upload_import(
    *, actor, name: str, data: bytes, programme: Programme | None, dry_run: bool
) -> ImportResult:
    suffix = reading.suffix_of(name)
    if programme is None and suffix in reading.TABULAR:
        raise ProblemsFound(
            [
                Problem(
                    _(
                        "A spreadsheet holds only the action table: import it from the "
                        "programme's own page."
                    ),
                    file=name,
                )
            ]
        )
    document = document_from_file(io.BytesIO(data), name=name, programme=programme)
    return programme_import(
        actor=actor,
        document=document,
        dry_run=dry_run,
        file=name,
        regions=policies.regions_user_imports_into(actor),
        into=programme,
    )


def programme_import_try(
    *, actor, stream, name: str, programme: Programme | None = None
) -> tuple[ImportResult, str]:
    """Dry-run an uploaded file; if it would import, keep it for the confirmation.

    Returns what the import would do and the token that confirms it. Raises ProblemsFound.
    """
    name = PurePath(name or "").name[:200]
    data = reading.read_bytes(stream, name=name)
    result = _upload_import(actor=actor, name=name, data=data, programme=programme, dry_run=True)
    token = pending_import_save(user=actor, name=name, data=data, programme=programme)
    return result, token


def programme_import_confirm(
    *, actor, token: str, programme: Programme | None = None
) -> ImportResult:
    """Import the file a preview kept, for real and atomically; ProblemsFound if it cannot."""
    pending = pending_import_load(user=actor, token=token)
    if pending is None or pending.programme_slug != (programme.slug if programme else ""):
        raise ProblemsFound([Problem(_("This preview has expired. Upload the file again."))])
    result = _upload_import(
        actor=actor, name=pending.name, data=pending.data, programme=programme, dry_run=False
    )
    pending_import_delete(token=token)
    return result
