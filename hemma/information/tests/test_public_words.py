"""The public pages' own words (hemma/information/interface_words.py, `{% ui %}`): in the
page's language where its catalogue has them, else in English marked lang="en", never in
Swedish (Django's fallback to settings.LANGUAGE_CODE)."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, trans_real

from hemma.information.tests import public_fixtures as pf
from hemma.information.tests.public_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"
EVERY_WORD = None


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


class _Lacking:
    """A catalogue without some of its words (None: without any)."""

    def __init__(self, catalog, hidden: set[str] | None) -> None:
        self.catalog = catalog
        self.hidden = hidden

    def _hides(self, key) -> bool:
        msgid = key[0] if isinstance(key, tuple) else key
        return self.hidden is None or msgid in self.hidden

    def get(self, key, default=None):
        return default if self._hides(key) else self.catalog.get(key, default)

    def __getitem__(self, key):
        if self._hides(key):
            raise KeyError(key)
        return self.catalog[key]

    def __contains__(self, key) -> bool:
        return not self._hides(key) and key in self.catalog

    def plural(self, msgid, num):
        if self._hides(msgid):
            raise KeyError(msgid)
        return self.catalog.plural(msgid, num)


@pytest.fixture
def arabic_lacking(monkeypatch):
    """arabic_lacking(words): the Arabic catalogue without those words (None: without any),
    as a catalogue the lead has not completed yet."""

    def lack(words: set[str] | None) -> None:
        arabic: Any = trans_real.translation("ar")
        monkeypatch.setattr(arabic, "_catalog", _Lacking(arabic._catalog, words))

    return lack


def _html(client, path: str) -> str:
    response = client.get(path, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return response.content.decode()


def _arabic(text: str) -> str:
    with translation.override("ar"):
        return gettext(text)


class _Unmarked(HTMLParser):
    """The texts with Latin letters whose language is the page's (no element around them
    says otherwise), but e-mail addresses and phone numbers (dir="ltr" links), "PDF", and the
    site's name at the end of the title."""

    VOID = {"meta", "link", "img", "input", "br", "hr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        given = dict(attrs)
        lang = given.get("lang") or (self.stack[-1][1] if self.stack else None)
        href = given.get("href") or ""
        address = href.startswith(("mailto:", "tel:")) or bool(self.stack and self.stack[-1][2])
        self.stack.append((tag, lang, address))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.stack:
            return
        tag, lang, address = self.stack[-1]
        # The title ends in the site's name, which is content; "PDF" is Arabic too.
        text = (data.split(" – ")[0] if tag == "title" else data).replace("PDF", "")
        if not re.search("[A-Za-z]", text):
            return
        if lang == "ar" and not address:
            self.found.append(data.strip())


def _unmarked(html: str) -> list[str]:
    parser = _Unmarked()
    parser.feed(html)
    return parser.found


def test_a_word_the_arabic_catalogue_lacks_is_english_and_marked_so_not_swedish(
    client, published_page, arabic_lacking
):
    arabic_lacking({"Skip to content"})

    html = _html(client, "/info/a-stad/ar/boende/")

    assert '<a class="skip-link" lang="en" dir="ltr" href="#main">Skip to content</a>' in html
    assert "Hoppa till innehållet" not in html
    # The words the catalogue has stay Arabic, unmarked.
    assert f'<label for="info-q">{_arabic("Search the information")}</label>' in html


def test_an_element_of_several_words_is_wholly_english_if_one_of_them_is_missing(
    client, published_page, arabic_lacking
):
    arabic_lacking({"Last updated"})

    html = _html(client, "/info/a-stad/ar/boende/")

    updated = html.split('<p class="info-updated"')[1].split("</p>")[0]
    assert updated.startswith(' lang="en" dir="ltr">Last updated: <time')
    # The date's month is English too, not Arabic, in the English element.
    assert not re.search("[\u0600-\u06ff]", updated)


def test_with_the_full_arabic_catalogue_no_interface_word_is_marked_english(
    client, full_page, published_page
):
    for path in (
        "/info/a-stad/ar/sortering/",
        "/info/a-stad/ar/boende/",
        "/info/a-stad/ar/",
        "/info/a-stad/ar/?q=%D9%81%D8%B1%D8%B2",
    ):
        html = _html(client, path)
        assert 'lang="en"' not in html, path
        assert _unmarked(html) == [], path


def test_on_an_arabic_page_lacking_every_word_each_interface_word_is_marked_english(
    client, full_page, published_page, superuser, arabic_lacking
):
    # An outdated translation: the notice shows too.
    source = published_page.versions.get(language="sv")
    pf.services.version_save(
        actor=superuser,
        page=published_page,
        language="sv",
        title=source.title,
        summary="Nytt.",
        texts=source.texts,
    )
    arabic_lacking(EVERY_WORD)

    for path in (
        "/info/a-stad/ar/sortering/",
        "/info/a-stad/ar/boende/",
        "/info/a-stad/ar/",
        "/info/a-stad/ar/?q=nothing",
        "/info/a-stad/ar/no-such-page/",
    ):
        response = client.get(path, HTTP_USER_AGENT=BROWSER)
        html = response.content.decode()
        assert _unmarked(html) == [], path
        assert "Hoppa till innehållet" not in html, path
    assert "This translation may be out of date." in _html(client, "/info/a-stad/ar/boende/")


def test_the_preview_shows_the_blocks_own_words_in_the_pages_language(
    client_for, superuser, full_page
):
    client = client_for(superuser)
    with translation.override("sv"):
        address = reverse("information:preview", args=["a-stad", "sortering", "ar"])

    html = client.get(address).content.decode()

    assert f"<dt>{_arabic('E-mail')}</dt>" in html
    assert "E-post" not in html.split("<article")[1]
