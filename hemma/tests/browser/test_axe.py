"""The accessibility scan itself: it finds what it should, and says so readably.

Without these, a scan that ran no rules (or none of the page) would pass every page.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from hemma.tests.browser import axe

# A page with a CSP as strict as Hemma's (no inline script), an image without a text
# alternative (critical), a link without a name (serious) and grey text on white (serious).
PAGE = """<!doctype html><html lang="en"><head><title>A page</title>
<meta http-equiv="Content-Security-Policy" content="script-src 'self'; style-src 'self'">
</head><body><main>
<img src="data:," id="no-alt"><a href="#" id="no-name"></a>
<p id="grey">Grey on white</p>
<label for="field">Field</label><input id="field" aria-describedby="field-help">
</main></body></html>"""


def test_the_scan_runs_under_a_strict_csp_and_lists_what_it_found(page: Page) -> None:
    page.set_content(PAGE)
    page.evaluate("document.getElementById('grey').style.color = '#aaa'")

    with pytest.raises(AssertionError) as failure:
        axe.assert_accessible(page)

    text = str(failure.value)
    assert "image-alt (critical): Images must have alternative text" in text
    assert "#no-alt: Fix any of the following: Element does not have an alt attribute" in text
    assert "link-name (serious)" in text and "#no-name" in text
    assert "color-contrast (serious)" in text and "#grey" in text
    assert '#field: aria-describedby="field-help": no element has this id' in text


def test_a_page_without_problems_passes(page: Page) -> None:
    page.set_content(
        PAGE.replace('id="no-alt"', 'id="no-alt" alt=""').replace("></a>", ">Top</a>")
        + '<p id="field-help">Help</p>'
    )

    axe.assert_accessible(page)


def test_without_axe_core_the_scan_fails_and_says_to_run_npm_ci(page: Page, monkeypatch) -> None:
    monkeypatch.setattr(axe, "AXE", Path("/nowhere/axe.min.js"))
    axe._axe_source.cache_clear()
    page.set_content(PAGE)
    try:
        with pytest.raises(pytest.fail.Exception, match="run npm ci"):
            axe.assert_accessible(page)
    finally:
        axe._axe_source.cache_clear()
