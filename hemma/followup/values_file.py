"""The values file: indicator values as a sheet (XLSX) or CSV, to download, fill in and upload.

One row per indicator × municipality (or the region as a whole) × period. The columns are in
docs/values-file.md; headings are read in Swedish, Finnish or English and written in the
user's language. Theme, goal, action, indicator name, kind and municipality name are there
for the reader and ignored on upload; the keys, the municipality code and the period say
which value a row is.

Three layers, top to bottom:

- the file (pure): `read_values_file` turns bytes into rows of cell texts, `values_xlsx` and
  `values_csv` turn rows into bytes, with the safety of hemma.lib.spreadsheets (size, zip
  bombs, no formulas in, none out);
- the plan (pure): `plan_values` compares the file's rows with the stored values (`Book`) and
  gives the changes, the items to record and the problems by row and column;
- the import (reads and writes): `values_book` loads what a plan needs, and `values_import`
  records the plan through `measurement_record_many`, all or nothing (or, as a dry run for the
  preview, checks it and saves nothing).
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hemma.followup import policies
from hemma.followup.models import Measurement
from hemma.followup.services import ValueItem, measurement_record_many
from hemma.lib import periods, spreadsheets, table_files
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.lib.problems import Problem, ProblemsFound, grouped_by_rows
from hemma.lib.spreadsheets import Formula
from hemma.lib.table_files import Grid
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.interchange import reading
from hemma.programmes.models import Indicator, Programme

# -- the format ------------------------------------------------------------------------------

# The columns, in the order Hemma writes them.
COLUMNS = (
    "theme",
    "goal",
    "action",
    "action_key",
    "indicator_key",
    "indicator",
    "kind",
    "municipality_code",
    "municipality",
    "period",
    "value",
    "participants",
    "done",
    "done_on",
    "languages",
    "comment",
    "version",
)
# Read for the reader only; ignored on upload.
CONTEXT_COLUMNS = frozenset({"theme", "goal", "action", "indicator", "kind", "municipality"})
REQUIRED_COLUMNS = ("action_key", "indicator_key", "municipality_code", "period")
# The value's fields (hemma.followup.services.VALUE_FIELDS) and the columns that hold them.
FIELD_COLUMNS = {
    "number": "value",
    "participants": "participants",
    "done": "done",
    "done_on": "done_on",
    "languages": "languages",
}
# Where a problem the recording service finds with a field is shown.
_COLUMN_OF_FIELD = {
    **FIELD_COLUMNS,
    "period": "period",
    "municipality": "municipality_code",
    "version": "version",
    "comment": "comment",
}

HEADINGS = {
    "sv": {
        "theme": "Tema",
        "goal": "Mål",
        "action": "Åtgärd",
        "action_key": "Åtgärdens nyckel",
        "indicator_key": "Indikatorns nyckel",
        "indicator": "Indikator",
        "kind": "Typ",
        "municipality_code": "Kommunkod",
        "municipality": "Kommun",
        "period": "Period",
        "value": "Värde",
        "participants": "Deltagare",
        "done": "Gjort",
        "done_on": "Gjort den",
        "languages": "Språk",
        "comment": "Kommentar",
        "version": "Version",
    },
    "fi": {
        "theme": "Teema",
        "goal": "Tavoite",
        "action": "Toimenpide",
        "action_key": "Toimenpiteen avain",
        "indicator_key": "Mittarin avain",
        "indicator": "Mittari",
        "kind": "Tyyppi",
        "municipality_code": "Kuntakoodi",
        "municipality": "Kunta",
        "period": "Jakso",
        "value": "Arvo",
        "participants": "Osallistujat",
        "done": "Tehty",
        "done_on": "Tehty pvm",
        "languages": "Kielet",
        "comment": "Kommentti",
        "version": "Versio",
    },
    "en": {
        "theme": "Theme",
        "goal": "Goal",
        "action": "Action",
        "action_key": "Action key",
        "indicator_key": "Indicator key",
        "indicator": "Indicator",
        "kind": "Kind",
        "municipality_code": "Municipality code",
        "municipality": "Municipality",
        "period": "Period",
        "value": "Value",
        "participants": "Participants",
        "done": "Done",
        "done_on": "Done on",
        "languages": "Languages",
        "comment": "Comment",
        "version": "Version",
    },
}
# Other headings read as the same column (compared case-insensitively, spaces collapsed).
_ALSO_READ = {
    "municipality_code": ("Kod", "Koodi", "Code", "Kommunnummer", "Kuntanumero"),
    "period": ("Kausi", "År", "Vuosi", "Year"),
    "value": ("Antal", "Määrä", "Number"),
    "participants": ("Osallistujia", "Antal deltagare"),
    "done_on": ("Datum", "Päivämäärä", "Tehty päivänä", "Date"),
    "languages": ("Kieli", "Language"),
}
SHEET_NAMES = {"sv": "Värden", "fi": "Arvot", "en": "Values"}

# The words for the region as a whole, in the municipality code column.
REGION = "region"
REGION_WORDS = {"sv": "region", "fi": "alue", "en": "region"}
_REGION_READ = frozenset({"region", "regionen", "alue", "seutu", "koko alue", "hela regionen"})
YES_NO = {"sv": ("ja", "nej"), "fi": ("kyllä", "ei"), "en": ("yes", "no")}
_YES = frozenset({"ja", "j", "kyllä", "k", "yes", "y", "true", "sant", "tosi", "1", "x"})
_NO = frozenset({"nej", "n", "ei", "e", "no", "false", "falskt", "epätosi", "0"})
# A deliverable's languages: none delivered (an empty list), as written in a cell.
NO_LANGUAGES = "-"
_NO_LANGUAGES_READ = frozenset({"-", "–", "—"})

MAX_ROWS = 10000  # value rows in one file
HEADING_SEARCH_ROWS = 50
MAX_COLUMNS = 60
MAX_TEXT = 5000
MAX_PROBLEMS = 200
SUFFIXES = (".xlsx", ".csv")

_WIDTHS = {
    "theme": 24,
    "goal": 28,
    "action": 40,
    "action_key": 20,
    "indicator_key": 20,
    "indicator": 34,
    "kind": 18,
    "municipality_code": 12,
    "municipality": 16,
    "period": 11,
    "value": 10,
    "participants": 12,
    "done": 8,
    "done_on": 12,
    "languages": 14,
    "comment": 40,
    "version": 9,
}


def vocabulary(language: str | None) -> str:
    """The headings' language for a UI language: sv, fi or en (anything else)."""
    code = (language or "").split("-")[0]
    return code if code in HEADINGS else "en"


def _heading_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _read_headings() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for language, headings in HEADINGS.items():
        for column, heading in headings.items():
            found.setdefault(_heading_key(heading), (column, language))
    for column, others in _ALSO_READ.items():
        for heading in others:
            found.setdefault(_heading_key(heading), (column, "en"))
    return found


_READ_HEADINGS = _read_headings()


# -- reading the file (pure) -----------------------------------------------------------------


@dataclass
class FileRow:
    number: int  # as the spreadsheet shows it
    cells: dict[str, str]  # column → text, trimmed

    def text(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class ValuesTable:
    name: str
    language: str  # of the headings
    heading_row: int
    columns: dict[str, int]  # column → index from the left (0-based)
    headings: dict[str, str]  # column → heading as written in the file
    rows: list[FileRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def heading(self, column: str) -> str:
        return self.headings.get(column) or HEADINGS[self.language][column]

    def problem(self, row: int | None, column: str, message: str) -> Problem:
        index = self.columns.get(column)
        return Problem(
            message,
            file=self.name,
            row=row,
            column=get_column_letter(index + 1) if index is not None else "",
            field=self.heading(column) if column else "",
        )


def _column_of(value: str | Formula) -> tuple[str, str] | None:
    if isinstance(value, Formula):
        return None
    return _READ_HEADINGS.get(_heading_key(value))


def _heading_row(grid: Grid) -> tuple[int, list[str | Formula]] | None:
    """The first row (within HEADING_SEARCH_ROWS) that has the indicator key column."""
    for number, values in grid:
        if number > HEADING_SEARCH_ROWS:
            return None
        if any((_column_of(v) or ("",))[0] == "indicator_key" for v in values):
            return number, values
    return None


def _read_grid(grid: Grid, *, name: str) -> ValuesTable | None:
    grid = iter(grid)
    found = _heading_row(grid)
    if found is None:
        return None
    heading_row, values = found
    columns, headings, language = table_files.heading_columns(
        values, name=name, row=heading_row, column_of=_column_of, language_from="indicator_key"
    )
    table = ValuesTable(
        name=name, language=language, heading_row=heading_row, columns=columns, headings=headings
    )
    missing = [table.heading(c) for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise table_files.missing_columns(missing, name=name, heading_row=heading_row)
    for number, values in grid:
        cells, problems = table_files.row_cells(number, values, columns, max_text=MAX_TEXT)
        table.problems.extend(table.problem(number, c, message) for c, message in problems)
        if not any(v for c, v in cells.items() if c not in CONTEXT_COLUMNS):
            continue  # blank rows, or rows of context only, record nothing
        if len(table.rows) >= MAX_ROWS:
            raise table_files.too_many_rows(MAX_ROWS, name=name, row=number)
        table.rows.append(FileRow(number, cells))
    return table


def _missing_heading(name: str) -> ProblemsFound:
    headings = HEADINGS[vocabulary(get_language())]
    columns = ", ".join(f"“{headings[c]}”" for c in REQUIRED_COLUMNS)
    return ProblemsFound(
        [
            Problem(
                _(
                    "No heading row with the columns %(columns)s (or their Swedish, Finnish or "
                    "English names) was found in the first %(rows)s rows. Start from a values "
                    "sheet downloaded from Hemma."
                )
                % {"columns": columns, "rows": HEADING_SEARCH_ROWS},
                file=name,
            )
        ]
    )


def _xlsx_table(data: bytes, *, name: str) -> ValuesTable:
    table = table_files.xlsx_table(
        data, name=name, max_columns=MAX_COLUMNS, read=lambda grid: _read_grid(grid, name=name)
    )
    if table is None:
        raise _missing_heading(name)
    return table


def _known_columns(grid: Grid) -> int:
    found = _heading_row(grid)
    return 0 if found is None else len({_column_of(v) for v in found[1]} - {None})


def _csv_table(data: bytes, *, name: str) -> ValuesTable:
    table = table_files.csv_table(
        data,
        name=name,
        max_columns=MAX_COLUMNS,
        known_columns=_known_columns,
        read=lambda grid: _read_grid(grid, name=name),
    )
    if table is None:
        raise _missing_heading(name)
    return table


def suffix_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ProblemsFound(
            [
                Problem(
                    _("Hemma reads values from .xlsx and .csv files, not “%(suffix)s”.")
                    % {"suffix": suffix or name},
                    file=name,
                )
            ]
        )
    return suffix


def read_values_file(data: bytes, *, name: str) -> ValuesTable:
    """The file's rows as text, by column; ProblemsFound if it cannot be read as a table.

    Problems of single cells (a formula, a text too long) are in `problems`, for the plan to
    report with its own.
    """
    if suffix_of(name) == ".csv":
        return _csv_table(data, name=name)
    return _xlsx_table(data, name=name)


# -- cells as values (pure) ------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    """A number as people write it: 12, 12.5, 12,5, 1 200 (spaces between thousands)."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".").replace("−", "-")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if not number.is_finite():
        raise CellError(_("“%(text)s” is not a number.") % {"text": text})
    return number


def parse_done(text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(
        _("“%(text)s” is neither yes nor no: write yes or no (ja or nej, kyllä or ei).")
        % {"text": text}
    )


def parse_date(text: str) -> datetime.date:
    """ISO (2024-05-31, also with a time after it, as Excel's dates read) or 31.5.2024."""
    value = text.strip()
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if match:
        try:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            pass
    raise CellError(
        _("“%(text)s” is not a date: write it as 2024-05-31 (or 31.5.2024).") % {"text": text}
    )


def parse_languages(text: str) -> list[str]:
    """Language codes separated by commas, semicolons or spaces; "-" for none."""
    if text.strip() in _NO_LANGUAGES_READ:
        return []
    return [code.casefold() for code in re.split(r"[\s,;]+", text.strip()) if code]


def parse_version(text: str) -> int:
    try:
        number = parse_number(text)
    except CellError:
        number = None
    if number is None or number != number.to_integral_value() or number < 0:
        raise CellError(
            _("“%(text)s” is not a version: leave the number the sheet was made with.")
            % {"text": text}
        )
    return int(number)


def parse_period(text: str) -> str:
    """The period code as stored (2024, 2024H1, 2024Q3, 2023-2025), also from 2024h1, 2023–2025."""
    code = text.strip().upper().replace("–", "-").replace("—", "-")
    try:
        return periods.parse(code).code
    except periods.InvalidPeriod:
        return code  # the recording service says what is wrong with it


def municipality_code(text: str) -> str | None:
    """The official code (three digits, "49" read as "049"), or None for the region."""
    if text.strip().casefold() in _REGION_READ:
        return None
    return table_files.official_code(text)


# -- cells as written (pure) ------------------------------------------------------------------


def number_text(number: Decimal | int | None, *, decimal_comma: bool = False) -> str:
    if number is None:
        return ""
    text = format(Decimal(number).normalize(), "f")
    return text.replace(".", ",") if decimal_comma else text


def done_text(done: bool | None, language: str) -> str:
    if done is None:
        return ""
    yes, no = YES_NO[vocabulary(language)]
    return yes if done else no


def languages_text(codes: list[str] | None, *, deliverable: bool) -> str:
    if not codes:
        return NO_LANGUAGES if deliverable and codes is not None else ""
    return ", ".join(codes)


# -- the programme's values (read from the database) -----------------------------------------


@dataclass
class Book:
    """What a values file is read against and written from: one programme's indicators,
    municipalities and stored values (of the periods asked for).
    """

    programme: Programme
    indicators: list[Indicator]  # in the programme's order, with action, goal and theme
    municipalities: list[Municipality]  # by code
    stored: dict[tuple[int, str | None, str], Measurement]  # (indicator, code, period)

    @property
    def indicator_by_keys(self) -> dict[tuple[str, str], Indicator]:
        return {(i.action.key, i.key): i for i in self.indicators}

    @property
    def municipality_by_code(self) -> dict[str, Municipality]:
        return {m.code: m for m in self.municipalities}

    def value(
        self, indicator: Indicator, municipality: Municipality | None, period: str
    ) -> Measurement | None:
        code = municipality.code if municipality is not None else None
        return self.stored.get((indicator.pk, code, period))


def values_book(
    *,
    programme: Programme,
    period_codes: Iterable[str] | None = None,
    municipalities: list[Municipality] | None = None,
) -> Book:
    """The programme's indicators, municipalities and values of `period_codes` (None: all),
    in three queries whatever their number (two when the caller has the municipalities).
    The caller has checked the user may see the programme.
    """
    indicators = list(
        Indicator.objects.filter(action__programme=programme)
        .select_related("action__goal__theme")
        .order_by(
            "action__goal__theme__position",
            "action__goal__theme_id",
            "action__goal__position",
            "action__goal_id",
            "action__position",
            "action_id",
            "position",
            "id",
        )
    )
    if municipalities is None:
        municipalities = list(programme.municipalities.order_by("code"))
    values = Measurement.objects.filter(indicator__action__programme=programme).select_related(
        "municipality"
    )
    if period_codes is not None:
        values = values.filter(period__in=set(period_codes))
    stored = {
        (m.indicator_id, m.municipality.code if m.municipality else None, m.period): m
        for m in values
    }
    return Book(programme, indicators, municipalities, stored)


# -- writing a file (pure, from a book) ------------------------------------------------------


def periods_within(indicator: Indicator, period: periods.Period, programme: Programme) -> list[str]:
    """The periods of `indicator`'s kind that a sheet for `period` holds.

    Those that lie within `period` (a year holds its half-years and quarters), or the one
    period of the indicator's kind that holds `period` (a multi-year period holds its years).
    """
    kind = indicator.period
    years = range(programme.period_start, programme.period_end + 1)
    if kind == Indicator.Period.YEAR:
        codes = [str(y) for y in years]
    elif kind == Indicator.Period.HALF_YEAR:
        codes = [f"{y}H{h}" for y in years for h in (1, 2)]
    elif kind == Indicator.Period.QUARTER:
        codes = [f"{y}Q{q}" for y in years for q in (1, 2, 3, 4)]
    elif programme.period_end > programme.period_start:
        codes = [f"{programme.period_start}-{programme.period_end}"]
    else:
        codes = []
    found = []
    for code in codes:
        other = periods.parse(code)
        inside = period.start <= other.start and other.end <= period.end
        holds = other.start <= period.start and period.end <= other.end
        if inside or (holds and kind == Indicator.Period.MULTI_YEAR):
            found.append(code)
    return found


def period_codes_within(programme: Programme, period: periods.Period) -> set[str]:
    """Every period code a sheet for `period` may hold, whatever the indicators' kinds."""
    return {
        code
        for kind in Indicator.Period.values
        for code in periods_within(Indicator(period=kind), period, programme)
    }


@dataclass
class SheetRow:
    """A row as written: column → value (str, Decimal, int, date or None)."""

    cells: dict[str, Any]


def sheet_rows(
    book: Book, *, period: periods.Period, places: list[Municipality | None], language: str
) -> list[SheetRow]:
    """The rows of a sheet for `period` and `places` (None: the region), place by place."""
    content = book.programme.language
    rows = []
    for place in places:
        for indicator in book.indicators:
            if place is not None and indicator.scope == Indicator.Scope.REGION:
                continue  # a joint action's indicator has the region's value only
            action = indicator.action
            kind = Indicator.Kind(indicator.kind)
            for code in periods_within(indicator, period, book.programme):
                value = book.value(indicator, place, code)
                deliverable = kind == Indicator.Kind.DELIVERABLE_LANGUAGES
                cells: dict[str, Any] = {
                    "theme": pick(action.goal.theme.title, language, content),
                    "goal": pick(action.goal.title, language, content),
                    "action": pick(action.title, language, content),
                    "action_key": action.key,
                    "indicator_key": indicator.key,
                    "indicator": pick(indicator.name, language, content),
                    "kind": str(kind.label),
                    "municipality_code": (
                        place.code if place is not None else REGION_WORDS[vocabulary(language)]
                    ),
                    "municipality": (
                        pick(place.name, language, "sv")
                        if place is not None
                        else pick(book.programme.region.name, language, "sv")
                    ),
                    "period": code,
                }
                if value is not None:
                    cells.update(
                        {
                            "value": value.number,
                            "participants": value.participants,
                            "done": done_text(value.done, language),
                            "done_on": value.done_on,
                            "languages": languages_text(value.languages, deliverable=deliverable),
                            "comment": value.comment,
                            "version": value.version,
                        }
                    )
                rows.append(SheetRow(cells))
    return rows


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def values_xlsx(rows: list[SheetRow], *, language: str) -> bytes:
    """The sheet: text as text (never a formula), numbers as numbers, dates as dates."""
    words = vocabulary(language)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[words]
    bold = Font(bold=True)
    context_fill = PatternFill("solid", fgColor="EEEEEE")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, HEADINGS[words][column])
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            value = row.cells.get(column)
            if column in CONTEXT_COLUMNS:
                cell.fill = context_fill  # what is only to read looks different
            if value is None or value == "":
                if column not in ("value", "participants", "done_on", "version"):
                    cell.number_format = "@"  # what is typed there stays text
                continue
            if isinstance(value, str):
                spreadsheets.write_text(cell, value)
                cell.number_format = "@"
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = _xlsx_value(value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def values_csv(rows: list[SheetRow], *, language: str) -> bytes:
    """The sheet as CSV for Excel in Finland and Sweden: UTF-8 with a byte order mark, ";"
    between values, numbers with a decimal comma; text that could be read as a formula gets
    a leading apostrophe (removed again on upload).
    """
    words = vocabulary(language)
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADINGS[words][c] for c in COLUMNS])
    for row in rows:
        out = []
        for column in COLUMNS:
            value = row.cells.get(column)
            if value is None:
                out.append("")
            elif isinstance(value, Decimal):
                out.append(number_text(value, decimal_comma=True))
            elif isinstance(value, datetime.date):
                out.append(value.isoformat())
            elif isinstance(value, int):
                out.append(str(value))
            else:
                out.append(spreadsheets.escape_csv(str(value)))
        writer.writerow(out)
    return stream.getvalue().encode("utf-8-sig")


# -- the plan: what a file would change (pure, from a book) ----------------------------------


@dataclass
class FieldChange:
    column: str  # the column that holds the field (value, participants, …, comment)
    old: str
    new: str


@dataclass
class Change:
    row: int
    indicator: Indicator
    municipality: Municipality | None
    period: str
    new: bool  # a first value (nothing was stored)
    fields: list[FieldChange]


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    items: list[ValueItem] = field(default_factory=list)
    item_rows: list[int] = field(default_factory=list)  # the file's row of each item
    unchanged: int = 0  # rows the same as the stored value
    empty: int = 0  # rows with nothing to record and nothing stored
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Parsed:
    values: dict[str, Any]  # the value's fields (services.VALUE_FIELDS), None when empty
    comment: str
    version: int | None


def _parse_row(row: FileRow, table: ValuesTable) -> tuple[_Parsed | None, list[Problem]]:
    problems = []
    parsers: dict[str, Callable[[str], Any]] = {
        "number": parse_number,
        "participants": parse_number,
        "done": parse_done,
        "done_on": parse_date,
        "languages": parse_languages,
    }
    values: dict[str, Any] = {}
    for name, parse in parsers.items():
        text = row.text(FIELD_COLUMNS[name])
        values[name] = None
        if text:
            try:
                values[name] = parse(text)
            except CellError as error:
                problems.append(table.problem(row.number, FIELD_COLUMNS[name], str(error)))
    version = None
    if row.text("version"):
        try:
            version = parse_version(row.text("version"))
        except CellError as error:
            problems.append(table.problem(row.number, "version", str(error)))
    if problems:
        return None, problems
    return _Parsed(values, row.text("comment"), version or None), []


def _ordered_languages(codes: list[str]) -> list[str]:
    return [code for code in CONTENT_LANGUAGES if code in codes] + sorted(
        {c for c in codes if c not in CONTENT_LANGUAGES}
    )


def _stored_fields(value: Measurement) -> dict[str, Any]:
    return {
        "number": value.number,
        "participants": value.participants,
        "done": value.done,
        "done_on": value.done_on,
        "languages": list(value.languages or []),
    }


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "languages":
        return _ordered_languages(old or []) == _ordered_languages(new or [])
    return old == new


def field_text(name: str, value: Any, *, language: str, deliverable: bool = False) -> str:
    """A field's value as the preview shows it."""
    if name in ("number", "participants"):
        return number_text(value)
    if name == "done":
        return done_text(value, language)
    if name == "done_on":
        return value.isoformat() if value else ""
    if name == "languages":
        return languages_text(value, deliverable=deliverable)
    return value or ""


def value_summary(value: Measurement, indicator: Indicator, *, language: str) -> str:
    """The stored value in a few words, in the preview's and the problems' language."""
    deliverable = indicator.kind == Indicator.Kind.DELIVERABLE_LANGUAGES
    headings = HEADINGS[vocabulary(language)]
    parts = []
    for name, stored in _stored_fields(value).items():
        if stored is None or (name == "languages" and not stored and not deliverable):
            continue
        text = field_text(name, stored, language=language, deliverable=deliverable)
        parts.append(f"{headings[FIELD_COLUMNS[name]]} {text}")
    return ", ".join(parts) or "–"


def _stale_problem(
    table: ValuesTable,
    row: FileRow,
    sheet_version: int | None,
    value: Measurement,
    indicator: Indicator,
    language: str,
) -> Problem:
    who = value.entered_by_name or _("someone")
    when = value.updated_at.date().isoformat() if value.updated_at else "?"
    if sheet_version is None:
        message = _(
            "A value is already recorded here (version %(now)s, saved by %(who)s on %(when)s: "
            "%(value)s), but the row gives no version. Download the sheet again and make your "
            "change there."
        )
    else:
        message = _(
            "This value was changed after the sheet was made: the sheet has version %(sheet)s, "
            "the value is now version %(now)s, saved by %(who)s on %(when)s: %(value)s. "
            "Download the sheet again and make your change there."
        )
    return table.problem(
        row.number,
        "version",
        message
        % {
            "sheet": sheet_version,
            "now": value.version,
            "who": who,
            "when": when,
            "value": value_summary(value, indicator, language=language),
        },
    )


def plan_values(
    table: ValuesTable,
    book: Book,
    *,
    can_record: Callable[[Municipality | None], bool],
    language: str,
) -> Plan:
    """What the file would change, row by row, and every problem found without recording.

    A row identical to the stored value is unchanged; a row with no value given where none
    is stored is empty; both record nothing and need no permission. Every other row becomes
    an item for `measurement_record_many`, whose own checks (the kind's fields, the period,
    locks) are left to it. `can_record(municipality)` says whether the user may record there.
    """
    plan = Plan(problems=list(table.problems))
    bad_rows = {p.row for p in table.problems}
    indicators = book.indicator_by_keys
    action_keys = {key for key, _indicator in indicators}
    municipalities = book.municipality_by_code
    allowed: dict[str | None, bool] = {}
    seen: dict[tuple[int, str | None, str], int] = {}

    for row in table.rows:
        problems: list[Problem] = []
        action_key, indicator_key = row.text("action_key"), row.text("indicator_key")
        indicator = indicators.get((action_key, indicator_key))
        if not action_key:
            problems.append(table.problem(row.number, "action_key", _("Give the action's key.")))
        elif action_key not in action_keys:
            problems.append(
                table.problem(
                    row.number,
                    "action_key",
                    _("The programme has no action with the key “%(key)s”.") % {"key": action_key},
                )
            )
        elif indicator is None:
            problems.append(
                table.problem(
                    row.number,
                    "indicator_key",
                    _("The action “%(action)s” has no indicator with the key “%(key)s”.")
                    % {"action": action_key, "key": indicator_key},
                )
            )
        code = municipality_code(row.text("municipality_code"))
        municipality = None
        if code == "":
            problems.append(
                table.problem(
                    row.number,
                    "municipality_code",
                    _("Give the municipality's code, or “%(region)s” for the region as a whole.")
                    % {"region": REGION_WORDS[table.language]},
                )
            )
        elif code is not None:
            municipality = municipalities.get(code)
            if municipality is None:
                problems.append(
                    table.problem(
                        row.number,
                        "municipality_code",
                        _("“%(code)s” is not one of the programme's municipalities.")
                        % {"code": code},
                    )
                )
        period = parse_period(row.text("period"))
        if not period:
            problems.append(table.problem(row.number, "period", _("Give the period.")))
        parsed, cell_problems = _parse_row(row, table)
        problems.extend(cell_problems)
        if problems or parsed is None or indicator is None or row.number in bad_rows:
            plan.problems.extend(problems)
            continue

        key = (indicator.pk, code, period)
        if key in seen:
            plan.problems.append(
                table.problem(
                    row.number,
                    "period",
                    _("Row %(row)s gives the same indicator, municipality and period.")
                    % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number

        stored = book.value(indicator, municipality, period)
        deliverable = indicator.kind == Indicator.Kind.DELIVERABLE_LANGUAGES
        given = any(v is not None for v in parsed.values.values())
        if stored is None and not given and not parsed.comment:
            plan.empty += 1
            continue
        old = _stored_fields(stored) if stored is not None else {}
        changed = [
            name for name, new in parsed.values.items() if not _same(name, old.get(name), new)
        ]
        comment_changed = parsed.comment != (stored.comment if stored else "")
        if stored is not None and not changed and not comment_changed:
            plan.unchanged += 1
            continue

        if code not in allowed:
            allowed[code] = can_record(municipality)
        if not allowed[code]:
            plan.problems.append(
                table.problem(
                    row.number,
                    "municipality_code",
                    _("You may not record values for %(place)s.")
                    % {
                        "place": municipality
                        if municipality is not None
                        else _("the region as a whole")
                    },
                )
            )
            continue
        if stored is not None and not given:
            plan.problems.append(
                table.problem(
                    row.number,
                    "value",
                    _(
                        "A value is recorded here (%(value)s) and Hemma does not remove values: "
                        "give the value, or leave the row as it was."
                    )
                    % {"value": value_summary(stored, indicator, language=language)},
                )
            )
            continue
        if stored is not None and parsed.version != stored.version:
            plan.problems.append(
                _stale_problem(table, row, parsed.version, stored, indicator, language)
            )
            continue

        fields = [
            FieldChange(
                FIELD_COLUMNS[name],
                field_text(name, old.get(name), language=language, deliverable=deliverable),
                field_text(name, parsed.values[name], language=language, deliverable=deliverable),
            )
            for name in changed
        ]
        if comment_changed:
            fields.append(FieldChange("comment", stored.comment if stored else "", parsed.comment))
        plan.changes.append(
            Change(row.number, indicator, municipality, period, stored is None, fields)
        )
        plan.items.append(
            ValueItem(
                indicator=indicator,
                municipality=municipality,
                period=period,
                values={k: v for k, v in parsed.values.items() if v is not None},
                comment=parsed.comment,
                version=stored.version if stored is not None else None,
            )
        )
        plan.item_rows.append(row.number)
    return plan


_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(\w+))?")


def item_problems(found: ProblemsFound, plan: Plan, table: ValuesTable) -> list[Problem]:
    """The recording service's problems (by item: `items[3].number`) by row and column."""
    problems = []
    for problem in found.problems:
        match = _ITEM_PATH.match(problem.path or "")
        if match is None:
            problems.append(Problem(problem.message, file=table.name))
            continue
        row = plan.item_rows[int(match[1])]
        column = _COLUMN_OF_FIELD.get(match[2] or problem.field or "", "")
        problems.append(table.problem(row, column, problem.message))
    return problems


# -- the import (records) --------------------------------------------------------------------


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing it recorded is kept."""


def values_import(
    *, actor, programme: Programme, name: str, data: bytes, dry_run: bool, language: str = ""
) -> tuple[Plan, ValuesTable]:
    """Read the file and record its changes, all or none; ProblemsFound lists every problem.

    With `dry_run` the changes are recorded and undone (so that every check of the recording
    service is made, locks and kinds included) and nothing is kept: the preview. The caller
    has checked `actor` may see `programme`.
    """
    language = language or get_language() or "en"
    table = read_values_file(data, name=name)
    book = values_book(
        programme=programme, period_codes={parse_period(r.text("period")) for r in table.rows}
    )
    plan = plan_values(
        table,
        book,
        can_record=lambda place: policies.can_record_value(actor, programme, place),
        language=language,
    )
    problems = list(plan.problems)
    if plan.items:
        try:
            with transaction.atomic():
                measurement_record_many(
                    actor=actor, items=plan.items, source=Measurement.Source.FILE
                )
                if dry_run or problems:
                    raise _DryRun
        except _DryRun:
            pass
        except ProblemsFound as found:
            problems.extend(item_problems(found, plan, table))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        # A locked period refuses each row of a sheet alike: said once, for all its rows.
        raise ProblemsFound(grouped_by_rows(problems)[:MAX_PROBLEMS])
    return plan, table


def read_upload(stream, *, name: str) -> bytes:
    """The uploaded file's bytes, refusing a file over the size limit or of another kind."""
    suffix_of(name)
    return reading.read_bytes(stream, name=name)
