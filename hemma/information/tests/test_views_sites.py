"""The information hub's sites: the list, a new site, a site's pages and its languages, and
who may use them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemma.information import services
from hemma.information.models import Block, Page, Site
from hemma.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def site_url(name: str, site: Site | None = None) -> str:
    return reverse(f"information:{name}", args=[site.slug] if site else [])


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def add_page(site: Site, actor, slug: str, *, topic=Page.Topic.HOUSING, title=None) -> Page:
    owner = Organisation.objects.get_or_create(
        region=site.region, key="owner", defaults={"name": {"sv": "Ägaren"}}
    )[0]
    page = services.page_create(
        actor=actor,
        site=site,
        slug=slug,
        kind=Page.Kind.PAGE,
        topic=topic,
        owner=owner,
        title=title or f"Sida {slug}",
    )
    services.block_add(actor=actor, page=page, kind=Block.Kind.TEXT, texts={"html": "<p>x</p>"})
    return page


# -- the list of sites -------------------------------------------------------------------------


def test_a_region_coordinator_sees_the_regions_sites_grouped_and_may_make_one(
    client_for, coordinator_region, site_a1, site_region_a, site_b1, municipality_a2
):
    html = client_for(coordinator_region).get(site_url("sites")).content.decode()
    assert site_url("site", site_a1) in html
    assert site_url("site", site_region_a) in html
    assert site_url("site", site_b1) not in html
    assert "Region A" in html and "Region B" not in html
    assert reverse("info:index", args=[site_a1.slug, "sv"]) in html
    assert site_url("site_create") in html
    # The languages are named in their own language, marked as such.
    assert '<span lang="ar" dir="rtl">العربية</span>' in html


def test_a_viewer_sees_the_sites_without_the_button_to_make_one(
    client_for, viewer, site_a1, municipality_a2
):
    html = client_for(viewer).get(site_url("sites")).content.decode()
    assert site_url("site", site_a1) in html
    assert site_url("site_create") not in html


def test_a_coordinator_of_another_region_does_not_see_the_sites(client_for, coordinator_b, site_a1):
    html = client_for(coordinator_b).get(site_url("sites")).content.decode()
    assert site_url("site", site_a1) not in html


def test_the_staff_pages_send_anonymous_visitors_to_log_in(client, site_a1):
    for url in (site_url("sites"), site_url("site_create"), site_url("site", site_a1)):
        assert login_redirect(client.get(url)), url
    assert login_redirect(client.get(site_url("site_edit", site_a1)))


def test_the_list_of_sites_reads_in_the_same_queries_however_many_sites(
    client_for, superuser, region_a, municipality_a1
):
    from hemma.tests import factories as f

    client = client_for(superuser)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(site_url("sites")).status_code == 200
        return len(queries)

    Site.objects.create(region=region_a, municipality=municipality_a1, slug="one", languages=["sv"])
    few = count()
    for n in range(5):
        region = f.RegionFactory(key=f"region-{n}")
        municipality = f.MunicipalityFactory(code=f"9{n}0", region=region)
        Site.objects.create(
            region=region, municipality=municipality, slug=f"s{n}", languages=["sv"]
        )
        Site.objects.create(region=region, slug=f"r{n}", languages=["sv", "ar"])
    assert count() == few


# -- a new site --------------------------------------------------------------------------------


def test_a_region_coordinator_makes_a_site_for_a_municipality_without_one(
    client_for, coordinator_region, site_a1, municipality_a2, region_a
):
    client = client_for(coordinator_region)
    form = client.get(site_url("site_create")).content.decode()
    # A1 has a site already: only A2 and the region's own are offered.
    assert f'value="m{municipality_a2.pk}"' in form
    assert f'value="r{region_a.pk}"' in form
    assert f'value="m{site_a1.municipality_id}"' not in form
    response = client.post(
        site_url("site_create"),
        {
            "place": f"m{municipality_a2.pk}",
            "slug": "a-by",
            "source_language": "sv",
            "languages": ["fi", "ar", "so"],
        },
    )
    site = Site.objects.get(slug="a-by")
    assert response.status_code == 302 and response["Location"] == site_url("site", site)
    assert site.municipality == municipality_a2
    assert site.languages == ["sv", "fi", "ar", "so"]


def test_a_site_at_an_address_hemma_uses_is_refused_at_the_field(
    client_for, coordinator_region, municipality_a2
):
    response = client_for(coordinator_region).post(
        site_url("site_create"),
        {"place": f"m{municipality_a2.pk}", "slug": "translations", "source_language": "sv"},
    )
    assert response.status_code == 200
    assert "This address is used by Hemma itself" in response.content.decode()
    assert 'aria-describedby="id_slug_helptext id_slug_error"' in response.content.decode()
    assert not Site.objects.filter(slug="translations").exists()


def test_a_place_not_offered_to_the_user_is_refused(
    client_for, coordinator_b, municipality_a2, municipality_b1
):
    response = client_for(coordinator_b).post(
        site_url("site_create"),
        {"place": f"m{municipality_a2.pk}", "slug": "a-by", "source_language": "sv"},
    )
    assert response.status_code == 200
    assert not Site.objects.exists()


def test_a_viewer_may_not_make_a_site(client_for, viewer, municipality_a2):
    assert client_for(viewer).get(site_url("site_create")).status_code == 403
    assert client_for(viewer).post(site_url("site_create"), {}).status_code == 403


# -- a site's pages ----------------------------------------------------------------------------


def test_the_site_lists_its_pages_with_each_languages_state(
    client_for, coordinator_a, page_a1, superuser
):
    services.version_publish(actor=superuser, version=page_a1.versions.get(language="sv"))
    html = client_for(coordinator_a).get(site_url("site", page_a1.site)).content.decode()
    assert reverse("information:page", args=["a-stad", "boende"]) in html
    assert "Att bo i hyreshus" in html
    assert "Housing" in html and "Bostadsbolaget" in html
    assert "info-state-published" in html and "info-state-missing" in html
    assert reverse("info:index", args=["a-stad", "sv"]) in html
    assert reverse("information:page_create", args=["a-stad"]) in html


def test_the_pages_are_filtered_by_topic_state_and_title(
    client_for, coordinator_a, page_a1, superuser
):
    work = add_page(page_a1.site, superuser, "arbete", topic=Page.Topic.WORK, title="Jobba här")
    for language in ("fi", "en", "ar"):
        services.version_save(
            actor=superuser,
            page=work,
            language=language,
            title=f"Title {language}",
            texts={work.blocks.get().key: {"html": "<p>y</p>"}},
        )
    client = client_for(coordinator_a)
    page_url = reverse("information:page", args=["a-stad", "boende"])
    work_url = reverse("information:page", args=["a-stad", "arbete"])

    def shown(**query) -> tuple[bool, bool]:
        html = client.get(site_url("site", page_a1.site), query).content.decode()
        return page_url in html, work_url in html

    assert shown() == (True, True)
    assert shown(topic="work") == (False, True)
    assert shown(state="needs-translation") == (True, False)
    assert shown(state="missing", language="ar") == (True, False)
    assert shown(q="jobba") == (False, True)
    assert shown(q="nothing like it") == (False, False)


def test_a_viewer_sees_the_pages_without_the_buttons_to_change_them(client_for, viewer_a1, page_a1):
    response = client_for(viewer_a1).get(site_url("site", page_a1.site))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("information:page", args=["a-stad", "boende"]) in html
    assert reverse("information:page_create", args=["a-stad"]) not in html
    assert site_url("site_edit", page_a1.site) not in html


def test_another_municipality_or_region_does_not_find_the_site(
    client_for, coordinator_a2, coordinator_b, site_a1
):
    assert client_for(coordinator_a2).get(site_url("site", site_a1)).status_code == 404
    assert client_for(coordinator_b).get(site_url("site", site_a1)).status_code == 404


def test_a_translator_sees_only_the_pages_to_be_in_their_language(
    client_for, translator_ar, page_a1, superuser
):
    finnish_only = add_page(page_a1.site, superuser, "finska")
    services.page_update(
        actor=superuser,
        page=finnish_only,
        slug="finska",
        kind=finnish_only.kind,
        topic=finnish_only.topic,
        owner=finnish_only.owner,
        actions=[],
        languages=["fi"],
    )
    html = client_for(translator_ar).get(site_url("site", page_a1.site)).content.decode()
    assert reverse("information:page", args=["a-stad", "boende"]) in html
    assert reverse("information:page", args=["a-stad", "finska"]) not in html
    assert reverse("information:page_create", args=["a-stad"]) not in html


def test_the_site_reads_in_the_same_queries_however_many_pages(
    client_for, coordinator_a, site_a1, superuser
):
    client = client_for(coordinator_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(site_url("site", site_a1)).status_code == 200
        return len(queries)

    add_page(site_a1, superuser, "first")
    few = count()
    for n in range(6):
        page = add_page(site_a1, superuser, f"page-{n}", topic=Page.Topic.WORK)
        services.block_add(
            actor=superuser,
            page=page,
            kind=Block.Kind.LINK,
            url="https://a.example",
            texts={"label": "L"},
        )
        services.version_save(actor=superuser, page=page, language="ar", title="عنوان")
    assert count() == few


# -- the site's languages ----------------------------------------------------------------------


def test_the_sites_languages_are_changed_by_its_coordinator(client_for, coordinator_a, site_a1):
    client = client_for(coordinator_a)
    form = client.get(site_url("site_edit", site_a1)).content.decode()
    assert 'value="ar"' in form and "checked" in form
    response = client.post(site_url("site_edit", site_a1), {"languages": ["so", "ti"]})
    assert response.status_code == 302
    site_a1.refresh_from_db()
    assert site_a1.languages == ["sv", "so", "ti"]


def test_the_sites_languages_are_not_changed_by_readers_or_others(
    client_for, viewer_a1, coordinator_a2, coordinator_b, site_a1, site_region_a
):
    assert client_for(viewer_a1).post(site_url("site_edit", site_a1), {}).status_code == 403
    # A municipal coordinator sees the region's own site and may not change it.
    assert client_for(coordinator_a2).get(site_url("site_edit", site_region_a)).status_code == 403
    assert client_for(coordinator_b).get(site_url("site_edit", site_a1)).status_code == 404
    site_a1.refresh_from_db()
    assert site_a1.languages == ["sv", "fi", "en", "ar"]
