"""Factories for surveys: a survey written in Swedish and translated into Finnish, English and
Arabic, its translations marked as made from the source as it is (ready to open)."""

import factory

from hemma.surveys import texts
from hemma.surveys.models import Choice, Question, Survey
from hemma.tests.factories import ProgrammeFactory

LANGUAGES = ["sv", "fi", "en", "ar"]


def _survey_of(obj) -> Survey:
    if isinstance(obj, Survey):
        return obj
    return obj.survey if isinstance(obj, Question) else obj.question.survey


def _all_marked(obj, create, extracted, **kwargs):
    """Mark every translation as made from the current source text (saved)."""
    for language in _survey_of(obj).languages:
        texts.mark_translated(obj, language)
    if create:
        obj.save(update_fields=["translated_from"])


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"survey-{n}")
    period = "2025"
    title = {"sv": "Enkät", "fi": "Kysely", "en": "Survey", "ar": "استبيان"}
    source_language = "sv"
    languages = factory.LazyFunction(lambda: list(LANGUAGES))
    translated = factory.PostGeneration(_all_marked)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    survey = factory.SubFactory(SurveyFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    kind = Question.Kind.SINGLE
    position = factory.Sequence(lambda n: n)
    text = factory.LazyAttribute(
        lambda o: {
            "sv": f"Fråga {o.key}",
            "fi": f"Kysymys {o.key}",
            "en": f"Question {o.key}",
            "ar": f"سؤال {o.key}",
        }
    )
    translated = factory.PostGeneration(_all_marked)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    key = factory.Sequence(lambda n: f"choice-{n}")
    position = factory.Sequence(lambda n: n)
    label = factory.LazyAttribute(
        lambda o: {
            "sv": f"Val {o.key}",
            "fi": f"Vaihtoehto {o.key}",
            "en": o.key,
            "ar": f"خيار {o.key}",
        }
    )
    translated = factory.PostGeneration(_all_marked)
