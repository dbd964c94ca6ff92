"""The programme table in a real browser: Debian's Chromium driven by Playwright.

These prove what the test client cannot: that htmx really swaps the edit form into the
table and the saved row back, with the CSP in force and without a page load.
"""

import os
import shutil

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from hemma.audit.models import AuditEvent
from hemma.programmes.models import Action

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background calls home, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ACTION = "ansvarig-tjansteinnehavare"


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # in between are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "correct horse battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/sv/")


def test_a_coordinator_sees_the_seed_as_its_table_in_swedish(
    page, live_server, seed_programme, coordinator_region
):
    coordinator_region.memberships.update(region=seed_programme.region)
    log_in(page, live_server, "coordinator_region")

    page.goto(f"{live_server.url}/sv/programmes/{seed_programme.slug}/")

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h2")).to_have_count(6)
    expect(page.locator("h2").first).to_contain_text("Grunden för inkludering och integration")
    expect(page.locator("thead th").first).to_have_text("Mål")
    expect(page.locator("tr[id^=action-]")).to_have_count(24)


def test_editing_an_action_in_place_saves_it_without_a_page_load(
    page, live_server, seed_programme, coordinator_region
):
    coordinator_region.memberships.update(region=seed_programme.region)
    log_in(page, live_server, "coordinator_region")
    page.goto(f"{live_server.url}/sv/programmes/{seed_programme.slug}/")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#action-{ACTION}")

    row.locator(f"a[href$='/actions/{ACTION}/edit/']").click()
    field = row.locator("textarea[name=title_sv], input[name=title_sv]")
    expect(field).to_be_focused()
    field.fill("Inledande kartläggning för alla som behöver den")
    row.locator("button[type=submit]").click()

    expect(page.locator(f"#action-{ACTION} .action-title")).to_have_text(
        "Inledande kartläggning för alla som behöver den"
    )
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []  # type: ignore[attr-defined]
    action = Action.objects.get(programme=seed_programme, key=ACTION)
    assert action.title["sv"] == "Inledande kartläggning för alla som behöver den"
    event = AuditEvent.objects.get(
        target_type="programmes.action", target_id=str(action.pk), verb="update"
    )
    assert event.actor_name == "coordinator_region"


def test_cancel_puts_the_row_back_unchanged(page, live_server, seed_programme, coordinator_region):
    coordinator_region.memberships.update(region=seed_programme.region)
    log_in(page, live_server, "coordinator_region")
    page.goto(f"{live_server.url}/sv/programmes/{seed_programme.slug}/")
    row = page.locator(f"#action-{ACTION}")
    before = row.locator(".action-title").inner_text()

    row.locator(f"a[href$='/actions/{ACTION}/edit/']").click()
    row.locator("textarea[name=title_sv], input[name=title_sv]").fill("Något annat")
    row.locator(".form-actions a").click()

    expect(page.locator(f"#action-{ACTION} .action-title")).to_have_text(before)
    assert not AuditEvent.objects.filter(verb="update").exists()


def test_a_viewer_gets_no_edit_buttons(page, live_server, seed_programme, viewer):
    viewer.memberships.update(region=seed_programme.region)
    log_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/sv/programmes/{seed_programme.slug}/")
    expect(page.locator("tr[id^=action-]")).to_have_count(24)
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
