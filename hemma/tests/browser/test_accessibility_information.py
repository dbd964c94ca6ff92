"""axe-core on the public information sites, read anonymously: the site's languages, an
index, a search's results, a page with a block of every kind (a picture among them) in
Swedish and in Arabic (right to left, with the notice of an outdated translation), a page in a
language whose interface words are English, and the 404.
"""

import pytest
from playwright.sync_api import Page, expect

from hemma.information import services
from hemma.information.tests import conftest as information
from hemma.information.tests import public_fixtures as pf
from hemma.tests.browser.axe import axe_violations, scan, violations_text

pytestmark = pytest.mark.django_db(transaction=True)

# The information hub's shared fixtures and the public pages' (see
# test_information_in_browser.py).
superuser = information.superuser
owner_a = information.owner_a
site_a1 = information.site_a1
page_a1 = information.page_a1
media = pf.media
published_page = pf.published_page
full_page = pf.full_page


def _scan_status(page: Page, address: str, status: int) -> str:
    """`scan` for a page served with an error status on purpose (the 404)."""
    response = page.goto(address)
    assert response is not None, address
    assert response.status == status, f"{address}: {response.status}"
    found = axe_violations(page)
    return f"{address}\n{violations_text(found)}" if found else ""


def _report(found: list[str]) -> str:
    return "\n".join(text for text in found if text)


@pytest.fixture
def somali_page(full_page, superuser):
    """The full page in Somali too: a content language the interface is not translated into."""
    source = full_page.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=full_page,
        language="so",
        title="Kala soocidda qashinka",
        summary="Sida loo kala sooco qashinka.",
        texts={
            key: {
                name: (value if name == "upload" else f"{value} (so)")
                for name, value in words.items()
            }
            for key, words in source.texts.items()
        },
    )
    return pf.publish(full_page, "so", superuser)


def test_the_information_pages_have_no_serious_accessibility_violations(
    page, live_server, full_page, published_page, somali_page, superuser
):
    at = f"{live_server.url}/info/a-stad"
    found = [
        scan(page, f"{at}/"),
        scan(page, f"{at}/sv/"),
        scan(page, f"{at}/sv/?topic=housing"),
        scan(page, f"{at}/sv/?q=sopor"),
        scan(page, f"{at}/sv/?q=inget-finns"),
        scan(page, f"{at}/sv/sortering/"),
        scan(page, f"{at}/so/sortering/"),
        _scan_status(page, f"{at}/sv/no-such-page/", 404),
        _scan_status(page, f"{live_server.url}/info/no-such-site/", 404),
    ]

    found.append(scan(page, f"{at}/ar/sortering/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(".info-picture img")).to_have_attribute("alt", "ثلاث حاويات نفايات")

    # The Arabic page with the notice that the Swedish text changed since it was translated.
    source = full_page.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=full_page,
        language="sv",
        title=source.title,
        summary="Nytt om sorteringen.",
        texts=source.texts,
    )
    found.append(scan(page, f"{at}/ar/sortering/"))
    expect(page.locator(".info-notice")).to_be_visible()
    found.append(scan(page, f"{at}/ar/"))

    assert not _report(found), f"Serious or critical WCAG 2.1 AA violations:\n{_report(found)}"
    # The browser logs each 404 as an error; nothing else may be.
    assert all("404" in error for error in page.errors)  # type: ignore[attr-defined]
