"""Spreadsheets from strangers, and spreadsheets for them: safe opening and formula escaping.

Framework-free: errors are raised as `UnsafeWorkbook` with a reason code, and the caller
turns them into translated messages.

Two dangers guide this module:

- An uploaded .xlsx is a zip archive. A few megabytes can unpack to gigabytes (a zip bomb),
  so the archive's table of contents is checked before any XML is parsed.
- A cell whose text starts with `=`, `+`, `-` or `@` is taken as a formula by spreadsheet
  programs (CSV injection, "formula injection"). Hemma never writes such text as a formula:
  in XLSX the cell is typed as a string, in CSV the value gets a leading apostrophe (the
  OWASP rule), which is removed again when the CSV is read back.
"""

import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook.workbook import Workbook

# Limits on what an uploaded workbook may unpack to. Hemma's own export of a large programme
# is well under 1 MB unpacked and compresses about 5–10 times.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 2000
# Small parts compress well (an almost empty sheet), so the ratio is judged on the whole
# archive and on each part large enough to matter.
_RATIO_MIN_BYTES = 1024 * 1024

# The characters that make a spreadsheet program read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")


class UnsafeWorkbook(Exception):
    """The workbook was refused; `reason` says why, `limit` what was exceeded.

    Reasons: "not_zip", "too_many_members", "too_large", "too_compressed", "unreadable".
    """

    def __init__(self, reason: str, limit: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.limit = limit


def check_zip(
    data: bytes,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_COMPRESSION_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse an archive that is not a zip or would unpack to too much, without unpacking it.

    The sizes come from the archive's central directory. A lying directory cannot get past
    this either: Python's zipfile stops reading a member at its declared size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnsafeWorkbook("not_zip") from None
    if len(members) > max_members:
        raise UnsafeWorkbook("too_many_members", max_members)
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise UnsafeWorkbook("too_large", max_uncompressed)
    compressed = sum(m.compress_size for m in members)
    if total > _RATIO_MIN_BYTES and total > max_ratio * max(compressed, 1):
        raise UnsafeWorkbook("too_compressed", max_ratio)
    for member in members:
        if member.file_size > _RATIO_MIN_BYTES and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            raise UnsafeWorkbook("too_compressed", max_ratio)


def open_xlsx(data: bytes) -> Workbook:
    """The workbook, read-only and with formulas as formulas (never their cached values).

    Read-only mode streams the sheets: a sheet whose only cell sits on row 1,000,000 costs a
    tenth of a second, where the normal mode takes over 20 seconds to walk its empty rows.
    Close the workbook after use.
    """
    check_zip(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about every extension it does not support (data validation,
            # conditional formats); they do not matter to reading values.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception:  # any failure to parse a stranger's file is "unreadable"
        raise UnsafeWorkbook("unreadable") from None


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula; `text` is the formula as written ("=SUM(A1:A3)")."""

    text: str


def sheet_rows(sheet, *, max_col: int) -> Iterator[tuple[int, list[str | Formula]]]:
    """(row number as shown, the first `max_col` cells as text or Formula) for every row.

    Empty cells are "". Numbers are written as a person would (2, not 2.0), dates as ISO.
    """
    # The sheet's stated dimensions may be wrong (some programs never update them): forget
    # them, so that every row the sheet holds is read and no empty tail is made up.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, row in enumerate(sheet.iter_rows(max_col=max_col), start=1):
                yield number, [_cell_value(cell) for cell in row]
    except UnsafeWorkbook:
        raise
    except Exception:  # a damaged sheet shows only while it is streamed
        raise UnsafeWorkbook("unreadable") from None


def _cell_value(cell) -> str | Formula:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(getattr(value, "text", None) or value))
    return cell_text(value)


def cell_text(value) -> str:
    """A cell's value as text: "" for empty, 2 for 2.0, 2024-05-01 for a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def write_text(cell, text: str) -> None:
    """Write `text` into an openpyxl cell as a string, never as a formula.

    openpyxl takes any text starting with "=" for a formula; forcing the data type to
    string makes it a plain text cell that Excel and LibreOffice show as written.
    Characters that XML cannot hold (control characters) are dropped.
    """
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def escape_csv(text: str) -> str:
    """The CSV value for `text`: a leading ' when a spreadsheet could take it for a formula.

    Text that already starts with apostrophes before such a character gets one more, so that
    `unescape_csv` gives back exactly what was written.
    """
    return "'" + text if _ESCAPED.match(text) else text


def unescape_csv(value: str) -> str:
    """The text of a CSV value written by `escape_csv` (or by hand, the same way)."""
    if value.startswith("'") and _ESCAPED.match(value):
        return value[1:]
    return value
