"""The council report's contents and its Word and Excel files (the PDF: test_command.py).

The seed programme with the demo's values (2023–2025), the 2023 and 2024 rounds approved and
2025's still open.
"""

import datetime
import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hemma.followup.models import Measurement, Round
from hemma.followup.statuses import REGION_COLUMN_NOTE
from hemma.lib import periods
from hemma.programmes.models import Action, CouncilDecision, Indicator
from hemma.programmes.policies import EVERYTHING
from hemma.reports.building import (
    STEPS,
    ReportError,
    ReportSpec,
    build,
    report_periods,
)
from hemma.reports.data import report_read
from hemma.reports.tests.conftest import TODAY, sv_titles
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def sv(text: str) -> str:
    """A label as the report in Swedish (the default) writes it."""
    with translation.override("sv"):
        return translation.gettext(text)


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def values_rows(book) -> list[dict]:
    sheet = book.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    # Keyed by the headers in English.
    headers = {sv(h): h for h in HEADERS}
    return [dict(zip([headers[h] for h in rows[0]], row, strict=True)) for row in rows[1:]]


HEADERS = [
    "Theme",
    "Goal",
    "Action",
    "Indicator",
    "Indicator key",
    "Municipality code",
    "Place",
    "Period",
    "Value",
    "Participants",
    "Value in words",
    "Suppressed",
    "Unit",
    "Status",
    "Target",
    "Comment",
]


def tables_under(document, heading: str) -> list:
    """The tables of the Word document between the heading and the next one."""
    found, inside = [], False
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            if inside:
                found.append(block)
        elif block.style.name.startswith("Heading"):
            inside = block.text == heading
    return found


def small_count(programme) -> Measurement:
    """Friend persons in Larsmo, 2024, made 3: a count of people under the threshold."""
    value = Measurement.objects.get(
        indicator__action__programme=programme,
        indicator__key="antal-vanpersoner",
        municipality__code="440",
        period="2024",
    )
    value.number = 3
    value.save()
    return value


def test_the_workbook_holds_every_action_and_every_value_as_a_number(followed_up):
    book = workbook(build(ReportSpec(followed_up, "2024", "xlsx"), reader=EVERYTHING))

    assert book.sheetnames == [sv("Summary"), sv("Values"), sv("Programme")]
    programme = [row[2] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert programme == sv_titles(followed_up)
    rows = values_rows(book)
    shown = 0
    for value in Measurement.objects.filter(
        indicator__action__programme=followed_up, period="2024", number__isnull=False
    ).select_related("indicator", "municipality"):
        code = value.municipality.code if value.municipality else None
        (row,) = [
            r
            for r in rows
            if r["Indicator key"] == value.indicator.key
            and r["Period"] == "2024"
            and r["Municipality code"] == code
        ]
        if row["Suppressed"]:  # a small count of people
            assert (row["Value"], row["Value in words"]) == (None, "< 5")
        else:
            assert row["Value"] == float(value.number)
            shown += 1
    assert shown > 50
    # No value of a period after the report's.
    assert {r["Period"] for r in rows} == {"2023", "2024"}
    assert book.worksheets[1].freeze_panes == "A2"


def test_a_small_count_of_people_is_hidden_in_every_file(followed_up):
    small_count(followed_up)

    rows = values_rows(workbook(build(ReportSpec(followed_up, "2024", "xlsx"), reader=EVERYTHING)))
    document = docx.Document(
        io.BytesIO(build(ReportSpec(followed_up, "2024", "docx"), reader=EVERYTHING))
    )

    (row,) = [
        r
        for r in rows
        if r["Indicator key"] == "antal-vanpersoner"
        and r["Period"] == "2024"
        and r["Municipality code"] == "440"
    ]
    assert row["Value"] is None
    assert row["Value in words"] == "< 5"
    assert row["Suppressed"] == sv("suppressed")
    name = Indicator.objects.get(key="antal-vanpersoner").name["sv"]
    now, history = tables_under(document, name)
    assert ["Larsmo", "< 5"] in [[c.text for c in r.cells][:2] for r in now.rows]
    assert ["Larsmo", "< 5"] in [[c.text for c in r.cells][::2] for r in history.rows]
    assert "3" not in [c.text for t in (now, history) for r in t.rows for c in r.cells]


def test_the_word_document_has_headings_repeating_table_headers_and_described_charts(followed_up):
    document = docx.Document(
        io.BytesIO(build(ReportSpec(followed_up, "2024", "docx"), reader=EVERYTHING))
    )

    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    for title in sv_titles(followed_up):
        assert title in text
    # The joint meetings of 2024, as recorded for the region as a whole.
    meetings = Measurement.objects.get(indicator__key="gemensamma-moten", period="2024")
    assert [sv("Region as a whole"), str(int(meetings.number))] in [
        [c.text for c in r.cells][:2] for t in document.tables for r in t.rows
    ]
    assert all(t.rows[0]._tr.xpath("./w:trPr/w:tblHeader") for t in document.tables)
    pictures = document.inline_shapes
    indicators = Indicator.objects.filter(action__programme=followed_up).count()
    assert len(pictures) == indicators
    assert all(p._inline.docPr.get("descr") for p in pictures)
    assert document.core_properties.language == "sv-FI"
    assert "Preliminary" not in text


def test_an_unapproved_period_is_marked_preliminary(followed_up):
    preliminary = workbook(build(ReportSpec(followed_up, "2025", "xlsx"), reader=EVERYTHING))
    approved = workbook(build(ReportSpec(followed_up, "2024", "xlsx"), reader=EVERYTHING))

    def first_column(book) -> list:
        return [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]

    assert sv("Preliminary: not approved") in first_column(preliminary)
    assert sv("Preliminary: not approved") not in first_column(approved)


def test_the_workbooks_summary_carries_the_notices_of_the_title_page(followed_up):
    followed_up.translation_notes = {"fi": "Epävirallinen käännös ruotsinkielisestä ohjelmasta."}
    followed_up.save()

    book = workbook(build(ReportSpec(followed_up, "2024", "xlsx", "fi"), reader=EVERYTHING))

    summary = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    with translation.override("fi"):
        demo = translation.gettext("Demo data: the values are made up to show the follow-up.")
        region = str(REGION_COLUMN_NOTE)
    assert demo in summary
    assert "Epävirallinen käännös ruotsinkielisestä ohjelmasta." in summary
    assert any("< 5" in str(text) for text in summary)
    # The note on the region's column stands below the matrix, whose last row is the total.
    with translation.override("fi"):
        total = translation.gettext("The whole programme")
    assert summary.index(region) > summary.index(total)


def test_the_word_documents_summary_says_what_the_regions_column_is(followed_up):
    document = docx.Document(
        io.BytesIO(build(ReportSpec(followed_up, "2024", "docx"), reader=EVERYTHING))
    )

    with translation.override("sv"):
        note = str(REGION_COLUMN_NOTE)
    paragraphs = [p.text for p in document.paragraphs]
    summary = paragraphs.index(sv("Summary"))
    assert note in paragraphs[summary : paragraphs.index(sv("The programme and its follow-up"))]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_report_is_in_the_language_asked_for(followed_up, language):
    book = workbook(build(ReportSpec(followed_up, "2024", "xlsx", language), reader=EVERYTHING))

    titles = [row[2] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    expected = [
        a.title[language]
        for a in Action.objects.filter(programme=followed_up).order_by(
            "goal__theme__position", "goal__position", "position"
        )
    ]
    assert titles == expected
    with translation.override(language):
        region = translation.gettext("Region as a whole")
    assert region in next(book.worksheets[2].iter_rows(max_row=1, values_only=True))


def test_a_municipalitys_report_holds_it_and_the_region_only(followed_up):
    larsmo = followed_up.municipalities.get(code="440")
    book = workbook(
        build(ReportSpec(followed_up, "2024", "xlsx", municipality=larsmo), reader=EVERYTHING)
    )

    places = {row["Place"] for row in values_rows(book)}
    assert places == {"Larsmo", sv("Region as a whole")}
    assert "Larsmo" in [row[0] for row in book.worksheets[0].iter_rows(max_row=4, values_only=True)]


def test_reading_takes_the_same_queries_at_two_sizes(followed_up):
    period = periods.parse("2024")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries, translation.override("sv"):
            report_read(
                reader=EVERYTHING,
                programme=followed_up,
                period=period,
                municipality=None,
                language="sv",
            )
        return len(queries)

    small = count()
    # A sixth municipality with values for every indicator, and its council's decision.
    sixth = f.MunicipalityFactory(code="499", region=followed_up.region, name={"sv": "Korsholm"})
    followed_up.municipalities.add(sixth)
    Measurement.objects.bulk_create(
        Measurement(indicator=i, municipality=sixth, period=year, number=7, status="met")
        for i in Indicator.objects.filter(action__programme=followed_up, scope="municipality")
        for year in ("2023", "2024")
    )
    CouncilDecision.objects.create(
        programme=followed_up, municipality=sixth, body={"sv": "Fullmäktige"}, date=TODAY
    )

    assert count() == small


def test_progress_goes_through_the_steps_to_100(followed_up):
    seen = []

    build(
        ReportSpec(followed_up, "2024", "xlsx"),
        reader=EVERYTHING,
        progress=lambda percent, step: seen.append((percent, step)),
    )

    assert seen[0] == (0, "reading")
    assert seen[-1] == (100, "done")
    assert all(step in STEPS for _p, step in seen)
    assert [p for p, _s in seen] == sorted(p for p, _s in seen)


def test_a_reader_sees_only_their_own_programmes(seed_programme, coordinator_b):
    with pytest.raises(Http404):
        build(ReportSpec(seed_programme, "2024", "xlsx"), reader=coordinator_b)


@pytest.mark.parametrize(
    ("period", "municipality", "message"),
    [
        ("2024X", None, "is not a period"),
        ("2024", "101", "does not cover"),
        # Before and after the programme's years (2023–2025), with nothing recorded.
        ("2022", None, "has no period 2022: it runs from 2023 to 2025"),
        ("2026", None, "has no period 2026: it runs from 2023 to 2025"),
        # A half year of the programme, but nothing is followed up by half years.
        ("2024H1", None, "has no period 2024H1"),
    ],
)
def test_a_spec_that_cannot_be_is_refused(
    seed_programme, municipality_a1, period, municipality, message
):
    place = municipality_a1 if municipality else None
    with pytest.raises(ReportError, match=message):
        build(ReportSpec(seed_programme, period, "pdf", municipality=place), reader=EVERYTHING)


def test_a_period_outside_the_years_with_a_round_can_be_reported(seed_programme):
    Round.objects.create(
        programme=seed_programme, period="2026", deadline=datetime.date(2027, 3, 1)
    )

    book = workbook(build(ReportSpec(seed_programme, "2026", "xlsx"), reader=EVERYTHING))

    assert sv("Preliminary: not approved") in [
        row[0] for row in book.worksheets[0].iter_rows(values_only=True)
    ]


def test_the_periods_offered_are_those_build_accepts_each_marked_approved_or_not(followed_up):
    offered = report_periods(reader=EVERYTHING, programme=followed_up)

    assert [(p.period.code, p.approved) for p in offered] == [
        ("2023", True),
        ("2024", True),
        ("2025", False),
    ]


def test_a_reader_who_may_not_see_the_programme_learns_nothing_of_its_years(
    seed_programme, coordinator_b
):
    with pytest.raises(Http404):
        build(ReportSpec(seed_programme, "2022", "xlsx"), reader=coordinator_b)
