"""The public information sites: what a resident reads, in which language, and what the
responses promise (no cookie, no referrer, cacheable or counted)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from hemma.information import services, uses
from hemma.information.models import Block, Page
from hemma.information.tests import public_fixtures as pf
from hemma.information.tests.public_fixtures import *  # noqa: F403
from hemma.organisations.models import Organisation

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"


def _get(client, path, **headers):
    return client.get(path, HTTP_USER_AGENT=BROWSER, **headers)


def _html(response) -> str:
    return response.content.decode()


def _words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _new_page(actor, site, owner, slug, topic, title, body="<p>Text.</p>"):
    page = services.page_create(
        actor=actor,
        site=site,
        slug=slug,
        kind=Page.Kind.PAGE,
        topic=topic,
        owner=owner,
        title=title,
        summary=f"Om {title.lower()}.",
    )
    services.block_add(actor=actor, page=page, kind=Block.Kind.TEXT, texts={"html": body})
    pf.publish(page, "sv", actor)
    return page


def _change_swedish(page, actor):
    source = page.versions.get(language="sv")
    services.version_save(
        actor=actor,
        page=page,
        language="sv",
        title=source.title,
        summary="Nytt: tvättstugan har nya tider.",
        texts=source.texts,
    )


# -- the languages -----------------------------------------------------------------------------


def test_the_languages_are_those_with_a_published_page_each_named_in_itself(client, published_page):
    html = _html(_get(client, "/info/a-stad/"))

    assert 'href="/info/a-stad/sv/" lang="sv" dir="ltr" hreflang="sv">svenska<' in html
    assert 'href="/info/a-stad/ar/" lang="ar" dir="rtl" hreflang="ar">العربية<' in html
    # Finnish and English are the site's languages, but nothing is published in them.
    assert "/info/a-stad/fi/" not in html
    assert "/info/a-stad/en/" not in html


def test_the_browsers_language_is_listed_first_and_the_page_is_in_it(client, published_page):
    response = _get(client, "/info/a-stad/", HTTP_ACCEPT_LANGUAGE="ar, sv;q=0.5")
    html = _html(response)

    assert html.index("/info/a-stad/ar/") < html.index("/info/a-stad/sv/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "Accept-Language" in response["Vary"]


def test_without_a_browser_language_the_source_language_comes_first(client, published_page):
    html = _html(_get(client, "/info/a-stad/", HTTP_ACCEPT_LANGUAGE="de"))

    assert html.index("/info/a-stad/sv/") < html.index("/info/a-stad/ar/")
    assert '<html lang="sv" dir="ltr">' in html


def test_an_unknown_site_is_not_found(client, published_page):
    assert _get(client, "/info/no-such-site/").status_code == 404


def test_a_site_with_nothing_published_is_not_found(client, page_a1):
    assert _get(client, "/info/a-stad/").status_code == 404


# -- a language's index ------------------------------------------------------------------------


@pytest.fixture
def pages(published_page, superuser, site_a1, owner_a):
    """Three published Swedish pages in two topics, and a draft in a third."""
    work = _new_page(
        superuser, site_a1, owner_a, "jobb", Page.Topic.WORK, "Att söka jobb", "<p>CV.</p>"
    )
    draft = services.page_create(
        actor=superuser,
        site=site_a1,
        slug="val",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.PARTICIPATION,
        owner=owner_a,
        title="Rösta i kommunalvalet",
    )
    return published_page, work, draft


def test_the_index_lists_the_published_pages_by_topic_leaving_out_empty_topics(client, pages):
    html = _html(_get(client, "/info/a-stad/sv/"))

    housing = _words("sv", "Housing")
    work = _words("sv", "Work")
    assert f'<h2 id="topic-housing">{housing}</h2>' in html
    assert f'<h2 id="topic-work">{work}</h2>' in html
    assert "Att bo i hyreshus" in html and "Att söka jobb" in html
    # The participation page is a draft: neither it nor its topic is shown.
    assert "Rösta i kommunalvalet" not in html
    assert "topic-participation" not in html
    assert html.index("topic-housing") < html.index("topic-work")


def test_the_index_shows_one_topic_when_asked(client, pages):
    html = _html(_get(client, "/info/a-stad/sv/?topic=work"))

    assert "Att söka jobb" in html
    assert "Att bo i hyreshus" not in html
    assert 'href="/info/a-stad/sv/?topic=work" aria-current="page"' in html


def test_an_unknown_topic_is_not_found(client, pages):
    assert _get(client, "/info/a-stad/sv/?topic=nonsense").status_code == 404


def test_a_language_without_a_published_page_is_not_found(client, pages):
    # Finnish is a language of the site, but nothing is published in it; "xx" is no language.
    assert _get(client, "/info/a-stad/fi/").status_code == 404
    assert _get(client, "/info/a-stad/xx/").status_code == 404


def test_the_arabic_index_lists_only_the_arabic_pages(client, pages):
    html = _html(_get(client, "/info/a-stad/ar/"))

    assert pf.ARABIC_TITLE in html
    assert "Att söka jobb" not in html
    assert '<html lang="ar" dir="rtl">' in html


def test_a_search_finds_pages_by_their_words_and_titles_in_the_language(client, pages):
    by_words = _html(_get(client, "/info/a-stad/sv/?q=tystnad"))
    by_title = _html(_get(client, "/info/a-stad/sv/?q=JOBB"))

    assert "Att bo i hyreshus" in by_words and "Att söka jobb" not in by_words
    assert "Att söka jobb" in by_title and "Att bo i hyreshus" not in by_title
    assert 'value="tystnad"' in by_words


def test_a_search_does_not_find_another_languages_words_or_a_draft(client, pages):
    arabic = _html(_get(client, "/info/a-stad/ar/?q=tystnad"))
    draft = _html(_get(client, "/info/a-stad/sv/?q=kommunalvalet"))

    assert pf.ARABIC_TITLE not in arabic.split("info-results")[1]
    assert "Rösta i kommunalvalet" not in draft


def test_the_index_and_a_search_take_as_many_queries_with_more_pages(
    client, pages, superuser, site_a1, owner_a
):
    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, path).status_code == 200
        return len(queries)

    before = (count("/info/a-stad/sv/"), count("/info/a-stad/sv/?q=a"))
    for index in range(4):
        _new_page(
            superuser, site_a1, owner_a, f"extra-{index}", Page.Topic.LEISURE, f"Fritid {index}"
        )

    assert (count("/info/a-stad/sv/"), count("/info/a-stad/sv/?q=a")) == before


# -- a page ------------------------------------------------------------------------------------


def test_a_page_shows_its_title_summary_and_every_kind_of_block(client, full_page):
    html = _html(_get(client, "/info/a-stad/sv/sortering/"))

    assert "<h1>Sortera avfallet</h1>" in html
    assert "Så sorterar du soporna i huset." in html
    assert "<p>Bioavfall i <strong>bruna</strong> kärlet.</p>" in html
    image = full_page.image
    assert re.search(
        rf'<figure class="info-block info-picture">\s*<img src="/info/a-stad/images/{image.key}/"'
        r' alt="Tre sopkärl i rad"',
        html,
    )
    assert "<figcaption>Kärlen på gården</figcaption>" in html
    assert "Fastighetsservice" in html and 'href="tel:+35861234567"' in html
    assert 'href="mailto:service@example.org"' in html
    assert '<a href="https://example.org/sortering" rel="noopener noreferrer">Sorteringsguiden' in (
        html
    )
    upload = full_page.files["sv"]
    assert f'href="/info/a-stad/sv/sortering/files/{upload.key}/{upload.name}" download>' in html
    assert "Sorteringsanvisning" in html
    assert re.search(r"\(PDF, \d+", html)


def test_a_text_blocks_html_is_shown_as_stored_and_stored_clean(client, published_page, superuser):
    source = published_page.versions.get(language="sv")
    block = published_page.blocks.get()
    services.version_save(
        actor=superuser,
        page=published_page,
        language="sv",
        title=source.title,
        texts={block.key: {"html": '<p onclick="x()">Hej<script>alert(1)</script></p>'}},
    )

    html = _html(_get(client, "/info/a-stad/sv/boende/"))

    assert "<p>Hej</p>" in html
    assert "<script" not in html and "onclick" not in html


def test_the_arabic_page_is_right_to_left_in_arabic(client, published_page):
    response = _get(client, "/info/a-stad/ar/boende/")
    html = _html(response)

    assert '<html lang="ar" dir="rtl">' in html
    assert f"<h1>{pf.ARABIC_TITLE}</h1>" in html
    assert response["Content-Language"] == "ar"
    # The interface's own words are translated into Arabic: none is marked as English.
    assert 'lang="en"' not in html


def test_the_language_switcher_shows_only_the_languages_the_page_is_published_in(
    client, published_page
):
    html = _html(_get(client, "/info/a-stad/sv/boende/"))
    switcher = html.split('class="info-languages"')[1].split("</nav>")[0]

    assert (
        'href="/info/a-stad/ar/boende/" lang="ar" dir="rtl" hreflang="ar">العربية</a>' in switcher
    )
    assert 'hreflang="sv" aria-current="page">svenska</a>' in switcher
    assert "/fi/" not in switcher and "/en/" not in switcher


def test_a_page_published_in_one_language_has_no_switcher(client, pages):
    html = _html(_get(client, "/info/a-stad/sv/jobb/"))

    assert "info-languages" not in html


def test_an_outdated_translation_shows_the_notice_until_it_is_updated(
    client, published_page, superuser
):
    notice = _words("ar", "This translation may be out of date.")
    assert notice not in _html(_get(client, "/info/a-stad/ar/boende/"))

    _change_swedish(published_page, superuser)
    outdated = _html(_get(client, "/info/a-stad/ar/boende/"))

    assert notice in outdated
    assert outdated.index(notice) < outdated.index("<h1>")
    assert 'href="/info/a-stad/sv/boende/" hreflang="sv"' in outdated.split("<h1>")[0]
    assert notice not in _html(_get(client, "/info/a-stad/sv/boende/"))

    pf.translate_arabic(published_page, superuser)

    assert notice not in _html(_get(client, "/info/a-stad/ar/boende/"))


def test_a_page_shows_when_it_was_last_updated(client, published_page):
    html = _html(_get(client, "/info/a-stad/sv/boende/"))

    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)


def test_a_page_in_a_language_without_translated_interface_words_marks_them_english(
    client, site_a1, owner_a, superuser
):
    page = _new_page(superuser, site_a1, owner_a, "kulli", Page.Topic.OTHER, "Kulli")
    source = page.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=page,
        language="so",
        title="Macluumaad",
        summary="Warbixin.",
        texts={key: {"html": "<p>Qoraal.</p>"} for key in source.texts},
    )
    pf.publish(page, "so", superuser)

    html = _html(_get(client, "/info/a-stad/so/kulli/"))

    assert '<html lang="so" dir="ltr">' in html
    assert '<label for="info-q" lang="en" dir="ltr">Search the information</label>' in html
    assert '<button type="submit" lang="en" dir="ltr">Search</button>' in html
    assert "<h1>Macluumaad</h1>" in html


def test_a_page_of_another_site_is_not_found_under_this_one(
    client, published_page, site_b1, superuser
):
    owner = Organisation.objects.create(region=site_b1.region, key="b-org", name={"sv": "B"})
    _new_page(superuser, site_b1, owner, "annat", Page.Topic.OTHER, "Annat")

    assert _get(client, "/info/b-stad/sv/annat/").status_code == 200
    assert _get(client, "/info/a-stad/sv/annat/").status_code == 404


def test_a_draft_language_of_a_published_page_is_not_found(client, page_a1, superuser):
    pf.publish(page_a1, "sv", superuser)
    pf.translate_arabic(page_a1, superuser)

    assert _get(client, "/info/a-stad/ar/boende/").status_code == 404
    assert _get(client, "/info/a-stad/sv/boende/").status_code == 200


def test_a_page_takes_as_many_queries_with_more_blocks_and_languages(
    client, full_page, superuser, monkeypatch
):
    # The recount the view asks for is gated per site and window (hemma/information/counting.py):
    # left out here, so that both counts are of the page alone.
    monkeypatch.setattr(uses.counting, "uses_changed", lambda **kwargs: None)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, "/info/a-stad/sv/sortering/").status_code == 200
        return len(queries)

    count()  # the day's first view makes the day's row; the others add to it
    before = count()
    for index in range(3):
        services.version_save(
            actor=superuser,
            page=full_page,
            language="fi",
            title="Lajittelu",
            summary="Näin lajittelet.",
        )
        services.block_add(
            actor=superuser,
            page=full_page,
            kind=Block.Kind.LINK,
            url=f"https://example.org/{index}",
            texts={"label": f"Länk {index}"},
        )
        services.block_add(
            actor=superuser,
            page=full_page,
            kind=Block.Kind.PICTURE,
            image=full_page.image,
            texts={"caption": f"Bild {index}", "alt": f"Bild {index}"},
        )

    assert count() == before


# -- images and files --------------------------------------------------------------------------


def test_an_image_of_a_published_page_is_served_cacheable_and_not_sniffed(client, full_page):
    response = _get(client, f"/info/a-stad/images/{full_page.image.key}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_image_of_an_unpublished_page_or_another_site_is_not_found(
    client, full_page, superuser, site_b1
):
    assert _get(client, f"/info/b-stad/images/{full_page.image.key}/").status_code == 404
    for version in full_page.versions.all():
        services.version_withdraw(actor=superuser, version=version)

    assert _get(client, f"/info/a-stad/images/{full_page.image.key}/").status_code == 404


def test_a_file_is_downloaded_as_an_attachment_under_its_name(client, full_page):
    upload = full_page.files["ar"]

    response = _get(client, f"/info/a-stad/ar/sortering/files/{upload.key}/{upload.name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{upload.name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pf.PDF


def test_a_file_is_only_the_languages_own_and_at_its_own_name(client, full_page):
    swedish, arabic = full_page.files["sv"], full_page.files["ar"]

    assert (
        _get(client, f"/info/a-stad/sv/sortering/files/{arabic.key}/{arabic.name}").status_code
        == 404
    )
    assert _get(client, f"/info/a-stad/sv/sortering/files/{swedish.key}/x.pdf").status_code == 404


def test_a_file_of_a_withdrawn_language_is_not_found(client, full_page, superuser):
    upload = full_page.files["ar"]
    services.version_withdraw(actor=superuser, version=full_page.versions.get(language="ar"))

    response = _get(client, f"/info/a-stad/ar/sortering/files/{upload.key}/{upload.name}")

    assert response.status_code == 404


# -- what every response promises --------------------------------------------------------------


def _public_addresses(page) -> list[tuple[str, int]]:
    upload = page.files["sv"]
    return [
        ("/info/a-stad/", 200),
        ("/info/a-stad/sv/", 200),
        ("/info/a-stad/sv/?q=sopor", 200),
        ("/info/a-stad/sv/sortering/", 200),
        ("/info/a-stad/ar/sortering/", 200),
        (f"/info/a-stad/images/{page.image.key}/", 200),
        (f"/info/a-stad/sv/sortering/files/{upload.key}/{upload.name}", 200),
        ("/info/a-stad/sv/no-such-page/", 404),
        ("/info/a-stad/fi/", 404),
        ("/info/no-such-site/", 404),
        ("/info/", 404),
        ("/info/a-stad/sv/sortering/more/and/more/", 404),
        (f"/info/a-stad/images/{page.image.key}x/", 404),
    ]


def test_no_public_response_sets_a_cookie_or_sends_a_referrer(client, full_page):
    for path, status in _public_addresses(full_page):
        response = _get(client, path)

        assert response.status_code == status, path
        assert not response.cookies, (path, response.cookies)
        assert "Set-Cookie" not in response, path
        assert response["Referrer-Policy"] == "no-referrer", path
        assert response["X-Content-Type-Options"] == "nosniff", path
    assert not client.cookies


def test_a_post_is_refused_without_a_cookie(full_page):
    # A browser's POST: the CSRF check is on, as it is outside the tests.
    client = Client(enforce_csrf_checks=True)
    for path, _status in _public_addresses(full_page):
        response = client.post(path, {"q": "x"}, HTTP_USER_AGENT=BROWSER)

        assert response.status_code in (404, 405), path
        assert "Set-Cookie" not in response, path
    assert not client.cookies


def test_no_public_page_has_a_form_that_posts_or_a_csrf_token(client, full_page):
    for path, _status in _public_addresses(full_page):
        response = _get(client, path)
        if response["Content-Type"].startswith("text/html"):
            html = _html(response).lower()
            assert 'method="post"' not in html, path
            assert "csrfmiddlewaretoken" not in html, path


def test_the_404_keeps_the_public_layout_in_the_addresses_language(client, published_page):
    response = _get(client, "/info/a-stad/ar/no-such-page/")
    html = _html(response)

    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="info-body"' in html
    assert "/accounts/login/" not in html
    assert 'href="/info/a-stad/"' in html


def test_the_index_and_languages_are_cached_for_five_minutes(client, published_page):
    for path in ("/info/a-stad/", "/info/a-stad/sv/"):
        cache = _get(client, path)["Cache-Control"]

        assert "public" in cache and "max-age=300" in cache, path


def test_a_page_may_be_cached_but_is_asked_for_again_so_that_each_view_counts(
    client, published_page
):
    response = _get(client, "/info/a-stad/sv/boende/")

    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Content-Language"] == "sv"


def test_an_address_without_its_last_slash_is_sent_to_the_one_with_it(client, published_page):
    response = _get(client, "/info/a-stad/sv/boende?x=1")

    assert response.status_code == 301
    assert response["Location"] == "/info/a-stad/sv/boende/?x=1"
    assert "Set-Cookie" not in response
