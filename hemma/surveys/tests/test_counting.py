"""Indicators counted from a survey's answers (hemma/surveys/counting.py): the number of
answers and the share choosing some answers, kept current as answers are stored."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hemma.followup.models import Measurement, Round
from hemma.followup.status import Status
from hemma.programmes.models import Indicator
from hemma.programmes.services import indicator_create
from hemma.registries.computing import computed_override_set, counting_deferred
from hemma.surveys.counting import survey_answered
from hemma.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind
WEEK = datetime.date(2025, 3, 3)  # a Monday


def make_survey(programme, *, key="invandrarenkat", period="2025") -> Survey:
    """A survey with a single choice, a multiple choice and a rating question."""
    survey = Survey.objects.create(
        programme=programme,
        key=key,
        period=period,
        title={"sv": "Enkät för invandrare"},
        languages=["sv", "ar"],
        state=Survey.State.OPEN,
    )
    tolkning = Question.objects.create(
        survey=survey, key="tolkning", kind=Question.Kind.SINGLE, text={"sv": "Tolk?"}
    )
    for position, choice in enumerate(["ja-alltid", "ja-oftast", "nej"]):
        Choice.objects.create(
            question=tolkning, key=choice, label={"sv": choice}, position=position
        )
    fritid = Question.objects.create(
        survey=survey, key="fritid", kind=Question.Kind.MULTIPLE, text={"sv": "Fritid?"}
    )
    for position, choice in enumerate(["idrott", "kultur", "inget"]):
        Choice.objects.create(question=fritid, key=choice, label={"sv": choice}, position=position)
    Question.objects.create(survey=survey, key="nojd", kind=Question.Kind.RATING)
    return survey


def answer(survey: Survey, municipality=None, **answers) -> int:
    """Store one person's answers as the answering service does (a Response with an Answer
    per choice, or a number), then count; what survey_answered returns."""
    with transaction.atomic():
        response = Response.objects.create(
            survey=survey, municipality=municipality, language="ar", week=WEEK
        )
        for key, given in answers.items():
            question = survey.questions.get(key=key)
            if question.kind == Question.Kind.RATING:
                Answer.objects.create(response=response, question=question, number=given)
                continue
            for choice in [given] if isinstance(given, str) else given:
                Answer.objects.create(
                    response=response, question=question, choice=question.choices.get(key=choice)
                )
        return survey_answered(survey, municipality.pk if municipality else None)


def counted_from_survey(action, key, *, question="", kinds=(), kind=None, scope=None):
    return indicator_create(
        actor=None,
        action=action,
        key=key,
        name={"sv": key},
        kind=kind or (Kind.SURVEY if question else Kind.COUNT),
        scope=scope,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.SURVEY,
        query_survey="invandrarenkat",
        query_question=question,
        query_kinds=list(kinds),
    )


def value(indicator, municipality=None, period="2025") -> Measurement | None:
    return Measurement.objects.filter(
        indicator=indicator, municipality=municipality, period=period
    ).first()


@pytest.fixture
def survey(programme_a):
    return make_survey(programme_a)


@pytest.fixture
def answers(action_a, survey):
    return counted_from_survey(action_a, "svar")


@pytest.fixture
def interpreting(action_a, survey):
    return counted_from_survey(
        action_a, "tolkning", question="tolkning", kinds=["ja-alltid", "ja-oftast"]
    )


@pytest.fixture
def leisure(action_a, survey):
    return counted_from_survey(action_a, "fritid", question="fritid", kinds=["idrott", "kultur"])


# -- kept current as answers come in -----------------------------------------------------------


def test_an_answer_stored_changes_the_linked_indicators_value(
    answers, interpreting, survey, municipality_a1
):
    assert value(interpreting, municipality_a1) is None

    changed = answer(survey, municipality_a1, tolkning="ja-alltid")

    share = value(interpreting, municipality_a1)
    assert changed == 2
    assert (share.number, share.participants, share.source) == (Decimal("100.00"), 1, "computed")
    assert share.status == Status.MET
    assert value(answers, municipality_a1).number == 1

    answer(survey, municipality_a1, tolkning="nej")

    assert (
        value(interpreting, municipality_a1).number,
        value(answers, municipality_a1).number,
    ) == (
        Decimal("50.00"),
        2,
    )


def test_an_answer_counts_in_its_own_municipality_only(
    answers, interpreting, survey, municipality_a1, municipality_a2
):
    answer(survey, municipality_a1, tolkning="ja-oftast")
    answer(survey, municipality_a2, tolkning="nej")
    answer(survey, municipality_a2, tolkning="nej")

    assert value(interpreting, municipality_a1).number == Decimal("100.00")
    assert (
        value(interpreting, municipality_a2).number,
        value(answers, municipality_a2).number,
    ) == (
        Decimal("0.00"),
        2,
    )


def test_the_region_as_a_whole_counts_every_answer_through_any_link(
    action_a, survey, municipality_a1, municipality_a2
):
    total = counted_from_survey(action_a, "svar-i-regionen", scope=Indicator.Scope.REGION)
    share = counted_from_survey(
        action_a,
        "tolkning-i-regionen",
        question="tolkning",
        kinds=["ja-alltid"],
        scope=Indicator.Scope.REGION,
    )

    answer(survey, municipality_a1, tolkning="ja-alltid")
    answer(survey, municipality_a2, tolkning="nej")
    answer(survey, None, tolkning="nej")  # the survey's common link

    assert value(total).number == 3
    assert (value(share).number, value(share).participants) == (Decimal("33.33"), 3)
    assert not Measurement.objects.filter(indicator=total, municipality__isnull=False).exists()


def test_a_multiple_choice_counts_who_chose_one_of_the_choices_once(
    leisure, survey, municipality_a1
):
    answer(survey, municipality_a1, fritid=["idrott", "kultur"])  # counted once
    answer(survey, municipality_a1, fritid=["inget"])
    answer(survey, municipality_a1, fritid=["kultur", "inget"])
    answer(survey, municipality_a1, tolkning="nej")  # did not answer the question

    share = value(leisure, municipality_a1)
    assert (share.number, share.participants) == (Decimal("66.67"), 3)


def test_a_share_nobody_answered_has_no_value(answers, leisure, survey, municipality_a1):
    answer(survey, municipality_a1, tolkning="ja-alltid", nojd=4)

    assert value(answers, municipality_a1).number == 1
    assert value(leisure, municipality_a1) is None


def test_answers_to_another_year_or_another_survey_do_not_count(
    programme_a, answers, interpreting, survey, municipality_a1
):
    last_year = make_survey(programme_a, period="2024")
    other = make_survey(programme_a, key="foraldrar")

    answer(last_year, municipality_a1, tolkning="nej")
    answer(other, municipality_a1, tolkning="nej")
    answer(survey, municipality_a1, tolkning="ja-alltid")

    assert value(interpreting, municipality_a1).number == Decimal("100.00")
    assert value(answers, municipality_a1).number == 1
    assert value(answers, municipality_a1, "2024").number == 1
    assert value(interpreting, municipality_a1, "2024").number == Decimal("0.00")


def test_a_locked_period_is_left_as_approved(
    programme_a, answers, interpreting, survey, municipality_a1
):
    answer(survey, municipality_a1, tolkning="ja-alltid")
    Round.objects.create(
        programme=programme_a,
        period="2025",
        deadline=datetime.date(2026, 2, 1),
        state=Round.State.APPROVED,
    )

    assert answer(survey, municipality_a1, tolkning="nej") == 0

    approved = value(interpreting, municipality_a1)
    assert (approved.number, approved.computed_number, approved.version) == (
        Decimal("100.00"),
        Decimal("100.00"),
        1,
    )
    assert value(answers, municipality_a1).number == 1


def test_an_overridden_share_keeps_its_number(interpreting, survey, municipality_a1):
    answer(survey, municipality_a1, tolkning="ja-alltid")
    computed_override_set(
        actor=None,
        indicator=interpreting,
        municipality=municipality_a1,
        period="2025",
        number="80",
        justification="Paper answers counted by hand.",
    )

    answer(survey, municipality_a1, tolkning="nej")

    overridden = value(interpreting, municipality_a1)
    assert (overridden.number, overridden.computed_number) == (Decimal("80"), Decimal("50.00"))


def test_answers_stored_together_are_counted_once_at_the_end(
    answers, survey, municipality_a1, municipality_a2
):
    with transaction.atomic(), counting_deferred():
        for municipality in (municipality_a1, municipality_a2, municipality_a1):
            assert answer(survey, municipality, tolkning="nej") == 0
        assert value(answers, municipality_a1) is None

    assert (value(answers, municipality_a1).number, value(answers, municipality_a2).number) == (
        2,
        1,
    )


def test_an_indicator_made_counted_takes_the_answers_already_in(
    action_a, survey, municipality_a1, municipality_a2
):
    answer(survey, municipality_a1, tolkning="ja-alltid")
    answer(survey, municipality_a2, tolkning="nej")

    share = counted_from_survey(action_a, "sen", question="tolkning", kinds=["ja-alltid"])

    assert value(share, municipality_a1).number == Decimal("100.00")
    assert value(share, municipality_a2).number == Decimal("0.00")
    assert value(share, municipality_a1, "2024") is None


def test_the_queries_of_counting_an_answer_do_not_grow_with_the_answers(
    answers, interpreting, leisure, survey, municipality_a1
):
    def queries_of_one_more() -> int:
        with CaptureQueriesContext(connection) as queries:
            answer(survey, municipality_a1, tolkning="ja-alltid", fritid=["idrott", "kultur"])
        return len(queries)

    answer(survey, municipality_a1, tolkning="nej", fritid=["inget"])  # every value made
    few = queries_of_one_more()
    for _ in range(15):
        answer(survey, municipality_a1, tolkning="ja-oftast", fritid=["inget"])
    many = queries_of_one_more()

    assert many == few
    assert value(answers, municipality_a1).number == 18


def test_a_value_counted_from_the_answers_tells_only_the_week_it_changed(
    answers, survey, municipality_a1, monkeypatch
):
    helsinki = ZoneInfo("Europe/Helsinki")
    wednesday = datetime.datetime(2025, 3, 12, 14, 37, 21, tzinfo=helsinki)
    monday = datetime.datetime(2025, 3, 10, tzinfo=helsinki)
    monkeypatch.setattr(timezone, "now", lambda: wednesday)

    answer(survey, municipality_a1, tolkning="nej")
    made = value(answers, municipality_a1)
    monkeypatch.setattr(timezone, "now", lambda: wednesday + datetime.timedelta(days=1))
    answer(survey, municipality_a1, tolkning="nej")
    changed = value(answers, municipality_a1)

    assert (made.created_at, made.updated_at) == (monday, monday)
    assert (changed.number, changed.created_at, changed.updated_at) == (2, monday, monday)


# -- in the follow-up grid ---------------------------------------------------------------------


def test_the_grid_shows_a_counted_share_with_its_respondents_and_links_the_results(
    client_for, coordinator_region, interpreting, survey, municipality_a1
):
    answer(survey, municipality_a1, tolkning="ja-alltid")
    answer(survey, municipality_a1, tolkning="ja-oftast")
    answer(survey, municipality_a1, tolkning="nej")

    html = client_for(coordinator_region).get("/en/programmes/programme-a/values/2025/101/")

    text = " ".join(html.content.decode().split())
    assert "66.67 % of 3 who answered" in text
    assert 'href="/en/programmes/programme-a/surveys/invandrarenkat/2025/results/"' in text
