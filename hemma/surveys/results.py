"""The results of a survey: counts and shares per question, per municipality and language.

Reads only; whoever may see the programme sees them (hemma.surveys.policies). Every count is
of people, so for whoever does not see small counts (a viewer: `policies.sees_small_counts`)
the counts under the threshold are shown as "< 5", and others are hidden with them so that no
total lets one be worked back (hemma.lib.suppression.hidden_in_table). A share is shown only
where its count and its base are, and the base is not under the threshold; a median or a mean
only where its count is. The same count shown in two tables (a municipality's answers, and
those who answered a question that everyone answered there) is hidden in both or in neither.
The coordinators see every figure, and may look at the answers of one language at a time;
the language breakdown of the tables is theirs alone, as the difference between a language's
table and the whole one would give back what suppression hides.

Free-text answers are read only by those `policies.answer_municipalities` allows (the region's
coordinator: all; a municipal coordinator: their municipality's); others see how many there
are. The reads are a fixed number of queries, however many answers there are.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hemma.lib import suppression
from hemma.lib.languages import local_name
from hemma.lib.texts import pick
from hemma.programmes.selectors import programme_get
from hemma.surveys import policies
from hemma.surveys.models import Answer, Question, Response, Survey

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RATING)
TEXT_KINDS = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)
# The common link's answers: their column's key beside the municipalities' ids.
COMMON = None
_ALL = "all"  # the row key of a one-row table


def survey_for_results(*, user, slug: str, key: str, period: str) -> Survey:
    """The survey if the user may see its programme (else 404)."""
    programme = programme_get(user=user, slug=slug)
    survey = (
        Survey.objects.filter(programme=programme, key=key, period=period)
        .select_related("programme__region")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


@dataclass
class Figure:
    """A count as shown, with its share of the base where there is one."""

    count: int
    shown: str
    hidden: bool = False
    share: str = ""
    share_number: float | None = None  # what the chart draws (None: hidden or no base)


@dataclass
class Place:
    key: int | None  # the municipality's id; None for the survey's common link
    label: str
    code: str


@dataclass
class Row:
    label: str
    cells: list[Figure]  # per place
    total: Figure


@dataclass
class NumberFigures:
    count: Figure
    median: str = ""
    mean: str = ""
    mean_number: float | None = None  # what the chart draws


@dataclass
class QuestionResult:
    question: Question
    text: str
    places: list[Place]
    answered: list[Figure]  # per place: who answered the question
    answered_total: Figure
    rows: list[Row] = field(default_factory=list)  # choices (or ratings)
    numbers: list[NumberFigures] = field(default_factory=list)  # per place
    numbers_total: NumberFigures | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (place label, text) read
    texts_count: Figure | None = None

    @property
    def places_numbers(self) -> list[tuple[Place, NumberFigures]]:
        return list(zip(self.places, self.numbers, strict=True))

    @property
    def has_table(self) -> bool:
        return self.question.kind in CHOICE_KINDS

    @property
    def is_number(self) -> bool:
        return self.question.kind == Question.Kind.NUMBER

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS


@dataclass
class SurveyResults:
    survey: Survey
    places: list[Place]
    answers: list[Figure]  # per place
    answers_total: Figure
    languages: list[tuple[str, str, Figure]]  # (code, name, answers)
    questions: list[QuestionResult]
    suppressed: bool  # small counts hidden for this user
    language: str  # the language looked at ("": all)
    language_choices: list[tuple[str, str]]  # offered to filter by ([]: no filter offered)
    reads_texts: bool
    threshold: int

    @property
    def places_answers(self) -> list[tuple[Place, Figure]]:
        return list(zip(self.places, self.answers, strict=True))

    @property
    def title(self) -> str:
        return pick(self.survey.title, fallback=self.survey.source_language)


def survey_results(*, user, survey: Survey, language: str = "") -> SurveyResults:
    suppressed = not policies.sees_small_counts(user, survey)
    if suppressed or language not in survey.languages:
        language = ""
    responses = Response.objects.filter(survey=survey)
    if language:
        responses = responses.filter(language=language)
    municipalities = list(survey.programme.municipalities.order_by("code"))
    questions = list(survey.questions.prefetch_related("choices"))

    by_place_language = list(
        responses.values_list("municipality_id", "language").annotate(n=Count("pk"))
    )
    answers_in: dict[int | None, int] = defaultdict(int)
    per_language: dict[str, int] = defaultdict(int)
    for place, code, n in by_place_language:
        answers_in[place] += n
        per_language[code] += n
    places = [Place(m.pk, pick(m.name, fallback="sv") or m.code, m.code) for m in municipalities]
    if answers_in.get(COMMON):
        places.append(Place(COMMON, _("Common link"), ""))
    keys = [p.key for p in places]

    answers = Answer.objects.filter(response__in=responses)
    answered: dict[tuple[int, int | None], int] = {
        (q, place): n
        for q, place, n in answers.values_list("question_id", "response__municipality_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    chosen: dict[tuple[int, int | None], int] = {
        (choice, place): n
        for choice, place, n in answers.filter(choice__isnull=False)
        .values_list("choice_id", "response__municipality_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    numbers: dict[int, dict[int | None, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rated: dict[tuple[tuple[int, int], int | None], int] = defaultdict(int)
    for q, place, number in answers.filter(number__isnull=False).values_list(
        "question_id", "response__municipality_id", "number"
    ):
        if number is not None:  # filtered out above; the type does not know
            numbers[q][place].append(number)
            rated[(q, int(number)), place] += 1
    readable = policies.answer_municipalities(user, survey)
    texts: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    if readable is None or readable:
        text_answers = answers.filter(question__kind__in=TEXT_KINDS).exclude(text="")
        if readable is not None:
            text_answers = text_answers.filter(response__municipality_id__in=readable)
        for q, place, text in text_answers.values_list(
            "question_id", "response__municipality_id", "text"
        ).order_by("question_id", "response_id"):  # the random id: no order of arrival
            texts[q].append((place, text))

    tables = _Tables(
        suppressed=suppressed,
        places=keys,
        answers={place: answers_in.get(place, 0) for place in keys},
        languages={code: per_language.get(code, 0) for code in survey.languages},
    )
    for question in questions:
        if question.kind == Question.Kind.RATING:
            tables.add(question, answered, lambda row, place, q=question.pk: rated[(q, row), place])
        else:
            tables.add(question, answered, lambda row, place: chosen.get((row, place), 0))
    tables.settle()

    labels = {p.key: p.label for p in places}
    results = []
    for question in questions:
        result = QuestionResult(
            question=question,
            text=pick(question.text, fallback=survey.source_language),
            places=places,
            answered=[tables.figure(("answered", question.pk, k), None) for k in keys],
            answered_total=tables.figure(("answered", question.pk, _ALL), None),
        )
        if question.kind in CHOICE_KINDS:
            for row_key, label in _rows_of(question, survey.source_language):
                result.rows.append(
                    Row(
                        label=label,
                        cells=[
                            tables.figure(
                                ("cell", question.pk, row_key, k), ("answered", question.pk, k)
                            )
                            for k in keys
                        ],
                        total=tables.figure(
                            ("row", question.pk, row_key), ("answered", question.pk, _ALL)
                        ),
                    )
                )
        elif question.kind == Question.Kind.NUMBER:
            result.numbers = [
                _number_figures(tables.figure(("answered", question.pk, k), None), found)
                for k, found in ((k, numbers[question.pk].get(k, [])) for k in keys)
            ]
            result.numbers_total = _number_figures(
                result.answered_total,
                [n for found in numbers[question.pk].values() for n in found],
            )
        elif question.kind in TEXT_KINDS:
            result.texts_count = result.answered_total
            result.texts = [(labels.get(p, _("Common link")), t) for p, t in texts[question.pk]]
        results.append(result)

    return SurveyResults(
        survey=survey,
        places=places,
        answers=[tables.figure(("answers", k), None) for k in keys],
        answers_total=tables.figure(("answers", _ALL), None),
        languages=[
            (code, local_name(code), tables.figure(("language", code), None))
            for code in survey.languages
        ],
        questions=results,
        suppressed=suppressed,
        language=language,
        language_choices=[]
        if suppressed
        else [(code, local_name(code)) for code in survey.languages],
        reads_texts=readable is None or bool(readable),
        threshold=suppression.threshold(),
    )


def _rows_of(question: Question, language: str) -> list[tuple[int, str]]:
    """The rows of a choice question's table: its choices, or a rating's steps."""
    if question.kind == Question.Kind.RATING:
        return [(step, str(step)) for step in range(question.scale_min, question.scale_max + 1)]
    return [(c.pk, pick(c.label, fallback=language) or c.key) for c in question.choices.all()]


def _figure(count: int, hidden: bool) -> Figure:
    """A count small enough is shown as "< 5"; one hidden only to protect a small one says
    so, not "< 5", which it need not be."""
    if not hidden:
        return Figure(count, number_format(count, force_grouping=True))
    if suppression.is_suppressed(count):
        return Figure(count, suppression.published(count), hidden=True)
    return Figure(count, _("hidden"), hidden=True)


def _number_figures(count: Figure, found: list[Decimal]) -> NumberFigures:
    """A median and a mean of one or two people would be their answers: shown only where
    their count is."""
    if not found or count.hidden:
        return NumberFigures(count)
    mean = sum(found) / len(found)
    return NumberFigures(
        count,
        median=number_format(statistics.median(found), 1),
        mean=number_format(mean, 1),
        mean_number=float(mean),
    )


class _Tables:
    """Every count of the page, and which of them to hide for a viewer.

    Keys: ("answers", place) and ("answers", ALL), ("language", code); per question
    ("answered", q, place), ("answered", q, ALL), ("cell", q, row, place), ("row", q, row).
    Each table is suppressed with `hidden_in_table`, told what the others hide of the counts
    it shares with them (the answers in all, the same count in two places), until nothing
    more changes: then no table gives back what another hides."""

    def __init__(
        self,
        *,
        suppressed: bool,
        places: list[int | None],
        answers: dict[int | None, int],
        languages: dict[str, int],
    ) -> None:
        self.suppressed = suppressed
        self.places = places
        self.counts: dict[tuple, int] = {("answers", p): answers.get(p, 0) for p in places}
        self.counts[("answers", _ALL)] = sum(answers.values())
        self.counts.update({("language", code): n for code, n in languages.items()})
        self.languages = list(languages)
        self.questions: list[tuple[int, list[int], bool]] = []  # (question, rows, additive)
        self.hidden: set[tuple] = set()

    def add(self, question: Question, answered: dict, count_of) -> None:
        """A question's counts: who answered it per place, and `count_of(row, place)` for
        each row of a choice question's table."""
        q = question.pk
        for place in self.places:
            self.counts[("answered", q, place)] = answered.get((q, place), 0)
        self.counts[("answered", q, _ALL)] = sum(answered.get((q, p), 0) for p in self.places)
        if question.kind not in CHOICE_KINDS:
            self.questions.append((q, [], False))
            return
        rows = [row for row, _label in _rows_of(question, "")]
        for row in rows:
            for place in self.places:
                self.counts[("cell", q, row, place)] = count_of(row, place)
            self.counts[("row", q, row)] = sum(count_of(row, p) for p in self.places)
        # A multiple choice's municipality is no sum of its choices.
        self.questions.append((q, rows, question.kind != Question.Kind.MULTIPLE))

    def settle(self) -> None:
        if not self.suppressed:
            return
        while True:
            before = set(self.hidden)
            self._group("answers", self.places, ("answers", _ALL))
            self._group("language", self.languages, ("answers", _ALL))
            for q, rows, additive in self.questions:
                self._group(("answered", q), self.places, ("answered", q, _ALL))
                if rows:
                    self._question_table(q, rows, additive)
            self._link_equal_counts()
            if self.hidden == before:
                return

    def _group(self, kind, parts: list, total: tuple) -> None:
        """Counts with their total, as a table of one row."""
        prefix = kind if isinstance(kind, tuple) else (kind,)
        keys = {part: (*prefix, part) for part in parts}
        found = suppression.hidden_in_table(
            {(_ALL, part): self.counts[key] for part, key in keys.items()},
            {_ALL: self.counts[total]},
            hide=suppression.HiddenTable(
                cells=frozenset((_ALL, p) for p, key in keys.items() if key in self.hidden),
                rows=frozenset([_ALL] if total in self.hidden else []),
            ),
        )
        self.hidden |= {keys[part] for _row, part in found.cells}
        if found.rows:
            self.hidden.add(total)

    def _question_table(self, q: int, rows: list[int], additive: bool) -> None:
        places = self.places
        cells = {(r, p): self.counts[("cell", q, r, p)] for r in rows for p in places}
        found = suppression.hidden_in_table(
            cells,
            {r: self.counts[("row", q, r)] for r in rows},
            {p: self.counts[("answered", q, p)] for p in places} if additive else None,
            self.counts[("answered", q, _ALL)] if additive else None,
            hide=suppression.HiddenTable(
                cells=frozenset(k for k in cells if ("cell", q, *k) in self.hidden),
                rows=frozenset(r for r in rows if ("row", q, r) in self.hidden),
                columns=frozenset(p for p in places if ("answered", q, p) in self.hidden),
                grand=("answered", q, _ALL) in self.hidden,
            ),
        )
        self.hidden |= {("cell", q, r, p) for r, p in found.cells}
        self.hidden |= {("row", q, r) for r in found.rows}
        self.hidden |= {("answered", q, p) for p in found.columns}
        if found.grand:
            self.hidden.add(("answered", q, _ALL))

    def _link_equal_counts(self) -> None:
        """Who answered a question in a municipality is often all who answered there: the
        same count, read off one table when the other hides it. Hidden in one, hidden in
        both."""
        for key, count in list(self.counts.items()):
            if key[0] != "answered":
                continue
            twin = ("answers", key[2])
            if self.counts[twin] == count and (key in self.hidden or twin in self.hidden):
                self.hidden |= {key, twin}

    def figure(self, key: tuple, base_key: tuple | None) -> Figure:
        """The count of `key`, with its share of the count of `base_key` where both are
        shown and the base is not too small to publish."""
        count = self.counts[key]
        figure = _figure(count, key in self.hidden)
        if base_key is None or figure.hidden:
            return figure
        base = self.counts[base_key]
        if not base or base_key in self.hidden:
            return figure
        if self.suppressed and suppression.is_suppressed(base):
            return figure
        share = 100 * count / base
        # Rounded, as the chart rounds it (number_format would cut 26.9 down to 26).
        figure.share = _("%(share)s %%") % {"share": number_format(round(share), 0)}
        figure.share_number = share
        return figure
