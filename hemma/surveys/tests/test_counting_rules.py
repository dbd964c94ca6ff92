"""What an indicator counted from a survey may name (services.counting_problems with the
programme's latest surveys), the indicator form that chooses it, and how its published
figures hide small numbers of people."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemma.followup import publishing
from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator
from hemma.programmes.services import counting_problems, indicator_create
from hemma.surveys.counting import surveys_to_count
from hemma.surveys.models import Choice
from hemma.surveys.tests.test_counting import make_survey

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


@pytest.fixture
def survey(programme_a):
    return make_survey(programme_a)


def fields_of(programme, *, kind, question="", kinds=(), survey="invandrarenkat") -> list[str]:
    return [
        field
        for field, _message in counting_problems(
            kind=kind,
            scope=Indicator.Scope.MUNICIPALITY,
            query=Indicator.Query.SURVEY,
            query_kinds=list(kinds),
            survey=survey,
            question=question,
            surveys=surveys_to_count(programme),
        )
    ]


@pytest.mark.parametrize(
    ("kind", "question", "kinds", "fields"),
    [
        # The number of answers: a count, without choices.
        (Kind.COUNT, "", [], []),
        (Kind.SURVEY, "", [], ["kind"]),
        (Kind.COUNT, "", ["nej"], ["query_kinds"]),
        # A share: a survey, of a choice question's choices.
        (Kind.SURVEY, "tolkning", ["ja-alltid", "ja-oftast"], []),
        (Kind.SURVEY, "fritid", ["idrott"], []),
        (Kind.COUNT, "tolkning", ["ja-alltid"], ["kind"]),
        (Kind.SURVEY, "tolkning", [], ["query_kinds"]),
        (Kind.SURVEY, "tolkning", ["ja-alltid", "idrott"], ["query_kinds"]),
        (Kind.SURVEY, "bostad", ["ja"], ["query_question"]),
        (Kind.SURVEY, "nojd", ["5"], ["query_question"]),
    ],
)
def test_what_a_survey_indicator_may_name(programme_a, survey, kind, question, kinds, fields):
    assert fields_of(programme_a, kind=kind, question=question, kinds=kinds) == fields


def test_a_survey_not_built_yet_is_taken_as_given(programme_a, survey):
    assert fields_of(programme_a, kind=Kind.SURVEY, survey="nasta", question="x", kinds=["y"]) == []
    assert fields_of(programme_a, kind=Kind.COUNT, survey="") == ["query_survey"]


def test_the_question_is_checked_against_the_latest_survey_of_the_key(programme_a, survey):
    later = make_survey(programme_a, period="2026")
    later.questions.get(key="fritid").delete()
    Choice.objects.filter(question__survey=later, key="ja-oftast").delete()

    assert fields_of(programme_a, kind=Kind.SURVEY, question="fritid", kinds=["idrott"]) == [
        "query_question"
    ]
    assert fields_of(programme_a, kind=Kind.SURVEY, question="tolkning", kinds=["ja-oftast"]) == [
        "query_kinds"
    ]


def test_the_rules_name_the_choices_in_a_document(programme_a, survey):
    problems = counting_problems(
        kind=Kind.SURVEY,
        scope=None,
        query=Indicator.Query.SURVEY,
        query_kinds=["kanske"],
        survey="invandrarenkat",
        question="tolkning",
        surveys=surveys_to_count(programme_a),
        document=True,
    )

    assert problems == [
        (
            "query_kinds",
            "“kanske” are not choices of the question “tolkning”; use those of: "
            "ja-alltid, ja-oftast, nej",
        )
    ]


def test_the_services_refuse_a_question_the_survey_does_not_have(action_a, survey):
    with pytest.raises(ValidationError) as error:
        indicator_create(
            actor=None,
            action=action_a,
            name={"sv": "Andel"},
            kind=Kind.SURVEY,
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.SURVEY,
            query_survey="invandrarenkat",
            query_question="bostad",
            query_kinds=["ja"],
        )

    assert list(error.value.message_dict) == ["query_question"]
    assert not Indicator.objects.filter(query=Indicator.Query.SURVEY).exists()


def test_a_survey_key_is_dropped_when_the_indicator_counts_something_else(action_a, survey):
    indicator = indicator_create(
        actor=None,
        action=action_a,
        name={"sv": "Möten"},
        kind=Kind.COUNT,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.ACTIVITIES,
        query_survey="invandrarenkat",
        query_question="tolkning",
    )

    assert (indicator.query_survey, indicator.query_question) == ("", "")


# -- the indicator form ------------------------------------------------------------------------


def edit_url(indicator) -> str:
    return reverse(
        "programmes:indicator_edit", args=["programme-a", "joint-meetings", indicator.key]
    )


def posted(**fields) -> dict:
    return {
        "name_sv": "Andel med tolk",
        "kind": "survey",
        "period": "year",
        "scope": "municipality",
        "source": "registry",
        "query": "survey",
        **fields,
    }


def test_the_form_offers_the_surveys_choice_questions_and_their_answers(
    client_for, coordinator_region, programme_a, survey
):
    indicator = Indicator.objects.get(action__programme=programme_a)

    form = client_for(coordinator_region).get(edit_url(indicator)).context["form"]

    questions = dict(form.fields["query_survey_question"].choices)
    assert questions["Enkät för invandrare (2025)"] == [
        ("invandrarenkat:", "The number of answers"),
        ("invandrarenkat:tolkning", "Tolk?"),
        ("invandrarenkat:fritid", "Fritid?"),
    ]  # not the rating
    answers = dict(form.fields["query_survey_kinds"].choices)
    assert answers["Enkät för invandrare: Fritid?"] == [
        ("invandrarenkat:fritid:idrott", "idrott"),
        ("invandrarenkat:fritid:kultur", "kultur"),
        ("invandrarenkat:fritid:inget", "inget"),
    ]


def test_the_form_makes_an_indicator_counted_from_a_surveys_question(
    client_for, coordinator_region, programme_a, survey
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    client = client_for(coordinator_region)

    # The boxes of another question, left ticked, are not this question's.
    response = client.post(
        edit_url(indicator),
        posted(
            query_survey_question="invandrarenkat:tolkning",
            query_survey_kinds=[
                "invandrarenkat:tolkning:ja-alltid",
                "invandrarenkat:tolkning:ja-oftast",
                "invandrarenkat:fritid:idrott",
            ],
        ),
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (
        indicator.query,
        indicator.query_survey,
        indicator.query_question,
        indicator.query_kinds,
    ) == ("survey", "invandrarenkat", "tolkning", ["ja-alltid", "ja-oftast"])
    form = client.get(edit_url(indicator)).context["form"]
    assert form.initial["query_survey_question"] == "invandrarenkat:tolkning"
    assert form.initial["query_survey_kinds"] == [
        "invandrarenkat:tolkning:ja-alltid",
        "invandrarenkat:tolkning:ja-oftast",
    ]


def test_the_form_tells_what_a_survey_cannot_count_at_its_field(
    client_for, coordinator_region, programme_a, survey
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    client = client_for(coordinator_region)

    a_count = client.post(
        edit_url(indicator),
        posted(
            kind="count",
            query_survey_question="invandrarenkat:tolkning",
            query_survey_kinds=["invandrarenkat:tolkning:nej"],
        ),
    )
    no_answers = client.post(
        edit_url(indicator), posted(query_survey_question="invandrarenkat:tolkning")
    )
    no_survey = client.post(edit_url(indicator), posted(kind="count"))

    assert "kind “Survey”" in a_count.context["form"].errors["kind"][0]
    assert list(no_answers.context["form"].errors) == ["query_survey_kinds"]
    assert list(no_survey.context["form"].errors) == ["query_survey_question"]
    indicator.refresh_from_db()
    assert indicator.source == Indicator.Source.MANUAL


def test_the_form_keeps_a_survey_that_is_not_built_yet(client_for, coordinator_region, action_a):
    indicator = indicator_create(
        actor=None,
        action=action_a,
        name={"sv": "Andel"},
        kind=Kind.SURVEY,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.SURVEY,
        query_survey="invandrarenkat",
        query_question="tolkning",
        query_kinds=["ja-alltid"],
    )
    client = client_for(coordinator_region)

    response = client.post(
        edit_url(indicator),
        posted(
            name_sv="Andel med tolk",
            query_survey_question="invandrarenkat:tolkning",
            query_survey_kinds=["invandrarenkat:tolkning:ja-alltid"],
        ),
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name["sv"], indicator.query_kinds) == ("Andel med tolk", ["ja-alltid"])


def test_a_viewer_cannot_make_an_indicator_counted_from_a_survey(
    client_for, viewer, coordinator_b, programme_a, survey
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    data = posted(query_survey_question="invandrarenkat:")

    assert client_for(viewer).post(edit_url(indicator), data).status_code == 403
    assert client_for(coordinator_b).post(edit_url(indicator), data).status_code == 404
    indicator.refresh_from_db()
    assert indicator.source == Indicator.Source.MANUAL


# -- published ---------------------------------------------------------------------------------


def published(indicator, *, numbers: dict, participants: dict | None = None) -> dict:
    """What `hidden_values` hides of values by place ("101", "102", None for the region)."""
    values = [
        Measurement(
            pk=i,
            indicator=indicator,
            municipality_id=None if place is None else int(place),
            period="2025",
            number=number,
            participants=(participants or {}).get(place),
        )
        for i, (place, number) in enumerate(numbers.items(), start=1)
    ]
    hidden = publishing.hidden_values(values, {indicator.pk: indicator})
    places = {value.pk: place for value, place in zip(values, numbers, strict=True)}
    return {places[pk]: (h.number, h.participants) for pk, h in hidden.items()}


def test_a_share_resting_on_too_few_answers_is_not_published(action_a):
    share = Indicator(
        pk=1, action=action_a, kind=Kind.SURVEY, query="survey", query_question="tolkning"
    )

    hidden = published(
        share,
        numbers={"101": 100, "102": 50, "103": 60, None: 62},
        participants={"101": 3, "102": 40, "103": 50, None: 93},
    )

    # 101's share is 3 people's; its 3 is hidden, and 102's too, or the total gives it back.
    assert hidden == {"101": (True, True), "102": (False, True)}


def test_a_small_number_of_answers_is_not_published(action_a):
    answers = Indicator(pk=2, action=action_a, kind=Kind.COUNT, query="survey")

    assert publishing.counts_people(answers)
    assert published(answers, numbers={"101": 3, "102": 40, "103": 12}) == {"101": (True, False)}
