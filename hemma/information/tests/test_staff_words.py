"""The words of the information hub's staff pages: one set of words for a language's state on
every page, times "ago" in the interface's language, lists of languages written as lists, and
each language's own name spelled one way."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hemma.information import services
from hemma.information.tests import public_fixtures as pf

pytestmark = pytest.mark.django_db

# Every label translations.state_label gives.
STATE_WORDS = ["Missing", "Published, outdated", "Outdated", "Published", "Withdrawn", "Draft"]
STATE = re.compile(r'class="status info-state info-state-(\w+)">([^<]*)<')


def _swedish(name: str, *args: str) -> str:
    with translation.override("sv"):
        return reverse(f"information:{name}", args=list(args))


def _in_swedish(words: list[str]) -> set[str]:
    with translation.override("sv"):
        return {gettext(word) for word in words}


@pytest.fixture
def arabic_outdated(page_a1, superuser):
    """page_a1 published in Swedish and Arabic, then its Swedish changed: the Arabic is
    published and outdated, Finnish and English are missing."""
    pf.publish(page_a1, "sv", superuser)
    pf.translate_arabic(page_a1, superuser)
    pf.publish(page_a1, "ar", superuser)
    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="sv",
        title=source.title,
        summary="Nytt.",
        texts=source.texts,
    )
    return page_a1


def test_every_page_names_a_languages_state_with_the_same_words(
    client_for, superuser, arabic_outdated
):
    client = client_for(superuser)
    pages = {
        "site": _swedish("site", "a-stad"),
        "page": _swedish("page", "a-stad", "boende"),
        "version": _swedish("version", "a-stad", "boende", "ar"),
        "translations": _swedish("translations"),
    }
    allowed = _in_swedish(STATE_WORDS)
    outdated = _in_swedish(["Published, outdated"]).pop()

    for name, address in pages.items():
        html = client.get(address).content.decode()
        shown = STATE.findall(html)
        assert shown, name
        assert {label for _css, label in shown} <= allowed, (name, shown)
        assert ("outdated", outdated) in shown, name


def test_how_long_ago_the_source_changed_reads_in_swedish(client_for, superuser, arabic_outdated):
    html = client_for(superuser).get(_swedish("translations")).content.decode()

    changed = re.search(r"<time datetime=[^>]*>([^<]*)</time>", html)
    assert changed is not None
    assert changed.group(1).startswith("för ") and changed.group(1).endswith(" sedan")
    assert " ago" not in html


def test_a_sites_languages_are_listed_with_no_space_before_each_comma(
    client_for, superuser, site_a1
):
    client = client_for(superuser)

    for address in (_swedish("site", "a-stad"), _swedish("sites")):
        html = client.get(address).content.decode()
        assert '>svenska</span>, <span lang="fi" dir="ltr">suomi</span>' in html, address
        assert not re.search(r"</span>\s+,", html), address


def test_arabic_is_spelled_one_way_on_the_staff_pages(client_for, superuser, arabic_outdated):
    client = client_for(superuser)

    for address in (
        _swedish("translations"),
        _swedish("version", "a-stad", "boende", "ar"),
        _swedish("page", "a-stad", "boende"),
    ):
        html = client.get(address).content.decode()
        assert "العربية" in html, address
        assert "العربيّة" not in html, address
