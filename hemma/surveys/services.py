"""Building a programme's surveys: every write to a survey, its questions and choices, its
state and its invitation codes goes through here.

Each service is keyword-only, runs in one transaction, checks its actor (the region's
coordinator builds: hemma.surveys.policies.can_build; `actor=None` is the system itself, for
the demo and commands) and writes an AuditEvent with the programme's id, so that a survey's
changes read in the programme's history.

Texts are maps of language → text (hemma/surveys/texts.py). Saving a translation (a
language other than the survey's source language) records which source text it translates;
saving the source text does not touch the translations, which then read as outdated until
someone saves them again. Keys (of questions and choices) are fixed once made: indicators and
skip logic name them.

What an answer means rests on its question's kind, choices, skip logic and scale: once a
survey has answers those stay as they are; only the texts may be corrected.
"""

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_event, audit_record
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.lib.texts import clean, pick
from hemma.programmes.models import Programme
from hemma.programmes.policies import can_view_programme
from hemma.programmes.services import KEY_MAX_LENGTH, KEY_PATTERN
from hemma.surveys import policies, texts
from hemma.surveys.models import Choice, InvitationCode, Question, Survey
from hemma.surveys.selectors import flag_text

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
# What an answer's meaning rests on: fixed once the survey has answers.
STRUCTURE_FIELDS = ("kind", "show_if_question", "show_if_choices", "scale_min", "scale_max")
# A rating scale of at most eleven points (0–10), as respondents know them.
SCALE_LIMITS = (-10, 10)
SCALE_MAX_POINTS = 11
LONGEST_TEXT_ANSWER = 10_000

# Invitation codes: short enough to type from paper, without the letters and digits that look
# alike (0/O, 1/I/L); 32 symbols × 10 = 50 bits, far beyond guessing within a rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODES_AT_ONCE = 5000


# -- checks and helpers ----------------------------------------------------------------------


def _check_build(actor, programme: Programme) -> None:
    """A survey of a programme the actor may not see does not exist for them (404); one they
    see but may not build is forbidden (403)."""
    if actor is None:
        return
    if not can_view_programme(actor, programme):
        raise Http404
    if not policies.can_build(actor, programme):
        raise PermissionDenied


def _has_answers(survey: Survey) -> bool:
    return survey.responses.exists()


def _refuse_if_answered(survey: Survey) -> None:
    if _has_answers(survey):
        raise ValidationError(
            _(
                "The survey has answers: its questions and choices can no longer be added, "
                "removed or changed in kind, skip logic or scale. Their texts may still be "
                "corrected."
            )
        )


def _valid_key(wanted: str, source_text: str, taken: set[str], fallback: str) -> str:
    """`wanted` if given (it must be free), else a free key made from `source_text`."""
    wanted = (wanted or "").strip()
    if wanted:
        if not KEY_PATTERN.fullmatch(wanted) or len(wanted) > KEY_MAX_LENGTH:
            raise ValidationError({"key": _("“%(key)s” is not a valid key.") % {"key": wanted}})
        if wanted in taken:
            raise ValidationError(
                {"key": _("The key “%(key)s” is already in use.") % {"key": wanted}}
            )
        return wanted
    base = slugify(source_text)[: KEY_MAX_LENGTH - 4].strip("-_") or fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _valid_period(period: str) -> str:
    try:
        return periods.parse(period).code
    except periods.InvalidPeriod:
        raise ValidationError(
            {
                "period": _("“%(period)s” is not a period (2025, 2025H1, 2025Q3).")
                % {"period": period}
            }
        ) from None


def _valid_languages(languages: Iterable[str], source_language: str) -> list[str]:
    """The source language first, then the others in the order given, each once."""
    chosen = list(dict.fromkeys([source_language, *languages]))
    unknown = [code for code in chosen if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return chosen


def _require_source(survey: Survey, text: dict[str, str], field: str, label: str) -> None:
    if not text.get(survey.source_language):
        raise ValidationError(
            {field: _("%(label)s: the text in the source language is required.") % {"label": label}}
        )


def _set_texts(
    obj: Survey | Question | Choice,
    survey: Survey,
    edited: Mapping[str, dict[str, str]],
    confirmed: Iterable[str] = (),
) -> dict[str, tuple[Any, Any]]:
    """Set the object's texts: each edited map replaces the languages it gives (an emptied one
    removed), the others are kept. A language other than the source whose text changed, or
    that is `confirmed` (a translator saying it still holds), is marked translated; the
    changes, field → (old, new)."""
    changes: dict[str, tuple[Any, Any]] = {}
    touched = set(confirmed)
    for name, given in edited.items():
        old = getattr(obj, name) or {}
        new = clean({**old, **given})
        if new != old:
            changes[name] = (old, new)
            setattr(obj, name, new)
            touched |= {code for code in {*old, *new} if old.get(code) != new.get(code)}
    for language in touched - {survey.source_language}:
        texts.mark_translated(obj, language)
    return changes


def _positions_save(model: type[Question] | type[Choice], objects: Sequence[Any]) -> None:
    """Number the objects 0, 1, 2… in their order (no gaps, no ties after a delete)."""
    for position, obj in enumerate(objects):
        obj.position = position
    model.objects.bulk_update(objects, ["position"])


def _moved(
    actor,
    model: type[Question] | type[Choice],
    siblings: list[Any],
    item: Any,
    direction: str,
    *,
    refused: str,
    programme_id: int,
    check: Callable[[Any, Any], None] | None = None,
) -> Any:
    """Move `item` one place up or down among its `siblings` (locked, in order), renumber
    them and audit it; ValidationError(`refused`) past either end. `check(earlier, later)`
    may refuse the swap of the two."""
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        raise ValidationError(refused)
    first, second = sorted([index, other])
    if check is not None:
        check(siblings[first], siblings[second])
    old = siblings[index].position
    siblings[first], siblings[second] = siblings[second], siblings[first]
    _positions_save(model, siblings)
    moved = siblings[other]
    audit_record(
        actor=actor,
        verb="move",
        target=moved,
        programme_id=programme_id,
        changes={"position": (old + 1, moved.position + 1)},
    )
    return moved


# -- surveys ---------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    actor,
    programme: Programme,
    key: str,
    period: str,
    title: dict[str, str],
    languages: Sequence[str],
    source_language: str,
    intro: dict[str, str] | None = None,
    invitation_only: bool = False,
) -> Survey:
    _check_build(actor, programme)
    title = clean(title)
    period = _valid_period(period)
    languages = _valid_languages(languages, source_language)
    key = _valid_key(key, pick(title, source_language), set(), "survey")
    if Survey.objects.filter(programme=programme, key=key, period=period).exists():
        raise ValidationError(
            {
                "period": _("There is already a survey “%(key)s” for %(period)s.")
                % {"key": key, "period": period}
            }
        )
    survey = Survey(
        programme=programme,
        key=key,
        period=period,
        source_language=source_language,
        languages=languages,
        invitation_only=invitation_only,
    )
    _set_texts(survey, survey, {"title": title, "intro": intro or {}})
    _require_source(survey, survey.title, "title", _("Title"))
    survey.save()
    audit_record(
        actor=actor,
        verb="create",
        target=survey,
        programme_id=programme.pk,
        changes={
            "key": (None, key),
            "period": (None, period),
            "title": (None, survey.title),
            "languages": (None, languages),
        },
    )
    return survey


@transaction.atomic
def survey_copy(*, actor, survey: Survey, period: str) -> Survey:
    """A new draft survey for `period` from `survey` (last year's): its questions, choices,
    texts and translation fingerprints, so that what was translated stays translated. Its
    answers, codes and link are not copied."""
    _check_build(actor, survey.programme)
    period = _valid_period(period)
    if Survey.objects.filter(programme=survey.programme, key=survey.key, period=period).exists():
        raise ValidationError(
            {
                "period": _("There is already a survey “%(key)s” for %(period)s.")
                % {"key": survey.key, "period": period}
            }
        )
    copy = Survey.objects.create(
        programme=survey.programme,
        key=survey.key,
        period=period,
        title=survey.title,
        intro=survey.intro,
        source_language=survey.source_language,
        languages=survey.languages,
        translated_from=survey.translated_from,
        invitation_only=survey.invitation_only,
        previous=survey,
    )
    questions = list(survey.questions.prefetch_related("choices"))
    new_questions = Question.objects.bulk_create(
        Question(
            survey=copy,
            **{
                f.name: getattr(question, f.name)
                for f in Question._meta.concrete_fields
                if f.name not in ("id", "survey")
            },
        )
        for question in questions
    )
    Choice.objects.bulk_create(
        Choice(
            question=new_question,
            key=choice.key,
            label=choice.label,
            position=choice.position,
            translated_from=choice.translated_from,
        )
        for question, new_question in zip(questions, new_questions, strict=True)
        for choice in question.choices.all()
    )
    audit_record(
        actor=actor,
        verb="create",
        target=copy,
        programme_id=copy.programme_id,
        changes={"previous": (None, str(survey)), "period": (None, period)},
    )
    return copy


@transaction.atomic
def survey_update(
    *,
    actor,
    survey: Survey,
    title: dict[str, str],
    intro: dict[str, str],
    languages: Sequence[str],
    invitation_only: bool,
) -> Survey:
    """Change the survey's texts (the languages given), languages and whether it asks for an
    invitation code. Its languages change only while it is not open: respondents choose
    among them."""
    _check_build(actor, survey.programme)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    new_languages = _valid_languages(languages, survey.source_language)
    changes = _set_texts(survey, survey, {"title": title, "intro": intro})
    _require_source(survey, survey.title, "title", _("Title"))
    if new_languages != survey.languages:
        if survey.state == Survey.State.OPEN:
            raise ValidationError(
                {"languages": _("The languages of an open survey cannot change. Close it first.")}
            )
        changes["languages"] = (survey.languages, new_languages)
        survey.languages = new_languages
    if invitation_only != survey.invitation_only:
        changes["invitation_only"] = (survey.invitation_only, invitation_only)
        survey.invitation_only = invitation_only
    if changes:
        survey.save()
        audit_record(
            actor=actor,
            verb="update",
            target=survey,
            programme_id=survey.programme_id,
            changes=changes,
        )
    return survey


@transaction.atomic
def survey_translate(
    *,
    actor,
    survey: Survey,
    language: str,
    edited: dict[tuple[str, int], dict[str, str]],
    confirmed: Iterable[tuple[str, int]] = (),
) -> int:
    """Save the survey's texts in one language other than the source (the translation
    page). `edited` maps ("survey" | "question" | "choice", id) to field → text; a text that
    changed, or an object `confirmed` as still right, is marked translated. How many objects
    changed."""
    _check_build(actor, survey.programme)
    if language not in survey.languages or language == survey.source_language:
        raise ValidationError(_("Translations are saved in the survey's other languages."))
    confirmed = set(confirmed)
    questions = list(survey.questions.prefetch_related("choices"))
    objects: list[tuple[str, Survey | Question | Choice]] = [("survey", survey)]
    for question in questions:
        objects.append(("question", question))
        objects.extend(("choice", choice) for choice in question.choices.all())
    events = []
    for kind, obj in objects:
        ref = (kind, obj.pk)
        if ref not in edited and ref not in confirmed:
            continue
        before = dict(obj.translated_from or {})
        given = {
            name: {language: text}
            for name, text in edited.get(ref, {}).items()
            if name in texts.TEXT_FIELDS[type(obj)]
        }
        changes = _set_texts(obj, survey, given, confirmed=[language] if ref in confirmed else [])
        if not changes and obj.translated_from == before:
            continue
        obj.save(update_fields=[*changes, "translated_from"])
        events.append(
            audit_event(
                actor=actor,
                verb="update",
                target=obj,
                programme_id=survey.programme_id,
                changes=changes or {"translated_from": (before, obj.translated_from)},
            )
        )
    AuditEvent.objects.bulk_create(events)
    return len(events)


@transaction.atomic
def survey_open(*, actor, survey: Survey) -> Survey:
    """Open the survey for answers: refused, with every reason, while it has no question, a
    choice question lacks choices, or any text is missing or outdated in any language."""
    _check_build(actor, survey.programme)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state == Survey.State.OPEN:
        raise ValidationError(_("The survey is already open."))
    questions = list(survey.questions.prefetch_related("choices"))
    problems = []
    if not questions:
        problems.append(_("The survey has no questions."))
    for question in questions:
        if question.kind in CHOICE_KINDS and len(question.choices.all()) < 2:
            problems.append(
                _("Question “%(key)s” needs at least two choices.") % {"key": question.key}
            )
    problems.extend(flag_text(flag) for flag in texts.flags(survey, questions))
    if problems:
        raise ValidationError(problems)
    return _state_set(actor, survey, Survey.State.OPEN)


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    _check_build(actor, survey.programme)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != Survey.State.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    return _state_set(actor, survey, Survey.State.CLOSED)


def _state_set(actor, survey: Survey, state: str) -> Survey:
    old = survey.state
    survey.state = state
    survey.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        verb="update",
        target=survey,
        programme_id=survey.programme_id,
        changes={"state": (old, state)},
    )
    return survey


# -- questions -------------------------------------------------------------------------------


@dataclass
class QuestionSpec:
    """What a question form gives: its kind, texts (language → text) and settings."""

    kind: str
    text: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: bool = False
    show_if_question: str = ""
    show_if_choices: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: dict[str, str] = field(default_factory=dict)
    scale_max_label: dict[str, str] = field(default_factory=dict)
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    max_length: int = 1000


def _spec_checked(survey: Survey, spec: QuestionSpec, earlier: Sequence[Question]) -> QuestionSpec:
    """The spec as stored: settings of other kinds reset, every rule checked. `earlier` are
    the questions before this one, with their choices."""
    spec = replace(spec)
    errors: dict[str, list[str]] = {}
    if spec.kind not in Question.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of question."))
    if spec.kind != Question.Kind.RATING:
        spec.scale_min, spec.scale_max = 1, 5
        spec.scale_min_label, spec.scale_max_label = {}, {}
    elif not (
        SCALE_LIMITS[0] <= spec.scale_min < spec.scale_max <= SCALE_LIMITS[1]
        and spec.scale_max - spec.scale_min < SCALE_MAX_POINTS
    ):
        errors.setdefault("scale_max", []).append(
            _("A rating scale runs from a lower to a higher end, at most 0–10.")
        )
    if spec.kind != Question.Kind.NUMBER:
        spec.number_min = spec.number_max = None
    elif (
        spec.number_min is not None
        and spec.number_max is not None
        and spec.number_min > spec.number_max
    ):
        errors.setdefault("number_max", []).append(
            _("The largest number must not be smaller than the smallest.")
        )
    if not 1 <= spec.max_length <= LONGEST_TEXT_ANSWER:
        errors.setdefault("max_length", []).append(
            _("The longest answer is from 1 to %(limit)s characters.")
            % {"limit": LONGEST_TEXT_ANSWER}
        )
    if not (spec.text or {}).get(survey.source_language, "").strip():
        errors.setdefault("text", []).append(_("The question in the source language is required."))
    spec.show_if_choices = list(dict.fromkeys(spec.show_if_choices or []))
    if spec.show_if_question:
        before = {q.key: q for q in earlier}
        shown_after = before.get(spec.show_if_question)
        if shown_after is None or shown_after.kind not in CHOICE_KINDS:
            errors.setdefault("show_if", []).append(
                _("Show if: choose answers of an earlier single or multiple choice question.")
            )
        else:
            keys = {c.key for c in shown_after.choices.all()}
            if not spec.show_if_choices or not set(spec.show_if_choices) <= keys:
                errors.setdefault("show_if", []).append(
                    _("Show if: choose one or more of the choices of “%(key)s”.")
                    % {"key": shown_after.key}
                )
    elif spec.show_if_choices:
        errors.setdefault("show_if", []).append(_("Show if: name the question the choices are of."))
    if errors:
        raise ValidationError(errors)
    return spec


def _dependants(question: Question) -> list[Question]:
    """The questions whose skip logic looks at `question`'s answer."""
    return list(question.survey.questions.filter(show_if_question=question.key))


@transaction.atomic
def question_add(*, actor, survey: Survey, spec: QuestionSpec, key: str = "") -> Question:
    """A new question at the end of the survey."""
    _check_build(actor, survey.programme)
    _refuse_if_answered(survey)
    earlier = list(survey.questions.prefetch_related("choices"))
    spec = _spec_checked(survey, spec, earlier)
    key = _valid_key(
        key, pick(spec.text, survey.source_language), {q.key for q in earlier}, "question"
    )
    question = Question(
        survey=survey,
        key=key,
        kind=spec.kind,
        required=spec.required,
        position=max((q.position for q in earlier), default=-1) + 1,
        show_if_question=spec.show_if_question,
        show_if_choices=spec.show_if_choices,
        scale_min=spec.scale_min,
        scale_max=spec.scale_max,
        number_min=spec.number_min,
        number_max=spec.number_max,
        max_length=spec.max_length,
    )
    _set_texts(question, survey, _spec_texts(spec))
    question.save()
    audit_record(
        actor=actor,
        verb="create",
        target=question,
        programme_id=survey.programme_id,
        changes={"key": (None, key), "kind": (None, spec.kind), "text": (None, question.text)},
    )
    return question


def _spec_texts(spec: QuestionSpec) -> dict[str, dict[str, str]]:
    return {
        "text": spec.text,
        "help": spec.help,
        "scale_min_label": spec.scale_min_label,
        "scale_max_label": spec.scale_max_label,
    }


@transaction.atomic
def question_update(*, actor, question: Question, spec: QuestionSpec) -> Question:
    """Change a question. Its texts may always be corrected; its kind, skip logic and scale
    only while the survey has no answers. A question that becomes no choice question loses
    its choices, unless a later question's skip logic looks at them."""
    survey = question.survey
    _check_build(actor, survey.programme)
    question = Question.objects.select_for_update().select_related("survey").get(pk=question.pk)
    all_questions = list(survey.questions.prefetch_related("choices"))
    earlier = [q for q in all_questions if (q.position, q.pk) < (question.position, question.pk)]
    spec = _spec_checked(survey, spec, earlier)
    new_values = {name: getattr(spec, name) for name in STRUCTURE_FIELDS}
    new_values |= {
        "required": spec.required,
        "number_min": spec.number_min,
        "number_max": spec.number_max,
        "max_length": spec.max_length,
    }
    changes = {
        name: (getattr(question, name), value)
        for name, value in new_values.items()
        if getattr(question, name) != value
    }
    if any(name in STRUCTURE_FIELDS for name in changes):
        _refuse_if_answered(survey)
    leaves_choices = question.kind in CHOICE_KINDS and spec.kind not in CHOICE_KINDS
    if leaves_choices and _dependants(question):
        raise ValidationError(
            {
                "kind": _(
                    "Later questions are shown by the answer to this one (%(keys)s): it stays "
                    "a choice question."
                )
                % {"keys": ", ".join(q.key for q in _dependants(question))}
            }
        )
    for name, (_old, value) in changes.items():
        setattr(question, name, value)
    changes |= _set_texts(question, survey, _spec_texts(spec))
    if leaves_choices:
        removed = list(question.choices.values_list("key", flat=True))
        if removed:
            question.choices.all().delete()
            changes["choices"] = (removed, [])
    if changes:
        question.save()
        audit_record(
            actor=actor,
            verb="update",
            target=question,
            programme_id=survey.programme_id,
            changes=changes,
        )
    return question


@transaction.atomic
def question_move(*, actor, question: Question, direction: str) -> Question:
    """One place up or down. A question stays after the question whose answer shows it."""
    survey = question.survey
    _check_build(actor, survey.programme)

    def shown_after(earlier: Question, later: Question) -> None:
        if later.show_if_question == earlier.key:
            raise ValidationError(
                _("“%(later)s” is shown by the answer to “%(earlier)s”: it must stay after it.")
                % {"later": later.key, "earlier": earlier.key}
            )

    return _moved(
        actor,
        Question,
        list(Question.objects.select_for_update().filter(survey=survey)),
        question,
        direction,
        refused=_("The question cannot move that way."),
        programme_id=survey.programme_id,
        check=shown_after,
    )


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    survey = question.survey
    _check_build(actor, survey.programme)
    _refuse_if_answered(survey)
    dependants = _dependants(question)
    if dependants:
        raise ValidationError(
            _(
                "Later questions are shown by the answer to this one (%(keys)s): change their "
                "“show if” first."
            )
            % {"keys": ", ".join(q.key for q in dependants)}
        )
    audit_record(
        actor=actor,
        verb="delete",
        target=question,
        programme_id=survey.programme_id,
        changes={"key": (question.key, None), "text": (question.text, None)},
    )
    question.delete()
    _positions_save(Question, list(survey.questions.all()))


# -- choices ---------------------------------------------------------------------------------


def _require_source_label(survey: Survey, label: dict[str, str]) -> None:
    if not label.get(survey.source_language):
        raise ValidationError({"label": _("The choice in the source language is required.")})


@transaction.atomic
def choice_add(*, actor, question: Question, label: dict[str, str], key: str = "") -> Choice:
    survey = question.survey
    _check_build(actor, survey.programme)
    if question.kind not in CHOICE_KINDS:
        raise ValidationError(_("Only a single or multiple choice question has choices."))
    _refuse_if_answered(survey)
    existing = list(question.choices.all())
    choice = Choice(question=question, position=max((c.position for c in existing), default=-1) + 1)
    _set_texts(choice, survey, {"label": label})
    _require_source_label(survey, choice.label)
    choice.key = _valid_key(
        key, pick(choice.label, survey.source_language), {c.key for c in existing}, "choice"
    )
    choice.save()
    audit_record(
        actor=actor,
        verb="create",
        target=choice,
        programme_id=survey.programme_id,
        changes={"key": (None, choice.key), "label": (None, choice.label)},
    )
    return choice


@transaction.atomic
def choice_update(*, actor, choice: Choice, label: dict[str, str]) -> Choice:
    """Correct a choice's label (its key stays: answers and skip logic name it)."""
    survey = choice.question.survey
    _check_build(actor, survey.programme)
    changes = _set_texts(choice, survey, {"label": label})
    _require_source_label(survey, choice.label)
    if changes:
        choice.save(update_fields=["label", "translated_from"])
        audit_record(
            actor=actor,
            verb="update",
            target=choice,
            programme_id=survey.programme_id,
            changes=changes,
        )
    return choice


@transaction.atomic
def choice_move(*, actor, choice: Choice, direction: str) -> Choice:
    question = choice.question
    _check_build(actor, question.survey.programme)
    return _moved(
        actor,
        Choice,
        list(Choice.objects.select_for_update().filter(question=question)),
        choice,
        direction,
        refused=_("The choice cannot move that way."),
        programme_id=question.survey.programme_id,
    )


@transaction.atomic
def choice_delete(*, actor, choice: Choice) -> None:
    question = choice.question
    survey = question.survey
    _check_build(actor, survey.programme)
    _refuse_if_answered(survey)
    shown_by = [
        q.key
        for q in survey.questions.filter(show_if_question=question.key)
        if choice.key in (q.show_if_choices or [])
    ]
    if shown_by:
        raise ValidationError(
            _("Later questions are shown by this choice (%(keys)s): change their “show if” first.")
            % {"keys": ", ".join(shown_by)}
        )
    audit_record(
        actor=actor,
        verb="delete",
        target=choice,
        programme_id=survey.programme_id,
        changes={"key": (choice.key, None), "label": (choice.label, None)},
    )
    choice.delete()
    _positions_save(Choice, list(question.choices.all()))


# -- invitation codes ------------------------------------------------------------------------

_NOT_IN_CODE = re.compile(r"[\s-]+")


def code_hash(code: str) -> str:
    """The stored form of an invitation code: the sha256 of the code as written on paper,
    whatever case, spaces or dashes a respondent types it with."""
    normalised = _NOT_IN_CODE.sub("", code).upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


@transaction.atomic
def codes_make(*, actor, survey: Survey, count: int) -> list[str]:
    """`count` new one-time codes for the survey, returned in clear this once: only their
    hashes are stored, so nobody (not even Hemma) can tell later which code was whose."""
    _check_build(actor, survey.programme)
    if not 1 <= count <= CODES_AT_ONCE:
        raise ValidationError(
            {"count": _("Make from 1 to %(limit)s codes at a time.") % {"limit": CODES_AT_ONCE}}
        )
    codes: dict[str, str] = {}
    while len(codes) < count:
        wanted = {
            code_hash(code): code for code in (_new_code() for _n in range(count - len(codes)))
        }
        taken = set(
            InvitationCode.objects.filter(code_hash__in=list(wanted)).values_list(
                "code_hash", flat=True
            )
        )
        codes |= {h: code for h, code in wanted.items() if h not in taken}
    before = survey.codes.count()
    InvitationCode.objects.bulk_create(InvitationCode(survey=survey, code_hash=h) for h in codes)
    audit_record(
        actor=actor,
        verb="create",
        target=survey,
        programme_id=survey.programme_id,
        changes={"invitation_codes": (before, before + count)},
    )
    return list(codes.values())
