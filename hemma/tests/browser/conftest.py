"""The browser for the browser tests: Debian's Chromium driven by Playwright."""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

from hemma.accounts.demo import DEMO_USERS
from hemma.programmes.models import Programme

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
# Every test user's password (hemma/tests/factories.py); the demo's users get it too.
PASSWORD = "correct horse battery"
# The demo's programme (examples/integrationsprogram-2023-2025.yaml) and region coordinator.
DEMO_PROGRAMME = "integrationsprogram-2023-2025"
DEMO_COORDINATOR = DEMO_USERS[0][0]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # in between are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The user agent the tests' browser gives: a desktop Chrome's. Headless Chromium names itself
# "HeadlessChrome", which the information sites do not count as a reader (hemma/lib/bots.py).
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, user_agent=READER_AGENT)
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
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/sv/")


@pytest.fixture
def demo(monkeypatch):
    """`hemma demo`: the seed programme in a region of five municipalities, three years of
    values with every status, the registries' records, rounds for 2023 and 2024 approved and
    2025 under way, and a user per role, who log in with PASSWORD."""
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", PASSWORD)
    call_command("demo", stdout=io.StringIO())
    return Programme.objects.get(slug=DEMO_PROGRAMME)
