"""Safe opening of workbooks from strangers, and formula escaping for the ones Hemma writes."""

import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemma.lib import spreadsheets
from hemma.lib.spreadsheets import Formula, UnsafeWorkbook

RISKY = ['=HYPERLINK("http://x")', "+358 40 123", "-5 dagar", "@SUM(A1)", "\t=1+1", "\r=1"]


def xlsx(cells: dict[str, object]) -> bytes:
    workbook = openpyxl.Workbook()
    for coordinate, value in cells.items():
        workbook.active[coordinate] = value
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return stream.getvalue()


def rows_of(data: bytes) -> list[tuple[int, list]]:
    workbook = spreadsheets.open_xlsx(data)
    try:
        return list(spreadsheets.sheet_rows(workbook.worksheets[0], max_col=3))
    finally:
        workbook.close()


# (A carriage return is not tried here: XML turns it into a line feed, as it should.)
@pytest.mark.parametrize("text", RISKY[:-1])
def test_text_written_by_write_text_is_never_a_formula(text):
    workbook = openpyxl.Workbook()
    spreadsheets.write_text(workbook.active["A1"], text)
    stream = io.BytesIO()
    workbook.save(stream)

    cell = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).active["A1"]

    assert cell.data_type != "f"
    assert cell.value == text


def test_plain_openpyxl_would_have_written_a_formula():
    # The danger write_text exists for: this test fails if openpyxl ever stops doing it.
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "=1+1"
    assert workbook.active["A1"].data_type == "f"


def test_write_text_drops_characters_xml_cannot_hold():
    workbook = openpyxl.Workbook()
    spreadsheets.write_text(workbook.active["A1"], "a\x00b\x07c")
    assert workbook.active["A1"].value == "abc"


@pytest.mark.parametrize("text", RISKY)
def test_csv_values_that_look_like_formulas_get_a_leading_apostrophe(text):
    assert spreadsheets.escape_csv(text) == "'" + text
    assert spreadsheets.unescape_csv("'" + text) == text


@pytest.mark.parametrize("text", ["Kommunen", "2-4 ggr per år", "'citat'", "", "a=b"])
def test_ordinary_csv_values_are_left_alone(text):
    assert spreadsheets.escape_csv(text) == text
    assert spreadsheets.unescape_csv(text) == text


@given(st.text())
def test_unescape_gives_back_what_escape_wrote(text):
    escaped = spreadsheets.escape_csv(text)
    assert not re.match(r"[=+\-@\t\r]", escaped)
    assert spreadsheets.unescape_csv(escaped) == text


def test_a_workbook_of_hemmas_size_passes_the_zip_check():
    spreadsheets.check_zip(xlsx({"A1": "Åtgärd", "A2": "x" * 1000}))


def test_bytes_that_are_not_a_zip_are_refused():
    with pytest.raises(UnsafeWorkbook) as raised:
        spreadsheets.check_zip(b"PK\x03\x04 but not really a zip")
    assert raised.value.reason == "not_zip"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zipped({"xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # small on the wire
    with pytest.raises(UnsafeWorkbook) as raised:
        spreadsheets.check_zip(bomb)
    assert (raised.value.reason, raised.value.limit) == ("too_large", 50 * 1024 * 1024)


def test_a_part_compressed_beyond_the_ratio_is_refused():
    bomb = zipped(
        {"[Content_Types].xml": b"<x/>", "xl/sharedStrings.xml": b"a" * (20 * 1024 * 1024)}
    )
    with pytest.raises(UnsafeWorkbook) as raised:
        spreadsheets.check_zip(bomb)
    assert (raised.value.reason, raised.value.limit) == ("too_compressed", 100)


def test_an_archive_of_thousands_of_parts_is_refused():
    many = zipped({f"xl/part{i}.xml": b"" for i in range(2001)})
    with pytest.raises(UnsafeWorkbook) as raised:
        spreadsheets.check_zip(many)
    assert raised.value.reason == "too_many_members"


def test_a_zip_that_is_not_a_workbook_is_unreadable():
    document = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    with pytest.raises(UnsafeWorkbook) as raised:
        spreadsheets.open_xlsx(document)
    assert raised.value.reason == "unreadable"


def test_formulas_are_read_as_formulas_not_as_their_values():
    ((_number, (value, formula, empty)),) = rows_of(xlsx({"A1": 2.0, "B1": "=SUM(1,2)"}))
    assert value == "2"
    assert formula == Formula("=SUM(1,2)")
    assert empty == ""


def test_rows_keep_their_numbers_across_gaps():
    rows = rows_of(xlsx({"A1": "first", "A4": "fourth"}))
    assert [(n, r[0]) for n, r in rows] == [(1, "first"), (2, ""), (3, ""), (4, "fourth")]


def test_rows_beyond_a_wrong_stated_dimension_are_read():
    # Some programs never update the sheet's <dimension>; openpyxl would stop there.
    data = xlsx({"A1": "first", "A5": "fifth"})
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', members[sheet])

    rows = rows_of(zipped(members))

    assert rows[-1] == (5, ["fifth", "", ""])


def test_an_xml_entity_bomb_inside_a_workbook_is_unreadable():
    data = xlsx({"A1": "x"})
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 12))
    members["xl/worksheets/sheet1.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "lol">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e11;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()

    with pytest.raises(UnsafeWorkbook) as raised:
        rows_of(zipped(members))
    assert raised.value.reason == "unreadable"
