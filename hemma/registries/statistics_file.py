"""The statistics file: service statistics as a sheet (XLSX) or CSV, to fill in and upload.

One row per municipality and period, with a column per measure, as the national reports give
them (a municipality's figures of a year side by side): docs/registries.md, "The statistics
file". Headings are read in Swedish, Finnish or English (or as the measures' codes) and
written in the user's language. The municipality's name is there for the reader and ignored.
An empty measure cell records nothing (and removes nothing); source and note apply to every
measure of their row, and an empty source or note cell keeps each measure's stored one (the
export leaves the cell empty when a row's measures have different sources or notes, so that it
reads back unchanged).

- `read_statistics_file` turns bytes into rows of cell texts (hemma.lib.table_files: zip
  bombs, UTF-8, delimiters, formulas, row limits);
- `statistics_plan` compares them with the stored statistics: the changes old → new, the
  items for `statistics_record_many`, and every problem by row and column;
- `statistics_import` records a plan through `statistics_record_many`, all or nothing (or, as
  a dry run for the preview, checks it and keeps nothing);
- `statistics_xlsx` and `statistics_csv` write statistics in the same format (the export of
  the list, and a file to start from).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hemma.lib import periods, spreadsheets, table_files
from hemma.lib.problems import Problem, ProblemsFound, grouped_by_rows
from hemma.lib.table_files import Table
from hemma.organisations.models import Municipality, Region
from hemma.registries import policies
from hemma.registries.models import ServiceStatistic
from hemma.registries.services import clean_statistic_value, statistics_record_many

Measure = ServiceStatistic.Measure

# The columns, in the order Hemma writes them.
MEASURES = tuple(Measure.values)
COLUMNS = ("municipality_code", "municipality", "period", *MEASURES, "source", "note")
CONTEXT_COLUMNS = frozenset({"municipality"})
REQUIRED_COLUMNS = ("municipality_code", "period")

HEADINGS = {
    "sv": {
        "municipality_code": "Kommunkod",
        "municipality": "Kommun",
        "period": "Period",
        Measure.INITIAL_ASSESSMENTS: "Inledande kartläggningar",
        Measure.INTEGRATION_PLANS: "Integrationsplaner",
        Measure.PLANS_REVIEWED: "Granskade integrationsplaner",
        Measure.DIRECTED_IN_SIX_MONTHS: "Hänvisade till tjänst inom sex månader",
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: "Mediantid till kartläggning (dagar)",
        Measure.INTERPRETED_MEETINGS: "Tolkade möten",
        "source": "Källa",
        "note": "Anteckning",
    },
    "fi": {
        "municipality_code": "Kuntakoodi",
        "municipality": "Kunta",
        "period": "Jakso",
        Measure.INITIAL_ASSESSMENTS: "Alkukartoitukset",
        Measure.INTEGRATION_PLANS: "Kotoutumissuunnitelmat",
        Measure.PLANS_REVIEWED: "Tarkistetut kotoutumissuunnitelmat",
        Measure.DIRECTED_IN_SIX_MONTHS: "Palveluun ohjatut kuuden kuukauden kuluessa",
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: "Mediaaniaika alkukartoitukseen (päivää)",
        Measure.INTERPRETED_MEETINGS: "Tulkatut tapaamiset",
        "source": "Lähde",
        "note": "Huomautus",
    },
    "en": {
        "municipality_code": "Municipality code",
        "municipality": "Municipality",
        "period": "Period",
        Measure.INITIAL_ASSESSMENTS: "Initial assessments",
        Measure.INTEGRATION_PLANS: "Integration plans",
        Measure.PLANS_REVIEWED: "Plans reviewed",
        Measure.DIRECTED_IN_SIX_MONTHS: "Directed to a service within six months",
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: "Median days to assessment",
        Measure.INTERPRETED_MEETINGS: "Interpreter-assisted meetings",
        "source": "Source",
        "note": "Note",
    },
}
# Other headings read as the same column (compared case-insensitively, spaces collapsed).
_ALSO_READ = {
    "municipality_code": ("Kod", "Koodi", "Code", "Kommunnummer", "Kuntanumero"),
    "period": ("År", "Vuosi", "Year", "Kausi"),
    "note": ("Kommentar", "Kommentti", "Comment"),
    **{measure: (measure,) for measure in MEASURES},
}
SHEET_NAMES = {"sv": "Statistik", "fi": "Tilastot", "en": "Statistics"}

MAX_PROBLEMS = 200


def measures_of(table: Table) -> list[str]:
    """The measures the file has a column for, in Hemma's order."""
    return [m for m in MEASURES if table.has(m)]


def _check_measures(table: Table) -> None:
    if not measures_of(table):
        raise ProblemsFound(
            [
                Problem(
                    _("The heading row has no column of a measure, such as “%(example)s”.")
                    % {"example": HEADINGS[table.language][Measure.INTEGRATION_PLANS]},
                    file=table.name,
                    row=table.heading_row,
                )
            ]
        )


FORMAT = table_files.TableFormat(
    headings=HEADINGS,
    required=REQUIRED_COLUMNS,
    language_from="municipality_code",
    refused=lambda: _("Hemma reads statistics from .xlsx and .csv files, not “%(suffix)s”."),
    no_heading=lambda: _(
        "No heading row with the columns %(columns)s (or their Swedish, Finnish or "
        "English names) was found in the first %(rows)s rows. Start from a "
        "statistics file downloaded from Hemma."
    ),
    also_read=_ALSO_READ,
    context=CONTEXT_COLUMNS,
    check_headings=_check_measures,
)
vocabulary = FORMAT.vocabulary


def read_statistics_file(data: bytes, *, name: str) -> Table:
    """The file's rows as text, by column; ProblemsFound if it cannot be read as a table.
    Problems of single cells (a formula, a text too long) are in `problems`."""
    return FORMAT.read(data, name=name)


# -- the plan ----------------------------------------------------------------------------------


@dataclass
class Change:
    row: int
    municipality: Municipality
    period: str
    measure: str
    old: Decimal | None  # None: a first statistic
    new: Decimal
    old_source: str = ""
    source: str = ""
    old_note: str = ""
    note: str = ""

    @property
    def measure_label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def figure_changed(self) -> bool:
        return self.old is not None and self.old != self.new

    @property
    def source_changed(self) -> bool:
        return self.old is not None and self.old_source != self.source

    @property
    def note_changed(self) -> bool:
        return self.old is not None and self.old_note != self.note


@dataclass
class Plan:
    rows: int = 0  # rows read (blank rows left out)
    changes: list[Change] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)  # for statistics_record_many
    item_cells: list[tuple[int, str]] = field(default_factory=list)  # each item's row, column
    unchanged: int = 0  # measures the same as stored
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        """First figures of their municipality, period and measure."""
        return sum(1 for change in self.changes if change.added)

    @property
    def figures_changed(self) -> int:
        return sum(1 for change in self.changes if change.figure_changed)

    @property
    def details_changed(self) -> int:
        """Stored figures that stay, with another source or note."""
        return sum(1 for c in self.changes if not c.added and not c.figure_changed)


_FORMULA_TEXT = re.compile(r"^\s*=")


def statistics_plan(data: bytes, *, name: str, region: Region, user) -> Plan:
    """What the file would record, and every problem found by row and column (nothing is
    recorded). The caller has checked the user may see `region`; a row for a municipality
    they may not record for is a problem of its own."""
    table = read_statistics_file(data, name=name)
    return _plan(table, region=region, user=user)


def _plan(table: Table, *, region: Region, user) -> Plan:
    plan = Plan(rows=len(table.rows), problems=list(table.problems))
    bad_rows = {p.row for p in table.problems}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    codes = {periods_code(r.text("period")) for r in table.rows} - {None}
    stored = {
        (s.municipality_id, s.period, s.measure): s
        for s in ServiceStatistic.objects.filter(region=region, period__in=codes)
    }
    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, str], int] = {}
    for row in table.rows:
        problems: list[Problem] = []
        code = table_files.official_code(row.text("municipality_code"))
        municipality = municipalities.get(code)
        if not code:
            problems.append(
                table.problem(row.number, "municipality_code", _("Give the municipality's code."))
            )
        elif municipality is None:
            problems.append(
                table.problem(
                    row.number,
                    "municipality_code",
                    _("“%(code)s” is not a municipality of the region.") % {"code": code},
                )
            )
        elif municipality.pk not in allowed:
            allowed[municipality.pk] = user is None or policies.can_record_statistic(
                user, region, municipality
            )
        if municipality is not None and not allowed[municipality.pk]:
            problems.append(
                table.problem(
                    row.number,
                    "municipality_code",
                    _("You may not record statistics for %(municipality)s.")
                    % {"municipality": municipality},
                )
            )
        period = periods_code(row.text("period"))
        if not row.text("period"):
            problems.append(table.problem(row.number, "period", _("Give the period.")))
        elif period is None:
            problems.append(
                table.problem(
                    row.number,
                    "period",
                    _(
                        "“%(code)s” is not a period: write a year (2025), a half-year (2025H1) "
                        "or a quarter (2025Q1)."
                    )
                    % {"code": row.text("period")},
                )
            )
        values: dict[str, Decimal] = {}
        for measure in measures_of(table):
            text = row.text(measure)
            if not text:
                continue
            if _FORMULA_TEXT.match(text):
                problems.append(
                    table.problem(
                        row.number,
                        measure,
                        _("The cell holds a formula; Hemma reads values only."),
                    )
                )
                continue
            try:
                values[measure] = clean_statistic_value(text, measure=measure)
            except ValidationError as error:
                problems.append(table.problem(row.number, measure, error.messages[0]))
        if municipality is not None and period is not None:
            key = (municipality.pk, period)
            if key in seen:
                problems.append(
                    table.problem(
                        row.number,
                        "period",
                        _("Row %(row)s gives the same municipality and period.")
                        % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = row.number
        if problems or row.number in bad_rows:
            plan.problems.extend(problems)
            continue
        assert municipality is not None and period is not None
        for measure, value in values.items():
            current = stored.get((municipality.pk, period, measure))
            old_source = current.source if current is not None else ""
            old_note = current.note if current is not None else ""
            # An empty cell (or a file without the column) keeps what is stored.
            source = row.text("source") or old_source
            note = row.text("note") or old_note
            if current is not None and (current.value, old_source, old_note) == (
                value,
                source,
                note,
            ):
                plan.unchanged += 1
                continue
            plan.changes.append(
                Change(
                    row.number,
                    municipality,
                    period,
                    measure,
                    current.value if current is not None else None,
                    value,
                    old_source=old_source,
                    source=source,
                    old_note=old_note,
                    note=note,
                )
            )
            plan.items.append(
                {
                    "municipality": municipality,
                    "period": period,
                    "measure": measure,
                    "value": value,
                    "source": source,
                    "note": note,
                }
            )
            plan.item_cells.append((row.number, measure))
    return plan


def periods_code(text: str) -> str | None:
    """The period's code as stored ("2025"), or None when the text names no period."""
    try:
        return periods.parse(text.strip()).code
    except periods.InvalidPeriod:
        return None


_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(\w+))?")
_COLUMN_OF_FIELD = {"municipality": "municipality_code", "period": "period", "source": "source"}


def _item_problems(found: ProblemsFound, plan: Plan, table: Table) -> list[Problem]:
    """The recording service's problems (by item) by row and column."""
    problems = []
    for problem in found.problems:
        match = _ITEM_PATH.match(problem.path or "")
        if match is None:
            problems.append(Problem(problem.message, file=table.name))
            continue
        row, measure = plan.item_cells[int(match[1])]
        name = match[2] or problem.field
        column = _COLUMN_OF_FIELD.get(name, "note" if name == "note" else measure)
        problems.append(table.problem(row, column, problem.message))
    return problems


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing it recorded is kept."""


def statistics_import(
    *, actor, region: Region, name: str, data: bytes, dry_run: bool
) -> tuple[Plan, Table]:
    """Read the file and record its changes, all or none; ProblemsFound lists every problem
    by row and column. With `dry_run` (the preview) the changes are recorded and undone, so
    that every check of the recording service is made, and nothing is kept."""
    table = read_statistics_file(data, name=name)
    plan = _plan(table, region=region, user=actor)
    problems = list(plan.problems)
    if plan.items and not problems:
        try:
            with transaction.atomic():
                statistics_record_many(actor=actor, region=region, items=plan.items)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except ProblemsFound as found:
            problems.extend(_item_problems(found, plan, table))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        raise ProblemsFound(grouped_by_rows(problems)[:MAX_PROBLEMS])
    return plan, table


def read_upload(stream, *, name: str) -> bytes:
    """The uploaded file's bytes, refusing a file over the size limit or of another kind."""
    from hemma.programmes.interchange import reading

    FORMAT.suffix(name)
    return reading.read_bytes(stream, name=name)


# -- writing -----------------------------------------------------------------------------------


def statistics_rows(statistics) -> list[dict[str, str]]:
    """Statistics as the file's rows: one per municipality and period, a cell per measure.
    Full numbers (for the coordinators; a public export would use hemma.lib.suppression).
    The source (note) is the row's when all its measures have the same one; else the cell is
    empty, which keeps each measure's own when the file is read back."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    texts: dict[tuple[str, str], dict[str, set[str]]] = {}
    for statistic in statistics:
        municipality = statistic.municipality
        row = rows.setdefault(
            (municipality.code, statistic.period),
            {
                "municipality_code": municipality.code,
                "municipality": str(municipality),
                "period": statistic.period,
                "source": "",
                "note": "",
            },
        )
        row[statistic.measure] = _number_text(statistic.value)
        found = texts.setdefault(
            (municipality.code, statistic.period), {"source": set(), "note": set()}
        )
        for name in ("source", "note"):
            found[name].add(getattr(statistic, name))
    for key, found in texts.items():
        for name, values in found.items():
            rows[key][name] = next(iter(values)) if len(values) == 1 else ""
    return [rows[key] for key in sorted(rows, key=lambda k: (k[1], k[0]))]


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def statistics_xlsx(statistics, *, language: str) -> bytes:
    headings = HEADINGS[vocabulary(language)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[vocabulary(language)]
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, headings[column])
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 12
    for number, row in enumerate(statistics_rows(statistics), start=2):
        for index, column in enumerate(COLUMNS, start=1):
            text = row.get(column, "")
            cell = sheet.cell(row=number, column=index)
            if column in MEASURES and text:
                value = Decimal(text)
                cell.value = int(value) if value == value.to_integral_value() else float(value)
            else:
                spreadsheets.write_text(cell, text)
    sheet.freeze_panes = "D2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def statistics_csv(statistics, *, language: str) -> bytes:
    headings = HEADINGS[vocabulary(language)]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([headings[c] for c in COLUMNS])
    for row in statistics_rows(statistics):
        writer.writerow(
            [
                row.get(c, "").replace(".", ",")
                if c in MEASURES
                else spreadsheets.escape_csv(row.get(c, ""))
                for c in COLUMNS
            ]
        )
    return stream.getvalue().encode("utf-8-sig")
