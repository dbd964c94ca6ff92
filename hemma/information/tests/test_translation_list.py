"""The list of what waits to be translated: a translator's landing page, and a coordinator's
view of every language of their sites."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hemma.information import services, translation_selectors, translations
from hemma.information.models import Block, Page, Revision

pytestmark = pytest.mark.django_db


def _list() -> str:
    return reverse("information:translations")


def version_url(page: Page, language: str) -> str:
    return reverse("information:version", args=[page.site.slug, page.slug, language])


def _page(site, owner, actor, slug: str, *, title: str = "Sida", languages=None) -> Page:
    page = services.page_create(
        actor=actor,
        site=site,
        slug=slug,
        kind=Page.Kind.PAGE,
        topic=Page.Topic.HOUSING,
        owner=owner,
        title=title,
        languages=languages,
    )
    services.block_add(
        actor=actor, page=page, kind=Block.Kind.TEXT, texts={"html": f"<p>{slug}</p>"}
    )
    return page


def _translate(page: Page, actor, language: str = "ar") -> None:
    block = page.blocks.get()
    services.version_save(
        actor=actor,
        page=page,
        language=language,
        title="عنوان",
        summary="ملخص" if page.versions.get(language="sv").summary else "",
        texts={block.key: {"html": "<p>نص</p>"}},
    )


def _sections(html: str) -> tuple[str, str]:
    waiting, current = html.split('id="current-heading"')
    return waiting, current


def test_the_translator_lists_their_language_oldest_change_first_and_the_current_apart(
    client_for, translator_ar, site_a1, owner_a, superuser
):
    older = _page(site_a1, owner_a, superuser, "aldre", title="Äldre sida")
    newer = _page(site_a1, owner_a, superuser, "nyare", title="Nyare sida")
    done = _page(site_a1, owner_a, superuser, "klar", title="Klar sida")
    _translate(done, superuser)
    # The older page's source was saved a day earlier.
    Revision.objects.filter(version__page=older).update(
        saved_at=timezone.now() - datetime.timedelta(days=1)
    )

    html = client_for(translator_ar).get(_list()).content.decode()
    waiting, current = _sections(html)
    assert waiting.index(version_url(older, "ar")) < waiting.index(version_url(newer, "ar"))
    assert version_url(done, "ar") not in waiting
    assert version_url(done, "ar") in current
    # Only their language: no Finnish or English rows, and the source title in Swedish.
    assert version_url(older, "fi") not in html
    assert '<span lang="sv" dir="ltr">Äldre sida</span>' in waiting
    assert "1\xa0day ago" in waiting


def test_an_outdated_translation_moves_back_to_the_waiting_list(
    client_for, translator_ar, page_a1, superuser
):
    _translate(page_a1, superuser)
    client = client_for(translator_ar)
    assert version_url(page_a1, "ar") in _sections(client.get(_list()).content.decode())[1]
    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser, page=page_a1, language="sv", title="Ny titel", texts=source.texts
    )
    waiting, _current = _sections(client.get(_list()).content.decode())
    assert version_url(page_a1, "ar") in waiting
    assert "info-state-outdated" in waiting


def test_a_translator_sees_nothing_of_another_region_nor_pages_not_in_their_language(
    client_for, translator_ar, site_a1, site_b1, owner_a, superuser, region_b
):
    owner_b = owner_a.__class__.objects.create(region=region_b, key="b-org", name={"sv": "B"})
    elsewhere = _page(site_b1, owner_b, superuser, "boende-b", languages=["sv", "ar"])
    _page(site_a1, owner_a, superuser, "finska", languages=["fi"])
    html = client_for(translator_ar).get(_list()).content.decode()
    assert version_url(elsewhere, "ar") not in html
    assert "finska" not in html


def test_a_page_without_its_source_text_waits_for_no_translator(
    client_for, translator_ar, site_a1, owner_a, superuser
):
    services.page_create(
        actor=superuser,
        site=site_a1,
        slug="utkast",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.OTHER,
        owner=owner_a,
        title="",
    )
    assert "utkast" not in client_for(translator_ar).get(_list()).content.decode()


def test_a_coordinator_lists_every_language_of_their_sites_and_filters_by_one(
    client_for, coordinator_a, page_a1, site_region_a, owner_a, superuser
):
    region_page = _page(site_region_a, owner_a, superuser, "regionen")
    client = client_for(coordinator_a)
    html = client.get(_list()).content.decode()
    for language in ("fi", "en", "ar"):
        assert version_url(page_a1, language) in html
    assert version_url(page_a1, "sv") not in html  # the source is no translation
    # The region's own site is not theirs to change.
    assert version_url(region_page, "ar") not in html
    assert '<select id="language-filter" name="language">' in html

    only_arabic = client.get(_list(), {"language": "ar"}).content.decode()
    assert version_url(page_a1, "ar") in only_arabic
    assert version_url(page_a1, "fi") not in only_arabic
    assert '<option value="ar" selected>' in only_arabic


def test_an_unknown_language_filter_shows_every_language(client_for, coordinator_a, page_a1):
    html = client_for(coordinator_a).get(_list(), {"language": "xx"}).content.decode()
    assert version_url(page_a1, "fi") in html and version_url(page_a1, "ar") in html


def test_the_region_coordinator_lists_every_site_of_the_region(
    client_for, coordinator_region, page_a1, site_region_a, owner_a, superuser
):
    region_page = _page(site_region_a, owner_a, superuser, "regionen")
    html = client_for(coordinator_region).get(_list()).content.decode()
    assert version_url(page_a1, "ar") in html
    assert version_url(region_page, "ar") in html


@pytest.mark.parametrize("user", ["viewer", "viewer_a1", "coordinator_a2", "coordinator_b"])
def test_who_writes_no_language_of_a_page_has_nothing_to_translate(
    client_for, request, page_a1, user
):
    response = client_for(request.getfixturevalue(user)).get(_list())
    assert response.status_code == 200
    html = response.content.decode()
    assert version_url(page_a1, "ar") not in html
    assert "Nothing waits to be translated." in html


def test_the_list_is_the_translators_navigation(client_for, translator_ar):
    html = client_for(translator_ar).get(_list()).content.decode()
    nav = html.split('class="site-nav"')[1].split("</nav>")[0]
    assert f'href="{_list()}" aria-current="page"' in nav
    assert f'href="{reverse("programmes:list")}"' not in nav


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_list()).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["translator_ar", "coordinator_a", "coordinator_region"])
def test_the_list_takes_as_many_queries_for_many_pages_as_for_few(
    client_for, request, site_a1, site_region_a, owner_a, superuser, user
):
    client = client_for(request.getfixturevalue(user))
    _translate(_page(site_a1, owner_a, superuser, "forsta"), superuser)
    few = _count(client)
    for number in range(6):
        page = _page(site_a1, owner_a, superuser, f"sida-{number}")
        if number % 2:
            _translate(page, superuser)
            _translate(page, superuser, language="fi")
        _page(site_region_a, owner_a, superuser, f"region-{number}")
    assert _count(client) == few


def test_the_selector_states_match_the_workflow(translator_ar, page_a1, superuser):
    found = translation_selectors.translation_list(user=translator_ar)
    assert [(e.page, e.language, e.state) for e in found.waiting] == [
        (page_a1, "ar", translations.MISSING)
    ]
    assert found.translator_only and found.languages == [("ar", "Arabic")]
