"""Indicators counted from a survey's answers (being written)."""

from hemma.surveys.models import Survey


def survey_answered(survey: Survey, municipality_id: int | None) -> int:
    """Count again the values of the indicators counted from `survey`, for the municipality
    the answer came through (and the region as a whole); how many values changed."""
    raise NotImplementedError  # the counting helper writes this
