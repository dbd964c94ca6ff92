"""The programme table in a real browser: Debian's Chromium driven by Playwright.

These prove what the test client cannot: that htmx really swaps the edit form into the
table and the saved row back, with the CSP in force and without a page load.
"""

import pytest
from playwright.sync_api import Page, expect

from hemma.audit.models import AuditEvent
from hemma.programmes.models import Action
from hemma.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTION = "ansvarig-tjansteinnehavare"


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


def open_table(page: Page, live_server, programme, user) -> None:
    user.memberships.update(region=programme.region)
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/sv/programmes/{programme.slug}/")


def focused_href(page: Page) -> str:
    return page.evaluate("document.activeElement.getAttribute('href') || ''")


def test_after_saving_in_place_the_focus_is_back_on_the_rows_edit_link(
    page, live_server, seed_programme, coordinator_region
):
    # Given the coordinator edits a row from the keyboard
    open_table(page, live_server, seed_programme, coordinator_region)
    row = page.locator(f"#action-{ACTION}")
    row.locator(f"a[href$='/actions/{ACTION}/edit/']").focus()
    page.keyboard.press("Enter")
    field = row.locator("textarea[name=title_sv]")
    expect(field).to_be_focused()
    field.fill("Ny titel")
    # When they save
    row.locator("button[type=submit]").click()
    # Then the saved row is back and the focus is on its Edit link, not on the page's top
    expect(page.locator(f"#action-{ACTION} .action-title")).to_have_text("Ny titel")
    edit = page.locator(f"#action-{ACTION} a[href$='/actions/{ACTION}/edit/']")
    expect(edit).to_be_focused()
    assert page.errors == []  # type: ignore[attr-defined]


def test_escape_cancels_an_edit_in_place(page, live_server, seed_programme, coordinator_region):
    open_table(page, live_server, seed_programme, coordinator_region)
    row = page.locator(f"#action-{ACTION}")
    before = row.locator(".action-title").inner_text()
    row.locator(f"a[href$='/actions/{ACTION}/edit/']").click()
    field = row.locator("textarea[name=title_sv]")
    field.fill("Något annat")
    # When the coordinator presses Escape in the form
    field.press("Escape")
    # Then the row is back unchanged, the focus on its Edit link, and nothing was saved
    expect(page.locator(f"#action-{ACTION} .action-title")).to_have_text(before)
    expect(page.locator(f"#action-{ACTION} a[href$='/actions/{ACTION}/edit/']")).to_be_focused()
    assert not AuditEvent.objects.filter(verb="update").exists()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_goals_cancel_gives_the_focus_back_to_its_edit_link(
    page, live_server, seed_programme, coordinator_region
):
    open_table(page, live_server, seed_programme, coordinator_region)
    cell = page.locator("th.goal-cell").first
    cell_id = cell.get_attribute("id")
    cell.locator("a[href$='/edit/']").click()
    expect(page.locator(f"#{cell_id} input[name=title_sv]")).to_be_focused()
    page.locator(f"#{cell_id} a[data-cancel]").click()
    expect(page.locator(f"#{cell_id} a[href$='/edit/']").first).to_be_focused()


def test_after_up_the_focus_stays_on_the_moved_actions_button(
    page, live_server, seed_programme, coordinator_region
):
    # Given an action that is second in its goal
    action = Action.objects.filter(programme=seed_programme, position=1).first()
    open_table(page, live_server, seed_programme, coordinator_region)
    # When the coordinator presses its "Up"
    page.locator(f"#action-{action.key} button[value=up]").click()
    # Then it is first, and the focus is on its "Down" (its "Up" is disabled now)
    expect(page.locator(f"#action-{action.key} button[value=up]")).to_be_disabled()
    expect(page.locator(f"#action-{action.key} button[value=down]")).to_be_focused()


def test_the_organisations_are_folded_and_each_box_is_beside_its_label(
    page, live_server, seed_programme, coordinator_region
):
    open_table(page, live_server, seed_programme, coordinator_region)
    row = page.locator(f"#action-{ACTION}")
    row.locator(f"a[href$='/actions/{ACTION}/edit/']").click()
    # The checkboxes are folded away: Tab does not stop at them on the way to "Save"
    boxes = row.locator("input[name=responsible]")
    expect(boxes.first).to_be_hidden()
    summary = row.locator("summary").first
    expect(summary).to_contain_text("(")
    # Opened, each box sits on its label's line, before its text
    summary.click()
    expect(boxes.first).to_be_visible()
    same_line = page.evaluate(
        """() => {
          const label = document.querySelector("input[name=responsible]").closest("label");
          const box = label.querySelector("input").getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(label);
          range.setStartAfter(label.querySelector("input"));
          const text = range.getClientRects()[0];
          return box.top < text.bottom && box.bottom > text.top && box.right <= text.left;
        }"""
    )
    assert same_line


def test_the_municipalities_are_listed_with_their_commas_against_them(
    page, live_server, seed_programme, coordinator_region
):
    open_table(page, live_server, seed_programme, coordinator_region)
    # The gap between a municipality's link and the comma after it, in pixels
    gap = page.evaluate(
        """() => {
          const link = document.querySelector(".units-links a");
          const range = document.createRange();
          range.setStart(link.nextSibling, 0);
          range.setEnd(link.nextSibling, 1);
          return range.getBoundingClientRect().left - link.getBoundingClientRect().right;
        }"""
    )
    assert abs(gap) < 1


def test_every_themes_table_has_the_same_column_widths(
    page, live_server, seed_programme, coordinator_region
):
    open_table(page, live_server, seed_programme, coordinator_region)
    widths = page.evaluate(
        """() => [...document.querySelectorAll(".programme-table")].map(
          table => [...table.querySelectorAll("thead th")].map(th => Math.round(th.offsetWidth))
        )"""
    )
    assert len(widths) == 6
    assert all(w == widths[0] for w in widths), widths


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
