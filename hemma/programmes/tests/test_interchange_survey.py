"""Indicators counted from a survey in the programme format and the API:
`counted_from: {query: survey, survey: KEY, question: KEY, kinds: [...]}`."""

import copy

import pytest
from django.test import Client

from hemma.accounts.models import Membership
from hemma.accounts.services import token_create
from hemma.lib.problems import ProblemsFound
from hemma.programmes.interchange import exporting
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import Indicator
from hemma.programmes.tests.test_interchange_counted import indicator_in
from hemma.surveys.models import Choice, Question, Survey
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

INTERPRETING = {
    "query": "survey",
    "survey": "invandrarenkat",
    "question": "tolkning",
    "kinds": ["ja-alltid", "ja-oftast"],
}


def problems_of(document) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in document_problems(document)]


def test_the_seed_counts_its_two_survey_shares_from_the_survey_of_immigrants(seed_document):
    _path, interpreting = indicator_in(seed_document, "enkat-tolkning")
    _path, leisure = indicator_in(seed_document, "enkat-familjeservice")

    assert (interpreting["kind"], interpreting["counted_from"]) == ("survey", INTERPRETING)
    assert leisure["counted_from"] == {**INTERPRETING, "question": "fritid-familj"}
    assert document_problems(seed_document) == []


def test_the_export_writes_the_survey_and_reads_back_unchanged(seed_programme):
    document = exporting.programme_document(seed_programme)

    again = programme_import(actor=None, document=document)

    _path, interpreting = indicator_in(document, "enkat-tolkning")
    assert interpreting["source"] == "registry"
    assert interpreting["counted_from"] == INTERPRETING
    assert (again.added, again.changed, again.removed) == (0, 0, 0)


def test_the_number_of_answers_is_written_without_question_or_kinds(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    _path, interpreting = indicator_in(document, "enkat-tolkning")
    interpreting["kind"] = "count"
    interpreting["counted_from"] = {"query": "survey", "survey": "invandrarenkat"}

    result = programme_import(actor=None, document=document)

    _path, written = indicator_in(exporting.programme_document(seed_programme), "enkat-tolkning")
    assert written["counted_from"] == {"query": "survey", "survey": "invandrarenkat"}
    assert [c.fields for c in result.changes if c.key == "enkat-tolkning"] == [
        {
            "kind": ("survey", "count"),
            "query_kinds": (["ja-alltid", "ja-oftast"], []),
            "query_question": ("tolkning", ""),
        }
    ]


@pytest.mark.parametrize(
    ("counted_from", "kind", "where", "message"),
    [
        (
            {"query": "survey", "question": "tolkning", "kinds": ["ja-alltid"]},
            "survey",
            "counted_from.survey",
            "required field is missing",
        ),
        (
            {**INTERPRETING, "kinds": ["Ja alltid"]},
            "survey",
            "counted_from.kinds[0]",
            "must be lower-case letters",
        ),
        (INTERPRETING, "count", "counted_from", "a share of those answering a question is of kind"),
        (
            {"query": "survey", "survey": "invandrarenkat", "kinds": ["ja-alltid"]},
            "count",
            "counted_from",
            "the number of answers takes no “kinds”",
        ),
        (
            {**INTERPRETING, "kinds": []},
            "survey",
            "counted_from",
            "a share names the answers counted in “kinds”",
        ),
        (
            {"query": "placements", "survey": "invandrarenkat"},
            "count",
            "counted_from",
            "“survey” and “question” name what “query: survey” counts",
        ),
        (
            {"query": "placements", "kinds": ["ja-alltid"]},
            "count",
            "counted_from.kinds[0]",
            "“ja-alltid” is not allowed",
        ),
    ],
)
def test_a_document_counting_a_survey_wrongly_is_told_at_its_path(
    seed_document, counted_from, kind, where, message
):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "enkat-tolkning")
    indicator["counted_from"] = counted_from
    indicator["kind"] = kind

    problems = problems_of(document)

    assert [p for p, _m in problems] == [f"{path}.{where}"]
    assert message in problems[0][1]


def build_survey(programme, period="2025") -> Survey:
    survey = Survey.objects.create(
        programme=programme, key="invandrarenkat", period=period, state=Survey.State.OPEN
    )
    for key in ("tolkning", "fritid-familj"):
        question = Question.objects.create(survey=survey, key=key, kind=Question.Kind.SINGLE)
        for position, choice in enumerate(("ja-alltid", "ja-oftast", "nej")):
            Choice.objects.create(question=question, key=choice, position=position)
    return survey


def test_an_import_checks_the_questions_against_the_programmes_latest_survey(
    seed_programme, seed_document
):
    build_survey(seed_programme)
    document = copy.deepcopy(seed_document)
    path, interpreting = indicator_in(document, "enkat-tolkning")
    interpreting["counted_from"] = {**INTERPRETING, "question": "tolk", "kinds": ["ja"]}
    leisure_path, leisure = indicator_in(document, "enkat-familjeservice")
    leisure["counted_from"]["kinds"] = ["ja-alltid", "kanske"]

    with pytest.raises(ProblemsFound) as found:
        programme_import(actor=None, document=document)

    assert [(p.path, p.message) for p in found.value.problems] == [
        (
            f"{path}.counted_from",
            "“tolk” is not a question of the survey “invandrarenkat” of 2025",
        ),
        (
            f"{leisure_path}.counted_from",
            "“kanske” are not choices of the question “fritid-familj”; use those of: "
            "ja-alltid, ja-oftast, nej",
        ),
    ]
    assert Indicator.objects.get(key="enkat-tolkning").query_question == "tolkning"


def test_a_new_programme_names_a_survey_to_be_built(seed_document):
    document = copy.deepcopy(seed_document)
    _path, interpreting = indicator_in(document, "enkat-tolkning")
    interpreting["counted_from"] = {**INTERPRETING, "question": "nagot-annat", "kinds": ["x"]}

    programme = programme_import(actor=None, document=document).programme

    indicator = Indicator.objects.get(action__programme=programme, key="enkat-tolkning")
    assert (indicator.query_question, indicator.query_kinds) == ("nagot-annat", ["x"])


def test_the_api_reads_what_a_survey_indicator_counts(seed_programme):
    user = f.member(
        f.UserFactory(username="seed_coordinator"),
        Membership.Role.REGION_COORDINATOR,
        region=seed_programme.region,
    )
    _token, secret = token_create(user=user, name="test")
    client = Client(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})

    tree = client.get(f"/api/v1/programmes/{seed_programme.slug}").json()
    _path, interpreting = indicator_in({"programme": tree}, "enkat-tolkning")
    spec = client.get("/api/v1/openapi.json").json()

    assert interpreting["counted_from"] == INTERPRETING
    counted = spec["components"]["schemas"]["CountedFromOut"]["properties"]
    assert {"query", "survey", "question", "kinds"} <= set(counted)
    assert "survey" in counted["query"]["enum"]
