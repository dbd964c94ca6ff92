"""Reading a table out of an uploaded XLSX or CSV file, safely, with problems a person reads.

Shared by the programme table (hemma/programmes/interchange/tabular.py) and the values file
(hemma/followup/values_file.py): each knows its own heading row and columns, and hands a
`read` function that turns a grid of rows into its table (or None when the grid has no
heading row of its kind). The registries' files (statistics, placements, activities) are
each a `TableFormat`, which reads them the same way. The checks on the file itself are here
once: zip bombs, damaged workbooks, text that is not UTF-8, rows that are not CSV.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import TypeVar

from django.utils.translation import get_language
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


def official_code(text: str) -> str:
    """A municipality's official code as a cell gives it: three digits ("49" read as "049",
    as a spreadsheet drops the leading zero)."""
    value = text.strip()
    if value.isdigit() and len(value) < 3:
        return value.zfill(3)
    return value


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


# -- a kind of table: its headings, read the same way for every registry ----------------------


def heading_key(text: str) -> str:
    """A heading as compared: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


@dataclass
class FileRow:
    number: int  # as the spreadsheet shows it
    cells: dict[str, str]  # column → text, trimmed

    def text(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file read as rows of cell texts by column (`TableFormat.read`)."""

    format: "TableFormat"
    name: str
    language: str  # of the headings: sv, fi or en
    heading_row: int
    columns: dict[str, int]  # column → index from the left (0-based)
    headings: dict[str, str]  # column → heading as written in the file
    rows: list[FileRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # of single cells

    def has(self, column: str) -> bool:
        return column in self.columns

    def heading(self, column: str) -> str:
        """The column's heading as the file writes it, else in the file's language."""
        return self.headings.get(column) or self.format.headings[self.language].get(column, "")

    def problem(self, row: int | None, column: str, message: str) -> Problem:
        """A problem at the row and the column's cell (none: of the whole row)."""
        index = self.columns.get(column)
        return Problem(
            message,
            file=self.name,
            row=row,
            column=get_column_letter(index + 1) if index is not None else "",
            field=self.heading(column) if column else "",
        )


@dataclass(frozen=True)
class TableFormat:
    """A kind of table a person uploads (statistics, placements, activities): its columns'
    headings in Swedish, Finnish and English, which of them are required, and how its rows are
    read. The heading row is found within the first `heading_search_rows`; a row of nothing
    but `context` columns (names for the reader) records nothing and is left out."""

    headings: Mapping[str, Mapping[str, str]]  # sv/fi/en → column → heading
    required: tuple[str, ...]
    # The column whose heading tells the file's language; None: the language most of the
    # headings are written in.
    language_from: str | None
    # "Hemma reads … from .xlsx and .csv files, not “%(suffix)s”." in the reader's language.
    refused: Callable[[], str]
    # "No heading row with the columns %(columns)s … in the first %(rows)s rows. …"
    no_heading: Callable[[], str]
    also_read: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other headings
    also_read_language: str = "en"  # the language an `also_read` heading counts as
    context: frozenset[str] = frozenset()
    # Is a row whose known columns are these the heading row? None: it has every required one.
    is_heading_row: Callable[[set[str]], bool] | None = None
    # A check of the heading row beyond the required columns: raises ProblemsFound.
    check_headings: Callable[[Table], None] | None = None
    key: Callable[[str], str] = heading_key
    max_rows: int = 5000
    max_columns: int = 40
    max_text: int = 5000
    heading_search_rows: int = 50

    @cached_property
    def _read_headings(self) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for language, headings in self.headings.items():
            for column, heading in headings.items():
                found.setdefault(self.key(heading), (str(column), language))
        for column, others in self.also_read.items():
            for heading in others:
                found.setdefault(self.key(heading), (str(column), self.also_read_language))
        return found

    def vocabulary(self, language: str | None) -> str:
        """The headings' language for a UI language: sv, fi or en (anything else)."""
        code = (language or "").split("-")[0]
        return code if code in self.headings else "en"

    def column_of(self, value: str | Formula) -> tuple[str, str] | None:
        """The column a heading names, and the language it is written in; None: unknown."""
        if isinstance(value, Formula):
            return None
        return self._read_headings.get(self.key(value))

    def suffix(self, name: str) -> str:
        """The file's suffix, .xlsx or .csv; any other is a problem of the file."""
        suffix = PurePath(name).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ProblemsFound([Problem(self.refused() % {"suffix": suffix or name}, file=name)])
        return suffix

    def read(self, data: bytes, *, name: str) -> Table:
        """The file's rows as text, by column; ProblemsFound if it cannot be read as a table
        of this kind. Problems of single cells (a formula, a text too long) are in
        `problems`, for the plan to report with its own."""

        def read(grid: Grid) -> Table | None:
            return self.read_grid(grid, name=name)

        if self.suffix(name) == ".csv":
            table = csv_table(
                data,
                name=name,
                max_columns=self.max_columns,
                known_columns=self.known_columns,
                read=read,
            )
        else:
            table = xlsx_table(data, name=name, max_columns=self.max_columns, read=read)
        if table is None:
            raise self.missing_heading(name)
        return table

    def read_grid(self, grid: Grid, *, name: str) -> Table | None:
        """The grid's table, or None when it has no heading row of this kind."""
        grid = iter(grid)
        found = self._heading_row(grid)
        if found is None:
            return None
        heading_row, values = found
        columns, headings, language = heading_columns(
            values,
            name=name,
            row=heading_row,
            column_of=self.column_of,
            language_from=self.language_from or "",
        )
        if self.language_from is None:
            language = self._language_of(values)
        table = Table(
            format=self,
            name=name,
            language=language,
            heading_row=heading_row,
            columns=columns,
            headings=headings,
        )
        missing = [table.heading(c) for c in self.required if c not in columns]
        if missing:
            raise missing_columns(missing, name=name, heading_row=heading_row)
        if self.check_headings is not None:
            self.check_headings(table)
        for number, values in grid:
            cells, problems = row_cells(number, values, columns, max_text=self.max_text)
            table.problems.extend(table.problem(number, c, message) for c, message in problems)
            if not any(v for c, v in cells.items() if c not in self.context) and not problems:
                continue  # blank rows, or rows of context only, record nothing
            if len(table.rows) >= self.max_rows:
                raise too_many_rows(self.max_rows, name=name, row=number)
            table.rows.append(FileRow(number, cells))
        return table

    def known_columns(self, grid: Grid) -> int:
        """How many columns of this kind the grid's heading row has (0: none found)."""
        found = self._heading_row(grid)
        return 0 if found is None else len({self.column_of(v) for v in found[1]} - {None})

    def missing_heading(self, name: str) -> ProblemsFound:
        """No heading row of this kind in the file."""
        headings = self.headings[self.vocabulary(get_language())]
        columns = ", ".join(f"“{headings[c]}”" for c in self.required)
        return ProblemsFound(
            [
                Problem(
                    self.no_heading() % {"columns": columns, "rows": self.heading_search_rows},
                    file=name,
                )
            ]
        )

    def _heading_row(self, grid: Grid) -> tuple[int, list[str | Formula]] | None:
        for number, values in grid:
            if number > self.heading_search_rows:
                return None
            found = {known[0] for known in map(self.column_of, values) if known is not None}
            if (
                self.is_heading_row(found)
                if self.is_heading_row is not None
                else set(self.required) <= found
            ):
                return number, values
        return None

    def _language_of(self, values: list[str | Formula]) -> str:
        """The language most of the row's headings are written in (English for codes)."""
        languages = Counter(
            known[1] for known in map(self.column_of, values) if known is not None and known[1]
        )
        return languages.most_common(1)[0][0] if languages else "en"
