"""A survey of programme_a ready to open: written in Swedish, translated into Finnish,
English and Arabic.

- "tolkning" (single choice: "ja", "nej"),
- "nojd" (rating 1–5, its ends worded),
- "varfor" (long text, shown to those who answered "nej" to "tolkning").
"""

import pytest

from hemma.surveys.models import Question
from hemma.surveys.tests import factories as sf


@pytest.fixture
def survey_a(programme_a):
    survey = sf.SurveyFactory(programme=programme_a, key="invandrarenkat", period="2025")
    tolkning = sf.QuestionFactory(survey=survey, key="tolkning", position=0)
    sf.ChoiceFactory(question=tolkning, key="ja", position=0)
    sf.ChoiceFactory(question=tolkning, key="nej", position=1)
    sf.QuestionFactory(
        survey=survey,
        key="nojd",
        kind=Question.Kind.RATING,
        position=1,
        scale_min_label={"sv": "Inte alls", "fi": "Ei lainkaan", "en": "Not at all", "ar": "أبدا"},
        scale_max_label={"sv": "Helt", "fi": "Täysin", "en": "Fully", "ar": "تماما"},
    )
    sf.QuestionFactory(
        survey=survey,
        key="varfor",
        kind=Question.Kind.LONG_TEXT,
        position=2,
        show_if_question="tolkning",
        show_if_choices=["nej"],
    )
    return survey
