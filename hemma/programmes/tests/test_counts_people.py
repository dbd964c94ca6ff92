"""Whether an indicator's figure counts people: written and read wherever its fields are (the
indicator form, the programme document, the action table's indicators sheet, the API)."""

import copy
import io
import json
import re
from html import unescape

import openpyxl
import pytest
from django.test import Client

from hemma.accounts.models import Membership
from hemma.accounts.services import token_create
from hemma.audit.models import AuditEvent
from hemma.lib.problems import ProblemsFound
from hemma.organisations.models import Municipality
from hemma.programmes import services
from hemma.programmes.interchange import exporting
from hemma.programmes.interchange.files import document_from_file, export_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import Indicator, Programme
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

ACTION = "/en/programmes/programme-a/actions/joint-meetings"
FORM = {"name_sv": "Gemensamma möten", "kind": "count", "period": "year"}


def indicators_of(document: dict) -> list[dict]:
    return [
        indicator
        for theme in document["programme"]["themes"]
        for goal in theme["goals"]
        for action in goal["actions"]
        for indicator in action.get("indicators", [])
    ]


def indicator_events(verb: str) -> list[dict]:
    return [
        e.changes
        for e in AuditEvent.objects.filter(verb=verb, target_type="programmes.indicator").order_by(
            "pk"
        )
    ]


@pytest.fixture
def counting_people(action_a) -> Indicator:
    """action_a's indicator, marked as a number of people."""
    indicator = action_a.indicators.get()
    indicator.counts_people = True
    indicator.save()
    return indicator


# -- the indicator form ------------------------------------------------------------------------


def test_the_form_has_the_checkbox_with_the_models_help_text(
    client_for, coordinator_region, counting_people
):
    html = (
        client_for(coordinator_region)
        .get(f"{ACTION}/indicators/{counting_people.key}/edit/")
        .content.decode()
    )

    box = re.search(r'<input [^>]*name="counts_people"[^>]*>', html).group(0)
    assert 'type="checkbox"' in box and "checked" in box
    assert 'aria-describedby="id_counts_people_helptext"' in box
    assert '<label for="id_counts_people">Counts people</label>' in html
    help_text = re.search(r'<div class="helptext" id="id_counts_people_helptext">([^<]*)<', html)
    assert unescape(help_text.group(1)) == Indicator._meta.get_field("counts_people").help_text


def test_ticking_the_box_saves_and_audits_it(client_for, coordinator_region, action_a):
    indicator = action_a.indicators.get()

    response = client_for(coordinator_region).post(
        f"{ACTION}/indicators/{indicator.key}/edit/", {**FORM, "counts_people": "on"}
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.counts_people is True
    (changes,) = indicator_events("update")
    assert changes["counts_people"] == [False, True]


def test_unticking_the_box_saves_and_audits_it(client_for, coordinator_region, counting_people):
    # A browser sends nothing for an unticked box.
    client_for(coordinator_region).post(f"{ACTION}/indicators/{counting_people.key}/edit/", FORM)

    counting_people.refresh_from_db()
    assert counting_people.counts_people is False
    (changes,) = indicator_events("update")
    assert changes["counts_people"] == [True, False]


def test_saving_without_changing_it_records_no_change_of_it(
    client_for, coordinator_region, counting_people
):
    client_for(coordinator_region).post(
        f"{ACTION}/indicators/{counting_people.key}/edit/",
        {**FORM, "counts_people": "on", "name_sv": "Integrationsplaner"},
    )

    (changes,) = indicator_events("update")
    assert "counts_people" not in changes
    counting_people.refresh_from_db()
    assert counting_people.counts_people is True


def test_a_new_indicator_that_counts_people_records_it(client_for, coordinator_region, action_a):
    client = client_for(coordinator_region)
    client.post(
        f"{ACTION}/indicators/add/", {**FORM, "name_sv": "Studerande", "counts_people": "on"}
    )
    client.post(f"{ACTION}/indicators/add/", {**FORM, "name_sv": "Kurser"})

    assert action_a.indicators.get(key="studerande").counts_people is True
    assert action_a.indicators.get(key="kurser").counts_people is False
    students, courses = indicator_events("create")
    assert students["counts_people"] == [None, True]
    assert "counts_people" not in courses  # the default is no news


def test_an_update_that_does_not_say_keeps_it(coordinator_region, counting_people):
    services.indicator_update(
        actor=coordinator_region,
        indicator=counting_people,
        name={"sv": "Möten"},
        kind=counting_people.kind,
        unit={},
        period=counting_people.period,
        target_type="",
        target_min=None,
        target_max=None,
        target_direction="",
        target_years=None,
    )

    counting_people.refresh_from_db()
    assert counting_people.counts_people is True


def test_removing_an_indicator_that_counts_people_records_it(coordinator_region, counting_people):
    services.indicator_delete(actor=coordinator_region, indicator=counting_people)

    (changes,) = indicator_events("delete")
    assert changes["counts_people"] == [True, None]


# -- the programme document ----------------------------------------------------------------------


def test_the_export_writes_it_only_where_it_is_true(programme_a, counting_people):
    other = Indicator.objects.create(
        action=counting_people.action, key="courses", name={"sv": "Kurser"}, kind="count"
    )

    first, second = indicators_of(exporting.programme_document(programme_a))

    assert (first["key"], first["counts_people"]) == (counting_people.key, True)
    assert second["key"] == other.key and "counts_people" not in second


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_then_import_keeps_it(programme_a, counting_people, fmt):
    content, _type, name = export_file(programme_a, fmt)

    # Into an empty database: the indicator comes back counting people.
    Programme.objects.all().delete()
    Municipality.objects.all().delete()
    again = programme_import(
        actor=None, document=document_from_file(io.BytesIO(content), name=name)
    )

    assert Indicator.objects.get(action__programme=again.programme).counts_people is True
    # And importing the same file again changes nothing.
    repeated = programme_import(
        actor=None, document=document_from_file(io.BytesIO(content), name=name)
    )
    assert repeated.changes == []


def test_a_reimport_without_the_key_sets_it_back_to_false(programme_a, counting_people):
    document = exporting.programme_document(programme_a)
    del indicators_of(document)[0]["counts_people"]

    result = programme_import(actor=None, document=document)

    (change,) = result.changes
    assert (change.node, change.fields) == ("indicator", {"counts_people": (True, False)})
    counting_people.refresh_from_db()
    assert counting_people.counts_people is False


@pytest.mark.parametrize("value", ["yes", 1, None, "true"])
def test_a_value_other_than_true_or_false_is_a_problem_at_its_path(seed_document, value):
    document = copy.deepcopy(seed_document)
    indicators_of(document)[0]["counts_people"] = value

    problems = document_problems(document)

    path = "programme.themes[0].goals[0].actions[0].indicators[0].counts_people"
    assert [(p.path, p.field, p.message) for p in problems] == [
        (path, "counts_people", "must be true or false")
    ]
    with pytest.raises(ProblemsFound):
        programme_import(actor=None, document=document)
    assert not Programme.objects.exists()


def test_the_seed_marks_the_figures_that_are_numbers_of_people(seed_programme):
    people = set(
        Indicator.objects.filter(action__programme=seed_programme, counts_people=True).values_list(
            "key", flat=True
        )
    )

    assert people == {
        "integrationsplaner",
        "antal-vanpersoner",
        "sysselsatta-inom-enheterna",
        "andra-inhemska-spraket",
        "umako-studier",
        "parent-uppsokande",
        "party-ungdomsverkstaden",
    }
    # Meeting places, courses, events and lectures are counted; their participants are people.
    assert {"motesplatser", "kurser-och-deltagare", "antal-forelasningar"}.isdisjoint(people)


# -- the action table ----------------------------------------------------------------------------


def test_the_indicators_sheet_says_which_count_people(seed_programme):
    content, _type, _name = export_file(seed_programme, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[1]

    headings = [c.value for c in sheet[1]]
    assert headings[-1] == "Räknar personer"
    said = {row[1].value: row[-1].value for row in sheet.iter_rows(min_row=2)}
    assert (said["integrationsplaner"], said["motesplatser"]) == ("Ja", "Nej")


def test_importing_the_action_table_keeps_it(seed_programme):
    content, _type, name = export_file(seed_programme, "xlsx")

    document = document_from_file(io.BytesIO(content), name=name, programme=seed_programme)
    result = programme_import(actor=None, document=document)

    assert result.changes == []
    assert Indicator.objects.get(key="integrationsplaner").counts_people is True


# -- the API ---------------------------------------------------------------------------------------


def api_client(user) -> Client:
    _token, secret = token_create(user=user, name="test")
    return Client(headers={"Accept-Language": "en", "Authorization": f"Bearer {secret}"})


def test_the_api_shows_it(coordinator_region, programme_a, counting_people):
    tree = api_client(coordinator_region).get("/api/v1/programmes/programme-a").json()

    (indicator,) = tree["themes"][0]["goals"][0]["actions"][0]["indicators"]
    assert indicator["counts_people"] is True


def test_the_api_gives_the_seeds_indicators_as_the_document_has_them(seed_programme):
    coordinator = f.member(
        f.UserFactory(), Membership.Role.REGION_COORDINATOR, region=seed_programme.region
    )

    # counts_people, counted_from and scope, each where the document writes it.
    tree = api_client(coordinator).get(f"/api/v1/programmes/{seed_programme.slug}")

    document = json.loads(json.dumps(exporting.programme_document(seed_programme), default=str))
    assert indicators_of({"programme": tree.json()}) == indicators_of(document)


def test_the_api_schema_documents_it():
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    field = schemas["IndicatorOut"]["properties"]["counts_people"]
    assert {"type": "boolean"} in field["anyOf"]
    assert "< 5" in field["description"]
