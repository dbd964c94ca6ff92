"""Indicators counted from the registries in the interchange format: `counted_from`."""

import copy
from decimal import Decimal

import pytest

from hemma.followup.models import Measurement
from hemma.lib.problems import ProblemsFound
from hemma.programmes.interchange import exporting
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import Indicator
from hemma.registries.services import activity_create

pytestmark = pytest.mark.django_db

# The seed's indicators that count activities, and the kinds they count.
SEED_COUNTED = {
    "gemensamma-moten": ["joint_meeting"],
    "gemensamma-evenemang": ["event", "network_meeting"],
    "motesplatser": ["meeting_place"],
    "kurser-och-deltagare": ["course"],
    "aktiviteter-och-deltagare": ["children_youth"],
    "evenemang-och-deltagare": ["event"],
    "antal-forelasningar": ["lecture"],
}


def indicators_of(document):
    """(path, indicator) for every indicator of the document."""
    for t, theme in enumerate(document["programme"]["themes"]):
        for g, goal in enumerate(theme["goals"]):
            for a, action in enumerate(goal["actions"]):
                for i, indicator in enumerate(action.get("indicators", [])):
                    path = f"programme.themes[{t}].goals[{g}].actions[{a}].indicators[{i}]"
                    yield path, indicator


def indicator_in(document, key):
    return next((path, i) for path, i in indicators_of(document) if i["key"] == key)


def paths_of(document):
    return {(p.path, p.field) for p in document_problems(document)}


def test_the_seed_counts_its_activities_from_the_registry(seed_programme):
    counted = {
        i.key: i.query_kinds
        for i in Indicator.objects.filter(source=Indicator.Source.REGISTRY, query="activities")
    }
    assert counted == SEED_COUNTED
    # The integration plans come from the service statistics.
    statistic = Indicator.objects.get(source=Indicator.Source.REGISTRY, query="statistic")
    assert (statistic.key, statistic.query_kinds) == ("integrationsplaner", ["integration_plans"])
    # The friend persons from the volunteers, the people employed in the units from the
    # placements of every kind.
    friends = Indicator.objects.get(source=Indicator.Source.REGISTRY, query="volunteers")
    assert (friends.key, friends.query_kinds) == ("antal-vanpersoner", [])
    employed = Indicator.objects.get(source=Indicator.Source.REGISTRY, query="placements")
    assert (employed.key, employed.query_kinds) == ("sysselsatta-inom-enheterna", [])
    # The two surveys' shares from the survey of immigrants.
    surveys = Indicator.objects.filter(source=Indicator.Source.REGISTRY, query="survey")
    assert sorted(surveys.values_list("key", "query_survey", "query_question")) == [
        ("enkat-familjeservice", "invandrarenkat", "fritid-familj"),
        ("enkat-tolkning", "invandrarenkat", "tolkning"),
    ]
    # The information material published and used from the information hub's pages.
    information = Indicator.objects.filter(
        source=Indicator.Source.REGISTRY, query__startswith="information_"
    )
    assert sorted(information.values_list("key", "query", "query_kinds")) == [
        ("anvant-material", "information_used", []),
        ("skapat-material", "information_created", []),
    ]
    # The rest (reviews, studies, ...) are typed in.
    manual = Indicator.objects.filter(source=Indicator.Source.MANUAL)
    assert manual.count() == Indicator.objects.count() - len(SEED_COUNTED) - 7
    assert set(manual.values_list("query", flat=True)) == {""}


def test_export_writes_what_an_indicator_counts(seed_programme):
    document = exporting.programme_document(seed_programme)
    _path, meeting_places = indicator_in(document, "motesplatser")
    assert meeting_places["source"] == "registry"
    assert meeting_places["counted_from"] == {"query": "activities", "kinds": ["meeting_place"]}
    _path, studies = indicator_in(document, "andra-inhemska-spraket")
    assert studies["source"] == "manual"
    assert "counted_from" not in studies
    _path, material = indicator_in(document, "skapat-material")
    assert (material["source"], material["counted_from"]) == (
        "registry",
        {"query": "information_created"},
    )
    _path, plans = indicator_in(document, "integrationsplaner")
    assert plans["counted_from"] == {"query": "statistic", "kinds": ["integration_plans"]}
    _path, friends = indicator_in(document, "antal-vanpersoner")
    assert (friends["source"], friends["counted_from"]) == ("registry", {"query": "volunteers"})
    _path, employed = indicator_in(document, "sysselsatta-inom-enheterna")
    assert (employed["source"], employed["counted_from"]) == ("registry", {"query": "placements"})


def test_an_indicator_counting_every_kind_is_written_without_kinds(seed_programme):
    Indicator.objects.filter(key="motesplatser").update(query_kinds=[])

    document = exporting.programme_document(seed_programme)

    assert indicator_in(document, "motesplatser")[1]["counted_from"] == {"query": "activities"}
    # And it reads back as counting every kind.
    programme_import(actor=None, document=document)
    assert Indicator.objects.get(key="motesplatser").query_kinds == []


def test_reimport_changes_the_kinds_counted(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    indicator_in(document, "antal-forelasningar")[1]["counted_from"]["kinds"] = [
        "lecture",
        "information",
    ]

    result = programme_import(actor=None, document=document)

    assert result.changed == 1
    lectures = Indicator.objects.get(key="antal-forelasningar")
    assert lectures.query_kinds == ["lecture", "information"]
    assert lectures.source == Indicator.Source.REGISTRY


def test_reimport_turns_a_typed_in_indicator_into_a_counted_one_and_back(
    seed_programme, seed_document
):
    document = copy.deepcopy(seed_document)
    _path, studies = indicator_in(document, "andra-inhemska-spraket")
    del studies["source"]  # left out: counted_from alone makes it a computed indicator
    studies["counted_from"] = {"query": "activities", "kinds": ["course"]}

    programme_import(actor=None, document=document)

    studies_row = Indicator.objects.get(key="andra-inhemska-spraket")
    assert (studies_row.source, studies_row.query, studies_row.query_kinds) == (
        "registry",
        "activities",
        ["course"],
    )

    # Back to typed in: the seed as it was.
    programme_import(actor=None, document=seed_document)

    studies_row.refresh_from_db()
    assert (studies_row.source, studies_row.query, studies_row.query_kinds) == (
        "manual",
        "",
        [],
    )


def test_an_unknown_query_is_a_problem_at_its_path(seed_document):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "motesplatser")
    indicator["counted_from"]["query"] = "households"

    problems = document_problems(document)

    assert [(p.path, p.field) for p in problems] == [(f"{path}.counted_from.query", "query")]
    assert "“households” is not allowed" in problems[0].message
    assert "activities, statistic, volunteers, placements" in problems[0].message


def test_an_unknown_kind_is_a_problem_at_its_path(seed_document):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "gemensamma-evenemang")
    indicator["counted_from"]["kinds"] = ["event", "party"]

    problems = document_problems(document)

    assert [p.path for p in problems] == [f"{path}.counted_from.kinds[1]"]
    assert "“party” is not allowed" in problems[0].message


def test_an_unknown_field_in_counted_from_is_a_problem(seed_document):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "motesplatser")
    indicator["counted_from"]["sql"] = "SELECT 1"

    assert paths_of(document) == {(f"{path}.counted_from.sql", "sql")}


def test_a_kind_named_twice_is_a_problem(seed_document):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "motesplatser")
    indicator["counted_from"]["kinds"] = ["meeting_place", "meeting_place"]

    assert paths_of(document) == {(f"{path}.counted_from.kinds", "kinds")}


def test_source_and_counted_from_must_agree(seed_document):
    document = copy.deepcopy(seed_document)
    counted_path, counted = indicator_in(document, "motesplatser")
    del counted["counted_from"]  # source: registry, but nothing said about what it counts
    typed_path, typed = indicator_in(document, "andra-inhemska-spraket")
    typed["counted_from"] = {"query": "activities"}  # source: manual, yet counted

    assert paths_of(document) == {
        (f"{counted_path}.source", "source"),
        (f"{typed_path}.counted_from", "counted_from"),
    }


def test_only_an_indicator_that_counts_can_be_counted(seed_document):
    document = copy.deepcopy(seed_document)
    path, review = indicator_in(document, "arlig-genomgang")  # a milestone: done or not
    review["source"] = "registry"
    review["counted_from"] = {"query": "activities", "kinds": ["joint_meeting"]}

    problems = document_problems(document)

    assert [(p.path, p.field) for p in problems] == [(f"{path}.counted_from", "counted_from")]
    assert "“milestone” cannot be counted" in problems[0].message


def test_a_bad_counted_from_imports_nothing(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    indicator_in(document, "motesplatser")[1]["counted_from"]["kinds"] = ["picnic"]
    indicator_in(document, "antal-forelasningar")[1]["counted_from"]["kinds"] = ["information"]

    with pytest.raises(ProblemsFound):
        programme_import(actor=None, document=document)

    assert Indicator.objects.get(key="antal-forelasningar").query_kinds == ["lecture"]


def test_reimport_that_changes_the_kinds_counts_the_values_again(seed_programme, seed_document):
    # Given an information session for the lectures' action, which counts lectures only
    lectures = Indicator.objects.get(key="antal-forelasningar")
    activity_create(
        actor=None,
        region=seed_programme.region,
        fields={
            "kind": "information",
            "title": "Infotillfälle om mångfald",
            "starts_on": "2025-03-12",
            "municipalities": ["598"],
            "actions": [lectures.action],
        },
    )

    def count() -> Decimal | None:
        value = Measurement.objects.filter(
            indicator=lectures, municipality__code="598", period="2025"
        ).first()
        return None if value is None else value.number

    assert count() == 0
    document = copy.deepcopy(seed_document)
    indicator_in(document, "antal-forelasningar")[1]["counted_from"]["kinds"] = [
        "lecture",
        "information",
    ]

    # When the document counts information sessions too
    programme_import(actor=None, document=document)

    # Then the value counts it, in the year it has records (and no other year gets one)
    assert count() == 1
    assert set(Measurement.objects.filter(indicator=lectures).values_list("period", flat=True)) == {
        "2025"
    }
