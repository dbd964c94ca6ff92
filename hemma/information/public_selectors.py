"""What the public information sites read: only published versions, each read in a fixed
number of queries whatever the size of the site.

Everyone reads the same: nothing here looks at who asks. A site, language, page, image or
file that is not public raises Http404 (the public 404 of public_views.py).
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from hemma.information import translations
from hemma.information.models import Block, Page, Revision, Site, Upload, Version
from hemma.lib.languages import CONTENT_LANGUAGES, direction, local_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLISHED = Version.State.PUBLISHED
# The longest search the index takes; the rest of a longer one is ignored.
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class LanguageLink:
    """A language to read in, named in itself, with its direction."""

    code: str
    name: str
    dir: str
    current: bool = False


def language_link(code: str, current: str = "") -> LanguageLink:
    return LanguageLink(
        code=code,
        name=local_name(code),
        dir=direction(code),
        current=code == current,
    )


@dataclass(frozen=True)
class Name:
    """The site's name (its municipality's or region's) and the language it is in."""

    text: str
    language: str

    @property
    def dir(self) -> str:
        return direction(self.language)


def site_name(site: Site, language: str) -> Name:
    """The name of the site's municipality (or region) in `language`, else in the site's
    source language, Swedish, Finnish or English."""
    names = (site.municipality or site.region).name or {}
    for code in (language, site.source_language, "sv", "fi", "en", *sorted(names)):
        if names.get(code):
            return Name(text=names[code], language=code)
    return Name(text=site.slug, language="en")


def site_get(*, slug: str) -> Site:
    site = Site.objects.select_related("municipality", "region").filter(slug=slug).first()
    if site is None:
        raise Http404
    return site


def site_languages(*, site: Site) -> list[str]:
    """The languages the site has at least one published page in: the site's own in its
    order, then any other a page is published in."""
    published = set(
        Version.objects.filter(page__site=site, state=PUBLISHED)
        .values_list("language", flat=True)
        .distinct()
    )
    ordered = [code for code in site.languages if code in published]
    return ordered + sorted(published - set(ordered))


# -- a language's index ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A page as its index lists it: the page and its version in the index's language."""

    page: Page
    version: Version


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    # Lazy: named in the page's language when the page is rendered, not in the request's.
    label: "StrOrPromise"
    entries: list[Entry]


@dataclass(frozen=True)
class SiteIndex:
    site: Site
    language: str
    # The topics that have a page in the language, in Page.Topic's order: (value, label).
    topics: list[tuple[str, "StrOrPromise"]]
    # The pages shown, by topic (one topic if `topic` is chosen).
    groups: list[TopicGroup]
    topic: str = ""
    query: str = ""
    # A search's pages, by title (None: no search).
    results: list[Entry] | None = None


def _title_key(entry: Entry) -> str:
    return entry.version.title.casefold()


def site_index(*, site: Site, language: str, topic: str = "", query: str = "") -> SiteIndex:
    """The site's pages published in `language`, by topic; only `topic`'s if given; and if
    `query`, the pages whose title or words contain it. A language the site has no published
    page in, or an unknown topic, does not exist (404)."""
    if language not in CONTENT_LANGUAGES:
        raise Http404
    if topic and topic not in Page.Topic.values:
        raise Http404
    published = Version.objects.filter(page__site=site, language=language, state=PUBLISHED)
    # The words are not shown in the index: only the titles and summaries are read.
    entries = [
        Entry(page=version.page, version=version)
        for version in published.select_related("page").defer("texts", "plain")
    ]
    if not entries:
        raise Http404
    present = {entry.page.topic for entry in entries}
    topics: list[tuple[str, StrOrPromise]] = [
        (value, label) for value, label in Page.Topic.choices if value in present
    ]
    groups = [
        TopicGroup(
            topic=value,
            label=label,
            entries=sorted(
                (entry for entry in entries if entry.page.topic == value), key=_title_key
            ),
        )
        for value, label in topics
        if not topic or value == topic
    ]
    results = None
    query = query.strip()[:QUERY_MAX_LENGTH]
    if query:
        found = published.filter(Q(title__icontains=query) | Q(plain__icontains=query))
        if topic:
            found = found.filter(page__topic=topic)
        results = sorted(
            (
                Entry(page=version.page, version=version)
                for version in found.select_related("page").defer("texts", "plain")
            ),
            key=_title_key,
        )
    return SiteIndex(
        site=site,
        language=language,
        topics=topics,
        groups=groups,
        topic=topic,
        query=query,
        results=results,
    )


# -- a page ------------------------------------------------------------------------------------


def blocks_for_display(
    *, page: Page, blocks: list[Block], version: Version, preview: bool = False
) -> list[tuple[Block, dict]]:
    """The page's blocks with their words in `version`'s language, as
    information/public/_blocks.html shows them: (block, words), the words a copy of
    `Version.texts[block.key]` with, for a picture, "image_url", and for a file, "file" (its
    Upload) and "file_url". A block with no words in the language is left out (a link and a
    contact card show without them). `preview`: the addresses are the staff's (of a page that
    may not be public yet), and a download is not counted. One query (the files), if any."""
    texts = version.texts or {}
    keys = [
        (texts.get(block.key) or {}).get("upload")
        for block in blocks
        if block.kind == Block.Kind.FILE
    ]
    keys = [key for key in keys if key]
    files = (
        {upload.key: upload for upload in Upload.objects.filter(page=page, key__in=keys)}
        if keys
        else {}
    )
    shown: list[tuple[Block, dict]] = []
    for block in blocks:
        words = dict(texts.get(block.key) or {})
        if block.kind == Block.Kind.PICTURE:
            if not words or block.image is None:
                continue
            words["image_url"] = (
                reverse(
                    "information:file",
                    kwargs={"site": page.site.slug, "page": page.slug, "key": block.image.key},
                )
                if preview
                else reverse("info:image", kwargs={"site": page.site.slug, "key": block.image.key})
            )
        elif block.kind == Block.Kind.FILE:
            upload = files.get(words.get("upload", ""))
            if upload is None:
                continue
            words["file"] = upload
            words["file_url"] = (
                reverse(
                    "information:file",
                    kwargs={"site": page.site.slug, "page": page.slug, "key": upload.key},
                )
                if preview
                else reverse(
                    "info:file",
                    kwargs={
                        "site": page.site.slug,
                        "language": version.language,
                        "page": page.slug,
                        "key": upload.key,
                        "name": upload.name,
                    },
                )
            )
        elif not words and block.kind not in (Block.Kind.LINK, Block.Kind.CONTACT):
            continue
        shown.append((block, words))
    return shown


@dataclass(frozen=True)
class Notice:
    """A published translation whose source changed after it was saved: since when, and the
    source language's page to read instead (None: the source is not published)."""

    since: datetime.datetime | None
    source: LanguageLink | None


@dataclass(frozen=True)
class PublicPage:
    site: Site
    page: Page
    version: Version
    blocks: list[tuple[Block, dict]]
    # The languages the page is published in, this one marked current.
    languages: list[LanguageLink]
    notice: Notice | None
    updated: datetime.datetime


def page_read(*, site_slug: str, language: str, page_slug: str) -> PublicPage:
    """The page in `language` as the public reads it: only a published version. Five
    queries (six with a file block), whatever the page holds."""
    page = (
        Page.objects.select_related("site__municipality", "site__region")
        .filter(site__slug=site_slug, slug=page_slug)
        .first()
    )
    if page is None:
        raise Http404
    versions = list(page.versions.all())
    version = next((v for v in versions if v.language == language and v.state == PUBLISHED), None)
    if version is None:
        raise Http404
    blocks = list(page.blocks.select_related("image"))
    states = translations.page_states(page, blocks, versions)
    here = next(state for state in states if state.language == language)
    source = next((v for v in versions if v.language == page.site.source_language), None)
    wanted = [version] + ([source] if here.shows_notice and source is not None else [])
    saved = {
        revision.version_id: revision.saved_at
        for revision in Revision.objects.filter(
            reduce(or_, (Q(version=v, number=v.revision) for v in wanted))
        ).only("version_id", "saved_at")
    }
    notice = None
    if here.shows_notice:
        notice = Notice(
            since=saved.get(source.pk) if source is not None else None,
            source=(
                language_link(source.language)
                if source is not None and source.state == PUBLISHED
                else None
            ),
        )
    return PublicPage(
        site=page.site,
        page=page,
        version=version,
        blocks=blocks_for_display(page=page, blocks=blocks, version=version),
        languages=[language_link(s.language, language) for s in states if s.published],
        notice=notice,
        updated=saved.get(version.pk) or version.updated_at,
    )


# -- images and files --------------------------------------------------------------------------


def image_get(*, site_slug: str, key: str) -> Upload:
    """An image of a page of the site that is published in at least one language."""
    upload = (
        Upload.objects.filter(
            page__site__slug=site_slug,
            key=key,
            kind=Upload.Kind.IMAGE,
            page__versions__state=PUBLISHED,
        )
        .distinct()
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def file_get(
    *, site_slug: str, language: str, page_slug: str, key: str, name: str
) -> tuple[Page, Upload]:
    """A document that a file block of the page's published version in `language` offers,
    at its own name, and its page."""
    version = (
        Version.objects.select_related("page__site")
        .filter(
            page__site__slug=site_slug, page__slug=page_slug, language=language, state=PUBLISHED
        )
        .first()
    )
    if version is None:
        raise Http404
    offered = {
        (version.texts.get(block_key) or {}).get("upload")
        for block_key in version.page.blocks.filter(kind=Block.Kind.FILE).values_list(
            "key", flat=True
        )
    }
    if key not in offered:
        raise Http404
    upload = Upload.objects.filter(page=version.page, key=key, kind=Upload.Kind.DOCUMENT).first()
    if upload is None or upload.name != name:
        raise Http404
    return version.page, upload
