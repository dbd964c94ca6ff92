"""The values file: written and read back alike, every cell checked, nothing a formula."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from hemma.followup import values_file as vf
from hemma.followup.models import Measurement
from hemma.followup.services import measurement_record
from hemma.lib import periods
from hemma.lib.problems import ProblemsFound
from hemma.programmes.models import Indicator

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


def record(indicator, *, municipality="101", period="2024", comment="", **values):
    return measurement_record(
        actor=None,
        indicator=indicator,
        municipality=municipality,
        period=period,
        values=values,
        comment=comment,
        version=None,
        source=Measurement.Source.WEB,
    )


def sheet(programme, *, period="2024", language="en", places=None):
    book = vf.values_book(programme=programme)
    if places is None:
        places = [None, *book.municipalities]
    return vf.sheet_rows(book, period=periods.parse(period), places=places, language=language)


def plan_of(data: bytes, name: str, programme, *, can_record=lambda place: True):
    table = vf.read_values_file(data, name=name)
    return vf.plan_values(
        table, vf.values_book(programme=programme), can_record=can_record, language="en"
    ), table


def csv_file(rows: list[list[str]], *, delimiter=";") -> bytes:
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows(rows)
    return stream.getvalue().encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


HEADING = ["Action key", "Indicator key", "Municipality code", "Period", "Value", "Version"]


# -- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_downloaded_sheet_uploaded_as_it_is_changes_nothing(fmt, programme_a, indicator_of):
    # Given values of several kinds, with decimals, dates, languages and formula-like comments
    count = indicator_of(Kind.COUNT_WITH_PARTICIPANTS)
    share = indicator_of(Kind.STATISTICS)
    milestone = indicator_of(Kind.MILESTONE)
    deliverable = indicator_of(Kind.DELIVERABLE_LANGUAGES)
    record(count, number=25, participants=40, comment='=HYPERLINK("x")')
    record(share, number=Decimal("62.5"))
    record(milestone, done=True, done_on=datetime.date(2024, 5, 31), comment="-1 on purpose")
    record(deliverable, languages=["sv", "ar"])
    record(deliverable, municipality="102", languages=[])
    rows = sheet(programme_a)
    content = (
        vf.values_xlsx(rows, language="en") if fmt == "xlsx" else vf.values_csv(rows, language="en")
    )

    # When it is read back
    plan, _table = plan_of(content, f"values.{fmt}", programme_a)

    # Then nothing changes, and every row is accounted for
    assert plan.problems == []
    assert plan.changes == [] and plan.items == []
    assert plan.unchanged == 5
    assert plan.unchanged + plan.empty == len(rows)


def test_the_xlsx_has_numbers_as_numbers_dates_as_dates_and_no_formulas(programme_a, indicator_of):
    count = indicator_of(Kind.COUNT_WITH_PARTICIPANTS)
    share = indicator_of(Kind.STATISTICS)
    milestone = indicator_of(Kind.MILESTONE)
    record(count, number=25, participants=40, comment="=1+1")
    record(share, number=Decimal("62.5"))
    record(milestone, done=True, done_on=datetime.date(2024, 5, 31))

    content = vf.values_xlsx(
        sheet(programme_a, places=[programme_a.municipalities.get(code="101")]), language="en"
    )

    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = list(book.active.iter_rows(values_only=False))
    headings = [c.value for c in cells[0]]
    by_key = {row[headings.index("Indicator key")].value: row for row in cells[1:]}
    count_row, milestone_row = by_key[count.key], by_key[milestone.key]
    assert count_row[headings.index("Value")].value == 25
    assert by_key[share.key][headings.index("Value")].value == 62.5
    assert count_row[headings.index("Participants")].value == 40
    assert count_row[headings.index("Comment")].value == "=1+1"
    assert count_row[headings.index("Comment")].data_type == "s"
    assert milestone_row[headings.index("Done on")].value == datetime.datetime(2024, 5, 31)
    assert milestone_row[headings.index("Done")].value == "yes"
    assert all(cell.data_type != "f" for row in cells for cell in row)


def test_the_csv_is_excel_friendly_and_escapes_formula_like_text(programme_a, indicator_of):
    record(indicator_of(Kind.STATISTICS), number=Decimal("3.5"), comment="@SUM(A1)")

    content = vf.values_csv(sheet(programme_a, language="sv"), language="sv")

    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tema;Mål;Åtgärd;Åtgärdens nyckel")
    assert ";3,5;" in text
    assert "'@SUM(A1)" in text


def test_a_sheet_for_a_year_holds_the_half_years_and_quarters_of_other_indicators(
    programme_a, band_indicator, indicator_of
):
    indicator_of(Kind.COUNT, period=Indicator.Period.QUARTER)
    indicator_of(Kind.MILESTONE, period=Indicator.Period.MULTI_YEAR)

    rows = sheet(programme_a, places=[None])

    assert [r.cells["period"] for r in rows] == [
        "2024",
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
        "2023-2025",
    ]
    assert rows[0].cells["municipality_code"] == "region"


# -- reading ---------------------------------------------------------------------------------


def test_finnish_headings_with_commas_and_swedish_words_are_read(programme_a, indicator_of):
    milestone = indicator_of(Kind.MILESTONE)
    content = csv_file(
        [
            ["Toimenpiteen avain", "Mittarin avain", "Kuntakoodi", "Jakso", "Tehty", "Tehty pvm"],
            ["joint-meetings", milestone.key, "101", "2024", "kyllä", "31.5.2024"],
            ["joint-meetings", milestone.key, "alue", "2024", "ja", "2024-06-01"],
        ],
        delimiter=",",
    )

    plan, table = plan_of(content, "arvot.csv", programme_a)

    assert table.language == "fi"
    assert plan.problems == []
    assert [(c.municipality and c.municipality.code, c.new) for c in plan.changes] == [
        ("101", True),
        (None, True),
    ]
    assert plan.items[0].values == {"done": True, "done_on": datetime.date(2024, 5, 31)}


def test_real_excel_dates_and_numbers_are_read(programme_a, indicator_of):
    milestone = indicator_of(Kind.MILESTONE)
    content = xlsx_file(
        [
            ["Action key", "Indicator key", "Municipality code", "Period", "Done", "Done on"],
            ["joint-meetings", milestone.key, 101, 2024, True, datetime.datetime(2024, 3, 1)],
        ]
    )

    plan, _table = plan_of(content, "values.xlsx", programme_a)

    assert plan.problems == []
    assert plan.items[0].values == {"done": True, "done_on": datetime.date(2024, 3, 1)}
    assert plan.items[0].municipality.code == "101"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", Decimal(12)), ("12,5", Decimal("12.5")), ("1 200", Decimal(1200)), ("-3", Decimal(-3))],
)
def test_numbers_are_read_as_people_write_them(text, expected):
    assert vf.parse_number(text) == expected


@pytest.mark.parametrize("text", ["yes", "Ja", "KYLLÄ", "true", "1", "x"])
def test_yes_in_three_languages(text):
    assert vf.parse_done(text) is True


@pytest.mark.parametrize("text", ["no", "Nej", "ei", "FALSE", "0"])
def test_no_in_three_languages(text):
    assert vf.parse_done(text) is False


def test_a_formula_is_refused_with_its_row_and_column(programme_a, band_indicator):
    content = xlsx_file(
        [HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "=1+2", None]]
    )

    plan, _table = plan_of(content, "values.xlsx", programme_a)

    assert [(p.row, p.column, p.field) for p in plan.problems] == [(2, "E", "Value")]
    assert "formula" in plan.problems[0].message
    assert plan.items == []


def test_a_file_without_the_key_columns_is_refused():
    content = csv_file([["Action key", "Indicator key", "Value"], ["a", "b", "1"]])

    with pytest.raises(ProblemsFound) as found:
        vf.read_values_file(content, name="values.csv")

    assert "Municipality code" in found.value.problems[0].message
    assert found.value.problems[0].row == 1


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ProblemsFound) as found:
        vf.read_values_file(b"not a zip", name="values.xlsx")

    assert "not an Excel workbook" in found.value.problems[0].message


def test_another_kind_of_file_is_refused():
    with pytest.raises(ProblemsFound) as found:
        vf.read_values_file(b"{}", name="values.json")

    assert ".json" in found.value.problems[0].message


# -- the plan's problems, by row and column --------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["nope", "{key}", "101", "2024", "3", ""], "Action key", "no action with the key “nope”"),
        (["joint-meetings", "nope", "101", "2024", "3", ""], "Indicator key", "no indicator"),
        (["joint-meetings", "{key}", "999", "2024", "3", ""], "Municipality code", "“999”"),
        (["joint-meetings", "{key}", "", "2024", "3", ""], "Municipality code", "Give the"),
        (["joint-meetings", "{key}", "101", "2024", "three", ""], "Value", "not a number"),
        (["joint-meetings", "{key}", "101", "2024", "3", "v2"], "Version", "not a version"),
    ],
)
def test_each_bad_cell_is_a_problem_at_its_row_and_column(
    row, column, message, programme_a, band_indicator
):
    cells = [c.replace("{key}", band_indicator.key) for c in row]
    content = csv_file([HEADING, cells])

    plan, _table = plan_of(content, "values.csv", programme_a)

    assert [(p.row, p.field) for p in plan.problems] == [(2, column)]
    assert message in plan.problems[0].message
    assert plan.items == []


def test_the_same_value_twice_is_a_problem(programme_a, band_indicator):
    content = csv_file(
        [
            HEADING,
            ["joint-meetings", band_indicator.key, "101", "2024", "3", ""],
            ["joint-meetings", band_indicator.key, "101", "2024", "4", ""],
        ]
    )

    plan, _table = plan_of(content, "values.csv", programme_a)

    assert [(p.row, p.field) for p in plan.problems] == [(3, "Period")]
    assert "Row 2" in plan.problems[0].message


def test_a_row_for_a_place_the_user_may_not_record_for_is_a_problem(programme_a, band_indicator):
    content = csv_file([HEADING, ["joint-meetings", band_indicator.key, "102", "2024", "3", ""]])

    plan, _table = plan_of(
        content, "values.csv", programme_a, can_record=lambda place: place is None
    )

    assert [(p.row, p.field) for p in plan.problems] == [(2, "Municipality code")]
    assert "You may not record values for A-by" in plan.problems[0].message


def test_a_changed_value_is_compared_field_by_field(programme_a, band_indicator):
    stored = record(band_indicator, number=2, comment="first")
    content = csv_file(
        [
            [*HEADING, "Comment"],
            [
                "joint-meetings",
                band_indicator.key,
                "101",
                "2024",
                "3",
                str(stored.version),
                "first",
            ],
        ]
    )

    plan, _table = plan_of(content, "values.csv", programme_a)

    assert plan.problems == []
    [change] = plan.changes
    assert (change.row, change.new) == (2, False)
    assert [(f.column, f.old, f.new) for f in change.fields] == [("value", "2", "3")]
    assert plan.items[0].version == stored.version


def test_a_row_made_from_an_older_version_is_refused_saying_who_changed_it(
    programme_a, band_indicator
):
    record(band_indicator, number=2)
    measurement_record(
        actor=None,
        indicator=band_indicator,
        municipality="101",
        period="2024",
        values={"number": 4},
        version=1,
        source=Measurement.Source.WEB,
    )
    Measurement.objects.update(entered_by_name="kollega")
    content = csv_file([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "3", "1"]])

    plan, _table = plan_of(content, "values.csv", programme_a)

    [problem] = plan.problems
    assert (problem.row, problem.field) == (2, "Version")
    assert "version 1" in problem.message and "now version 2" in problem.message
    assert "kollega" in problem.message and "Value 4" in problem.message


def test_emptying_a_recorded_value_is_refused(programme_a, band_indicator):
    record(band_indicator, number=2)
    content = csv_file([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "", "1"]])

    plan, _table = plan_of(content, "values.csv", programme_a)

    assert [(p.row, p.field) for p in plan.problems] == [(2, "Value")]
    assert "does not remove values" in plan.problems[0].message


def test_an_empty_row_where_nothing_is_stored_records_nothing(programme_a, band_indicator):
    content = csv_file([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "", ""]])

    plan, _table = plan_of(content, "values.csv", programme_a)

    assert (plan.problems, plan.items, plan.empty) == ([], [], 1)
