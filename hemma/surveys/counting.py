"""Indicators counted from a survey's answers: the counting rule, and what an indicator may
name.

The rule (docs/surveys.md, "Indicators", says the same in words). A computed indicator
(source "registry") with the query "survey" names a survey of its programme by its key
(`Indicator.query_survey`), and optionally one of its questions (`query_question`) and some of
that question's choices (`query_kinds`). Its value for a municipality and a period comes from
the programme's survey with that key whose period is the value's period (a yearly survey's
"2025" gives the values of 2025):

- no question: the number of answers sent through the municipality's link (for an indicator
  of the region as a whole: every answer of the survey, through any link);
- a question: the share (%, to two decimals) of those who answered the question whose answer
  is one of the choices (of a multiple choice: who chose at least one of them). The number of
  those who answered it is kept as the value's participants, so that a share resting on too
  few people is not published as a figure (hemma/followup/publishing.py).

No such survey, no answers (to the question), is no value: a survey's values appear as its
answers come in, and the municipalities nobody answered for have none.

The values are maintained totals like the registries' (hemma/registries/computing.py): the
service that stores an answer calls `survey_answered` in its transaction, which counts again
the values of the survey's indicators for the municipality of the link and the region as a
whole, in the survey's period, with a fixed number of queries; a period within an approved
round is left as it was approved. A value counted from the answers is written as made and
changed on the Monday of the week (`counted_at`), as the answers keep their time, so that no
value tells when someone answered.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from hemma.programmes.models import Programme
from hemma.surveys.models import Question, Response, Survey

# The questions whose answers are choices: the only ones a share can count.
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class QuestionToCount:
    """A question of a survey as an indicator names it: its kind, text and choices (key →
    label, in the survey's order)."""

    key: str
    kind: str
    text: dict
    choices: dict[str, dict] = field(default_factory=dict)

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


@dataclass(frozen=True)
class SurveyToCount:
    """The latest survey of a key, whose questions an indicator may count."""

    key: str
    period: str
    title: dict
    questions: dict[str, QuestionToCount]


def surveys_to_count(programme: Programme) -> dict[str, SurveyToCount]:
    """The latest survey (by period) of each key of the programme, with its questions and
    their choices: what an indicator counted from a survey may name, next year's survey
    being, as a rule, last year's again (three queries)."""
    latest: dict[str, Survey] = {}
    for survey in (
        Survey.objects.filter(programme=programme)
        .only("pk", "key", "period", "title")
        .order_by("key", "-period")
    ):
        latest.setdefault(survey.key, survey)
    questions: dict[int, dict[str, QuestionToCount]] = defaultdict(dict)
    for question in (
        Question.objects.filter(survey__in=list(latest.values()))
        .only("pk", "survey_id", "key", "kind", "text")
        .prefetch_related("choices")
    ):
        questions[question.survey_id][question.key] = QuestionToCount(
            key=question.key,
            kind=question.kind,
            text=question.text,
            choices={choice.key: choice.label for choice in question.choices.all()},
        )
    return {
        key: SurveyToCount(
            key=key, period=survey.period, title=survey.title, questions=questions[survey.pk]
        )
        for key, survey in latest.items()
    }


# -- the rule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """A figure the values of an indicator need: of the programme's survey `survey` of
    `period`, the number of answers (no `question`) or the share answering `question` with
    one of `kinds`."""

    programme_id: int
    survey: str
    period: str
    question: str = ""
    kinds: frozenset[str] = frozenset()


# By municipality of the link (None: the survey's common link): (those counted in the base,
# those counted). For a number of answers both are the answers.
Tally = dict[int | None, tuple[int, int]]


def answers_tallied(wanted: Iterable[Wanted]) -> dict[Wanted, Tally]:
    """What the answers give for each of `wanted`, by municipality of the link; a figure
    whose survey does not exist is left out. At most three queries, whatever the number of
    answers: the share's counts are made by the database."""
    wanted = set(wanted)
    if not wanted:
        return {}
    ids: dict[tuple[int, str, str], int] = {}
    for pk, programme_id, key, period in Survey.objects.filter(
        programme_id__in={w.programme_id for w in wanted},
        key__in={w.survey for w in wanted},
        period__in={w.period for w in wanted},
    ).values_list("pk", "programme_id", "key", "period"):
        ids[(programme_id, key, period)] = pk
    survey_of = {
        w: ids[(w.programme_id, w.survey, w.period)]
        for w in wanted
        if (w.programme_id, w.survey, w.period) in ids
    }
    found: dict[Wanted, Tally] = {w: {} for w in survey_of}

    counts = [w for w in found if not w.question]
    if counts:
        answers: dict[int, Tally] = defaultdict(dict)
        for survey_id, municipality_id, number in (
            Response.objects.filter(survey_id__in={survey_of[w] for w in counts})
            .values_list("survey_id", "municipality_id")
            .annotate(number=Count("pk"))
            .order_by()
        ):
            answers[survey_id][municipality_id] = (number, number)
        for w in counts:
            found[w] = answers[survey_of[w]]

    shares = [w for w in found if w.question]
    if shares:
        # One pair of counts per question and choices asked about: those who answered the
        # question, and those of them who chose one of the choices (once, however many).
        variants = sorted({(w.question, tuple(sorted(w.kinds))) for w in shares})
        columns = {}
        for i, (question, kinds) in enumerate(variants):
            answered = Q(answers__question__key=question)
            columns[f"base_{i}"] = Count("pk", filter=answered, distinct=True)
            columns[f"chosen_{i}"] = Count(
                "pk", filter=answered & Q(answers__choice__key__in=kinds), distinct=True
            )
        tallies: dict[tuple[int, int], Tally] = defaultdict(dict)
        for row in (
            Response.objects.filter(survey_id__in={survey_of[w] for w in shares})
            .values("survey_id", "municipality_id")
            .annotate(**columns)
            .order_by()
        ):
            for i in range(len(variants)):
                tallies[(row["survey_id"], i)][row["municipality_id"]] = (
                    row[f"base_{i}"],
                    row[f"chosen_{i}"],
                )
        index = {variant: i for i, variant in enumerate(variants)}
        for w in shares:
            i = index[(w.question, tuple(sorted(w.kinds)))]
            found[w] = tallies[(survey_of[w], i)]
    return found


def survey_figure(
    wanted: Wanted, tally: Tally | None, municipality_id: int | None
) -> tuple[Decimal | None, int | None]:
    """The value's number and participants by the rule, from `answers_tallied`'s tally for
    `municipality_id` (None: the region as a whole, every link); (None, None) for no value."""
    if tally is None:
        return None, None
    rows: Iterable[tuple[int, int]] = (
        tally.values() if municipality_id is None else [tally.get(municipality_id, (0, 0))]
    )
    base = counted = 0
    for each_base, each_counted in rows:
        base += each_base
        counted += each_counted
    if not wanted.question:
        return (Decimal(counted), None) if counted else (None, None)
    if not base:
        return None, None  # nobody answered the question
    share = (Decimal(100 * counted) / Decimal(base)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return share, base


# -- keeping the values current ----------------------------------------------------------------


def counted_at(moment: datetime.datetime) -> datetime.datetime:
    """The time a value counted from a survey's answers is written as made or changed: the
    start of the Monday of `moment`'s week (local time), never the time of the answer."""
    day = timezone.localtime(moment).date()
    monday = day - datetime.timedelta(days=day.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def survey_answered(survey: Survey, municipality_id: int | None) -> int:
    """Count again the values of the indicators counted from `survey`, for the municipality
    the answer came through (and the region as a whole); how many values changed. Call it in
    the transaction that stored the answer, after storing it."""
    # Imported here: the counting of the registries reads this module's rule.
    from hemma.registries.computing import SurveyAnswers, survey_answers_changed

    return survey_answers_changed(
        [
            SurveyAnswers(
                programme_id=survey.programme_id,
                survey=survey.key,
                period=survey.period,
                municipality_id=municipality_id,
            )
        ]
    )
