"""Writes of information sites and pages: each checks the policy, changes what it says in one
transaction and writes its audit row there (hemma/audit). A user who may not see the site
gets 404 (Http404), one who may see but not change it 403 (PermissionDenied); bad input is a
ValidationError naming the field, and changes nothing.

Publishing and withdrawing a language count again the indicators "information material
published" in the same transaction (hemma/information/counting.py).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.audit.services import audit_record
from hemma.information import counting, policies, translations, uploads
from hemma.information.models import Block, Distribution, Page, Revision, Site, Upload, Version
from hemma.lib import safe_html
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action

# Page addresses a site uses for itself: the public site's under /info/<site>/<language>/,
# and the staff pages' under /information/<site>/ (urls.py: "new" makes a page, "settings"
# are the site's).
RESERVED_SLUGS = frozenset({"files", "images", "search", "topics", "new", "settings"})
# Addresses the staff pages use for themselves under /information/.
RESERVED_SITE_SLUGS = frozenset({"new", "translations"})
# A site's or page's address: what shows in the public address as it is typed, the same for
# everyone (no capitals, which would make two addresses of one page, nor letters outside
# a–z, which browsers show escaped).
ADDRESS = re.compile(r"[a-z0-9-]+\Z")


def address_message() -> str:
    return _("Use small letters a–z, digits and hyphens.")


def validate_address(value: str) -> None:
    """A site's or page's address as the forms and the services check it."""
    if not ADDRESS.match(value or ""):
        raise ValidationError(address_message(), code="address")


def _check_edit(actor, site: Site) -> None:
    if not policies.can_see_site(actor, site):
        raise Http404
    if not policies.can_edit_site(actor, site):
        raise PermissionDenied


def _check_languages(languages: Sequence[str], field: str = "languages") -> list[str]:
    unknown = [code for code in languages if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            {field: _("Unknown languages: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return list(dict.fromkeys(languages))


# -- sites -------------------------------------------------------------------------------------


@transaction.atomic
def site_create(
    *,
    actor,
    region: Region,
    municipality: Municipality | None,
    slug: str,
    languages: Sequence[str],
    source_language: str = "sv",
) -> Site:
    """The information site of `municipality` (None: the region's own). Only the region's
    coordinator makes the region's site; a municipal coordinator their municipality's."""
    probe = Site(region=region, municipality=municipality)
    if not policies.can_edit_site(actor, probe):
        raise PermissionDenied
    if municipality is not None and municipality.region_id != region.pk:
        raise ValidationError({"municipality": _("The municipality is not of this region.")})
    if not ADDRESS.match(slug):
        raise ValidationError({"slug": address_message()})
    if slug in RESERVED_SITE_SLUGS:
        raise ValidationError({"slug": _("This address is used by Hemma itself: choose another.")})
    languages = _check_languages([source_language, *languages])
    site = Site(
        region=region,
        municipality=municipality,
        slug=slug,
        source_language=source_language,
        languages=languages,
    )
    site.full_clean()
    site.save()
    audit_record(
        actor=actor,
        verb="create",
        target=site,
        changes={"slug": (None, slug), "languages": (None, languages)},
    )
    return site


@transaction.atomic
def site_update(*, actor, site: Site, languages: Sequence[str]) -> Site:
    """Set the languages relevant to the site (the source language stays first)."""
    _check_edit(actor, site)
    languages = _check_languages([site.source_language, *languages])
    if languages != site.languages:
        audit_record(
            actor=actor,
            verb="update",
            target=site,
            changes={"languages": (site.languages, languages)},
        )
        site.languages = languages
        site.save(update_fields=["languages"])
    return site


# -- pages -------------------------------------------------------------------------------------


def _check_page_fields(
    site: Site, *, slug: str, owner: Organisation, actions: Iterable[Action], page: Page | None
) -> list[Action]:
    errors: dict[str, str] = {}
    if not ADDRESS.match(slug):
        errors["slug"] = address_message()
    elif slug in RESERVED_SLUGS:
        errors["slug"] = _("This address is used by the site itself: choose another.")
    elif Page.objects.filter(site=site, slug=slug).exclude(pk=page.pk if page else 0).exists():
        errors["slug"] = _("The site already has a page at this address.")
    if owner.region_id != site.region_id:
        errors["owner"] = _("The owner must be an organisation of the region.")
    actions = list(actions)
    if any(action.programme.region_id != site.region_id for action in actions):
        errors["actions"] = _("The actions must be of the region's programmes.")
    if errors:
        raise ValidationError(errors)
    return actions


@transaction.atomic
def page_create(
    *,
    actor,
    site: Site,
    slug: str,
    kind: str,
    topic: str,
    owner: Organisation,
    title: str,
    summary: str = "",
    actions: Iterable[Action] = (),
    languages: Sequence[str] | None = None,
) -> Page:
    """A new page with its source-language version (a draft with its title and summary)."""
    _check_edit(actor, site)
    actions = _check_page_fields(site, slug=slug, owner=owner, actions=actions, page=None)
    languages = _check_languages(
        [site.source_language, *(site.languages if languages is None else languages)]
    )
    page = Page(
        site=site,
        slug=slug,
        kind=kind,
        topic=topic,
        owner=owner,
        languages=languages,
        created_by=actor if actor.is_authenticated else None,
    )
    page.full_clean()
    page.save()
    page.actions.set(actions)
    audit_record(
        actor=actor,
        verb="create",
        target=page,
        changes={"slug": (None, slug), "topic": (None, topic), "languages": (None, languages)},
    )
    if title.strip():
        version_save(
            actor=actor, page=page, language=site.source_language, title=title, summary=summary
        )
    return page


@transaction.atomic
def page_update(
    *,
    actor,
    page: Page,
    slug: str,
    kind: str,
    topic: str,
    owner: Organisation,
    actions: Iterable[Action],
    languages: Sequence[str],
) -> Page:
    """Change what the page is (not its words, which are its versions')."""
    _check_edit(actor, page.site)
    actions = _check_page_fields(page.site, slug=slug, owner=owner, actions=actions, page=page)
    languages = _check_languages([page.site.source_language, *languages])
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in (
        ("slug", slug),
        ("kind", kind),
        ("topic", topic),
        ("languages", languages),
    ):
        if getattr(page, name) != value:
            changes[name] = (getattr(page, name), value)
            setattr(page, name, value)
    if page.owner_id != owner.pk:
        changes["owner"] = (page.owner.key, owner.key)
        page.owner = owner
    before = sorted(page.actions.values_list("pk", flat=True))
    if before != sorted(action.pk for action in actions):
        changes["actions"] = (before, sorted(action.pk for action in actions))
        page.actions.set(actions)
    if changes:
        page.full_clean()
        page.save()
        audit_record(actor=actor, verb="update", target=page, changes=changes)
    return page


def page_delete_refusal(page: Page) -> str:
    """Why the page may not be deleted, or "" if it may: a page once published in any
    language stays (it is counted in the follow-up as material made in the period it was
    first published); it is withdrawn instead."""
    if Version.objects.filter(page=page, first_published_at__isnull=False).exists():
        return _(
            "The page has been published, so it cannot be deleted: it is counted in the "
            "follow-up as material made. Withdraw it from the public site instead, in each "
            "of its languages."
        )
    return ""


@transaction.atomic
def page_delete(*, actor, page: Page) -> None:
    """Remove a page that was never published in any language, with its blocks, versions,
    distribution records and uploads, and the uploads' files from storage once the deletion
    is committed. A page once published is refused (page_delete_refusal)."""
    _check_edit(actor, page.site)
    refusal = page_delete_refusal(page)
    if refusal:
        raise ValidationError(refusal, code="published")
    files = [(upload.file.storage, upload.file.name) for upload in page.uploads.all()]
    audit_record(
        actor=actor,
        verb="delete",
        target=page,
        changes={"slug": (page.slug, None), "site": (page.site.slug, None)},
    )
    page.delete()

    def delete_files() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)


# -- blocks ------------------------------------------------------------------------------------


@transaction.atomic
def block_add(
    *,
    actor,
    page: Page,
    kind: str,
    texts: Mapping[str, str] | None = None,
    image: Upload | None = None,
    url: str = "",
    phone: str = "",
    email: str = "",
) -> Block:
    """A new block at the end of the page, with its words in the source language (`texts`:
    field → text, the fields of translations.BLOCK_FIELDS[kind]). The source changes, so its
    translations are outdated (or missing the new words) until they are saved again."""
    _check_edit(actor, page.site)
    if kind not in Block.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of block.")})
    if image is not None and (image.page_id != page.pk or image.kind != Upload.Kind.IMAGE):
        raise ValidationError({"image": _("Choose an image of this page.")})
    last = page.blocks.aggregate(last=Max("position"))["last"]
    block = Block(
        page=page,
        kind=kind,
        position=0 if last is None else last + 1,
        image=image,
        url=url.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    block.full_clean()
    block.save()
    audit_record(actor=actor, verb="create", target=block, changes={"kind": (None, kind)})
    if texts:
        source = Version.objects.filter(page=page, language=page.site.source_language).first()
        words = dict(source.texts) if source is not None else {}
        words[block.key] = dict(texts)
        version_save(
            actor=actor,
            page=page,
            language=page.site.source_language,
            title=source.title if source is not None else "",
            summary=source.summary if source is not None else "",
            texts=words,
        )
    return block


@transaction.atomic
def block_update(
    *,
    actor,
    block: Block,
    image: Upload | None = None,
    url: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Block:
    """Change a block's language-free parts: its image, address, phone number or e-mail."""
    _check_edit(actor, block.page.site)
    changes: dict[str, tuple[Any, Any]] = {}
    if image is not None and image.pk != block.image_id:
        if image.page_id != block.page_id or image.kind != Upload.Kind.IMAGE:
            raise ValidationError({"image": _("Choose an image of this page.")})
        changes["image"] = (block.image_id, image.pk)
        block.image = image
    for name, value in (("url", url), ("phone", phone), ("email", email)):
        if value is not None and getattr(block, name) != value.strip():
            changes[name] = (getattr(block, name), value.strip())
            setattr(block, name, value.strip())
    if changes:
        block.full_clean()
        block.save()
        audit_record(actor=actor, verb="update", target=block, changes=changes)
    return block


@transaction.atomic
def block_move(*, actor, block: Block, up: bool) -> None:
    """Swap the block with the one before (`up`) or after it."""
    _check_edit(actor, block.page.site)
    blocks = list(Block.objects.select_for_update().filter(page_id=block.page_id))
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(blocks):
        return
    blocks[index], blocks[other] = blocks[other], blocks[index]
    for position, each in enumerate(blocks):
        each.position = position
    Block.objects.bulk_update(blocks, ["position"])
    audit_record(actor=actor, verb="move", target=block, changes={"position": (index, other)})


@transaction.atomic
def block_delete(*, actor, block: Block) -> None:
    """Remove a block and its words in every language. The source changes, so its
    translations are outdated until saved again."""
    page = block.page
    _check_edit(actor, page.site)
    for version in Version.objects.select_for_update().filter(page=page):
        if block.key in (version.texts or {}):
            texts = {key: value for key, value in version.texts.items() if key != block.key}
            _revise(actor, version, title=version.title, summary=version.summary, texts=texts)
    audit_record(actor=actor, verb="delete", target=block, changes={"kind": (block.kind, None)})
    block.delete()


def _store(actor, page: Page, kind: str, file) -> Upload:
    """Keep an uploaded image (a picture block) or PDF (a file block); a refused file is an
    error of the form's "file" field."""
    try:
        if kind == Block.Kind.PICTURE:
            return uploads.image_store(actor=actor, page=page, file=file)
        return uploads.document_store(actor=actor, page=page, file=file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


@transaction.atomic
def block_add_with_file(
    *, actor, page: Page, kind: str, file, texts: Mapping[str, str] | None = None
) -> Block:
    """A picture block with its image, or a file block with its PDF as the source language's
    file: the file checked and kept (hemma/information/uploads.py), then the block added,
    both or neither. Checked for the right to change the page before the file is read."""
    _check_edit(actor, page.site)
    if kind not in (Block.Kind.PICTURE, Block.Kind.FILE):
        raise ValidationError({"kind": _("Only a picture or a file block has a file.")})
    upload = _store(actor, page, kind, file)
    if kind == Block.Kind.PICTURE:
        return block_add(actor=actor, page=page, kind=kind, texts=texts, image=upload)
    return block_add(
        actor=actor, page=page, kind=kind, texts={**(texts or {}), "upload": upload.key}
    )


@transaction.atomic
def block_replace_file(*, actor, block: Block, file) -> Block:
    """A picture block's new image (its caption and alt text stay), or a file block's new PDF
    in the source language (its label stays; the source changes, so its translations are
    outdated until they are saved again)."""
    page = block.page
    _check_edit(actor, page.site)
    if block.kind not in (Block.Kind.PICTURE, Block.Kind.FILE):
        raise ValidationError({"file": _("Only a picture or a file block has a file.")})
    upload = _store(actor, page, block.kind, file)
    if block.kind == Block.Kind.PICTURE:
        return block_update(actor=actor, block=block, image=upload)
    source = Version.objects.filter(page=page, language=page.site.source_language).first()
    if source is None:
        raise ValidationError({"file": _("Write the page in its source language first.")})
    texts = {key: dict(words) for key, words in (source.texts or {}).items()}
    texts[block.key] = {**texts.get(block.key, {}), "upload": upload.key}
    version_save(
        actor=actor,
        page=page,
        language=source.language,
        title=source.title,
        summary=source.summary,
        texts=texts,
    )
    return block


# -- versions ----------------------------------------------------------------------------------


def _clean_texts(page: Page, texts: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Only the page's blocks and their kinds' fields; text blocks' HTML made safe; a file's
    upload only one of the page's documents."""
    blocks = {block.key: block for block in page.blocks.all()}
    documents = set(
        Upload.objects.filter(page=page, kind=Upload.Kind.DOCUMENT).values_list("key", flat=True)
    )
    cleaned: dict[str, dict[str, str]] = {}
    for key, given in texts.items():
        block = blocks.get(key)
        if block is None:
            continue
        words: dict[str, str] = {}
        for name in translations.BLOCK_FIELDS[block.kind]:
            value = str(given.get(name, "") or "").strip()
            if name == "html":
                value = safe_html.clean(value)
            elif name == "upload" and value and value not in documents:
                raise ValidationError({"texts": _("Choose a document of this page.")})
            if value:
                words[name] = value
        if words:
            cleaned[key] = words
    return cleaned


def _plain(title: str, summary: str, texts: Mapping[str, Mapping[str, str]]) -> str:
    parts = [title, summary]
    for words in texts.values():
        for name, value in words.items():
            if name == "html":
                parts.append(safe_html.plain(value))
            elif name != "upload":
                parts.append(value)
    return " ".join(part for part in parts if part)


def _revise(
    actor,
    version: Version,
    *,
    title: str,
    summary: str,
    texts: dict,
    source_revision: int | None = None,
) -> bool:
    """Save the version's words as a new revision if they (or, of a translation, the source
    revision it translates) changed; whether they did."""
    same = (
        version.pk is not None
        and version.revision > 0
        and (version.title, version.summary, version.texts or {}) == (title, summary, texts)
        and version.source_revision == source_revision
    )
    if same:
        return False
    before = version.revision
    version.title, version.summary, version.texts = title, summary, texts
    version.plain = _plain(title, summary, texts)
    version.source_revision = source_revision
    version.revision = before + 1
    version.updated_by = actor if actor is not None and actor.is_authenticated else None
    version.save()
    Revision.objects.create(
        version=version,
        number=version.revision,
        title=title,
        summary=summary,
        texts=texts,
        source_revision=source_revision,
        saved_by=version.updated_by,
    )
    audit_record(
        actor=actor,
        verb="update" if before else "create",
        target=version,
        changes={"revision": (before or None, version.revision)},
    )
    return True


@transaction.atomic
def version_save(
    *,
    actor,
    page: Page,
    language: str,
    title: str,
    summary: str = "",
    texts: Mapping[str, Mapping[str, Any]] | None = None,
    source_revision: int | None = None,
) -> Version:
    """Save the page's words in `language`. Of a translation, `source_revision` is the
    source's revision the translator had before them (default: the source's current one):
    saved, the translation is current against it, and outdated again once the source changes.
    A save that changes nothing makes no revision."""
    if not policies.can_see_page(actor, page):
        raise Http404
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("Unknown language.")})
    if not policies.can_translate(actor, page, language):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Write the title.")})
    if len(title) > 200:  # Version.title's max_length
        raise ValidationError({"title": _("The title is too long (at most 200 characters).")})
    cleaned = _clean_texts(page, texts or {})
    version = Version.objects.select_for_update().filter(page=page, language=language).first()
    if version is None:
        version = Version(page=page, language=language)
    if language == page.site.source_language:
        revision = None
    else:
        source = Version.objects.filter(page=page, language=page.site.source_language).first()
        if source is None or source.revision == 0:
            raise ValidationError(
                {"language": _("Write the page in its source language before translating it.")}
            )
        revision = source.revision if source_revision is None else source_revision
        if not 1 <= revision <= source.revision:
            raise ValidationError({"source_revision": _("Unknown version of the source text.")})
    _revise(
        actor,
        version,
        title=title,
        summary=summary.strip(),
        texts=cleaned,
        source_revision=revision,
    )
    return version


@transaction.atomic
def version_publish(*, actor, version: Version, outdated_ok: bool = False) -> Version:
    """Publish the page in the version's language. A version with missing words is refused; an
    outdated translation only with `outdated_ok` (it is shown with a notice that it is
    outdated)."""
    page = version.page
    _check_edit_or_translate(actor, page, version.language)
    blocks = list(page.blocks.all())
    versions = list(page.versions.all())
    state = next(
        s.state
        for s in translations.page_states(page, blocks, versions)
        if s.language == version.language
    )
    if state == translations.MISSING:
        raise ValidationError(_("Some words of the page are missing in this language."))
    if state == translations.OUTDATED and not outdated_ok:
        raise ValidationError(
            _(
                "The translation is outdated: the source text changed after it was saved. "
                "Update it, or choose to publish it with a notice that it is outdated."
            )
        )
    now = timezone.now()
    before = version.state
    version.state = Version.State.PUBLISHED
    version.published_at = now
    first = version.first_published_at is None
    if first:
        version.first_published_at = now
    version.save(update_fields=["state", "published_at", "first_published_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="update",
        target=version,
        changes={"state": (before, version.state)},
    )
    counting.material_changed(site=page.site, when=[timezone.localdate(now)])
    return version


@transaction.atomic
def version_withdraw(*, actor, version: Version) -> Version:
    """Take the page in the version's language off the public site (it stays counted as made
    in the period it was first published)."""
    page = version.page
    _check_edit_or_translate(actor, page, version.language)
    if version.state != Version.State.PUBLISHED:
        return version
    version.state = Version.State.WITHDRAWN
    version.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        verb="update",
        target=version,
        changes={"state": (Version.State.PUBLISHED, version.state)},
    )
    counting.material_changed(site=page.site, when=[timezone.localdate()])
    return version


def _check_edit_or_translate(actor, page: Page, language: str) -> None:
    if not policies.can_see_page(actor, page):
        raise Http404
    if not policies.can_translate(actor, page, language):
        raise PermissionDenied


# -- distribution ------------------------------------------------------------------------------


@transaction.atomic
def distribution_record(
    *,
    actor,
    page: Page,
    channel: str,
    starts_on,
    ends_on=None,
    languages: Sequence[str] = (),
    place: str = "",
    copies: int | None = None,
    partner: Organisation | None = None,
    note: str = "",
) -> Distribution:
    """Record a channel the page went out in (the web, a print run and where it was put,
    social media, a partner's channel), in `languages` (none: all of the page's)."""
    _check_edit(actor, page.site)
    errors: dict[str, str] = {}
    unknown = [code for code in languages if code not in page.languages]
    if unknown:
        errors["languages"] = _("The page is not to be in: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    if partner is not None and partner.region_id != page.site.region_id:
        errors["partner"] = _("The partner must be an organisation of the region.")
    if copies is not None and channel != Distribution.Channel.PRINT:
        errors["copies"] = _("Only a print run has a number of copies.")
    elif copies is None and channel == Distribution.Channel.PRINT:
        errors["copies"] = _("Write the number of copies printed.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)
    distribution = Distribution(
        page=page,
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        languages=list(dict.fromkeys(languages)),
        place=place.strip(),
        copies=copies,
        partner=partner,
        note=note.strip(),
        recorded_by=actor if actor.is_authenticated else None,
    )
    distribution.full_clean()
    distribution.save()
    audit_record(
        actor=actor,
        verb="create",
        target=distribution,
        changes={"channel": (None, channel), "starts_on": (None, starts_on)},
    )
    return distribution


@transaction.atomic
def distribution_delete(*, actor, distribution: Distribution) -> None:
    _check_edit(actor, distribution.page.site)
    audit_record(
        actor=actor,
        verb="delete",
        target=distribution,
        changes={"channel": (distribution.channel, None)},
    )
    distribution.delete()
