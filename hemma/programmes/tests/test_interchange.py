"""Import and export of the interchange format: round trips, updates by key, atomicity."""

import copy
import io
import json

import pytest

from hemma.audit.models import AuditEvent
from hemma.lib.problems import ProblemsFound
from hemma.organisations.models import Municipality
from hemma.programmes.interchange import exporting
from hemma.programmes.interchange.files import document_from_file, export_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Action, Indicator, Programme, Theme

pytestmark = pytest.mark.django_db


def all_actions(document):
    return [a for t in document["programme"]["themes"] for g in t["goals"] for a in g["actions"]]


def test_seed_has_six_themes_and_24_actions(seed_programme):
    assert seed_programme.themes.count() == 6
    assert seed_programme.actions.count() == 24
    assert [t.title["sv"] for t in seed_programme.themes.all()] == [
        "Grunden för inkludering och integration",
        "Sociala förhållanden och nätverk",
        "Hälsa och välbefinnande",
        "Barn och unga",
        "Sysselsättning och kompetens",
        "Boende",
    ]


def test_seed_export_has_the_frequency_bands_as_numeric_targets(seed_programme):
    document = exporting.programme_document(seed_programme)
    bands = {
        a["followup"]["sv"]: i["target"]
        for a in all_actions(document)
        for i in a.get("indicators", [])
        if i["kind"] == "frequency_band"
    }
    assert bands == {
        "Gemensamma möten 2-4 ggr per år": {"type": "band", "min": 2, "max": 4},
        "Gemensamma evenemang 1-3 ggr per år": {"type": "band", "min": 1, "max": 3},
    }


def test_seed_milestone_every_fourth_year(seed_programme):
    indicator = Indicator.objects.get(action__followup__sv="Uppdatering vart fjärde år")
    assert indicator.kind == "milestone"
    assert indicator.target == {"type": "every_n_years", "years": 4}


def test_json_export_then_import_gives_the_same_programme(seed_programme):
    content, content_type, name = export_file(seed_programme, "json")
    assert content_type == "application/json"
    assert name == "integrationsprogram-2023-2025.json"
    exported = json.loads(content)

    # Into an empty database: the same document comes out again.
    Programme.objects.all().delete()
    Municipality.objects.all().delete()
    again = programme_import(
        actor=None, document=document_from_file(io.BytesIO(content), name=name)
    )
    assert exporting.programme_document(again.programme) == exported


def test_reimporting_the_same_document_changes_nothing(seed_programme, seed_document):
    result = programme_import(actor=None, document=seed_document)
    assert result.changes == []
    assert Action.objects.count() == 24


def test_yaml_export_reads_back_the_same(seed_programme):
    content, _type, name = export_file(seed_programme, "yaml")
    document = document_from_file(io.BytesIO(content), name=name)
    assert document == exporting.programme_document(seed_programme)


def test_reimport_updates_in_place_by_key(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    action = document["programme"]["themes"][0]["goals"][0]["actions"][0]
    action["title"]["sv"] = "Integrationsarbetet samordnas av en koordinator"
    action_id = Action.objects.get(key=action["key"]).pk

    result = programme_import(actor=None, document=document)

    assert (result.added, result.changed, result.removed) == (0, 1, 0)
    changed = Action.objects.get(key=action["key"])
    assert changed.pk == action_id
    assert changed.title["sv"] == "Integrationsarbetet samordnas av en koordinator"


def test_nodes_missing_from_the_document_are_removed(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    removed_theme = document["programme"]["themes"].pop()
    removed_actions = sum(len(g["actions"]) for g in removed_theme["goals"])

    result = programme_import(actor=None, document=document)

    assert not Theme.objects.filter(key=removed_theme["key"]).exists()
    assert Action.objects.count() == 24 - removed_actions
    assert {c.node for c in result.changes if c.verb == "delete"} >= {"theme", "goal", "action"}


def test_an_action_moved_to_another_goal_keeps_its_identity(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    themes = document["programme"]["themes"]
    moved = themes[0]["goals"][0]["actions"].pop(0)
    themes[1]["goals"][0]["actions"].append(moved)
    before = Action.objects.get(key=moved["key"]).pk

    result = programme_import(actor=None, document=document)

    action = Action.objects.get(key=moved["key"])
    assert action.pk == before
    assert action.goal.key == themes[1]["goals"][0]["key"]
    assert [c.verb for c in result.changes if c.key == moved["key"]] == ["move"]


def test_dry_run_reports_changes_and_changes_nothing(seed_document):
    result = programme_import(actor=None, document=seed_document, dry_run=True)
    assert result.added > 100
    assert Programme.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_dry_run_reports_the_same_as_the_real_import(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["themes"][2]["title"]["fi"] = "Terveys"
    dry = programme_import(actor=None, document=document, dry_run=True)
    real = programme_import(actor=None, document=document)
    assert [(c.verb, c.node, c.key) for c in dry.changes] == [
        (c.verb, c.node, c.key) for c in real.changes
    ]


def test_a_failing_import_changes_nothing(seed_programme, seed_document, region_b, municipality_b1):
    document = copy.deepcopy(seed_document)
    document["programme"]["themes"][0]["title"]["sv"] = "Ändrad"
    # A municipality of another region: found only after the first changes were made.
    document["programme"]["municipalities"].append({"code": "201", "name": {"sv": "B-stad"}})

    with pytest.raises(ProblemsFound) as raised:
        programme_import(actor=None, document=document)

    assert "201" in str(raised.value.problems[0])
    assert Theme.objects.get(programme=seed_programme, position=0).title["sv"] != "Ändrad"


def test_import_writes_the_audit_trail(seed_programme, seed_document, coordinator_region):
    document = copy.deepcopy(seed_document)
    action = document["programme"]["themes"][0]["goals"][0]["actions"][0]
    old_followup = action["followup"]["sv"]
    action["followup"]["sv"] = "Ny uppföljning"

    programme_import(actor=coordinator_region, document=document, file="new.yaml")

    event = AuditEvent.objects.get(target_type="programmes.action", verb="update")
    assert event.actor == coordinator_region
    assert event.changes["followup"][0]["sv"] == old_followup
    assert event.changes["followup"][1]["sv"] == "Ny uppföljning"
    assert AuditEvent.objects.filter(verb="import", programme_id=seed_programme.pk).exists()


def test_a_coordinator_cannot_import_into_another_region(seed_programme, seed_document, region_b):
    with pytest.raises(ProblemsFound) as raised:
        programme_import(
            actor=None,
            document=seed_document,
            regions=type(region_b).objects.filter(pk=region_b.pk),
        )
    assert raised.value.problems[0].path == "programme.region"


def test_export_reads_in_a_fixed_number_of_queries(seed_programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        exporting.programme_document(seed_programme)


def test_importing_into_a_programme_refuses_another_programmes_document(
    seed_programme, seed_document, programme_a
):
    with pytest.raises(ProblemsFound) as raised:
        programme_import(actor=None, document=seed_document, into=programme_a)
    (problem,) = raised.value.problems
    assert problem.path == "programme.slug"
    assert "integrationsprogram-2023-2025" in problem.message
    assert programme_a.actions.count() == 1


def test_units_named_on_the_web_survive_an_export_and_reimport_unchanged(seed_programme):
    from hemma.organisations.models import Organisation
    from hemma.programmes.services import municipal_units_set

    action = Action.objects.get(programme=seed_programme, key="samordnas-centralt")
    jakobstad = Municipality.objects.get(code="598")
    municipal_units_set(
        actor=None,
        action=action,
        municipality=jakobstad,
        organisations=[Organisation.objects.get(key="fritidssektorn")],
        new_unit="Integrationsenheten",
    )
    document = exporting.programme_document(seed_programme)

    result = programme_import(actor=None, document=document, dry_run=True)

    assert result.changes == []


def test_party_changes_are_reported_by_name(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    action = document["programme"]["themes"][0]["goals"][0]["actions"][0]
    action["partners"] = ["tredje-sektorn", "forsamlingen"]

    result = programme_import(actor=None, document=document, dry_run=True)

    (change,) = result.changes
    assert change.fields == {
        "partners": (
            ["Välfärdsområdet", "Tredje sektorn"],
            ["Tredje sektorn", "Församlingen"],
        )
    }
