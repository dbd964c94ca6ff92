"""A region coordinator's year in a real browser, from a value typed in to the open data.

The coordinator logs in, opens the programme, enters A-stad's joint meetings for 2024 in the
grid and sees the status change, approves the 2024 round, then finds the value on the public
page of 2024 and in the CSV downloaded from the open-data page, as anyone could.
"""

import csv
import datetime

import pytest
from playwright.sync_api import expect

from hemma.followup import rounds
from hemma.tests.browser.axe import assert_accessible
from hemma.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ROW = "tr[id^=value-joint-meetings-]"


@pytest.fixture
def round_2024(programme_a):
    """The reporting round of 2024, open: the grid opens at 2024 and A-stad."""
    return rounds.round_open(
        actor=None, programme=programme_a, period="2024", deadline=datetime.date(2025, 3, 31)
    )


def test_a_value_entered_and_approved_is_on_the_public_page_and_in_the_csv(
    page, live_server, programme_a, coordinator_region, round_2024
):
    # Given the coordinator at the programme's grid, where A-stad has no value for 2024
    log_in(page, live_server, coordinator_region.username)
    page.locator(f"main a[href$='/programmes/{programme_a.slug}/']").first.click()
    page.locator(f"a[href$='/programmes/{programme_a.slug}/values/']").click()
    page.wait_for_url("**/values/2024/101/")
    expect(page.locator(f"{ROW} .grid-status")).to_contain_text("Inga uppgifter")

    # When they enter 3 joint meetings (the target is 2–4 a year)
    number = page.locator(f"{ROW} input[name=number]")
    number.fill("3")
    number.press("Enter")
    # Then the row's status changes in place
    expect(page.locator(f"{ROW} .grid-status")).to_contain_text("Uppfyllt")
    # (and the row htmx put back is as accessible as the page was)
    assert_accessible(page)

    # When they approve the round of 2024 from the programme's round pages
    page.goto(f"{live_server.url}/sv/programmes/{programme_a.slug}/")
    page.locator(f"a[href$='/programmes/{programme_a.slug}/rounds/']").click()
    page.locator("a[href$='/rounds/2024/']").first.click()
    page.locator("a[href$='/rounds/2024/approve/']").click()
    page.locator("form[action$='/approve/'] button[type=submit]").click()
    # Then the period is approved and locked
    expect(page.locator(".message.success")).to_be_visible()
    round_2024.refresh_from_db()
    assert round_2024.locked

    # When they open the programme's public page and the follow-up of 2024 for A-stad
    page.goto(f"{live_server.url}/sv/programmes/{programme_a.slug}/")
    page.locator(f"a[href$='/public/{programme_a.slug}/']").click()
    page.locator(f"a[href$='/public/{programme_a.slug}/2024/']").click()
    page.select_option("#public-place", "101")
    page.locator(".fu-picker button[type=submit]").click()
    page.wait_for_url("**/2024/?place=101")
    # Then the value is there, with its status
    value = page.locator("#action-joint-meetings .public-value")
    expect(value).to_contain_text("3")
    expect(value).to_contain_text("Uppfyllt")

    # When they download A-stad's CSV of 2024 from the open-data page
    page.goto(f"{live_server.url}/sv/public/{programme_a.slug}/")
    page.locator(f"a[href$='/public/{programme_a.slug}/data/']").click()
    with page.expect_download() as download:
        page.locator(f"a[href$='/data/{programme_a.slug}/2024/101/values.csv']").click()
    # Then the value is in it, for A-stad and the joint meetings
    with open(download.value.path(), newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    found = [
        (row["municipality_code"], row["action_key"], row["value"], row["status"]) for row in rows
    ]
    assert found == [("101", "joint-meetings", "3", "met")]
    assert page.errors == []  # type: ignore[attr-defined]
