"""The demo's survey of immigrants: built in four languages, open, answered, and counted."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator, Programme
from hemma.surveys import texts
from hemma.surveys.demo import HELPS, KEY, MISSING, PERIOD, demo_survey_load
from hemma.surveys.models import Answer, Question, Response, Survey

pytestmark = pytest.mark.django_db

MUNICIPALITIES = {"598", "599", "440", "893", "288"}
LANGUAGES = {"sv", "fi", "en", "ar"}
# The seed's indicators counted from the survey: indicator key → question, choices counted.
COUNTED = {
    "enkat-tolkning": ("tolkning", {"ja-alltid", "ja-oftast"}),
    "enkat-familjeservice": ("fritid-familj", {"ja-alltid", "ja-oftast"}),
}


@pytest.fixture
def loaded(seed_programme) -> Programme:
    demo_survey_load(programme=seed_programme)
    return seed_programme


def the_survey(programme: Programme) -> Survey:
    return Survey.objects.get(programme=programme, key=KEY, period=PERIOD)


def test_the_survey_is_open_in_four_languages_with_no_translation_flagged(loaded):
    survey = the_survey(loaded)
    questions = list(survey.questions.prefetch_related("choices"))

    assert survey.state == Survey.State.OPEN
    assert survey.source_language == "sv"
    assert set(survey.languages) == LANGUAGES
    assert texts.flags(survey, questions) == []
    # Every text is written in every language, not merely marked as translated.
    for question in questions:
        assert set(question.text) == LANGUAGES
        for choice in question.choices.all():
            assert set(choice.label) == LANGUAGES
    kinds = {q.key: q.kind for q in questions}
    assert kinds["tolkning"] == kinds["fritid-familj"] == Question.Kind.SINGLE
    assert kinds["deltagit"] == Question.Kind.MULTIPLE
    assert Question.Kind.RATING in kinds.values()
    assert Question.Kind.LONG_TEXT in kinds.values()
    # The seed's indicators name these choices.
    by_key = {q.key: {c.key for c in q.choices.all()} for q in questions}
    assert by_key["tolkning"] >= {"ja-alltid", "ja-oftast", "ja-ibland", "nej", "behovdes-inte"}
    assert by_key["fritid-familj"] >= {"ja-alltid", "ja-oftast", "ja-ibland", "nej", "vet-inte"}
    shown_if = [q for q in questions if q.show_if_question]
    assert [(q.key, q.show_if_question) for q in shown_if] == [("tolkning-saknades", "tolkning")]


def test_answers_come_in_every_language_through_every_municipality(loaded):
    responses = Response.objects.filter(survey=the_survey(loaded))
    cells: dict[tuple[str, str], int] = {}
    for code, language in responses.values_list("municipality__code", "language"):
        cells[(code, language)] = cells.get((code, language), 0) + 1

    assert 150 <= responses.count() <= 200
    assert {code for code, _language in cells} == MUNICIPALITIES
    assert {language for _code, language in cells} == LANGUAGES

    def answers_in(code: str) -> int:
        return sum(n for (c, _language), n in cells.items() if c == code)

    # Jakobstad answers most, Larsmo a handful: some cells are too small to publish.
    assert answers_in("598") == max(answers_in(code) for code in MUNICIPALITIES)
    assert answers_in("440") < 10
    assert min(cells.values()) < 5
    # Kept by the week of the spring of 2025: a Monday, never a day.
    weeks = set(responses.values_list("week", flat=True))
    assert all(week.weekday() == 0 for week in weeks)
    assert min(weeks) >= datetime.date(2025, 3, 1) and max(weeks) <= datetime.date(2025, 6, 1)


def test_the_answers_follow_the_surveys_own_rules(loaded):
    survey = the_survey(loaded)
    answers = Answer.objects.filter(response__survey=survey).select_related(
        "question", "choice", "response"
    )
    by_response: dict = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(answer)

    texts_written = 0
    for given in by_response.values():
        chosen = {a.question.key: set() for a in given if a.choice}
        for answer in given:
            if answer.choice:
                assert answer.choice.question_id == answer.question_id
                chosen[answer.question.key].add(answer.choice.key)
            elif answer.question.kind == Question.Kind.RATING:
                assert answer.question.scale_min <= answer.number <= answer.question.scale_max
            elif answer.text:
                texts_written += 1
                language = answer.response.language
                # A free text is in the language the survey was answered in.
                assert answer.text in MISSING[language] + HELPS[language]
        for key, keys in chosen.items():
            if key != "deltagit":
                assert len(keys) == 1
        assert not ("inget" in chosen.get("deltagit", set()) and len(chosen["deltagit"]) > 1)
        if any(a.question.key == "tolkning-saknades" for a in given):
            assert chosen["tolkning"] & {"ja-ibland", "nej"}
    assert texts_written >= 5


def test_the_seeds_survey_indicators_have_their_2025_values_counted_from_the_answers(loaded):
    survey = the_survey(loaded)
    indicators = Indicator.objects.filter(action__programme=loaded, key__in=COUNTED)
    assert indicators.count() == len(COUNTED)

    for indicator in indicators:
        question, counted = COUNTED[indicator.key]
        for municipality in loaded.municipalities.all():
            responses = Response.objects.filter(survey=survey, municipality=municipality)
            base = responses.filter(answers__question__key=question).distinct().count()
            chosen = (
                responses.filter(answers__question__key=question, answers__choice__key__in=counted)
                .distinct()
                .count()
            )
            value = Measurement.objects.get(
                indicator=indicator, municipality=municipality, period=PERIOD
            )
            assert value.source == Measurement.Source.COMPUTED
            assert value.participants == base
            assert float(value.number) == pytest.approx(100 * chosen / base, abs=0.005)


def test_the_answers_are_the_same_every_time(loaded):
    def answers() -> list:
        return sorted(
            Response.objects.filter(survey__key=KEY).values_list(
                "municipality__code", "language", "week", "answers__question__key",
                "answers__choice__key", "answers__number", "answers__text",
            ),
            key=repr,  # None beside text: compared as written
        )  # fmt: skip

    first = answers()
    the_survey(loaded).delete()
    demo_survey_load(programme=loaded)

    assert answers() == first


def test_the_demo_command_loads_the_survey_once_and_counts_it_in_the_round(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    first, second = io.StringIO(), io.StringIO()

    call_command("demo", stdout=first)
    answers = Response.objects.count()
    values = Measurement.objects.filter(indicator__key__in=COUNTED, period=PERIOD).count()
    call_command("demo", stdout=second)

    assert Survey.objects.filter(key=KEY).count() == 1
    assert Response.objects.count() == answers > 0
    assert Answer.objects.filter(response__survey__key=KEY).count() > answers
    # Both indicators, in every municipality, in 2025 (the round under way).
    assert values == len(COUNTED) * len(MUNICIPALITIES)
    assert "Demo survey of immigrants 2025: open" in first.getvalue()
    assert "Demo survey: already there" in second.getvalue()


def test_the_arabic_answering_page_of_the_demo_survey_renders_right_to_left(loaded):
    survey = the_survey(loaded)

    response = Client().get(f"/s/{survey.public_token}/598/ar/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "عندما احتجت إلى مترجم فوري" in page
