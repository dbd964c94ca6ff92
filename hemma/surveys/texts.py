"""A survey's texts in its languages: which translations are missing or outdated.

Every text of a survey (its title and introduction, each question's text, help and scale
words, each choice's label) is a map of language code to text. The source language's texts
are written first; a translation records, when it is saved, a fingerprint of the source
texts it translates (`translated_from[language]`). When the source changes, the fingerprint
no longer matches and the translation is outdated until someone saves it again. A survey
opens only when no text of it is missing or outdated in any of its languages.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hemma.surveys.models import Choice, Question, Survey

# The text fields of each object, in the order they are fingerprinted.
TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    Survey: ("title", "intro"),
    Question: ("text", "help", "scale_min_label", "scale_max_label"),
    Choice: ("label",),
}

MISSING = "missing"
OUTDATED = "outdated"
CURRENT = "current"


def _fields(obj: Any) -> tuple[str, ...]:
    return TEXT_FIELDS[type(obj)]


def _used(obj: Any) -> list[str]:
    """The text fields the object uses: those with a source text (a question's scale words
    only where written; its help only where given)."""
    source = _source_language(obj)
    return [name for name in _fields(obj) if (getattr(obj, name) or {}).get(source, "").strip()]


def _source_language(obj: Any) -> str:
    survey = obj if isinstance(obj, Survey) else _survey_of(obj)
    return survey.source_language


def _survey_of(obj: Question | Choice) -> Survey:
    return obj.survey if isinstance(obj, Question) else obj.question.survey


def fingerprint(obj: Any) -> str:
    """A fingerprint of the object's source-language texts."""
    source = _source_language(obj)
    joined = "\x1f".join(
        (getattr(obj, name) or {}).get(source, "").strip() for name in _fields(obj)
    )
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def mark_translated(obj: Any, language: str) -> None:
    """Record that the object's `language` texts translate its source texts as they are now
    (call when a translation is saved; not saved here)."""
    if language == _source_language(obj):
        return
    obj.translated_from = {**(obj.translated_from or {}), language: fingerprint(obj)}


def state(obj: Any, language: str) -> str:
    """MISSING, OUTDATED or CURRENT: the object's texts in `language`."""
    used = _used(obj)
    if any(not (getattr(obj, name) or {}).get(language, "").strip() for name in used):
        return MISSING
    if language == _source_language(obj):
        return CURRENT
    if (obj.translated_from or {}).get(language) != fingerprint(obj):
        return OUTDATED
    return CURRENT


@dataclass(frozen=True)
class Flag:
    """A text of the survey that keeps it from opening in one of its languages."""

    obj: Any  # the survey, a question or a choice
    language: str
    state: str  # MISSING or OUTDATED


def flags(survey: Survey, questions: Iterable[Question]) -> list[Flag]:
    """Every missing or outdated text of the survey, in the survey's order. `questions` come
    with their choices prefetched (no query here)."""
    objects: list[Any] = [survey]
    for question in questions:
        objects.append(question)
        objects.extend(question.choices.all())
    found = []
    for obj in objects:
        for language in survey.languages:
            found_state = state(obj, language)
            if found_state != CURRENT:
                found.append(Flag(obj, language, found_state))
    return found
