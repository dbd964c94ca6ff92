"""The placements file: placements as a sheet (XLSX) or CSV, to fill in and upload.

One row per placement: a municipality, a unit, a kind of place, a period and the number of
people (docs/registries.md, "The placements file"). Headings and kinds are read in Swedish,
Finnish or English (or as the columns' and kinds' codes) and written in the user's language.
The unit is its key or its name; the municipality's and the unit's names beside the codes are
there for the reader. A row for a municipality, unit, kind and period already stored replaces
its number of people; an empty note cell keeps the stored note.

- `read_placements_file` turns bytes into rows of cell texts (hemma.lib.table_files: zip
  bombs, UTF-8, delimiters, formulas, row limits);
- `placements_plan` compares them with the stored placements: the changes old → new, the
  items for `placements_record_many`, and every problem by row and column;
- `placements_import` records a plan through `placements_record_many`, all or nothing (or, as
  a dry run for the preview, checks it and keeps nothing);
- `placements_xlsx` and `placements_csv` write placements in the same format (the export of
  the list, and a file to start from).
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hemma.lib import spreadsheets, table_files
from hemma.lib.problems import Problem, ProblemsFound, grouped_by_rows
from hemma.lib.table_files import Table
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.registries import policies
from hemma.registries.models import Placement
from hemma.registries.services import (
    clean_placement_people,
    clean_placement_period,
    placements_record_many,
)

Kind = Placement.Kind

# The columns, in the order Hemma writes them.
COLUMNS = (
    "municipality_code",
    "municipality",
    "unit",
    "unit_name",
    "kind",
    "period",
    "people",
    "note",
)
CONTEXT_COLUMNS = frozenset({"municipality", "unit_name"})
REQUIRED_COLUMNS = ("municipality_code", "unit", "kind", "period", "people")

HEADINGS = {
    "sv": {
        "municipality_code": "Kommunkod",
        "municipality": "Kommun",
        "unit": "Enhet",
        "unit_name": "Enhetens namn",
        "kind": "Typ av plats",
        "period": "Period",
        "people": "Antal personer",
        "note": "Anteckning",
    },
    "fi": {
        "municipality_code": "Kuntakoodi",
        "municipality": "Kunta",
        "unit": "Yksikkö",
        "unit_name": "Yksikön nimi",
        "kind": "Paikan laji",
        "period": "Jakso",
        "people": "Henkilöitä",
        "note": "Huomautus",
    },
    "en": {
        "municipality_code": "Municipality code",
        "municipality": "Municipality",
        "unit": "Unit",
        "unit_name": "Unit name",
        "kind": "Kind of place",
        "period": "Period",
        "people": "Number of people",
        "note": "Note",
    },
}
# Other headings read as the same column (compared case-insensitively, spaces collapsed).
_ALSO_READ = {
    "municipality_code": ("Kod", "Koodi", "Code", "Kommunnummer", "Kuntanumero"),
    "unit": ("Enhetens nyckel", "Yksikön avain", "Unit key"),
    "kind": ("Typ", "Laji", "Kind"),
    "period": ("År", "Vuosi", "Year", "Kausi"),
    "people": ("Personer", "Antal", "Henkilömäärä", "People"),
    "note": ("Kommentar", "Kommentti", "Comment"),
}
# The kinds of place as the file writes them; read in any of the languages, or as the code.
KIND_NAMES = {
    "sv": {
        Kind.WORK_TRYOUT: "Arbetsprövning",
        Kind.APPRENTICESHIP: "Läroavtalsplats",
        Kind.WAGE_SUBSIDY: "Lönesubventionerad plats",
        Kind.JOB: "Anställning",
    },
    "fi": {
        Kind.WORK_TRYOUT: "Työkokeilu",
        Kind.APPRENTICESHIP: "Oppisopimuspaikka",
        Kind.WAGE_SUBSIDY: "Palkkatuettu paikka",
        Kind.JOB: "Työpaikka",
    },
    "en": {
        Kind.WORK_TRYOUT: "Work try-out",
        Kind.APPRENTICESHIP: "Apprenticeship place",
        Kind.WAGE_SUBSIDY: "Wage-subsidy place",
        Kind.JOB: "Job",
    },
}
SHEET_NAMES = {"sv": "Placeringar", "fi": "Sijoitukset", "en": "Placements"}

MAX_PROBLEMS = 200

FORMAT = table_files.TableFormat(
    headings=HEADINGS,
    required=REQUIRED_COLUMNS,
    language_from="municipality_code",
    refused=lambda: _("Hemma reads placements from .xlsx and .csv files, not “%(suffix)s”."),
    no_heading=lambda: _(
        "No heading row with the columns %(columns)s (or their Swedish, Finnish or "
        "English names) was found in the first %(rows)s rows. Start from a "
        "placements file downloaded from Hemma."
    ),
    # A column is also read by its code.
    also_read={column: (column, *others) for column, others in _ALSO_READ.items()},
    context=CONTEXT_COLUMNS,
)
vocabulary = FORMAT.vocabulary
_key = table_files.heading_key

# Also read: other names people give the kinds in their own sheets.
_ALSO_READ_KINDS = {
    "lönesubventionerat arbete": Kind.WAGE_SUBSIDY,
    "palkkatuettu työ": Kind.WAGE_SUBSIDY,
    "lönesubvention": Kind.WAGE_SUBSIDY,
    "palkkatuki": Kind.WAGE_SUBSIDY,
    "läroavtal": Kind.APPRENTICESHIP,
    "oppisopimus": Kind.APPRENTICESHIP,
}


def _read_kinds() -> dict[str, str]:
    found = {_key(str(code)): str(code) for code in Kind.values}
    for names in KIND_NAMES.values():
        for code, name in names.items():
            found.setdefault(_key(name), str(code))
    for name, code in _ALSO_READ_KINDS.items():
        found.setdefault(_key(name), str(code))
    return found


_READ_KINDS = _read_kinds()


def kind_name(kind: str, language: str) -> str:
    """A kind of place as the file writes it in `language`'s vocabulary."""
    return KIND_NAMES[vocabulary(language)].get(Kind(kind), kind)


def read_placements_file(data: bytes, *, name: str) -> Table:
    """The file's rows as text, by column; ProblemsFound if it cannot be read as a table.
    Problems of single cells (a formula, a text too long) are in `problems`."""
    return FORMAT.read(data, name=name)


# -- the plan ----------------------------------------------------------------------------------


@dataclass
class Change:
    row: int
    municipality: Municipality
    unit: Organisation
    kind: str
    period: str
    old: int | None  # None: a new placement
    new: int
    old_note: str = ""
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def people_changed(self) -> bool:
        return self.old is not None and self.old != self.new

    @property
    def note_changed(self) -> bool:
        return self.old is not None and self.old_note != self.note


@dataclass
class Plan:
    rows: int = 0  # rows read (blank rows left out)
    changes: list[Change] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)  # for placements_record_many
    item_rows: list[int] = field(default_factory=list)  # each item's row
    unchanged: int = 0  # rows the same as stored
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for change in self.changes if change.added)

    @property
    def people_changed(self) -> int:
        return sum(1 for change in self.changes if change.people_changed)

    @property
    def notes_changed(self) -> int:
        """Stored placements that keep their number, with another note."""
        return sum(1 for c in self.changes if not c.added and not c.people_changed)


_FORMULA_TEXT = re.compile(r"^\s*=")


def placements_plan(data: bytes, *, name: str, region: Region, user) -> Plan:
    """What the file would record, and every problem found by row and column (nothing is
    recorded). The caller has checked the user may see `region`; a row for a municipality
    they may not record for is a problem of its own."""
    table = read_placements_file(data, name=name)
    return _plan(table, region=region, user=user)


class _Units:
    """The region's organisations as a row may name them: by key, or by a name in any
    language; a unit of another municipality than the row's is not one it may name."""

    def __init__(self, region: Region):
        self.all = list(Organisation.objects.filter(region=region).order_by("key"))
        self.by_key = {_key(o.key): o for o in self.all}
        self.by_name: dict[str, list[Organisation]] = {}
        for organisation in self.all:
            names = {_key(n) for n in (organisation.name or {}).values() if isinstance(n, str)}
            for each in names - {""}:
                self.by_name.setdefault(each, []).append(organisation)

    def find(self, text: str, municipality: Municipality | None) -> tuple[Organisation | None, str]:
        """(the unit, or None with the problem)."""
        found = self.by_key.get(_key(text))
        if found is None:
            candidates = [
                o
                for o in self.by_name.get(_key(text), [])
                if municipality is None or o.municipality_id in (None, municipality.pk)
            ]
            if len(candidates) > 1:
                return None, _(
                    "“%(unit)s” names several organisations of the region: write the unit's key."
                ) % {"unit": text}
            found = candidates[0] if candidates else None
        if found is None:
            return None, _(
                "“%(unit)s” is not an organisation of the region (its key or its name)."
            ) % {"unit": text}
        if municipality is not None and found.municipality_id not in (None, municipality.pk):
            return None, _("%(unit)s is a unit of another municipality.") % {"unit": found}
        return found, ""


def _plan(table: Table, *, region: Region, user) -> Plan:
    plan = Plan(rows=len(table.rows), problems=list(table.problems))
    bad_rows = {p.row for p in table.problems}
    # A cell already refused (a formula, a text too long) is not judged again.
    bad_cells = {(p.row, p.column) for p in table.problems}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    units = _Units(region)
    codes = {_period_or_none(r.text("period")) for r in table.rows} - {None}
    stored = {
        (p.municipality_id, p.unit_id, p.kind, p.period): p
        for p in Placement.objects.filter(region=region, period__in=codes)
    }
    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, int, str, str], int] = {}
    for row in table.rows:
        problems: list[Problem] = []

        def problem(
            column: str, message: str, found: list[Problem] = problems, number: int = row.number
        ) -> None:
            each = table.problem(number, column, message)
            if (each.row, each.column) not in bad_cells:
                found.append(each)

        code = table_files.official_code(row.text("municipality_code"))
        municipality = municipalities.get(code)
        if not code:
            problem("municipality_code", _("Give the municipality's code."))
        elif municipality is None:
            problem(
                "municipality_code",
                _("“%(code)s” is not a municipality of the region.") % {"code": code},
            )
        else:
            if municipality.pk not in allowed:
                allowed[municipality.pk] = user is None or policies.can_record_placement(
                    user, region, municipality
                )
            if not allowed[municipality.pk]:
                problem(
                    "municipality_code",
                    _("You may not record placements for %(municipality)s.")
                    % {"municipality": municipality},
                )
        unit = None
        if not row.text("unit"):
            problem("unit", _("Give the unit."))
        else:
            unit, message = units.find(row.text("unit"), municipality)
            if message:
                problem("unit", message)
        kind = _READ_KINDS.get(_key(row.text("kind")))
        if not row.text("kind"):
            problem("kind", _("Give the kind of place."))
        elif kind is None:
            problem(
                "kind",
                _("“%(kind)s” is not a kind of place: write one of %(kinds)s.")
                % {
                    "kind": row.text("kind"),
                    "kinds": ", ".join(f"“{n}”" for n in KIND_NAMES[table.language].values()),
                },
            )
        period = None
        try:
            period = clean_placement_period(row.text("period"))
        except ValidationError as error:
            problem("period", error.messages[0])
        people = None
        text = row.text("people")
        if _FORMULA_TEXT.match(text):
            problem("people", _("The cell holds a formula; Hemma reads values only."))
        else:
            try:
                people = clean_placement_people(text)
            except ValidationError as error:
                problem("people", error.messages[0])
        if municipality is not None and unit is not None and kind and period:
            key = (municipality.pk, unit.pk, kind, period)
            if key in seen:
                problem(
                    "period",
                    _("Row %(row)s gives the same municipality, unit, kind and period.")
                    % {"row": seen[key]},
                )
            else:
                seen[key] = row.number
        if problems or row.number in bad_rows:
            plan.problems.extend(problems)
            continue
        assert municipality is not None and unit is not None and kind and period
        assert people is not None
        current = stored.get((municipality.pk, unit.pk, kind, period))
        old_note = current.note if current is not None else ""
        # An empty cell (or a file without the column) keeps what is stored.
        note = row.text("note") or old_note
        if current is not None and (current.people, current.note) == (people, note):
            plan.unchanged += 1
            continue
        plan.changes.append(
            Change(
                row.number,
                municipality,
                unit,
                kind,
                period,
                current.people if current is not None else None,
                people,
                old_note=old_note,
                note=note,
            )
        )
        plan.items.append(
            {
                "municipality": municipality,
                "unit": unit,
                "kind": kind,
                "period": period,
                "people": people,
                "note": note,
            }
        )
        plan.item_rows.append(row.number)
    return plan


def _period_or_none(text: str) -> str | None:
    try:
        return clean_placement_period(text)
    except ValidationError:
        return None


_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(\w+))?")
_COLUMN_OF_FIELD = {
    "municipality": "municipality_code",
    "unit": "unit",
    "kind": "kind",
    "period": "period",
    "people": "people",
    "note": "note",
}


def _item_problems(found: ProblemsFound, plan: Plan, table: Table) -> list[Problem]:
    """The recording service's problems (by item) by row and column."""
    problems = []
    for problem in found.problems:
        match = _ITEM_PATH.match(problem.path or "")
        if match is None:
            problems.append(Problem(problem.message, file=table.name))
            continue
        row = plan.item_rows[int(match[1])]
        column = _COLUMN_OF_FIELD.get(match[2] or problem.field, "")
        problems.append(table.problem(row, column, problem.message))
    return problems


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing it recorded is kept."""


def placements_import(
    *, actor, region: Region, name: str, data: bytes, dry_run: bool
) -> tuple[Plan, Table]:
    """Read the file and record its changes, all or none; ProblemsFound lists every problem
    by row and column. With `dry_run` (the preview) the changes are recorded and undone, so
    that every check of the recording service (a period of an approved round among them) is
    made, and nothing is kept."""
    table = read_placements_file(data, name=name)
    plan = _plan(table, region=region, user=actor)
    problems = list(plan.problems)
    if plan.items and not problems:
        try:
            with transaction.atomic():
                placements_record_many(actor=actor, region=region, items=plan.items)
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


def placements_rows(placements, *, language: str) -> list[dict[str, str | int]]:
    """Placements as the file's rows, in full numbers (for the coordinators; a public export
    would go through hemma.lib.suppression)."""
    rows: list[dict[str, str | int]] = []
    for placement in placements:
        rows.append(
            {
                "municipality_code": placement.municipality.code,
                "municipality": str(placement.municipality),
                "unit": placement.unit.key,
                "unit_name": pick(placement.unit.name, fallback=language) or placement.unit.key,
                "kind": kind_name(placement.kind, language),
                "period": placement.period,
                "people": placement.people,
                "note": placement.note,
            }
        )
    return rows


def placements_xlsx(placements, *, language: str) -> bytes:
    headings = HEADINGS[vocabulary(language)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[vocabulary(language)]
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, headings[column])
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index in (1, 6, 7) else 24
    for number, row in enumerate(placements_rows(placements, language=language), start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = row[column]
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, int):
                cell.value = value
            else:
                spreadsheets.write_text(cell, value)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def placements_csv(placements, *, language: str) -> bytes:
    """For Excel in Finland and Sweden: UTF-8 with a byte order mark, ";" between values; text
    a spreadsheet could take for a formula gets a leading apostrophe."""
    headings = HEADINGS[vocabulary(language)]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([headings[c] for c in COLUMNS])
    for row in placements_rows(placements, language=language):
        writer.writerow(
            [
                str(value) if isinstance(value, int) else spreadsheets.escape_csv(value)
                for value in (row[c] for c in COLUMNS)
            ]
        )
    return stream.getvalue().encode("utf-8-sig")
