"""axe-core on every page of the public site, read anonymously, and one right to left.

The demo's rounds for 2023 and 2024 are approved, so its programme is public with two
periods; 2025 is still under way and not public.
"""

import pytest
from playwright.sync_api import expect

from hemma.tests.browser.axe import assert_accessible, scan

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages(programme) -> list[str]:
    indicator = programme.actions.filter(indicators__isnull=False).first().indicators.first()
    at = f"public/{programme.slug}"
    return [
        "public/",
        f"{at}/",
        f"{at}/2024/",
        f"{at}/2024/matrix/",
        f"{at}/indicators/{indicator.action.key}/{indicator.key}/",
        f"{at}/municipalities/598/",
        f"{at}/data/",
    ]


def test_the_public_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    found = [scan(page, f"{live_server.url}/sv/{path}") for path in public_pages(demo)]

    report = "\n".join(text for text in found if text)
    assert not report, f"Serious or critical WCAG 2.1 AA violations:\n{report}"
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_right_to_left_language_renders_right_to_left_and_stays_accessible(
    page, live_server, demo, settings
):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]

    for path in public_pages(demo)[1:4]:
        page.goto(f"{live_server.url}/ar/{path}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        # The page is laid out right to left, not only marked so.
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert_accessible(page)
    assert page.errors == []  # type: ignore[attr-defined]
