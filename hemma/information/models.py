"""Information for residents in their languages: the resident guide and the information hub.

A municipality (or the region itself) has one information `Site`: its public address
(/info/<slug>/) and the languages relevant to it. A `Page` of a site is a piece of
information material (a page, a leaflet, a video, a printable document) with a topic, the
programme actions it serves and an owner organisation. It is made of `Block`s (text, picture
instruction, contact card, link, file) whose language-free parts (an image, an address, a
phone number) are the block's, and whose words are each `Version`'s: a version is the page in
one language, holding its title, summary and, per block key, the block's texts.

The source language's version is written first; the others translate it. Every save that
changes a version's texts is kept as a `Revision`, and a translation records the source's
revision number it translates (`Version.source_revision`): when the source changes, every
translation is outdated until it is saved again (hemma/information/translations.py). The
translator sees the source as it was then and as it is now beside their old translation.

Use is counted without tracking anyone (`Use`): per page, language and day, the number of
views and downloads. Nothing of the reader is kept: no cookie, address, agent or time.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemma.lib.languages import local_name
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action


def new_key() -> str:
    """A short random key: a block's key in the versions' texts, an upload's in its address."""
    return secrets.token_hex(6)


class Site(models.Model):
    """The public information site of a municipality, or of the region as a whole (no
    municipality): its address and the languages relevant to it, the source first."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="information_sites",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="information_sites",
        verbose_name=_("municipality"),
        help_text=_("Empty for the region's own site."),
    )
    # The public address: /info/<slug>/.
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # The language the pages are written in first; the others are translations of it.
    source_language = models.CharField(_("source language"), max_length=8, default="sv")
    # The languages relevant to the municipality, in the order they are offered; the source
    # language among them. A page is translated into these unless it names its own.
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        verbose_name = _("information site")
        verbose_name_plural = _("information sites")
        ordering = ["region_id", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(municipality__isnull=False),
                name="information_site_one_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(municipality__isnull=True),
                name="information_site_one_per_region",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality or self.region)


class Page(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("Information page")
        LEAFLET = "leaflet", _("Leaflet")
        VIDEO = "video", _("Video")
        PRINTABLE = "printable", _("Printable document")

    class Topic(models.TextChoices):
        HOUSING = "housing", _("Housing")
        PARTICIPATION = "participation", _("Participation and elections")
        HEALTH = "health", _("Health and social services")
        WORK = "work", _("Work")
        LANGUAGE = "language", _("Language studies")
        LEISURE = "leisure", _("Leisure")
        FAMILY = "family", _("Children and family")
        OTHER = "other", _("Other")

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="pages", verbose_name=_("site")
    )
    # The page's public address within its site: /info/<site>/<language>/<slug>/.
    slug = models.SlugField(_("address"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PAGE)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="information_pages",
        verbose_name=_("actions served"),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="information_pages",
        verbose_name=_("owner"),
    )
    # The languages the page is to be in, the site's source language first.
    languages = models.JSONField(_("languages"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["site_id", "topic", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="information_page_slug_unique")
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def source_title(self) -> str:
        """The page's title in its site's source language (its address if it has none yet)."""
        titles = {version.language: version.title for version in self.versions.all()}
        return titles.get(self.site.source_language) or self.slug


class Upload(models.Model):
    """An image or a document of a page, checked and (an image) resized and stripped of its
    metadata when it was uploaded (hemma/information/uploads.py)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("page")
    )
    # The file's address: /info/<site>/files/<key>/<name>.
    key = models.CharField(max_length=32, unique=True, default=new_key)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="information/%Y/")
    # The name it was uploaded with, cleaned: the name a download is saved as.
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    """A part of a page. Its words are in the versions (`Version.texts[block.key]`), by kind:

    - text: {"html": safe HTML (hemma/lib/safe_html.py)}
    - picture: {"caption": ..., "alt": ...}; the image is the block's
    - contact: {"name": ..., "details": ...}; the phone number and e-mail are the block's
    - link: {"label": ...}; the address is the block's
    - file: {"label": ..., "upload": the key of the language's own file}
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        PICTURE = "picture", _("Picture instruction")
        CONTACT = "contact", _("Contact card")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("page")
    )
    key = models.CharField(max_length=32, default=new_key)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # RESTRICT: an image in use is not deleted on its own, but goes with its page.
    image = models.ForeignKey(
        Upload,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="information_block_key_unique"),
            models.CheckConstraint(
                condition=~Q(kind="picture") | Q(image__isnull=False),
                name="information_picture_has_image",
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""),
                name="information_link_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.key}"


class Version(models.Model):
    """A page in one language. Saved texts are what the public reads once it is published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Per block key, the block's words in this language (see Block).
    texts = models.JSONField(default=dict, blank=True)
    # The searchable words of the page in this language, without markup.
    plain = models.TextField(blank=True)
    # The number of this version's latest Revision (0: never saved).
    revision = models.PositiveIntegerField(default=0)
    # A translation: the number of the source version's revision it translates.
    source_revision = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="draft")
    # When the language was first published (what "material created" counts) and last.
    first_published_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["page_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="information_version_one_per_language"
            )
        ]
        indexes = [
            # "Material created": the versions first published in a period.
            models.Index(fields=["first_published_at"], name="information_version_first_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language}"


class Revision(models.Model):
    """A version's texts as one save left them: what a translation was made from."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("version")
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    texts = models.JSONField(default=dict, blank=True)
    source_revision = models.PositiveIntegerField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["version_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="information_revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id} #{self.number}"


class Distribution(models.Model):
    """A channel a material went out in, as the seed asks: the web, a print run and where it
    was put, social media, a partner's channel."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PRINT = "print", _("Print")
        SOCIAL = "social", _("Social media")
        PARTNER = "partner", _("A partner's channel")
        OTHER = "other", _("Other")

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="distributions", verbose_name=_("page")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The languages that went out in it (empty: every language of the page).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    place = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("Where the copies were put, which account or which channel."),
    )
    copies = models.PositiveIntegerField(_("copies printed"), null=True, blank=True)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="information_distribution_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.channel} {self.starts_on}"

    @property
    def language_names(self) -> list[tuple[str, str]]:
        """(code, the language's name in itself) of the languages that went out."""
        return [(code, local_name(code)) for code in self.languages]


class Use(models.Model):
    """How often a page was read in one language on one day: views of the page and
    downloads of its files. Nothing of the reader is kept (hemma/information/uses.py)."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="uses", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=8)
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("use")
        verbose_name_plural = _("uses")
        ordering = ["day", "page_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "day"], name="information_use_one_per_day"
            )
        ]
        indexes = [
            # "Material used": a region's uses in a period.
            models.Index(fields=["day"], name="information_use_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language} {self.day}"
