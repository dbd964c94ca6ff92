"""The public information sites in a real browser: a view counted without a cookie and
feeding its indicator, the Arabic page right to left with its outdated notice, a phone's
screen and the printed page.

The pages are made here through the services, as a coordinator and a translator would; the
recount of the indicators runs at once (the immediate task backend), as on a small
installation without a worker.
"""

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, ViewportSize, expect

from hemma.followup.models import Measurement
from hemma.information import services
from hemma.information.models import Use
from hemma.information.tests import conftest as information
from hemma.information.tests import public_fixtures as pf
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

# The information hub's shared fixtures (hemma/information/tests/conftest.py) and the public
# pages' (public_fixtures.py), for this module.
superuser = information.superuser
owner_a = information.owner_a
site_a1 = information.site_a1
page_a1 = information.page_a1
media = pf.media
published_page = pf.published_page
full_page = pf.full_page

PHONE: ViewportSize = {"width": 390, "height": 844}
TARGET = 44


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The reads' recount runs at once, in the request that counted the read."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def used_indicator(programme_a) -> Indicator:
    """An indicator of programme_a counting the views and downloads of the information pages
    of each municipality's site; the programme runs until this year, whatever year it is."""
    programme_a.period_end = max(programme_a.period_end, timezone.localdate().year)
    programme_a.save(update_fields=["period_end"])
    made: Indicator = f.IndicatorFactory(  # type: ignore[assignment]
        action=programme_a.actions.get(key="joint-meetings"),
        kind=Indicator.Kind.COUNT,
        target_type="",
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.INFORMATION_USED,
    )
    return made


def _value(indicator: Indicator, municipality, period: str):
    found = Measurement.objects.filter(
        indicator=indicator, municipality=municipality, period=period
    ).first()
    return None if found is None else found.number


def test_a_page_view_is_counted_without_any_cookie_and_changes_the_indicator(
    page, live_server, published_page, used_indicator, municipality_a1
):
    period = str(timezone.localdate().year)
    before = _value(used_indicator, municipality_a1, period)
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(f"{live_server.url}/info/a-stad/sv/boende/")

    expect(page.locator("h1")).to_have_text("Att bo i hyreshus")
    assert responses
    for response in responses:
        headers = response.all_headers()
        assert "set-cookie" not in headers, (response.url, headers)
    document = responses[0].all_headers()
    assert document["referrer-policy"] == "no-referrer"
    assert "no-cache" in document["cache-control"]
    assert page.context.cookies() == []
    use = Use.objects.get(page=published_page, language="sv")
    assert (use.day, use.views, use.downloads) == (timezone.localdate(), 1, 0)
    assert _value(used_indicator, municipality_a1, period) == (before or 0) + 1

    page.reload()

    assert Use.objects.get(page=published_page, language="sv").views == 2
    assert _value(used_indicator, municipality_a1, period) == (before or 0) + 2
    assert page.context.cookies() == []
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_arabic_page_is_right_to_left_and_shows_the_notice_once_the_swedish_changes(
    page, live_server, published_page, superuser
):
    address = f"{live_server.url}/info/a-stad/ar/boende/"
    with override("ar"):
        notice = gettext("This translation may be out of date.")

    page.goto(address)

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator(".info-notice")).to_have_count(0)

    source = published_page.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=published_page,
        language="sv",
        title=source.title,
        summary="Nytt: tvättstugan har nya tider.",
        texts=source.texts,
    )
    page.goto(address)

    expect(page.locator(".info-notice")).to_contain_text(notice)
    original = page.locator(".info-notice a[hreflang=sv]")
    expect(original).to_have_attribute("href", "/info/a-stad/sv/boende/")
    # The notice comes before the page's title.
    assert page.evaluate(
        "document.querySelector('.info-notice').compareDocumentPosition("
        "document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )

    pf.translate_arabic(published_page, superuser)
    page.goto(address)

    expect(page.locator(".info-notice")).to_have_count(0)
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_pages_fit_a_phone_and_their_targets_are_large_enough(
    browser: Browser, live_server, full_page, published_page
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for path in (
            "/info/a-stad/",
            "/info/a-stad/sv/",
            "/info/a-stad/sv/sortering/",
            "/info/a-stad/ar/sortering/",
        ):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                f"{path} scrolls sideways on a phone"
            )
            heights = page.eval_on_selector_all(
                "a:not(.skip-link):not(.info-text a), button, input",
                "els => els.map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])",
            )
            small = [(html, height) for html, height in heights if height < TARGET]
            assert not small, f"{path}: targets less than {TARGET}px high: {small}"
    finally:
        context.close()


def test_a_printed_page_has_no_navigation_or_search_and_prints_its_links(
    page, live_server, full_page
):
    page.goto(f"{live_server.url}/info/a-stad/sv/sortering/")

    page.emulate_media(media="print")

    expect(page.locator(".info-search")).to_be_hidden()
    expect(page.locator(".info-languages")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    printed = page.evaluate(
        "getComputedStyle(document.querySelector('.info-link a'), '::after').content"
    )
    assert "https://example.org/sortering" in printed
    fits = page.evaluate(
        "(() => { const i = document.querySelector('.info-picture img');"
        " return i.getBoundingClientRect().width <= document.querySelector('main')"
        ".getBoundingClientRect().width; })()"
    )
    assert fits
