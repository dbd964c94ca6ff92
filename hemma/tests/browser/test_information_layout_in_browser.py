"""The public information pages' layout in a real browser, on a phone and on paper: long
addresses wrap inside the screen, and addresses stay left to right in right-to-left text."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, ViewportSize

from hemma.information.models import Block
from hemma.information.tests import conftest as information
from hemma.information.tests import public_fixtures as pf

pytestmark = pytest.mark.django_db(transaction=True)

superuser = information.superuser
owner_a = information.owner_a
site_a1 = information.site_a1
media = pf.media
full_page = pf.full_page

PHONE: ViewportSize = {"width": 390, "height": 844}
# Sixty characters with no space or hyphen, where a browser would break a line.
LONG_EMAIL = "asukasneuvonta.kiinteistohuolto.pohjanmaa@kaupunkiexample.fi"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def long_address_page(full_page):
    """full_page, whose contact card has a sixty-character e-mail address."""
    assert len(LONG_EMAIL) == 60
    Block.objects.filter(page=full_page, kind=Block.Kind.CONTACT).update(email=LONG_EMAIL)
    return full_page


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_a_long_email_address_wraps_inside_a_phone_screen_in_swedish_and_arabic(
    browser: Browser, live_server, long_address_page, language
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/info/a-stad/{language}/sortering/")

        # A phone widens its layout to fit what overflows (innerWidth grows): compare with
        # the screen's width.
        width = PHONE["width"]
        assert page.evaluate("window.innerWidth") == width
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page scrolls sideways: {scroll} > {width}"
        box = page.locator(f'a[href="mailto:{LONG_EMAIL}"]').bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        # Left to right inside the right-to-left page: the address reads as written.
        assert (
            page.locator(f'a[href="mailto:{LONG_EMAIL}"]').evaluate(
                "a => getComputedStyle(a).direction"
            )
            == "ltr"
        )
    finally:
        context.close()


def test_a_printed_link_address_is_left_to_right_and_isolated_on_an_arabic_page(
    page, live_server, full_page
):
    page.goto(f"{live_server.url}/info/a-stad/ar/sortering/")

    page.emulate_media(media="print")

    after = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.info-link a'), '::after');"
        " return [s.content, s.direction, s.unicodeBidi]; })()"
    )
    assert "https://example.org/sortering" in after[0]
    assert after[1:] == ["ltr", "isolate"]
