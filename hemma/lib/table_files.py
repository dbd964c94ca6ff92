"""Reading a table out of an uploaded XLSX or CSV file, safely, with problems a person reads.

Shared by the programme table (hemma/programmes/interchange/tabular.py) and the values file
(hemma/followup/values_file.py): each knows its own heading row and columns, and hands a
`read` function that turns a grid of rows into its table (or None when the grid has no
heading row of its kind). The checks on the file itself are here once: zip bombs, damaged
workbooks, text that is not UTF-8, rows that are not CSV.
"""

import csv
import io
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hemma.lib import spreadsheets
from hemma.lib.problems import Problem, ProblemsFound
from hemma.lib.spreadsheets import Formula, UnsafeWorkbook

# A file's rows by number (from 1), each as its cells' text (or a Formula found in a cell).
Grid = Iterator[tuple[int, list[str | Formula]]]
T = TypeVar("T")

# The delimiters a CSV may use: Excel in Finland and Sweden saves with ";".
CSV_DELIMITERS = (";", ",", "\t")

_WORKBOOK_MESSAGES = {
    "not_zip": lambda limit: _(
        "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook” "
        "and try again."
    ),
    "unreadable": lambda limit: _(
        "The file is damaged or is not an Excel workbook (.xlsx) (a Word document or another "
        "zip file with the name .xlsx?). Save it in Excel as “Excel Workbook” and try again."
    ),
    "too_large": lambda limit: (
        _(
            "The workbook would unpack to more than %(limit)s MB. Hemma refuses it: it may be a "
            "zip bomb."
        )
        % {"limit": limit // (1024 * 1024)}
    ),
    "too_compressed": lambda limit: (
        _(
            "The workbook is compressed more than %(limit)s times over. Hemma refuses it: it may "
            "be a zip bomb."
        )
        % {"limit": limit}
    ),
    "too_many_members": lambda limit: (
        _("The workbook has more than %(limit)s parts. Hemma refuses it: it may be a zip bomb.")
        % {"limit": limit}
    ),
}


def workbook_problem(error: UnsafeWorkbook, name: str) -> ProblemsFound:
    return ProblemsFound([Problem(_WORKBOOK_MESSAGES[error.reason](error.limit), file=name)])


def xlsx_table(
    data: bytes, *, name: str, max_columns: int, read: Callable[[Grid], T | None]
) -> T | None:
    """The table of the first sheet that `read` finds one in; None if no sheet has one."""
    try:
        workbook = spreadsheets.open_xlsx(data)
    except UnsafeWorkbook as error:
        raise workbook_problem(error, name) from None
    try:
        for sheet in workbook.worksheets:
            table = read(spreadsheets.sheet_rows(sheet, max_col=max_columns))
            if table is not None:
                return table
    except UnsafeWorkbook as error:
        raise workbook_problem(error, name) from None
    finally:
        workbook.close()
    return None


def csv_grid(text: str, delimiter: str, *, name: str, max_columns: int) -> Grid:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [spreadsheets.unescape_csv(v) for v in record[:max_columns]]
    except csv.Error:
        raise ProblemsFound(
            [Problem(_("This row cannot be read as CSV."), file=name, row=number + 1)]
        ) from None


def csv_table(
    data: bytes,
    *,
    name: str,
    max_columns: int,
    known_columns: Callable[[Grid], int],
    read: Callable[[Grid], T | None],
) -> T | None:
    """The CSV's table, read with the delimiter under which `known_columns` finds the most
    columns it knows in the heading row; None if no delimiter gives a heading row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProblemsFound(
            [
                Problem(
                    _(
                        "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma "
                        "delimited)”."
                    ),
                    file=name,
                    row=data[: error.start].count(b"\n") + 1,
                )
            ]
        ) from None
    best, best_count = None, 0
    for delimiter in CSV_DELIMITERS:
        count = known_columns(csv_grid(text, delimiter, name=name, max_columns=max_columns))
        if count > best_count:
            best, best_count = delimiter, count
    if best is None:
        return None
    return read(csv_grid(text, best, name=name, max_columns=max_columns))


def clean_text(value: str) -> str:
    """A cell's text as stored: line breaks as "\\n", trimmed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def missing_columns(missing: list[str], *, name: str, heading_row: int) -> ProblemsFound:
    """The heading row lacks the columns named (as the file's language calls them)."""
    return ProblemsFound(
        [
            Problem(
                _("The heading row lacks the column(s) %(columns)s.")
                % {"columns": ", ".join(f"“{m}”" for m in missing)},
                file=name,
                row=heading_row,
            )
        ]
    )


def too_many_rows(limit: int, *, name: str, row: int) -> ProblemsFound:
    return ProblemsFound(
        [
            Problem(
                _("The table has more than %(limit)s rows; Hemma reads at most %(limit)s.")
                % {"limit": limit},
                file=name,
                row=row,
            )
        ]
    )


def row_cells(
    number: int,
    values: list[str | Formula],
    columns: dict[str, int],
    *,
    max_text: int,
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Row `number`'s cells by column, as `clean_text` and cut at `max_text`, and its problems
    as (column, message): a formula (Hemma reads values only) or a text too long."""
    cells: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for column, index in columns.items():
        value = values[index] if index < len(values) else ""
        if isinstance(value, Formula):
            problems.append(
                (
                    column,
                    _(
                        "Cell %(cell)s holds a formula; Hemma reads values only. "
                        "Replace the formula with its value."
                    )
                    % {"cell": f"{get_column_letter(index + 1)}{number}"},
                )
            )
            value = ""
        text = clean_text(value)
        if len(text) > max_text:
            problems.append(
                (
                    column,
                    _("The text is too long (at most %(limit)s characters).") % {"limit": max_text},
                )
            )
            text = text[:max_text]
        cells[column] = text
    return cells, problems


def heading_columns(
    values: list[str | Formula],
    *,
    name: str,
    row: int,
    column_of: Callable[[str | Formula], tuple[str, str] | None],
    language_from: str,
) -> tuple[dict[str, int], dict[str, str], str]:
    """A heading row's known columns: (column → index, column → heading as written, the
    language of the `language_from` column's heading, "en" without it). `column_of` names a
    heading's column and language, or None. A column named twice is a problem at its cell."""
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    language = "en"
    for index, value in enumerate(values):
        known = column_of(value)
        if known is None:
            continue
        column, heading_language = known
        if column in columns:
            raise ProblemsFound(
                [
                    Problem(
                        _("The column “%(heading)s” appears twice in the heading row.")
                        % {"heading": value},
                        file=name,
                        row=row,
                        column=get_column_letter(index + 1),
                    )
                ]
            )
        columns[column] = index
        headings[column] = str(value).strip()
        if column == language_from:
            language = heading_language
    return columns, headings, language
