"""Write a programme as an interchange document (docs/interchange-format.md)."""

import json

import yaml
from django.db.models import Prefetch

from hemma.organisations.models import Organisation
from hemma.programmes.interchange.validation import FORMAT
from hemma.programmes.models import Action, ActionParty, Goal, Indicator, Programme, Theme


def programme_tree(programme: Programme) -> Programme:
    """The programme with its whole tree prefetched: a fixed number of queries at any size."""
    return (
        Programme.objects.filter(pk=programme.pk)
        .select_related("region")
        .prefetch_related(
            "municipalities",
            Prefetch("council_decisions__municipality"),
            Prefetch(
                "themes",
                queryset=Theme.objects.prefetch_related(
                    Prefetch(
                        "goals",
                        queryset=Goal.objects.prefetch_related(
                            Prefetch(
                                "actions",
                                queryset=_actions_queryset(),
                            )
                        ),
                    )
                ),
            ),
        )
        .get()
    )


def _actions_queryset():
    return Action.objects.prefetch_related(
        Prefetch(
            "party_links",
            queryset=ActionParty.objects.select_related("organisation", "municipality"),
        ),
        Prefetch("indicators", queryset=Indicator.objects.all()),
    )


def _text(value: dict) -> dict:
    return dict(value)


def programme_document(programme: Programme) -> dict:
    """The programme as a document that `programme_import` takes back unchanged."""
    programme = programme_tree(programme)
    organisations: dict[str, dict] = {}

    def org_key(party: ActionParty) -> str:
        org = party.organisation
        if org.key not in organisations:
            entry = {"key": org.key, "kind": org.kind, "name": _text(org.name)}
            organisations[org.key] = entry
        return org.key

    themes = []
    for theme in programme.themes.all():
        goals = []
        for goal in theme.goals.all():
            actions = []
            for action in goal.actions.all():
                actions.append(_action(action, org_key))
            goals.append({"key": goal.key, "title": _text(goal.title), "actions": actions})
        themes.append({"key": theme.key, "title": _text(theme.title), "goals": goals})

    # Organisations a municipality named keep their municipality.
    for org in Organisation.objects.filter(
        key__in=organisations, region=programme.region
    ).select_related("municipality"):
        if org.municipality is not None:
            organisations[org.key]["municipality"] = org.municipality.code

    doc: dict = {
        "slug": programme.slug,
        "language": programme.language,
        "title": _text(programme.title),
        "kind": programme.kind,
    }
    if programme.legal_basis:
        doc["legal_basis"] = programme.legal_basis
    doc["period"] = {"start": programme.period_start, "end": programme.period_end}
    doc["status"] = programme.status
    if programme.next_review:
        doc["next_review"] = programme.next_review.isoformat()
    if programme.translation_notes:
        doc["translations"] = _text(programme.translation_notes)
    doc["region"] = {"key": programme.region.key, "name": _text(programme.region.name)}
    doc["municipalities"] = [
        {"code": m.code, "name": _text(m.name)}
        for m in sorted(programme.municipalities.all(), key=lambda m: m.code)
    ]
    decisions = []
    for d in programme.council_decisions.all():
        decision = {
            "municipality": d.municipality.code,
            "body": _text(d.body),
            "date": d.date.isoformat(),
        }
        if d.section:
            decision["section"] = d.section
        decisions.append(decision)
    if decisions:
        doc["council_decisions"] = decisions
    doc["organisations"] = sorted(organisations.values(), key=lambda o: o["key"])
    doc["themes"] = themes
    return {"format": FORMAT, "programme": doc}


def _action(action, org_key) -> dict:
    data: dict = {"key": action.key, "title": _text(action.title)}
    parties = list(action.party_links.all())
    responsible = [org_key(p) for p in parties if p.role == "responsible" and not p.municipality_id]
    if responsible:
        data["responsible"] = responsible
    if action.responsible_per_municipality:
        data["responsible_per_municipality"] = True
    if action.responsible_text:
        data["responsible_text"] = _text(action.responsible_text)
    by_municipality: dict[str, list[str]] = {}
    for p in parties:
        if p.municipality_id:
            by_municipality.setdefault(p.municipality.code, []).append(org_key(p))
    if by_municipality:
        data["municipal_responsible"] = [
            {"municipality": code, "organisations": keys} for code, keys in by_municipality.items()
        ]
    partners = [org_key(p) for p in parties if p.role == "partner"]
    if partners:
        data["partners"] = partners
    if action.partners_text:
        data["partners_text"] = _text(action.partners_text)
    if action.followup:
        data["followup"] = _text(action.followup)
    indicators = []
    for indicator in action.indicators.all():
        entry: dict = {"key": indicator.key, "name": _text(indicator.name), "kind": indicator.kind}
        if indicator.unit:
            entry["unit"] = _text(indicator.unit)
        if indicator.counts_people:  # the default, false, is not written
            entry["counts_people"] = True
        entry["period"] = indicator.period
        if indicator.target:
            entry["target"] = indicator.target
        entry["source"] = indicator.source
        if indicator.query:
            counted: dict = {"query": indicator.query}
            if indicator.query_survey:
                counted["survey"] = indicator.query_survey
            if indicator.query_question:
                counted["question"] = indicator.query_question
            if indicator.query_kinds:  # none: every kind, not written
                counted["kinds"] = list(indicator.query_kinds)
            entry["counted_from"] = counted
        if indicator.scope != Indicator.Scope.MUNICIPALITY:  # the default is not written
            entry["scope"] = indicator.scope
        indicators.append(entry)
    if indicators:
        data["indicators"] = indicators
    return data


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_yaml(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
