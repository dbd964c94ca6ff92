"""Import a programme document: add, change and remove nodes by key, atomically.

A dry run goes through exactly the same code inside a transaction that is rolled back, so what
it reports is what a real import would do.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_record
from hemma.followup.recompute import STATUS_FIELDS, statuses_recompute
from hemma.lib.problems import Problem, ProblemsFound
from hemma.lib.texts import clean, pick
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import (
    Action,
    ActionParty,
    CouncilDecision,
    Goal,
    Indicator,
    Programme,
    Theme,
)


@dataclass
class Change:
    verb: str  # one of AuditEvent.Verb: create, update, delete, move
    node: str  # programme, theme, goal, action, indicator, organisation, municipality
    key: str
    label: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def verb_display(self) -> str:
        return str(AuditEvent.Verb(self.verb).label)


@dataclass
class ImportResult:
    programme: Programme
    dry_run: bool
    changes: list[Change]

    def count(self, verb: str) -> int:
        return sum(1 for c in self.changes if c.verb == verb)

    @property
    def added(self) -> int:
        return self.count("create")

    @property
    def changed(self) -> int:
        return self.count("update") + self.count("move")

    @property
    def removed(self) -> int:
        return self.count("delete")


class _Importer:
    def __init__(self, *, actor, document: dict, file: str, regions: QuerySet[Region] | None):
        self.actor = actor
        self.doc = document["programme"]
        self.file = file
        self.regions = regions
        self.language = self.doc["language"]
        self.changes: list[Change] = []
        self.programme: Programme
        # Indicators whose target, kind or period changed: their values' statuses are
        # computed again once the whole tree is in place.
        self.retargeted: list[Indicator] = []
        # Indicators whose counting (source, query, kinds) is new or changed: their computed
        # values are counted again from the records once the tree is in place.
        self.recounted: list[Indicator] = []

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, path: str, field: str, message: str) -> None:
        raise ProblemsFound([Problem(message, file=self.file, path=path, field=field)])

    def _label(self, text: dict) -> str:
        return pick(text, self.language)

    def _note(self, verb: str, node: str, obj, label: str, fields=None) -> None:
        fields = fields or {}
        self.changes.append(Change(verb, node, getattr(obj, "key", "") or "", label, fields))
        audit_record(
            actor=self.actor,
            verb=verb,
            target=obj,
            programme_id=getattr(self, "programme", None) and self.programme.pk,
            changes=fields,
        )

    def _upsert(self, model, lookup: dict, values: dict, node: str, label: str, existing=None):
        """Create or update one row; record what changed, ignoring position alone."""
        obj = existing if existing is not None else model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self._note("create", node, obj, label)
            return obj
        changed = {f: (getattr(obj, f), v) for f, v in values.items() if getattr(obj, f) != v}
        if changed:
            for f, (_old, new) in changed.items():
                setattr(obj, f, new)
            obj.save(update_fields=list(changed))
            reported = {f: ch for f, ch in changed.items() if f != "position"}
            if reported:
                self._note("update", node, obj, label, reported)
        return obj

    # -- the document ------------------------------------------------------------------------

    def run(self) -> Programme:
        region = self._region()
        municipalities = self._municipalities(region)
        self._programme(region, municipalities)
        organisations = self._organisations(region, municipalities)
        self._council_decisions(municipalities)
        self._tree(organisations, municipalities)
        statuses_recompute(indicators=self.retargeted)
        self._recount()
        return self.programme

    def _recount(self) -> None:
        """Count again the values of the indicators whose counting changed, where the
        registries have records of them; years without records keep typed-in history."""
        if not self.recounted:
            return
        # Imported here: the registries build on the programmes, not the other way round.
        from hemma.registries.computing import indicators_recount

        for indicator in self.recounted:
            indicator.action.programme = self.programme
        indicators_recount(indicators=self.recounted)

    def _region(self) -> Region:
        data = self.doc["region"]
        region = Region.objects.filter(key=data["key"]).first()
        allowed = self.regions is None or (
            region is not None and self.regions.filter(pk=region.pk).exists()
        )
        if not allowed:
            self._fail(
                "programme.region",
                "key",
                _("You may not import into the region “%(key)s”.") % {"key": data["key"]},
            )
        return self._upsert(
            Region,
            {"key": data["key"]},
            {"name": clean(data["name"])},
            "region",
            self._label(data["name"]),
            existing=region,
        )

    def _municipalities(self, region: Region) -> dict[str, Municipality]:
        found = {}
        for i, data in enumerate(self.doc["municipalities"]):
            existing = Municipality.objects.filter(code=data["code"]).first()
            if existing and existing.region_id != region.pk:
                self._fail(
                    f"programme.municipalities[{i}]",
                    "code",
                    _("Municipality %(code)s belongs to another region.") % {"code": data["code"]},
                )
            found[data["code"]] = self._upsert(
                Municipality,
                {"code": data["code"]},
                {"name": clean(data["name"]), "region": region},
                "municipality",
                self._label(data["name"]),
                existing=existing,
            )
        return found

    def _programme(self, region: Region, municipalities: dict[str, Municipality]) -> None:
        doc = self.doc
        existing = Programme.objects.filter(slug=doc["slug"]).first()
        if existing and existing.region_id != region.pk:
            self._fail(
                "programme",
                "slug",
                _("A programme “%(slug)s” exists in another region.") % {"slug": doc["slug"]},
            )
        next_review = doc.get("next_review")
        values = {
            "region": region,
            "language": doc["language"],
            "title": clean(doc["title"]),
            "kind": doc["kind"],
            "legal_basis": doc.get("legal_basis", ""),
            "period_start": doc["period"]["start"],
            "period_end": doc["period"]["end"],
            "status": doc["status"],
            "next_review": datetime.date.fromisoformat(next_review) if next_review else None,
            "translation_notes": clean(doc.get("translations")),
        }
        self.programme_is_new = existing is None
        self.programme = self._upsert(
            Programme,
            {"slug": doc["slug"]},
            values,
            "programme",
            self._label(doc["title"]),
            existing=existing,
        )
        before = set(self.programme.municipalities.values_list("code", flat=True))
        after = set(municipalities)
        if before != after:
            self.programme.municipalities.set(municipalities.values())
            if not self.programme_is_new:
                self._note(
                    "update",
                    "programme",
                    self.programme,
                    str(self.programme),
                    {"municipalities": (sorted(before), sorted(after))},
                )

    def _organisations(self, region, municipalities) -> dict[str, Organisation]:
        found = {}
        for data in self.doc.get("organisations", []):
            code = data.get("municipality")
            found[data["key"]] = self._upsert(
                Organisation,
                {"region": region, "key": data["key"]},
                {
                    "name": clean(data["name"]),
                    "kind": data["kind"],
                    "municipality": municipalities[code] if code else None,
                },
                "organisation",
                self._label(data["name"]),
            )
        return found

    def _council_decisions(self, municipalities) -> None:
        def as_tuple(code, body, date, section):
            return (code, tuple(sorted(clean(body).items())), str(date), section)

        current = self.programme.council_decisions.select_related("municipality")
        before = [as_tuple(d.municipality.code, d.body, d.date, d.section) for d in current]
        wanted = [
            as_tuple(d["municipality"], d["body"], d["date"], d.get("section", ""))
            for d in self.doc.get("council_decisions", [])
        ]
        if before == wanted:
            return
        self.programme.council_decisions.all().delete()
        CouncilDecision.objects.bulk_create(
            CouncilDecision(
                programme=self.programme,
                municipality=municipalities[d["municipality"]],
                body=clean(d["body"]),
                date=datetime.date.fromisoformat(d["date"]),
                section=d.get("section", ""),
            )
            for d in self.doc.get("council_decisions", [])
        )
        if not self.programme_is_new:
            self._note(
                "update",
                "programme",
                self.programme,
                str(self.programme),
                {"council_decisions": (len(before), len(wanted))},
            )

    def _tree(self, organisations, municipalities) -> None:
        programme = self.programme
        themes = {t.key: t for t in programme.themes.all()}
        goals = {(g.theme_id, g.key): g for g in Goal.objects.filter(theme__programme=programme)}
        actions = {a.key: a for a in programme.actions.select_related("goal")}
        kept_themes, kept_goals, kept_actions = set(), set(), set()

        for t_pos, t_data in enumerate(self.doc["themes"]):
            theme = self._upsert(
                Theme,
                {"programme": programme, "key": t_data["key"]},
                {"title": clean(t_data["title"]), "position": t_pos},
                "theme",
                self._label(t_data["title"]),
                existing=themes.get(t_data["key"]),
            )
            kept_themes.add(theme.pk)
            for g_pos, g_data in enumerate(t_data["goals"]):
                goal = self._upsert(
                    Goal,
                    {"theme": theme, "key": g_data["key"]},
                    {"title": clean(g_data["title"]), "position": g_pos},
                    "goal",
                    self._label(g_data["title"]),
                    existing=goals.get((theme.pk, g_data["key"])),
                )
                kept_goals.add(goal.pk)
                for a_pos, a_data in enumerate(g_data["actions"]):
                    action = self._action(
                        goal,
                        a_pos,
                        a_data,
                        actions.get(a_data["key"]),
                        organisations,
                        municipalities,
                    )
                    kept_actions.add(action.pk)

        for action in actions.values():
            if action.pk not in kept_actions:
                self._note("delete", "action", action, self._label(action.title))
                action.delete()
        for goal in goals.values():
            if goal.pk not in kept_goals:
                self._note("delete", "goal", goal, self._label(goal.title))
                goal.delete()
        for theme in themes.values():
            if theme.pk not in kept_themes:
                self._note("delete", "theme", theme, self._label(theme.title))
                theme.delete()

    def _action(self, goal, position, data, existing, organisations, municipalities) -> Action:
        label = self._label(data["title"])
        values = {
            "title": clean(data["title"]),
            "responsible_per_municipality": data.get("responsible_per_municipality", False),
            "responsible_text": clean(data.get("responsible_text")),
            "partners_text": clean(data.get("partners_text")),
            "followup": clean(data.get("followup")),
            "position": position,
        }
        if existing is not None and existing.goal_id != goal.pk:
            old_goal = existing.goal
            existing.goal = goal
            existing.save(update_fields=["goal"])
            self._note("move", "action", existing, label, {"goal": (str(old_goal), str(goal))})
        action = self._upsert(
            Action,
            {"programme": self.programme, "key": data["key"]},
            {**values, "goal": goal},
            "action",
            label,
            existing=existing,
        )
        self._parties(action, data, organisations, municipalities, label)
        self._indicators(action, data.get("indicators", []))
        return action

    def _parties(self, action, data, organisations, municipalities, label) -> None:
        wanted = [(organisations[k].pk, "responsible", None) for k in data.get("responsible", [])]
        wanted += [(organisations[k].pk, "partner", None) for k in data.get("partners", [])]
        for entry in data.get("municipal_responsible", []):
            municipality = municipalities[entry["municipality"]]
            wanted += [
                (organisations[k].pk, "responsible", municipality.pk)
                for k in entry["organisations"]
            ]
        wanted = _canonical(list(dict.fromkeys(wanted)))  # a key listed twice is one party
        current = _canonical(
            [
                (p.organisation_id, p.role, p.municipality_id)
                for p in ActionParty.objects.filter(action=action).order_by("position", "id")
            ]
        )
        if current == wanted:
            return
        ActionParty.objects.filter(action=action).delete()
        ActionParty.objects.bulk_create(
            ActionParty(action=action, organisation_id=o, role=r, municipality_id=m, position=i)
            for i, (o, r, m) in enumerate(wanted)
        )
        if current:  # a new action's parties are part of its creation
            before, after = self._described(current), self._described(wanted)
            changes = {
                field: (before.get(field, []), after.get(field, []))
                for field in dict.fromkeys([*before, *after])
                if before.get(field, []) != after.get(field, [])
            }
            self._note("update", "action", action, label, changes)

    def _described(self, rows) -> dict[str, list[str]]:
        """Parties as the history shows them: names by field, as the editing services write."""
        organisations = Organisation.objects.in_bulk({o for o, _r, _m in rows})
        municipalities = Municipality.objects.in_bulk({m for _o, _r, m in rows if m})
        fields: dict[str, list[str]] = {}
        for organisation_id, role, municipality_id in rows:
            organisation = organisations[organisation_id]
            if municipality_id:
                field = f"units:{municipalities[municipality_id].code}"
            else:
                field = "responsible" if role == "responsible" else "partners"
            fields.setdefault(field, []).append(self._label(organisation.name) or organisation.key)
        return fields

    def _indicators(self, action: Action, items: list[dict]) -> None:
        existing = {i.key: i for i in action.indicators.all()} if action.pk else {}
        kept = set()
        for position, data in enumerate(items):
            target = data.get("target") or {}
            values = {
                "name": clean(data["name"]),
                "kind": data["kind"],
                "unit": clean(data.get("unit")),
                "counts_people": data.get("counts_people", False),
                "period": data.get("period", Indicator.Period.YEAR),
                "target_type": target.get("type", ""),
                "target_min": _decimal(target.get("min")),
                "target_max": _decimal(target.get("max")),
                "target_direction": target.get("direction", ""),
                "target_years": target.get("years"),
                **_counting(data),
                "scope": data.get("scope", Indicator.Scope.MUNICIPALITY),
                "position": position,
            }
            before = existing.get(data["key"])
            judged_by = None if before is None else {f: getattr(before, f) for f in STATUS_FIELDS}
            counted_by = None if before is None else {f: getattr(before, f) for f in COUNTING}
            indicator = self._upsert(
                Indicator,
                {"action": action, "key": data["key"]},
                values,
                "indicator",
                self._label(data["name"]),
                existing=before,
            )
            if judged_by is not None and judged_by != {
                f: getattr(indicator, f) for f in STATUS_FIELDS
            }:
                self.retargeted.append(indicator)
            if indicator.source == Indicator.Source.REGISTRY and counted_by != {
                f: getattr(indicator, f) for f in COUNTING
            }:
                self.recounted.append(indicator)
            kept.add(indicator.pk)
        for indicator in existing.values():
            if indicator.pk not in kept:
                self._note("delete", "indicator", indicator, self._label(indicator.name))
                indicator.delete()


# What an indicator counts: a change of any of these counts its values again.
COUNTING = ("source", "query", "query_kinds", "query_survey", "query_question")


def _counting(data: dict) -> dict:
    """The indicator's source, query and kinds (and survey and question) from its `source`
    and `counted_from`."""
    counted = data.get("counted_from") or {}
    return {
        "source": Indicator.Source.REGISTRY if counted else Indicator.Source.MANUAL,
        "query": counted.get("query", ""),
        "query_kinds": list(counted.get("kinds", [])),
        "query_survey": counted.get("survey", ""),
        "query_question": counted.get("question", ""),
    }


def _surveys_of(document: Any, regions: QuerySet[Region] | None) -> dict | None:
    """The latest surveys of the programme the document is, where it exists and may be
    imported into, for checking the questions its indicators count (None: nothing to check
    them against)."""
    try:
        slug = document["programme"]["slug"]
    except (KeyError, TypeError):
        return None
    programmes = Programme.objects.filter(slug=slug)
    if regions is not None:
        programmes = programmes.filter(region__in=regions)
    programme = programmes.first()
    if programme is None:
        return None
    # Imported here: the surveys build on the programmes, not the other way round.
    from hemma.surveys.counting import surveys_to_count

    return surveys_to_count(programme) or None


def _canonical(rows: list[tuple]) -> list[tuple]:
    """Parties in the order the export writes them: responsible, units named by each
    municipality, then partners; each group in its own order.

    Comparing in this order makes a re-import of an export change nothing, whatever order
    the parties were added in on the web.
    """

    def group(row: tuple) -> tuple:
        _organisation, role, municipality = row
        if role != "responsible":
            return (2, 0)
        return (1, municipality) if municipality else (0, 0)

    return sorted(rows, key=group)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def programme_import(
    *,
    actor,
    document: Any,
    dry_run: bool = False,
    file: str = "",
    regions: QuerySet[Region] | None = None,
    into: Programme | None = None,
) -> ImportResult:
    """Import `document` (already parsed) into the database, all or nothing.

    `regions` limits which regions the document may touch (a coordinator's own); None allows
    any (the command line). With `into`, the document must be that programme (an import on
    a programme's own page or address never creates or changes another). Raises
    ProblemsFound with every problem found, changing nothing.
    """
    problems = document_problems(document, file=file, surveys=_surveys_of(document, regions))
    if problems:
        raise ProblemsFound(problems)
    if into is not None and document["programme"]["slug"] != into.slug:
        raise ProblemsFound(
            [
                Problem(
                    _("This document is the programme “%(other)s”, not “%(slug)s”.")
                    % {"other": document["programme"]["slug"], "slug": into.slug},
                    file=file,
                    path="programme.slug",
                    field="slug",
                )
            ]
        )
    with transaction.atomic():
        importer = _Importer(actor=actor, document=document, file=file, regions=regions)
        programme = importer.run()
        if not dry_run:
            audit_record(
                actor=actor,
                verb="import",
                target=programme,
                programme_id=programme.pk,
                changes={"file": (None, file)} if file else {},
            )
        else:
            transaction.set_rollback(True)
    return ImportResult(programme=programme, dry_run=dry_run, changes=importer.changes)
