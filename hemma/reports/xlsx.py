"""The report as a workbook: the figures to work on.

Three sheets: "Summary" first, saying what the workbook is (programme, place, period, the
date, "Preliminary: not approved" where the period's round is not approved, and the notices
the title page of the PDF and the Word document carry: demo data, an unofficial translation,
the suppression of small counts) above the status by theme and place, with what the region's
column is below it; "Values", one row per indicator, place and period (numbers as
numbers; a value hidden as a small count of people is left empty and marked in its own
column); and "Programme", the programme table with each action's status. "Values" and
"Programme" have their header in the first row, frozen, so that they filter and pivot as
they are. Every text is written as text, never as a formula (hemma.lib.spreadsheets.write_text).
"""

import io
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hemma.followup.statuses import REGION_COLUMN_NOTE, Rolled
from hemma.lib.spreadsheets import write_text
from hemma.reports.data import Report

Cell = str | int | float | None


def xlsx_write(report: Report) -> bytes:
    """The workbook of `report`. Call it with the report's language active."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook has its sheet
    summary.title = _("Summary")
    _summary(summary, report)
    _values(workbook.create_sheet(_("Values")), report)
    _programme(workbook.create_sheet(_("Programme")), report)
    workbook.properties.title = report.programme_title
    workbook.properties.subject = report.scope
    workbook.properties.language = report.language
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _sheet(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[int],
    *,
    first: int = 1,
) -> None:
    """The headers in row `first` (frozen, filtered), then the rows."""
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=first, column=column)
        write_text(cell, text)
        cell.font = Font(bold=True)
    for index, values in enumerate(rows, start=first + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=index, column=column)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{first + 1}"
    last = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A{first}:{last}{first + max(len(rows), 1)}"


def _values(sheet: Worksheet, report: Report) -> None:
    rows: list[list[Cell]] = []
    for theme in report.themes:
        for goal in theme.goals:
            for action in goal.actions:
                for part in action.indicators:
                    for line in part.history:
                        for value in line.values:
                            rows.append(
                                [
                                    theme.title,
                                    goal.title,
                                    action.title,
                                    part.name,
                                    part.key,
                                    line.place.municipality.code if line.place.municipality else "",
                                    line.place.label,
                                    value.period.code,
                                    value.number,
                                    value.participants,
                                    value.text,
                                    _("suppressed") if value.suppressed else "",
                                    part.unit,
                                    value.status_label,
                                    part.target,
                                    value.comment,
                                ]
                            )
    _sheet(
        sheet,
        [
            _("Theme"),
            _("Goal"),
            _("Action"),
            _("Indicator"),
            _("Indicator key"),
            _("Municipality code"),
            _("Place"),
            _("Period"),
            _("Value"),
            _("Participants"),
            _("Value in words"),
            _("Suppressed"),
            _("Unit"),
            _("Status"),
            _("Target"),
            _("Comment"),
        ],
        rows,
        [24, 24, 36, 30, 18, 10, 18, 8, 10, 10, 22, 11, 14, 12, 16, 40],
    )


def _status(rolled: Rolled) -> str:
    if not rolled.followed_up:
        return "—"
    if rolled.judged:
        return f"{rolled.status_label} ({rolled.met}/{rolled.judged})"
    return rolled.status_label


def _programme(sheet: Worksheet, report: Report) -> None:
    rows: list[list[Cell]] = []
    for theme in report.themes:
        for goal in theme.goals:
            for action in goal.actions:
                rows.append(
                    [
                        theme.title,
                        goal.title,
                        action.title,
                        "\n".join([action.responsible, *action.units]),
                        action.partners,
                        action.followup,
                        *[_status(each.rolled) for each in action.statuses],
                    ]
                )
    _sheet(
        sheet,
        [
            _("Theme"),
            _("Goal"),
            _("Action"),
            _("Responsible"),
            _("Partners"),
            _("Follow-up"),
            *[p.label for p in report.places],
        ],
        rows,
        [24, 24, 40, 24, 24, 36, *[14 for _p in report.places]],
    )


def _summary(sheet: Worksheet, report: Report) -> None:
    about = [
        report.programme_title,
        report.scope,
        _("Follow-up report %(period)s") % {"period": report.period},
        _("Made on %(date)s") % {"date": date_format(report.made_on)},
    ]
    if not report.approved:
        about.append(_("Preliminary: not approved"))
    if report.demo:
        about.append(_("Demo data: the values are made up to show the follow-up."))
    if report.translation_note:
        about.append(report.translation_note)
    about.append(report.suppression_note)
    for row, text in enumerate(about, start=1):
        write_text(sheet.cell(row=row, column=1), text)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    first = len(about) + 2
    _sheet(
        sheet,
        [_("Theme and goal"), *[p.label for p in report.places]],
        [[line.title, *[_status(c) for c in line.cells]] for line in report.matrix],
        [40, *[16 for _p in report.places]],
        first=first,
    )
    # Every report has the region's column (hemma/reports/data.py), so every summary says it.
    write_text(sheet.cell(row=first + len(report.matrix) + 2, column=1), str(REGION_COLUMN_NOTE))
