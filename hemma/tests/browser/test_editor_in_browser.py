"""The information hub's text editor in a real browser (hemma/static/hemma/editor.js): the
natural way to make a list, the caret kept in its line, valid HTML saved; the editor on each
language's page, right to left in Arabic; a text block's "Edit" going straight to its words;
the new page form's fields one width."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page as Browser
from playwright.sync_api import expect

from hemma.information.models import Block, Page
from hemma.information.tests import conftest as information
from hemma.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The information hub's shared fixtures (hemma/information/tests/conftest.py).
superuser = information.superuser
owner_a = information.owner_a
site_a1 = information.site_a1
page_a1 = information.page_a1


def _address(live_server, name: str, page: Page, *args) -> str:
    return live_server.url + reverse(f"information:{name}", args=[page.site.slug, page.slug, *args])


def _new_text_block(page: Browser, live_server, page_a1) -> None:
    log_in(page, live_server, "coordinator_a")
    page.goto(_address(live_server, "block_add", page_a1, "text"))
    page.locator(".editor-area").click()


def _run(page: Browser, steps) -> None:
    for what, value in steps:
        if what == "type":
            page.keyboard.type(value)
        elif what == "press":
            page.keyboard.press(value)
        else:
            page.get_by_role("button", name=value, exact=True).click()


def test_a_list_made_on_a_new_line_holds_what_is_typed_next_and_is_saved_as_valid_html(
    page, live_server, page_a1, coordinator_a
):
    _new_text_block(page, live_server, page_a1)

    _run(
        page,
        [
            ("type", "First line."),
            ("press", "Enter"),
            ("click", "Bulleted list"),
            ("type", "Typed next"),
        ],
    )

    expected = "<p>First line.</p><ul><li>Typed next</li></ul>"
    assert page.locator(".editor-area").inner_html() == expected
    assert page.locator("textarea[name=html]").input_value() == expected
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/{page_a1.slug}/#block-*")
    block = page_a1.blocks.get(position=1)
    assert page_a1.versions.get(language="sv").texts[block.key] == {"html": expected}
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "steps, expected",
    [
        # A line with words made a list: what is typed next goes where the caret was, at its end.
        (
            [("type", "Intro"), ("press", "Enter"), ("type", "Item"), ("click", "Bulleted list")],
            "<p>Intro</p><ul><li>Item more</li></ul>",
        ),
        # The caret in the middle of a line stays there.
        (
            [("type", "abc"), ("press", "ArrowLeft"), ("click", "Numbered list")],
            "<ol><li>ab morec</li></ol>",
        ),
        # The middle one of three lines, made a list on its own.
        (
            [
                ("type", "a"),
                ("press", "Enter"),
                ("type", "b"),
                ("press", "Enter"),
                ("type", "c"),
                ("press", "ArrowUp"),
                ("click", "Bulleted list"),
            ],
            "<p>a</p><ul><li>b more</li></ul><p>c</p>",
        ),
        # An empty line made a heading.
        (
            [("type", "Text."), ("press", "Enter"), ("click", "Heading")],
            "<p>Text.</p><h2> more</h2>",
        ),
    ],
)
def test_the_caret_stays_in_its_line_when_the_line_becomes_a_list_or_heading(
    page, live_server, page_a1, coordinator_a, steps, expected
):
    _new_text_block(page, live_server, page_a1)

    _run(page, [*steps, ("type", " more")])

    saved = page.locator("textarea[name=html]").input_value()
    assert saved.replace("&nbsp;", " ") == expected


def test_each_languages_text_is_written_in_the_editor_right_to_left_in_arabic(
    page, live_server, page_a1, coordinator_a
):
    log_in(page, live_server, "coordinator_a")
    block = page_a1.blocks.get(kind=Block.Kind.TEXT)

    page.goto(_address(live_server, "version", page_a1, "sv"))
    swedish = page.locator(f"#block-{block.key} .editor-area")
    expect(swedish).to_have_attribute("dir", "ltr")
    expect(swedish).to_contain_text("Tystnad kl. 22–7.")

    page.goto(_address(live_server, "version", page_a1, "ar"))
    editor = page.locator(f"#block-{block.key} .editor-area")
    expect(editor).to_be_visible()
    expect(editor).to_have_attribute("lang", "ar")
    expect(editor).to_have_attribute("dir", "rtl")
    assert editor.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(page.locator(f"#block-{block.key} .editor-toolbar")).to_be_visible()
    expect(page.locator(f"textarea[name='{block.key}-html']")).to_be_hidden()
    page.locator("input[name=title]").fill("السكن")
    editor.click()
    page.keyboard.type("الهدوء")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bulleted list", exact=True).first.click()
    page.keyboard.type("من 22 إلى 7")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".message.success")).to_be_visible()
    arabic = page_a1.versions.get(language="ar")
    assert arabic.texts[block.key] == {"html": "<p>الهدوء</p><ul><li>من 22 إلى 7</li></ul>"}
    assert page.errors == []  # type: ignore[attr-defined]


def test_edit_of_a_text_block_opens_its_words_in_the_source_languages_editor(
    page, live_server, page_a1, coordinator_a
):
    log_in(page, live_server, "coordinator_a")
    block = page_a1.blocks.get(kind=Block.Kind.TEXT)
    page.goto(_address(live_server, "page", page_a1))

    page.locator(f"#block-{block.key}").get_by_role("link", name="Edit").click()

    page.wait_for_url(f"**/{page_a1.slug}/sv/#block-{block.key}")
    expect(page.locator(f"#block-{block.key} .editor-area")).to_be_in_viewport()


def test_the_new_page_forms_summary_is_as_wide_as_its_other_fields(
    page, live_server, site_a1, coordinator_a
):
    log_in(page, live_server, "coordinator_a")
    page.goto(live_server.url + reverse("information:page_create", args=[site_a1.slug]))

    def width(selector: str) -> float:
        return page.locator(selector).evaluate("e => e.getBoundingClientRect().width")

    assert width("textarea[name=summary]") == width("input[name=title]")
    assert width("textarea[name=summary]") == width("select[name=owner]")
