"""axe-core on the survey pages: the staff's, as a region coordinator sees them, and the
respondent's, read anonymously in Swedish and in Arabic, on a phone and without JavaScript.

The survey is made here, not taken from the demo: a required single choice, a multiple choice,
a rating with worded ends, a number, a short text and a long text asked only after one answer,
written in Swedish and translated into Finnish, English and Arabic, open, with a few answers
from both of the programme's municipalities so that the results page has something to show.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, ViewportSize, expect

from hemma.surveys import answering, services
from hemma.surveys.models import Answer, Question, Response, Survey
from hemma.surveys.tests import factories as sf
from hemma.tests.browser.axe import axe_violations, scan, violations_text
from hemma.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# A phone's screen in CSS pixels, and the least height of a target (WCAG 2.5.5).
PHONE: ViewportSize = {"width": 390, "height": 844}
TARGET = 44
# Each respondent's answers, as the form sends them.
ANSWERS = [
    {"q-tolkning": ["ja"], "q-tjanster": ["sfi", "radgivning"], "q-nojd": ["4"]},
    {"q-tolkning": ["nej"], "q-nojd": ["2"], "q-varfor": ["Ingen tolk fanns."]},
    {"q-tolkning": ["ja"], "q-tjanster": ["sfi"], "q-nojd": ["5"], "q-ar": ["3"]},
]


def _texts(sv: str, fi: str, en: str, ar: str) -> dict[str, str]:
    return {"sv": sv, "fi": fi, "en": en, "ar": ar}


@pytest.fixture
def survey(programme_a, municipality_a1, municipality_a2) -> Survey:
    made: Survey = sf.SurveyFactory(  # type: ignore[assignment]
        programme=programme_a,
        key="tillganglighet",
        title=_texts("Enkät för nyanlända", "Kysely tulijoille", "Survey of newcomers", "استبيان"),
        intro=_texts("Välkommen.", "Tervetuloa.", "Welcome.", "أهلاً وسهلاً."),
    )
    tolkning = sf.QuestionFactory(
        survey=made,
        key="tolkning",
        position=0,
        required=True,
        help=_texts("Vid besök.", "Käynneillä.", "At visits.", "في الزيارات."),
    )
    sf.ChoiceFactory(question=tolkning, key="ja", position=0)
    sf.ChoiceFactory(question=tolkning, key="nej", position=1)
    tjanster = sf.QuestionFactory(
        survey=made, key="tjanster", kind=Question.Kind.MULTIPLE, position=1
    )
    sf.ChoiceFactory(question=tjanster, key="sfi", position=0)
    sf.ChoiceFactory(question=tjanster, key="radgivning", position=1)
    sf.QuestionFactory(
        survey=made,
        key="nojd",
        kind=Question.Kind.RATING,
        position=2,
        scale_min_label=_texts("Inte alls", "Ei lainkaan", "Not at all", "أبدا"),
        scale_max_label=_texts("Helt", "Täysin", "Fully", "تماما"),
    )
    sf.QuestionFactory(survey=made, key="ar", kind=Question.Kind.NUMBER, position=3)
    sf.QuestionFactory(survey=made, key="ort", kind=Question.Kind.SHORT_TEXT, position=4)
    sf.QuestionFactory(
        survey=made,
        key="varfor",
        kind=Question.Kind.LONG_TEXT,
        position=5,
        show_if_question="tolkning",
        show_if_choices=["nej"],
    )
    survey = services.survey_open(actor=None, survey=made)
    questions = list(survey.questions.prefetch_related("choices"))
    for index, sent in enumerate(ANSWERS * 2):
        reading = answering.answers_read(questions=questions, data=sent)
        assert not reading.errors, reading.errors
        answering.response_store(
            survey=survey,
            municipality=(municipality_a1, municipality_a2)[index % 2],
            language=("sv", "ar")[index % 2],
            answers=list(reading.answers.values()),
        )
    return survey


# An id that a label or an ARIA attribute names, given to more than one element: the name or
# help goes to the first only (WCAG 2.1 4.1.1 and 1.3.1). axe leaves it as "needs review".
IDS_TWICE = """() => {
    const named = new Set([...document.querySelectorAll("label[for]")].map(l => l.htmlFor));
    document.querySelectorAll("[aria-describedby], [aria-labelledby]").forEach(element =>
        ["aria-describedby", "aria-labelledby"].forEach(name =>
            (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)
                .forEach(id => named.add(id))));
    return [...named].filter(id => document.querySelectorAll(`[id="${id}"]`).length > 1);
}"""


def _ids_twice(page: Page) -> str:
    twice = page.evaluate(IDS_TWICE)
    return f"{page.url}: ids given twice: {twice}" if twice else ""


def _scan_status(page: Page, address: str, status: int) -> str:
    """`scan` for a page served with an error status on purpose (a closed survey is 410)."""
    response = page.goto(address)
    assert response is not None, address
    assert response.status == status, f"{address}: {response.status}"
    found = axe_violations(page)
    return f"{address}\n{violations_text(found)}" if found else ""


def _report(found: list[str]) -> str:
    return "\n".join(text for text in found if text)


def test_the_staff_survey_pages_have_no_serious_accessibility_violations(
    page, live_server, programme_a, coordinator_region, survey
):
    at = f"/sv/programmes/{programme_a.slug}/surveys"
    one = f"{at}/{survey.key}/{survey.period}"
    pages = [
        f"{one}/",
        f"{one}/questions/add/",
        f"{one}/questions/tolkning/edit/",
        f"{one}/questions/nojd/edit/",
        f"{one}/translations/ar/",
        f"{one}/preview/?left=sv&right=ar",
        f"{one}/codes/",
        f"{one}/results/",
        f"{at}/import-xlsform/",
    ]
    log_in(page, live_server, coordinator_region.username)
    found = []
    for path in [f"{at}/", *pages]:
        found += [scan(page, live_server.url + path), _ids_twice(page) if path in pages else ""]

    assert not _report(found), f"Serious or critical WCAG 2.1 AA violations:\n{_report(found)}"
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_survey_list_gives_no_id_twice(
    page, live_server, programme_a, coordinator_region, survey
):
    log_in(page, live_server, coordinator_region.username)
    page.goto(f"{live_server.url}/sv/programmes/{programme_a.slug}/surveys/")

    assert not _ids_twice(page)


def test_the_answering_pages_have_no_serious_accessibility_violations(page, live_server, survey):
    link = f"{live_server.url}/s/{survey.public_token}"
    found = [scan(page, f"{link}/"), scan(page, f"{link}/sv/")]

    found.append(scan(page, f"{link}/ar/"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    # Sent without the required answer: the form again, its errors summed up and beside it.
    page.goto(f"{link}/sv/")
    page.locator(".answer-send").click()
    expect(page.locator(".answer-problem[role=alert]")).to_be_visible()
    expect(page.locator("#q-tolkning-error")).to_be_visible()
    expect(page.locator("#q-tolkning-1")).to_have_attribute("aria-invalid", "true")
    with_errors = axe_violations(page)
    if with_errors:
        found.append(f"{page.url} (with errors)\n{violations_text(with_errors)}")

    page.locator("#q-tolkning-1").check()
    page.locator(".answer-send").click()
    page.wait_for_url(f"{link}/sv/thanks/")
    found.append(scan(page, page.url))

    assert page.errors == []  # type: ignore[attr-defined]

    services.survey_close(actor=None, survey=survey)
    found += [_scan_status(page, f"{link}/", 410), _scan_status(page, f"{link}/ar/", 410)]

    assert not _report(found), f"Serious or critical WCAG 2.1 AA violations:\n{_report(found)}"
    # The browser logs each 410 as an error; nothing else may be.
    assert all("410 (Gone)" in error for error in page.errors)  # type: ignore[attr-defined]


def test_the_arabic_form_fits_a_phone_and_its_targets_are_large_enough(
    browser: Browser, live_server, survey
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{survey.public_token}/ar/")
        # survey.js hides "varfor" until "nej" is chosen: show it, so that it is measured too.
        page.locator("label[for=q-tolkning-2]").click()
        expect(page.locator("#q-varfor")).to_be_visible()

        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            "the page scrolls sideways on a phone"
        )
        heights = page.eval_on_selector_all(
            ".answer-option label",
            "labels => labels.map(l => [l.htmlFor, l.getBoundingClientRect().height])",
        )
        assert len(heights) == 2 + 2 + 5
        small = [(name, height) for name, height in heights if height < TARGET]
        assert not small, f"labels less than {TARGET}px high: {small}"
        # A choice taken by touching its label is checked.
        page.locator("label[for=q-nojd-5]").tap()
        expect(page.locator("#q-nojd-5")).to_be_checked()
    finally:
        context.close()


def test_the_form_is_answered_and_sent_without_javascript(browser: Browser, live_server, survey):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    before = Response.objects.filter(survey=survey).count()
    try:
        page.goto(f"{live_server.url}/s/{survey.public_token}/sv/")
        # Without survey.js the follow-up question is shown, with its note on when to answer.
        expect(page.locator("#q-varfor")).to_be_visible()
        expect(page.locator("#q-varfor-note")).to_be_visible()

        page.locator("label[for=q-tolkning-2]").click()
        page.locator("label[for=q-tjanster-1]").click()
        page.locator("label[for=q-nojd-3]").click()
        page.fill("#q-ar", "2")
        page.fill("#q-varfor", "Det fanns ingen tolk.")
        page.locator(".answer-send").click()

        page.wait_for_url(f"{live_server.url}/s/{survey.public_token}/sv/thanks/")
        with translation.override("sv"):
            expect(page.locator("h1")).to_have_text(gettext("Thank you"))
    finally:
        context.close()
    assert Response.objects.filter(survey=survey).count() == before + 1
    # The follow-up's answer is kept: the server asked it, as the note said it would.
    assert Answer.objects.filter(question__key="varfor", text="Det fanns ingen tolk.").exists()
