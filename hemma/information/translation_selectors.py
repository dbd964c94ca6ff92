"""Reads of the translation workflow: a page in one language with what its writer needs beside
it (hemma/information/translation_views.py), and the list of what waits to be translated.

Both load and authorise in one step through hemma/information/policies.py: a page the user
may not see is a 404; whether they may write the language is `can_write` (a write by anyone
else is the view's 403).
"""

import datetime
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemma.accounts.roles import is_translator_only
from hemma.information import policies, translations
from hemma.information.models import Block, Page, Revision, Site, Upload, Version
from hemma.lib import safe_html
from hemma.lib.languages import CONTENT_LANGUAGES, is_rtl, language_name

# The name of each word of a page, as the forms and the lists of missing words say it.
WORD_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "html": gettext_lazy("Text"),
    "caption": gettext_lazy("Caption"),
    "alt": gettext_lazy("Alternative text"),
    "name": gettext_lazy("Name"),
    "details": gettext_lazy("Details"),
    "label": gettext_lazy("Label"),
    "upload": gettext_lazy("PDF file"),
}


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """What changed between two texts, word by word: [("same" | "removed" | "added", words)]."""
    old, new = before.split(), after.split()
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(new[j1:j2])))
    return parts


# -- one language of a page --------------------------------------------------------------------


@dataclass
class Word:
    """One word of the page (its title, summary, or a block's field) in the language being
    written, with the source's beside it."""

    block: Block | None
    name: str
    label: str
    # The form field's name: "title", "summary" or "<block key>-<field>".
    form_name: str
    value: str
    source: str
    # Of an outdated translation: the source's word when the translation was made, and how it
    # changed since (word_diff); None where it did not change.
    diff: list[tuple[str, str]] | None = None
    missing: bool = False
    # As shown to a reader: a file block's upload named by its file, not its key.
    value_shown: str = ""
    source_shown: str = ""

    @property
    def is_html(self) -> bool:
        return self.name == "html"

    @property
    def is_upload(self) -> bool:
        return self.name == "upload"


@dataclass
class Group:
    """The words of the page itself, or of one block."""

    heading: str
    block: Block | None
    words: list[Word] = field(default_factory=list)


@dataclass
class VersionPage:
    """A page in one language, as the version page shows it."""

    site: Site
    page: Page
    language: str
    blocks: list[Block]
    states: list[translations.LanguageState]
    state: translations.LanguageState
    version: Version | None
    source: Version | None
    # The source's revision an outdated translation was made from (None: not outdated).
    then: Revision | None
    groups: list[Group]
    documents: list[Upload]
    can_write: bool

    @property
    def is_source(self) -> bool:
        return self.language == self.site.source_language

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)

    @property
    def source_rtl(self) -> bool:
        return is_rtl(self.site.source_language)

    @property
    def missing(self) -> list[str]:
        """The words the language still lacks, named: "Title", "2. Picture instruction: Caption"."""
        return [
            f"{group.heading}: {word.label}" if group.block is not None else word.label
            for group in self.groups
            for word in group.words
            if word.missing
        ]

    @property
    def words(self) -> list[Word]:
        return [word for group in self.groups for word in group.words]


def _block_heading(number: int, block: Block) -> str:
    return _("%(number)s. %(kind)s") % {"number": number, "kind": block.get_kind_display()}


def _upload_name(key: str, documents: dict[str, Upload]) -> str:
    upload = documents.get(key)
    return upload.name if upload is not None else ""


def _groups(
    *,
    language: str,
    source_language: str,
    blocks: list[Block],
    version: Version | None,
    source: Version | None,
    then: Revision | None,
    wanted: set[tuple[str, str]],
    documents: dict[str, Upload],
) -> list[Group]:
    is_source = language == source_language
    before = (
        Version(title=then.title, summary=then.summary, texts=then.texts)
        if then is not None
        else None
    )

    def word(block: Block | None, name: str) -> Word:
        key = block.key if block is not None else ""
        value = translations.word(version, key, name) if version is not None else ""
        now = translations.word(source, key, name) if source is not None else ""
        diff = None
        if before is not None:
            old = translations.word(before, key, name)
            if name == "html":
                old, new = safe_html.plain(old), safe_html.plain(now)
            elif name == "upload":
                old, new = _upload_name(old, documents), _upload_name(now, documents)
            else:
                new = now
            if old != new:
                diff = word_diff(old, new)

        def shown(text: str) -> str:
            return _upload_name(text, documents) if name == "upload" else text

        return Word(
            block=block,
            name=name,
            label=str(WORD_LABELS[name]),
            form_name=f"{key}-{name}" if key else name,
            value=value,
            source="" if is_source else now,
            diff=diff,
            missing=(key, name) in wanted and not value.strip(),
            value_shown=shown(value),
            source_shown="" if is_source else shown(now),
        )

    groups = [Group(heading=_("The page"), block=None, words=[word(None, "title")])]
    groups[0].words.append(word(None, "summary"))
    for number, block in enumerate(blocks, start=1):
        group = Group(heading=_block_heading(number, block), block=block)
        for name in translations.BLOCK_FIELDS[block.kind]:
            group.words.append(word(block, name))
        groups.append(group)
    return groups


def version_get(*, user, site: str, page: str, language: str) -> VersionPage:
    """The page `page` of the site `site` in `language`, for a user who may see it (else 404):
    a language of the page, or one it has a version in (else 404)."""
    found = (
        Page.objects.select_related("site__region", "site__municipality")
        .filter(site__slug=site, slug=page)
        .first()
    )
    if found is None or language not in CONTENT_LANGUAGES or not policies.can_see_page(user, found):
        raise Http404
    blocks = list(found.blocks.select_related("image"))
    versions = list(found.versions.all())
    states = translations.page_states(found, blocks, versions)
    state = next((s for s in states if s.language == language), None)
    if state is None:
        raise Http404
    source_language = found.site.source_language
    source = next((v for v in versions if v.language == source_language), None)
    version = state.version
    then = None
    if (
        state.state == translations.OUTDATED
        and version is not None
        and version.source_revision is not None
    ):
        then = Revision.objects.filter(version=source, number=version.source_revision).first()
    documents = list(found.uploads.filter(kind=Upload.Kind.DOCUMENT))
    wanted = set(translations.wanted(found, blocks, source))
    return VersionPage(
        site=found.site,
        page=found,
        language=language,
        blocks=blocks,
        states=states,
        state=state,
        version=version,
        source=source,
        then=then,
        groups=_groups(
            language=language,
            source_language=source_language,
            blocks=blocks,
            version=version,
            source=source,
            then=then,
            wanted=wanted,
            documents={upload.key: upload for upload in documents},
        ),
        documents=documents,
        can_write=policies.can_translate(user, found, language),
    )


# -- the work list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A page in one language the user writes: its state and since when the source says
    what it says now."""

    page: Page
    language: str
    state: str
    version: Version | None
    source: Version
    # When the source's words were last saved (the newest revision of it).
    source_changed_at: datetime.datetime | None

    @property
    def site(self) -> Site:
        return self.page.site

    @property
    def language_state(self) -> translations.LanguageState:
        return translations.LanguageState(
            language=self.language, version=self.version, state=self.state
        )

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)

    @property
    def source_rtl(self) -> bool:
        return is_rtl(self.page.site.source_language)


@dataclass
class TranslationList:
    waiting: list[Entry]
    current: list[Entry]
    # The languages the list may be narrowed to, (code, name), and the one chosen.
    languages: list[tuple[str, str]]
    language: str
    # Only a translator: the list speaks of "your" language.
    translator_only: bool


def _versions_with_save_time():
    last_saved = Revision.objects.filter(version=OuterRef("pk"), number=OuterRef("revision"))
    return Version.objects.annotate(saved_at=Subquery(last_saved.values("saved_at")[:1]))


def translation_list(*, user, language: str = "") -> TranslationList:
    """Every page of the sites the user sees in each language they may write, but the
    source's: those whose version is missing or outdated (oldest change of the source first),
    and those that are current. `language` narrows it to one language. A fixed number of
    queries, whatever the number of pages."""
    pages = (
        policies.pages_visible(user)
        .select_related("site__region", "site__municipality")
        .prefetch_related(
            Prefetch("blocks", queryset=Block.objects.all()),
            Prefetch("versions", queryset=_versions_with_save_time()),
        )
        .order_by("site__slug", "slug")
    )
    entries: list[Entry] = []
    offered: set[str] = set()
    for page in pages:
        blocks = list(page.blocks.all())
        versions = list(page.versions.all())
        source_language = page.site.source_language
        source = next((v for v in versions if v.language == source_language), None)
        # Nothing to translate until the source is written.
        if source is None or source.revision == 0:
            continue
        for each in translations.page_states(page, blocks, versions):
            if each.language == source_language or each.language not in page.languages:
                continue
            if not policies.can_translate(user, page, each.language):
                continue
            offered.add(each.language)
            entries.append(
                Entry(
                    page=page,
                    language=each.language,
                    state=each.state,
                    version=each.version,
                    source=source,
                    source_changed_at=getattr(source, "saved_at", None),
                )
            )
    language = language if language in offered else ""
    if language:
        entries = [entry for entry in entries if entry.language == language]
    oldest_first = sorted(
        (entry for entry in entries if entry.state != translations.CURRENT),
        key=lambda entry: (
            entry.source_changed_at or datetime.datetime.min.replace(tzinfo=datetime.UTC),
            entry.page.site.slug,
            entry.page.slug,
            entry.language,
        ),
    )
    current = [entry for entry in entries if entry.state == translations.CURRENT]
    return TranslationList(
        waiting=oldest_first,
        current=current,
        languages=[(code, language_name(code)) for code in CONTENT_LANGUAGES if code in offered],
        language=language,
        translator_only=is_translator_only(user),
    )


def texts_initial(found: VersionPage) -> dict[str, Any]:
    """The form's initial values: the version's words as they are saved."""
    initial: dict[str, Any] = {word.form_name: word.value for word in found.words}
    if found.source is not None and not found.is_source:
        initial["source_revision"] = found.source.revision
    return initial
