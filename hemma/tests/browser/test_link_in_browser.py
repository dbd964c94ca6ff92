"""A reporting link in a real browser: a reporter without an account saves and says ready.

What the test client cannot show: Chromium's Origin and Referer headers under the page's
referrer policy, which Django's CSRF check reads. Under `no-referrer` Chromium sends
`Origin: null` with every POST and each form failed as "expired".
"""

import datetime

import pytest
from playwright.sync_api import expect

from hemma.followup import rounds
from hemma.followup.models import Assignment, Measurement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def address(live_server, programme_a, coordinator_region):
    """Maja's link to A-stad's joint meetings in 2024, as a full address."""
    round = rounds.round_open(
        actor=None, programme=programme_a, period="2024", deadline=datetime.date(2025, 3, 31)
    )
    _link, path = rounds.link_create(
        actor=coordinator_region,
        assignment=round.assignments.get(municipality__code="101"),
        recipient_name="Maja Mottagare",
    )
    return f"{live_server.url}{path}"


def test_a_reporter_saves_a_value_and_marks_the_report_ready_through_a_link(
    browser, live_server, address
) -> None:
    # A fresh context: no session, no cookies, as for someone who got the link by e-mail.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(address)
        page.locator(".link-form input[name$='-number']").fill("3")
        page.locator(".link-form button[type=submit]").click()

        expect(page.locator(".message.success")).to_be_visible()
        expect(page.locator(".link-form input[name$='-number']")).to_have_value("3")
        stored = Measurement.objects.get()
        assert (stored.number, stored.source) == (3, "link")
        assert (stored.entered_by, stored.entered_by_name) == (None, "Maja Mottagare")

        page.locator("form[action$='/ready/'] button[type=submit]").click()

        expect(page.locator("form[action$='/ready/'] input[name=ready]")).to_have_value("0")
        assignment = Assignment.objects.get(municipality__code="101")
        assert assignment.ready_at is not None
        assert assignment.ready_by_name == "Maja Mottagare"

        # The language switch is a POST too.
        page.select_option("#language-select", "fi")
        page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_url("**/fi/report/**")
        expect(page.locator(".link-form input[name$='-number']")).to_have_value("3")
        assert errors == []
    finally:
        context.close()
