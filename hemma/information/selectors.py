"""Reads of information sites and pages for the staff pages, always for a user and scoped by
hemma/information/policies.py: a site or page the user may not see is a 404, a change by
someone who may not make it a 403.

A site's page list and a page's overview read in a fixed number of queries, however many
pages, blocks and versions there are: blocks and versions come prefetched, and the language
states (hemma/information/translations.py) are computed from them without another query.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemma.accounts.roles import roles_of
from hemma.information import policies, translations
from hemma.information.models import Block, Distribution, Page, Site, Upload, Use, Version
from hemma.lib.languages import direction, local_name
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action, Programme

# The page list's filter by language state: (value, label). "Needs translation": a language
# other than the source is missing or outdated.
NEEDS_TRANSLATION = "needs-translation"
UNPUBLISHED = "unpublished"
STATE_FILTERS = [
    (NEEDS_TRANSLATION, _("Needs translation")),
    (translations.OUTDATED, _("Outdated")),
    (translations.MISSING, _("Missing")),
    (UNPUBLISHED, _("Not published")),
    ("published", _("Published")),
]


# -- sites -------------------------------------------------------------------------------------


@dataclass
class RegionSites:
    region: Region
    sites: list[Site] = field(default_factory=list)


def site_list(*, user) -> list[RegionSites]:
    """The sites the user sees, grouped by region (two queries)."""
    groups: dict[int, RegionSites] = {}
    for site in policies.sites_visible(user).select_related("region", "municipality"):
        groups.setdefault(site.region_id, RegionSites(region=site.region)).sites.append(site)
    return list(groups.values())


@dataclass(frozen=True)
class SitePlace:
    """Where a new site may be made: a municipality without one, or a region's own."""

    region: Region
    municipality: Municipality | None

    @property
    def value(self) -> str:
        return f"m{self.municipality.pk}" if self.municipality else f"r{self.region.pk}"


def site_places(*, user) -> list[SitePlace]:
    """The municipalities (and regions) the user may make a site for that have none yet, in
    a fixed number of queries: the user's regions, their municipalities and the sites."""
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    regions = Region.objects.all()
    if not user.is_superuser:
        regions = regions.filter(
            Q(pk__in=roles.coordinated_regions)
            | Q(municipalities__pk__in=roles.coordinated_municipalities)
        ).distinct()
    regions_by_id = {region.pk: region for region in regions}
    taken_municipalities = set(
        Site.objects.filter(municipality__isnull=False).values_list("municipality_id", flat=True)
    )
    taken_regions = set(
        Site.objects.filter(municipality__isnull=True).values_list("region_id", flat=True)
    )
    places: list[SitePlace] = []
    municipalities = Municipality.objects.filter(region_id__in=regions_by_id).order_by(
        "region_id", "code"
    )
    by_region: dict[int, list[Municipality]] = {}
    for municipality in municipalities:
        by_region.setdefault(municipality.region_id, []).append(municipality)
    for region in regions_by_id.values():
        candidates: list[Municipality | None] = [None, *by_region.get(region.pk, [])]
        for candidate in candidates:
            taken = (
                candidate.pk in taken_municipalities
                if candidate is not None
                else region.pk in taken_regions
            )
            probe = Site(region=region, municipality=candidate)
            if not taken and policies.can_edit_site(user, probe):
                places.append(SitePlace(region=region, municipality=candidate))
    return places


def site_get(*, user, slug: str, edit: bool = False) -> Site:
    """The site if the user sees it (else 404) and, with `edit`, may change it (else 403)."""
    site = (
        policies.sites_visible(user)
        .select_related("region", "municipality")
        .filter(slug=slug)
        .first()
    )
    if site is None:
        raise Http404
    if edit and not policies.can_edit_site(user, site):
        raise PermissionDenied
    return site


def _translator_only_languages(user, site: Site) -> set[str] | None:
    """None if the user sees every page of the site; else the languages of the pages they
    see (a translator's). A page with no language asks the policy whether the user is staff
    of the site without asking about a translator's language."""
    if policies.can_see_page(user, Page(site=site, languages=[])):
        return None
    return policies.translator_languages(user, site)


@dataclass
class PageRow:
    page: Page
    states: list[translations.LanguageState]
    title: str

    @property
    def needs_translation(self) -> bool:
        source = self.page.site.source_language
        return any(s.state != translations.CURRENT for s in self.states if s.language != source)


def _page_states(page: Page) -> list[translations.LanguageState]:
    return translations.page_states(page, list(page.blocks.all()), list(page.versions.all()))


def _source_title(page: Page) -> str:
    source = page.site.source_language
    return next((v.title for v in page.versions.all() if v.language == source), "") or page.slug


def _matches(row: PageRow, state: str, language: str) -> bool:
    source = row.page.site.source_language
    states = [s for s in row.states if not language or s.language == language]
    if state == NEEDS_TRANSLATION:
        return any(s.state != translations.CURRENT and s.language != source for s in states)
    if state in (translations.OUTDATED, translations.MISSING):
        return any(s.state == state for s in states)
    if state == UNPUBLISHED:
        return any(not s.published for s in states)
    if state == "published":
        return any(s.published for s in states)
    return True


def site_pages(
    *, user, site: Site, topic: str = "", state: str = "", language: str = "", query: str = ""
) -> list[PageRow]:
    """The site's pages the user sees, each with its language states, filtered by topic, by
    language state (in `language`, or in any) and by words of a title or the address: four
    queries however many pages (pages with owners, blocks, versions; the translator's check)."""
    pages = Page.objects.filter(site=site).select_related("owner")
    if topic:
        pages = pages.filter(topic=topic)
    if query.strip():
        words = query.strip()
        pages = pages.filter(
            Q(slug__icontains=words) | Q(versions__title__icontains=words)
        ).distinct()
    pages = pages.prefetch_related(
        Prefetch("blocks", queryset=Block.objects.order_by("position", "id")),
        Prefetch("versions", queryset=Version.objects.order_by("language")),
    )
    only = _translator_only_languages(user, site)
    rows: list[PageRow] = []
    for page in pages:
        page.site = site  # read once with its region, not again per page
        if only is not None and not only & set(page.languages):
            continue
        row = PageRow(page=page, states=_page_states(page), title=_source_title(page))
        if _matches(row, state, language):
            rows.append(row)
    return rows


# -- pages -------------------------------------------------------------------------------------


def page_get(*, user, site: str, page: str, edit: bool = False) -> Page:
    """The page if the user sees it (else 404) and, with `edit`, may change its site (else
    403): a translator reads the overview of a page in their language, and changes nothing
    here (they write their language on the version's page)."""
    found = (
        Page.objects.filter(site__in=policies.sites_visible(user), site__slug=site, slug=page)
        .select_related("site__region", "site__municipality", "owner")
        .first()
    )
    if found is None or not policies.can_see_page(user, found):
        raise Http404
    if edit and not policies.can_edit_site(user, found.site):
        raise PermissionDenied
    return found


def block_get(*, user, site: str, page: str, key: str) -> Block:
    """A block of a page the user may change (404 / 403 as page_get)."""
    found_page = page_get(user=user, site=site, page=page, edit=True)
    block = found_page.blocks.select_related("image").filter(key=key).first()
    if block is None:
        raise Http404
    block.page = found_page
    return block


def upload_get(*, user, site: str, page: str, key: str) -> Upload:
    """An upload of a page the user sees (drafts too: this is the staff side)."""
    found_page = page_get(user=user, site=site, page=page)
    upload = found_page.uploads.filter(key=key).first()
    if upload is None:
        raise Http404
    upload.page = found_page
    return upload


def distribution_get(*, user, site: str, page: str, pk: int) -> Distribution:
    found_page = page_get(user=user, site=site, page=page, edit=True)
    distribution = found_page.distributions.filter(pk=pk).first()
    if distribution is None:
        raise Http404
    distribution.page = found_page
    return distribution


def owner_choices(site: Site):
    return Organisation.objects.filter(region_id=site.region_id).order_by("key")


def action_choices(site: Site) -> list[tuple[Programme, list[Action]]]:
    """The actions of the region's programmes, grouped by programme (one query)."""
    actions = (
        Action.objects.filter(programme__region_id=site.region_id)
        .select_related("programme")
        .order_by("programme__slug", "position", "id")
    )
    groups: dict[int, tuple[Programme, list[Action]]] = {}
    for action in actions:
        groups.setdefault(action.programme_id, (action.programme, []))[1].append(action)
    return [(programme, items) for programme, items in groups.values()]


@dataclass
class UseRow:
    language: str
    this_year: dict[str, int]
    last_year: dict[str, int]
    last_30_days: dict[str, int]

    @property
    def name(self) -> str:
        return local_name(self.language)

    @property
    def dir(self) -> str:
        return direction(self.language)


def page_use(page: Page, today: datetime.date | None = None) -> list[UseRow]:
    """Views and downloads of the page per language this year, last year and in the last 30
    days (one aggregate query)."""
    today = today or timezone.localdate()
    periods = {
        "this_year": Q(day__year=today.year),
        "last_year": Q(day__year=today.year - 1),
        "last_30_days": Q(day__gt=today - datetime.timedelta(days=30), day__lte=today),
    }
    sums: dict[str, Any] = {}
    for name, condition in periods.items():
        sums[f"{name}_views"] = Sum("views", filter=condition, default=0)
        sums[f"{name}_downloads"] = Sum("downloads", filter=condition, default=0)
    rows = (
        Use.objects.filter(page=page, day__gte=datetime.date(today.year - 1, 1, 1))
        .values("language")
        .annotate(**sums)
        .order_by("language")
    )
    return [
        UseRow(
            language=row["language"],
            **{
                name: {"views": row[f"{name}_views"], "downloads": row[f"{name}_downloads"]}
                for name in periods
            },
        )
        for row in sorted(rows, key=lambda row: _language_order(page, row["language"]))
    ]


def _language_order(page: Page, code: str) -> tuple[int, str]:
    """A language's place in the page's own order; languages it no longer has last."""
    order = page.languages or []
    return (order.index(code) if code in order else len(order), code)


@dataclass
class BlockRow:
    """A block with its words in the source language and, of a file block, its file."""

    block: Block
    words: dict[str, str]
    upload: Upload | None


@dataclass
class PageOverview:
    page: Page
    blocks: list[BlockRow]
    states: list[translations.LanguageState]
    source: Version | None
    distributions: list[Distribution]
    actions: list[Action]
    use: list[UseRow]


def page_overview(*, page: Page) -> PageOverview:
    """What the page's overview shows, in a fixed number of queries."""
    blocks = list(page.blocks.select_related("image").order_by("position", "id"))
    versions = list(page.versions.all())
    source = next((v for v in versions if v.language == page.site.source_language), None)
    uploads = {upload.key: upload for upload in page.uploads.all()}
    texts = (source.texts if source is not None else {}) or {}
    rows = []
    for block in blocks:
        words = dict(texts.get(block.key) or {})
        rows.append(BlockRow(block=block, words=words, upload=uploads.get(words.get("upload", ""))))
    return PageOverview(
        page=page,
        blocks=rows,
        states=translations.page_states(page, blocks, versions),
        source=source,
        distributions=list(page.distributions.select_related("partner")),
        actions=list(page.actions.select_related("programme").order_by("position", "id")),
        use=page_use(page),
    )


# -- what the follow-up counts -----------------------------------------------------------------


@dataclass(frozen=True)
class PageFigures:
    """What the information indicators count of one page in a period."""

    site: Site
    page: Page
    title: str
    published: tuple[str, ...]  # the languages first published in the period
    views: int
    downloads: int

    @property
    def published_names(self) -> list[tuple[str, str]]:
        """(code, the language's own name) of the languages first published in the period."""
        return [(code, local_name(code)) for code in self.published]


@dataclass(frozen=True)
class PeriodFigures:
    """What the indicators "information material published" and "used" count of some sites
    in a period (hemma/information/counting.py), page by page: where a value comes from."""

    period: Any  # hemma.lib.periods.Period
    languages: tuple[str, ...]  # the languages counted; none: every language
    rows: list[PageFigures]

    @property
    def published(self) -> int:
        return sum(len(row.published) for row in self.rows)

    @property
    def views(self) -> int:
        return sum(row.views for row in self.rows)

    @property
    def downloads(self) -> int:
        return sum(row.downloads for row in self.rows)

    @property
    def used(self) -> int:
        return self.views + self.downloads

    @property
    def language_names(self) -> list[tuple[str, str]]:
        """(code, the language's own name) of the languages counted."""
        return [(code, local_name(code)) for code in self.languages]


def period_figures(*, sites: list[Site], period, languages=()) -> PeriodFigures:
    """The counts behind the information indicators' values of `sites` in `period`, by the
    rule of hemma.registries.computing (a version in the period it was first published in,
    local time; a day's views and downloads in its period), in `languages` (none: all):
    three queries however many pages."""
    languages = tuple(code for code in languages if code)
    zone = timezone.get_default_timezone()
    first = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    in_languages = Q(language__in=languages) if languages else Q()
    published: dict[int, list[str]] = {}
    for page_id, language in (
        Version.objects.filter(
            in_languages,
            page__site__in=sites,
            first_published_at__gte=first,
            first_published_at__lt=after,
        )
        .order_by("page_id", "language")
        .values_list("page_id", "language")
    ):
        published.setdefault(page_id, []).append(language)
    used = {
        row["page_id"]: row
        for row in Use.objects.filter(
            in_languages, page__site__in=sites, day__gte=period.start, day__lte=period.end
        )
        .values("page_id")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by()
    }
    by_site = {site.pk: site for site in sites}
    rows = []
    pages = (
        Page.objects.filter(pk__in=set(published) | set(used))
        .prefetch_related(
            Prefetch("versions", queryset=Version.objects.only("page_id", "language", "title"))
        )
        .order_by("site_id", "slug")
    )
    for page in pages:
        site = by_site[page.site_id]
        title = next(
            (v.title for v in page.versions.all() if v.language == site.source_language), ""
        )
        counts = used.get(page.pk, {})
        rows.append(
            PageFigures(
                site=site,
                page=page,
                title=title or page.slug,
                published=tuple(published.get(page.pk, ())),
                views=counts.get("views") or 0,
                downloads=counts.get("downloads") or 0,
            )
        )
    return PeriodFigures(period=period, languages=languages, rows=rows)
