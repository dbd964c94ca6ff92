"""The public information pages' own words: in the page's language where its catalogue has
them, else in English and marked as English, never in Swedish.

Django looks a word up in the active language's catalogue and, if it is missing there, in
settings.LANGUAGE_CODE's: an Arabic page whose catalogue lacks "Skip to content" would say
"Hoppa till innehållet", with nothing telling a screen reader (or a reader) that it is
Swedish. On the public pages (public_views._render) a word missing in the page's language is
its English msgid instead, and a template wraps each element holding interface words in
`{% ui %}` (`{% load resident_words %}`), putting `{{ ui_attrs }}` on the element:

    {% ui %}<p{{ ui_attrs }}>{% translate "Last updated" %}: {{ date|date }}</p>{% endui %}

The block is rendered in the page's language with a catalogue that has no fallback; if any
word in it was not found (a {% translate %}, a topic's name, a month in a date), it is
rendered again in English with ui_attrs = lang="en" dir="ltr". So an element is wholly in the
page's language or wholly in English. A language outside RESIDENT_LANGUAGES is English at
once: Hemma's words are not translated into it (what Django's own catalogue might have of it
would only mix the two).

Django has no public way to make a translation object the active one, so `activated` sets
the one trans_real keeps per thread (and restores it): `activated`.
"""

import copy
import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import trans_real

from hemma.lib.languages import RESIDENT_LANGUAGES

# The marks of an element whose words are English on a page in another language.
ENGLISH_ATTRS: SafeString = mark_safe(' lang="en" dir="ltr"')


class Misses(gettext_module.NullTranslations):
    """The fallback of a page language's catalogue: a word it lacks is its English msgid,
    and counted."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def gettext(self, message: str) -> str:
        self.count += 1
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.count += 1
        return msgid1 if n == 1 else msgid2


def speaks(language: str) -> bool:
    """Whether the interface's words may be in `language` (else they are all English)."""
    return language in RESIDENT_LANGUAGES


def strict(language: str) -> tuple[Any, Misses]:
    """`language`'s catalogue (Hemma's and Django's words) falling back to English, not to
    settings.LANGUAGE_CODE, and the fallback that counts what it lacked."""
    misses = Misses()
    found: Any = copy.copy(trans_real.translation(language))
    found._fallback = misses
    return found, misses


@contextmanager
def activated(found: Any) -> Iterator[None]:
    active = trans_real._active  # type: ignore[attr-defined]
    previous = getattr(active, "value", None)
    active.value = found
    try:
        yield
    finally:
        if previous is None:
            del active.value
        else:
            active.value = previous


@contextmanager
def page_words(language: str) -> Iterator[None]:
    """Render a public page in `language`: any interface word its catalogue lacks is English
    (the elements that hold them say so with `{% ui %}`)."""
    if speaks(language) and language != "en":
        found, _misses = strict(language)
    else:
        found = trans_real.translation("en")
    with activated(found):
        yield


@contextmanager
def english() -> Iterator[None]:
    """The English words, inside a page rendered in another language (`page_words`)."""
    with activated(trans_real.translation("en")):
        yield
