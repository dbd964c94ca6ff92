"""Reads of surveys for the builder's pages, always for a user and scoped by
hemma.surveys.policies: a survey of a programme the user may not see is a 404, a write by
someone who may not build it a 403.

A survey's page reads in a fixed number of queries, however many questions and choices it
has: the questions come with their choices prefetched, and the translation state
(hemma/surveys/texts.py) is computed from them without another query.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hemma.lib.languages import is_rtl, language_name, local_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.programmes.selectors import programme_get
from hemma.surveys import policies, texts
from hemma.surveys.models import Choice, Question, Survey


def _object_name(obj: Survey | Question | Choice) -> str:
    if isinstance(obj, Survey):
        return _("The survey's title and introduction")
    if isinstance(obj, Question):
        return _("Question “%(key)s”") % {"key": obj.key}
    return _("Choice “%(choice)s” of question “%(key)s”") % {
        "choice": obj.key,
        "key": obj.question.key,
    }


def flag_text(flag: texts.Flag) -> str:
    """What keeps the survey from opening, as a sentence."""
    values = {"what": _object_name(flag.obj), "language": language_name(flag.language)}
    if flag.state == texts.MISSING:
        return _("%(what)s: missing in %(language)s.") % values
    return _("%(what)s: outdated in %(language)s (the source text changed).") % values


def anchor_of(obj: Survey | Question | Choice) -> str:
    """The id of the object's place on the survey's and the translation page."""
    if isinstance(obj, Survey):
        return "survey-texts"
    if isinstance(obj, Question):
        return f"question-{obj.key}"
    return f"choice-{obj.question.key}-{obj.key}"


# -- surveys ---------------------------------------------------------------------------------


def survey_list(*, user, programme: Programme) -> QuerySet[Survey]:
    return (
        policies.surveys_visible(user)
        .filter(programme=programme)
        .annotate(
            question_count=Count("questions", distinct=True),
            answer_count=Count("responses", distinct=True),
        )
        .order_by("-period", "key")
    )


def survey_get(*, user, slug: str, key: str, period: str, build: bool = False) -> Survey:
    """The survey if the user may see its programme (else 404) and, with `build`, build it
    (else 403)."""
    survey = (
        policies.surveys_visible(user)
        .select_related("programme__region", "previous")
        .filter(programme__slug=slug, key=key, period=period)
        .first()
    )
    if survey is None:
        raise Http404
    if build and not policies.can_build(user, survey):
        raise PermissionDenied
    return survey


def programme_for_surveys(*, user, slug: str, build: bool = False) -> Programme:
    return programme_get(user=user, slug=slug, write=build)


def survey_questions(survey: Survey) -> list[Question]:
    """The survey's questions in order, each with its choices (two queries)."""
    questions = list(survey.questions.prefetch_related("choices"))
    for question in questions:
        question.survey = survey  # the survey read with its programme, not read again
    return questions


def question_get(
    *, user, slug: str, key: str, period: str, question_key: str, build: bool = False
) -> Question:
    survey = survey_get(user=user, slug=slug, key=key, period=period, build=build)
    question = survey.questions.filter(key=question_key).first()
    if question is None:
        raise Http404
    question.survey = survey
    return question


def choice_get(
    *,
    user,
    slug: str,
    key: str,
    period: str,
    question_key: str,
    choice_key: str,
    build: bool = False,
) -> Choice:
    question = question_get(
        user=user, slug=slug, key=key, period=period, question_key=question_key, build=build
    )
    choice = question.choices.filter(key=choice_key).first()
    if choice is None:
        raise Http404
    choice.question = question
    return choice


# -- the survey's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    rtl: bool
    source: bool
    missing: int
    outdated: int

    @property
    def ready(self) -> bool:
        return not self.missing and not self.outdated


@dataclass
class SurveyPage:
    survey: Survey
    questions: list[Question]
    flags: list[texts.Flag]
    languages: list[LanguageState]
    answers: int
    codes: int
    codes_spent: int
    municipalities: list[Municipality]
    survey_flags: list[texts.Flag] = field(default_factory=list)


def languages_of(survey: Survey, flags: list[texts.Flag]) -> list[LanguageState]:
    return [
        LanguageState(
            code=code,
            name=language_name(code),
            rtl=is_rtl(code),
            source=code == survey.source_language,
            missing=sum(1 for f in flags if f.language == code and f.state == texts.MISSING),
            outdated=sum(1 for f in flags if f.language == code and f.state == texts.OUTDATED),
        )
        for code in survey.languages
    ]


def survey_page(*, user, slug: str, key: str, period: str) -> SurveyPage:
    """The survey with its questions and choices, the flags that keep it from opening (set
    on each question and choice as `flags`), its answers and codes counted."""
    survey = survey_get(user=user, slug=slug, key=key, period=period)
    questions = survey_questions(survey)
    flags = texts.flags(survey, questions)
    by_object: dict[int, list[texts.Flag]] = {}
    for flag in flags:
        by_object.setdefault(id(flag.obj), []).append(flag)
    for question in questions:
        # For the template, as an annotation would be.
        question.flags = by_object.get(id(question), [])  # type: ignore[attr-defined]
        for choice in question.choices.all():
            choice.flags = by_object.get(id(choice), [])  # type: ignore[attr-defined]
    codes = codes_count(survey)
    return SurveyPage(
        survey=survey,
        questions=questions,
        flags=flags,
        languages=languages_of(survey, flags),
        answers=survey.responses.count(),
        codes=codes["total"],
        codes_spent=codes["spent"],
        municipalities=list(survey.programme.municipalities.order_by("code")),
        survey_flags=by_object.get(id(survey), []),
    )


def public_links(survey: Survey, municipalities: list[Municipality]) -> list[tuple[str, str]]:
    """(what, path) of the survey's public links: the common one, one per municipality
    (hemma/surveys/answer_urls.py answers them)."""
    common = f"/s/{survey.public_token}/"
    return [
        (_("Common link"), common),
        *(
            (pick(m.name, fallback=survey.programme.language), f"{common}{m.code}/")
            for m in municipalities
        ),
    ]


def codes_count(survey: Survey) -> dict[str, int]:
    """How many invitation codes were made, used and not yet used."""
    counts = survey.codes.aggregate(total=Count("pk"), spent=Count("pk", filter=Q(spent=True)))
    return {**counts, "unused": counts["total"] - counts["spent"]}


# -- the preview -----------------------------------------------------------------------------


@dataclass
class PreviewQuestion:
    number: int
    key: str
    kind: str
    text: str
    help: str
    required: bool
    choices: list[tuple[str, str]]  # (key, label)
    scale: list[int]
    min_label: str
    max_label: str
    shown_if: str  # for the builder: which earlier answer shows it ("" always shown)


@dataclass
class PreviewColumn:
    language: str
    name: str
    local_name: str
    rtl: bool
    title: str
    intro: str
    questions: list[PreviewQuestion]


def preview_column(survey: Survey, questions: list[Question], language: str) -> PreviewColumn:
    """The survey as a respondent reads it in `language`: exactly that language's texts (an
    empty one is missing, never filled from another language)."""

    def in_language(value: dict | None) -> str:
        return (value or {}).get(language, "")

    numbers = {q.key: n for n, q in enumerate(questions, start=1)}
    by_key = {q.key: q for q in questions}
    shown = []
    for number, question in enumerate(questions, start=1):
        shown_if = ""
        if question.show_if_question in by_key:
            source = by_key[question.show_if_question]
            labels = [
                in_language(c.label) or c.key
                for c in source.choices.all()
                if c.key in question.show_if_choices
            ]
            shown_if = _("Shown if the answer to question %(number)s is: %(choices)s") % {
                "number": numbers[source.key],
                "choices": ", ".join(labels),
            }
        shown.append(
            PreviewQuestion(
                number=number,
                key=question.key,
                kind=question.kind,
                text=in_language(question.text),
                help=in_language(question.help),
                required=question.required,
                choices=[(c.key, in_language(c.label)) for c in question.choices.all()],
                scale=list(range(question.scale_min, question.scale_max + 1))
                if question.kind == Question.Kind.RATING
                else [],
                min_label=in_language(question.scale_min_label),
                max_label=in_language(question.scale_max_label),
                shown_if=shown_if,
            )
        )
    return PreviewColumn(
        language=language,
        name=language_name(language),
        local_name=local_name(language),
        rtl=is_rtl(language),
        title=in_language(survey.title),
        intro=in_language(survey.intro),
        questions=shown,
    )


# -- the translation page --------------------------------------------------------------------

_MULTILINE = {"intro", "text", "help"}


@dataclass
class TranslationField:
    name: str  # the form field's name
    field: str  # the model's field
    label: str
    source: str
    multiline: bool


@dataclass
class TranslationItem:
    kind: str  # "survey", "question" or "choice"
    obj: Any
    anchor: str
    heading: str
    state: str  # texts.MISSING, OUTDATED or CURRENT
    fields: list[TranslationField]

    @property
    def ref(self) -> tuple[str, int]:
        return (self.kind, self.obj.pk)


def translation_items(
    survey: Survey, questions: list[Question], language: str
) -> list[TranslationItem]:
    """Each text of the survey to translate into `language`: the fields written in the source
    language, with the source text beside each."""
    objects: list[tuple[str, Any, str]] = [("survey", survey, _("Title and introduction"))]
    for number, question in enumerate(questions, start=1):
        objects.append(
            (
                "question",
                question,
                _("Question %(number)s (%(key)s)") % {"number": number, "key": question.key},
            )
        )
        objects.extend(
            (
                "choice",
                choice,
                _("Question %(number)s, choice “%(key)s”") % {"number": number, "key": choice.key},
            )
            for choice in question.choices.all()
        )
    items = []
    for kind, obj, heading in objects:
        fields = []
        for name in texts.TEXT_FIELDS[type(obj)]:
            source = (getattr(obj, name) or {}).get(survey.source_language, "")
            if not source.strip():
                continue
            fields.append(
                TranslationField(
                    name=f"{kind}-{obj.pk}-{name}",
                    field=name,
                    label=capfirst(str(type(obj)._meta.get_field(name).verbose_name)),
                    source=source,
                    multiline=name in _MULTILINE,
                )
            )
        items.append(
            TranslationItem(
                kind=kind,
                obj=obj,
                anchor=anchor_of(obj),
                heading=heading,
                state=texts.state(obj, language),
                fields=fields,
            )
        )
    return items
