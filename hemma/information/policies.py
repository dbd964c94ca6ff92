"""Who may see and change a region's information sites and pages: one policy for the lists
and for each object.

- A region coordinator sees and changes every site of their region (the region's own and
  each municipality's), its pages and their translations, and the sites' languages.
- A municipal coordinator sees and changes their municipality's site; they see the region's
  own site and may not change it (403).
- A viewer (of a region or a municipality) sees what a coordinator there sees, and changes
  nothing (403).
- A translator (of a region, into one language) sees the pages of the region's sites that are
  to be in their language, and writes only that language's version: nothing else of the page
  (403), and no other site or record of Hemma.
- An organisation reporter sees none of it. A superuser sees and changes everything.
- The public reads only the published versions (hemma/information/public_views.py).

A site or page the user may not see does not exist for them (404); one they may see but not
change is forbidden (403).
"""

from django.db.models import Q, QuerySet

from hemma.accounts.roles import roles_of
from hemma.information.models import Page, Site
from hemma.organisations.models import Municipality


def sites_visible(user) -> QuerySet[Site]:
    if not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    roles = roles_of(user)
    # A municipality's people see the region's own site too: it speaks for them.
    regions_of_municipalities = Municipality.objects.filter(pk__in=roles.municipalities).values(
        "region_id"
    )
    return Site.objects.filter(
        Q(region_id__in=roles.regions)
        | Q(municipality_id__in=roles.municipalities)
        | Q(municipality__isnull=True, region_id__in=regions_of_municipalities)
        | Q(region_id__in={region_id for region_id, _language in roles.translated})
    )


def pages_visible(user) -> QuerySet[Page]:
    """The pages of the sites the user sees. A translator's are narrowed to the pages to be in
    their language by `can_see_page` (and the translation list), in Python: SQLite has no
    JSON containment to ask the database with."""
    return Page.objects.filter(site__in=sites_visible(user))


def can_see_site(user, site: Site) -> bool:
    return sites_visible(user).filter(pk=site.pk).exists()


def can_edit_site(user, site: Site) -> bool:
    """May the user change the site's pages (make, change, publish, translate them)?"""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if site.region_id in roles.coordinated_regions:
        return True
    return site.municipality_id is not None and (
        site.municipality_id in roles.coordinated_municipalities
    )


def translator_languages(user, site: Site) -> set[str]:
    """The languages the user translates the site's pages into as a translator."""
    if not user.is_authenticated:
        return set()
    return {
        language for region_id, language in roles_of(user).translated if region_id == site.region_id
    }


def can_see_page(user, page: Page) -> bool:
    if can_edit_site(user, page.site):
        return True
    if not can_see_site(user, page.site):
        return False
    roles = roles_of(user)
    staff = bool(
        roles.regions & {page.site.region_id}
        or (page.site.municipality_id and page.site.municipality_id in roles.municipalities)
        or (
            page.site.municipality_id is None
            and Municipality.objects.filter(
                pk__in=roles.municipalities, region_id=page.site.region_id
            ).exists()
        )
    )
    return staff or bool(translator_languages(user, page.site) & set(page.languages))


def can_translate(user, page: Page, language: str) -> bool:
    """May the user write the page's version in `language`? Who changes the site may write
    every language; a translator only theirs, of a page that is to be in it, and never the
    source language's (which is the page's content, not a translation)."""
    if can_edit_site(user, page.site):
        return True
    if language == page.site.source_language:
        return False
    return language in translator_languages(user, page.site) and language in page.languages
