"""The follow-up in a real browser: values typed into the grid and saved in place.

What the test client cannot show: that Enter in a field saves its row through htmx with the
CSP in force, without a page load, and that the row comes back with its status.
"""

import pytest
from playwright.sync_api import expect

from hemma.followup.models import Measurement
from hemma.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The one indicator of programme_a (its key is made by a factory sequence).
ROW = "tr[id^=value-joint-meetings-]"


def test_a_value_typed_into_the_grid_is_saved_in_place_with_its_status(
    page, live_server, programme_a, coordinator_a
):
    log_in(page, live_server, coordinator_a.username)
    page.goto(f"{live_server.url}/sv/programmes/{programme_a.slug}/values/2024/101/")
    page.evaluate("window.loadedOnce = true")
    number = page.locator(f"{ROW} input[name=number]")

    number.fill("3")
    number.press("Enter")

    expect(page.locator(f"{ROW} .grid-status")).to_contain_text("Uppfyllt")
    # The same page (no load) and the keyboard still in the field it was in.
    assert page.evaluate("window.loadedOnce") is True
    expect(page.locator(f"{ROW} input[name=number]")).to_be_focused()
    stored = Measurement.objects.get()
    assert (stored.number, stored.status, stored.version) == (3, "met", 1)
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_second_save_from_an_old_page_is_refused_and_the_first_kept(
    page, live_server, programme_a, coordinator_a
):
    log_in(page, live_server, coordinator_a.username)
    address = f"{live_server.url}/sv/programmes/{programme_a.slug}/values/2024/101/"
    page.goto(address)
    other = page.context.new_page()
    other.goto(address)
    # The first person saves 3; the second, whose page still shows no value, then saves 5.
    page.locator(f"{ROW} input[name=number]").fill("3")
    page.locator(f"{ROW} input[name=number]").press("Enter")
    expect(page.locator(f"{ROW} .grid-status")).to_contain_text("Uppfyllt")

    other.locator(f"{ROW} input[name=number]").fill("5")
    other.locator(f"{ROW} input[name=number]").press("Enter")

    expect(other.locator(f"{ROW} .grid-stale")).to_be_visible()
    # What the second person typed is still there for them to decide on.
    expect(other.locator(f"{ROW} input[name=number]")).to_have_value("5")
    assert Measurement.objects.get().number == 3


def test_escape_puts_a_field_back_as_it_was_read(page, live_server, programme_a, coordinator_a):
    log_in(page, live_server, coordinator_a.username)
    page.goto(f"{live_server.url}/sv/programmes/{programme_a.slug}/values/2024/101/")
    number = page.locator(f"{ROW} input[name=number]")

    number.fill("7")
    number.press("Escape")

    expect(number).to_have_value("")
    assert not Measurement.objects.exists()
