"""Files of friend persons: the list as XLSX or CSV, and everything about one person (GDPR
art. 15, `hemma.volunteers.services.volunteer_export`) as a readable workbook.

Cells are text, numbers or dates, never formulas (hemma/lib/spreadsheets.py).
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hemma.lib import spreadsheets
from hemma.lib.languages import language_name
from hemma.volunteers.models import Volunteer, VolunteerRead

Row = list[Any]


def list_columns() -> list[str]:
    return [
        _("Name"),
        _("E-mail"),
        _("Phone"),
        _("Municipality"),
        _("Languages spoken"),
        _("Consent given on"),
        _("Recruited on"),
        _("Training completed on"),
        _("Active periods"),
        _("Matches"),
        _("People in the households"),
        _("Note"),
        _("Code"),
    ]


def _range_text(starts_on: datetime.date, ends_on: datetime.date | None) -> str:
    return f"{starts_on.isoformat()}–{ends_on.isoformat() if ends_on else ''}"


def list_row(volunteer: Volunteer) -> Row:
    """One friend person's cells (periods and matches prefetched)."""
    matches = list(volunteer.matches.all())
    return [
        volunteer.name,
        volunteer.email,
        volunteer.phone,
        str(volunteer.municipality),
        ", ".join(language_name(code) for code in volunteer.languages or []),
        volunteer.consent_on,
        volunteer.recruited_on,
        volunteer.training_completed_on,
        "; ".join(_range_text(p.starts_on, p.ends_on) for p in volunteer.periods.all()),
        len(matches),
        sum(m.household_size for m in matches),
        volunteer.note,
        str(volunteer.code),
    ]


def _write_sheet(sheet, headings: list[str], rows: Iterable[Row]) -> None:
    bold = Font(bold=True)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, heading)
        cell.font = bold
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, str):
                spreadsheets.write_text(cell, value)
            elif isinstance(value, datetime.datetime):
                # A workbook knows no time zones: the moment as a clock here shows it.
                if timezone.is_aware(value):
                    value = timezone.localtime(value)
                cell.value = value.replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
    sheet.freeze_panes = "A2"


def _saved(workbook: Workbook) -> bytes:
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def list_xlsx(rows: list[Row]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Friend persons")[:31]
    _write_sheet(sheet, list_columns(), rows)
    return _saved(workbook)


def list_csv(rows: list[Row]) -> bytes:
    """For Excel in Finland and Sweden, as the other lists: UTF-8 with a byte order mark, ";"
    between values; text a spreadsheet could take for a formula gets a leading apostrophe."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(list_columns())
    for row in rows:
        writer.writerow(
            [
                ""
                if value is None
                else value.isoformat()
                if isinstance(value, datetime.date)
                else str(value)
                if isinstance(value, int)
                else spreadsheets.escape_csv(str(value))
                for value in row
            ]
        )
    return stream.getvalue().encode("utf-8-sig")


# -- everything about one person (art. 15) -----------------------------------------------------


def export_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")


def _date(value: str | None) -> datetime.date | datetime.datetime | str | None:
    """An ISO date or moment of the export as a cell's date (the text if it is neither)."""
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def export_xlsx(export: dict[str, Any]) -> bytes:
    """`volunteer_export`'s content as a workbook a person reads: the record (a field a row),
    the active periods, the matches, the changes and the reads, a sheet each."""
    person = export["friend_person"]
    ways = dict(VolunteerRead.Way.choices)
    workbook = Workbook()
    record = workbook.active
    record.title = _("Friend person")[:31]
    facts: list[Row] = [
        [_("Code"), person["code"]],
        [_("Name"), person["name"]],
        [_("E-mail"), person["email"]],
        [_("Phone"), person["phone"]],
        [_("Municipality"), f"{person['municipality_name']} ({person['municipality']})"],
        [
            _("Languages spoken"),
            ", ".join(language_name(code) for code in person["languages"]),
        ],
        [_("Note"), person["note"]],
        [_("Consent given on"), _date(person["consent_on"])],
        [_("Recruited on"), _date(person["recruited_on"])],
        [_("Training completed on"), _date(person["training_completed_on"])],
        [_("Made anonymous at"), _date(person["anonymised_at"])],
        [_("Recorded by"), person["recorded_by"]],
        [_("Recorded at"), _date(person["created_at"])],
        [_("Last changed at"), _date(person["updated_at"])],
        [_("Exported at"), _date(export["exported_at"])],
        [_("Exported by"), export["exported_by"]],
    ]
    _write_sheet(record, [_("Field"), _("Value")], facts)
    record.column_dimensions["A"].width = 24
    record.column_dimensions["B"].width = 48
    _write_sheet(
        workbook.create_sheet(_("Active periods")[:31]),
        [_("Active from"), _("Active until")],
        ([_date(p["starts_on"]), _date(p["ends_on"])] for p in export["active_periods"]),
    )
    _write_sheet(
        workbook.create_sheet(_("Matches")[:31]),
        [_("Household reference"), _("Household size"), _("Matched on"), _("Ended on")],
        (
            [
                m["household_reference"],
                m["household_size"],
                _date(m["starts_on"]),
                _date(m["ends_on"]),
            ]
            for m in export["matches"]
        ),
    )
    _write_sheet(
        workbook.create_sheet(_("Changes")[:31]),
        [_("When"), _("Who"), _("What"), _("Field"), _("Before"), _("After")],
        (
            [_date(event["at"]), event["by"], event["verb"], name, _plain(old), _plain(new)]
            for event in export["changes"]
            for name, (old, new) in (event["changes"] or {"": [None, None]}).items()
        ),
    )
    _write_sheet(
        workbook.create_sheet(_("Reads")[:31]),
        [_("When"), _("Who"), _("How")],
        (
            [_date(read["at"]), read["by"], str(ways.get(read["way"], read["way"]))]
            for read in export["reads"]
        ),
    )
    return _saved(workbook)
