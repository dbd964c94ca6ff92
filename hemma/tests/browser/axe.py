"""axe-core's WCAG 2.1 A and AA rules, run in the page the browser shows.

axe-core comes from npm (package.json, `npm ci`), never from a CDN. It goes into the page by
`page.evaluate` of its source, which runs through the DevTools protocol and so past the
page's CSP: `add_script_tag` would add an inline <script> (even with `path`), which the CSP
refuses, and a context with `bypass_csp` would switch the CSP off for the page under test,
hiding what it blocks. This way the page is scanned exactly as a visitor gets it.
"""

from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA, which the law asks of a public body's site.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What fails a test; "minor" and "moderate" findings are for a person to judge.
FAILING = {"serious", "critical"}
# Elements named per rule in a failure, so that a page with many of one kind stays readable.
SHOWN = 5


# axe leaves an aria-describedby or aria-labelledby that names no element on the page as
# "needs review" (the element might come later); on a page as served it is an error: a field's
# help or name that a screen reader never reads (WCAG 1.3.1). Reported in axe's shape.
DANGLING_RULE = {
    "id": "aria-reference-missing",
    "impact": "serious",
    "help": "aria-describedby and aria-labelledby must name elements on the page",
    "helpUrl": "https://www.w3.org/TR/WCAG21/#info-and-relationships",
}
DANGLING = """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")]
    .flatMap(element => ["aria-describedby", "aria-labelledby"].flatMap(name =>
        (element.getAttribute(name) || "").split(/\\s+/)
            .filter(id => id && !document.getElementById(id))
            .map(id => ({
                target: [element.id ? `#${CSS.escape(element.id)}` : element.tagName.toLowerCase()],
                failureSummary: `${name}="${id}": no element has this id`,
            }))))"""


@cache
def _axe_source() -> str:
    if not AXE.exists():
        # A failure, not a skip: a suite without its accessibility scan must not pass.
        pytest.fail(f"axe-core is missing ({AXE}): run npm ci", pytrace=False)
    return AXE.read_text()


def axe_violations(page: Page) -> list[dict]:
    """axe's serious and critical WCAG 2.1 AA violations on the page as it is now, and any
    ARIA reference to an element that is not there."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_21_AA,
    )
    found = [v for v in results["violations"] if v["impact"] in FAILING]
    dangling = page.evaluate(DANGLING)
    if dangling:
        found.append({**DANGLING_RULE, "nodes": dangling})
    return found


def violations_text(violations: list[dict]) -> str:
    """One line per rule and one per element it found: rule id, impact, target, help."""
    lines = []
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        nodes = violation["nodes"]
        for node in nodes[:SHOWN]:
            # A selector per frame; a list of them for an element inside a shadow root.
            target = " ".join(
                " >> ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}")
        if len(nodes) > SHOWN:
            lines.append(f"    … and {len(nodes) - SHOWN} more")
    return "\n".join(lines)


def scan(page: Page, address: str) -> str:
    """Open the address and scan it; what axe found, as text for a failure ("" if nothing)."""
    response = page.goto(address)
    assert response is not None and response.ok, f"{address}: {response and response.status}"
    found = axe_violations(page)
    return f"{address}\n{violations_text(found)}" if found else ""


def assert_accessible(page: Page) -> None:
    """Fail with axe's list if the page as it is now has a serious or critical violation."""
    found = axe_violations(page)
    assert not found, f"{page.url}\n{violations_text(found)}"
