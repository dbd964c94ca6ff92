"""A page's language versions: which are missing, outdated or current.

The source language's version (the site's source language) is written first; every other
version translates it. A save that changes a version's words makes a new `Revision` of it
(hemma/information/services.py `version_save`); a translation records the number of the
source's revision it was made from (`Version.source_revision`). So:

- MISSING: the language has no version yet, or a word the source has is empty in it (a new
  block was added to the source, say);
- OUTDATED: the source has changed since the translation was saved (a new source revision);
- CURRENT: neither.

A language is published only when its version is current, or, if outdated, with an explicit
choice to show it with a notice that it is outdated (`version_publish`). A published
translation that becomes outdated stays published and shows the notice until it is saved
again: readers keep the page, and are told the source says something newer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from hemma.information.models import Block, Page, Version
from hemma.lib.languages import direction, local_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MISSING = "missing"
OUTDATED = "outdated"
CURRENT = "current"

# The words each kind of block has in each language (Version.texts[block.key]); the file
# block's "upload" is the key of that language's file, not a word, but a translation needs one
# all the same.
BLOCK_FIELDS: dict[str, tuple[str, ...]] = {
    Block.Kind.TEXT: ("html",),
    Block.Kind.PICTURE: ("caption", "alt"),
    Block.Kind.CONTACT: ("name", "details"),
    Block.Kind.LINK: ("label",),
    Block.Kind.FILE: ("label", "upload"),
}
# The words that may be left empty in every language (a contact card's details).
OPTIONAL_FIELDS: frozenset[tuple[str, str]] = frozenset({(Block.Kind.CONTACT, "details")})


def snapshot(version: Version) -> dict[str, Any]:
    """A version's words as a `Revision` keeps them."""
    return {"title": version.title, "summary": version.summary, "texts": version.texts or {}}


def wanted(page: Page, blocks: Iterable[Block], source: Version | None) -> list[tuple[str, str]]:
    """The (block key or "", field) a translation must fill: the title, the summary if the
    source has one, and each block's words the source has."""
    fields: list[tuple[str, str]] = [("", "title")]
    if source is not None and source.summary.strip():
        fields.append(("", "summary"))
    texts = (source.texts if source is not None else {}) or {}
    for block in blocks:
        for name in BLOCK_FIELDS[block.kind]:
            given = str((texts.get(block.key) or {}).get(name, "")).strip()
            if given or (source is None and (block.kind, name) not in OPTIONAL_FIELDS):
                fields.append((block.key, name))
    return fields


def word(version: Version, block_key: str, name: str) -> str:
    """One word of a version: its title or summary (no block key), or a block's field."""
    if not block_key:
        return str(getattr(version, name) or "")
    return str(((version.texts or {}).get(block_key) or {}).get(name, "") or "")


def state(version: Version | None, source: Version | None, fields: list[tuple[str, str]]) -> str:
    """MISSING, OUTDATED or CURRENT: `version` against the page's `source` version, filling
    `fields` (`wanted`)."""
    if version is None or version.revision == 0:
        return MISSING
    if any(not word(version, key, name).strip() for key, name in fields):
        return MISSING
    if source is None or version.language == source.language:
        return CURRENT
    if version.source_revision != source.revision:
        return OUTDATED
    return CURRENT


@dataclass(frozen=True)
class LanguageState:
    """One language of a page: its version (None: not begun), its state, and whether the
    public reads it."""

    language: str
    version: Version | None
    state: str

    @property
    def published(self) -> bool:
        return self.version is not None and self.version.state == Version.State.PUBLISHED

    @property
    def shows_notice(self) -> bool:
        """Published and outdated: the public page says so."""
        return self.published and self.state == OUTDATED

    @property
    def label(self) -> "StateLabel":
        return state_label(self)

    @property
    def name(self) -> str:
        """The language named in itself."""
        return local_name(self.language)

    @property
    def dir(self) -> str:
        return direction(self.language)


@dataclass(frozen=True)
class StateLabel:
    """A language's state in a word; `css` names its look (info-state-<css>)."""

    css: str
    label: "StrOrPromise"


def state_label(language_state: LanguageState) -> StateLabel:
    """The one set of words every staff page names a language's state with (the page list,
    the page's overview, the language's page, the translation list:
    information/_language_state.html): what a translator must do first, else whether the
    public reads it."""
    version = language_state.version
    if language_state.state == MISSING:
        return StateLabel("missing", _("Missing"))
    if language_state.state == OUTDATED:
        if language_state.published:
            return StateLabel("outdated", _("Published, outdated"))
        return StateLabel("outdated", _("Outdated"))
    if language_state.published:
        return StateLabel("published", _("Published"))
    if version is not None and version.state == Version.State.WITHDRAWN:
        return StateLabel("withdrawn", _("Withdrawn"))
    return StateLabel("draft", _("Draft"))


def page_states(page: Page, blocks: list[Block], versions: list[Version]) -> list[LanguageState]:
    """Each language of the page (its own list, then any other it has a version in), in
    order, with its state; no query (the blocks and versions are given)."""
    by_language = {version.language: version for version in versions}
    source_language = page.site.source_language
    source = by_language.get(source_language)
    fields = wanted(page, blocks, source)
    languages = list(dict.fromkeys([source_language, *page.languages, *by_language]))
    return [
        LanguageState(
            language=language,
            version=by_language.get(language),
            state=state(by_language.get(language), source, fields),
        )
        for language in languages
    ]
