"""The activities file: activities as a sheet (XLSX) or CSV, exported, corrected and uploaded.

One row per activity, a column per field, as the list's export writes them: docs/registries.md,
"The activities file". Headings are read in Swedish, Finnish or English (or as the fields'
codes) and written in the user's language. A row with an activity's code changes that activity;
a row without one is a new activity. A column the file lacks leaves that field as it is; an
empty cell empties it.

- `read_activities_file` turns bytes into rows of cell texts (hemma.lib.table_files: zip
  bombs, UTF-8, delimiters, formulas, row limits);
- `activities_plan` compares them with the stored activities: each new or changed row with its
  fields old → new, and every problem by row and column;
- `activities_import` records a plan through services.activity_create / activity_update, all or
  nothing (or, as a dry run for the preview, records it and undoes it, so that every check of
  the services is made);
- `activities_xlsx` and `activities_csv` write activities in the same format (the export of the
  list), so that an exported file reads back unchanged: a name that would not read back as the
  same organisation or municipality (shared by another, or holding a comma) is written as its
  key or code, and actions as "programme/action".
"""

import contextlib
import csv
import datetime
import io
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hemma.lib import spreadsheets, table_files
from hemma.lib.languages import CONTENT_LANGUAGES, STAFF_LANGUAGES, language_name, local_name
from hemma.lib.problems import Problem, ProblemsFound, grouped_by_rows
from hemma.lib.table_files import FileRow, Grid, Table
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action
from hemma.registries import computing, policies, services
from hemma.registries.forms import AGE_GROUPS, GENDERS
from hemma.registries.models import Activity

# -- the columns -----------------------------------------------------------------------------

AGE_COLUMNS = tuple(f"age_{group}" for group in AGE_GROUPS)
GENDER_COLUMNS = tuple(f"gender_{code}" for code, _label in GENDERS)
# In the order Hemma writes them.
COLUMNS = (
    "title",
    "kind",
    "starts_on",
    "ends_on",
    "recurrence",
    "sessions",
    "municipalities",
    "organiser",
    "partners",
    "actions",
    "languages",
    "participants",
    *AGE_COLUMNS,
    *GENDER_COLUMNS,
    "note",
    "code",
)
REQUIRED_COLUMNS = ("title", "kind", "starts_on")


def _ages(template: str) -> dict[str, str]:
    return {f"age_{g}": template % g.replace("-", "–") for g in AGE_GROUPS}


HEADINGS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Rubrik",
        "kind": "Typ",
        "starts_on": "Datum",
        "ends_on": "Slutdatum",
        "recurrence": "Upprepning",
        "sessions": "Antal tillfällen",
        "municipalities": "Kommuner",
        "organiser": "Arrangör",
        "partners": "Samarbetspartner",
        "actions": "Programåtgärder",
        "languages": "Använda språk",
        "participants": "Deltagare",
        **_ages("%s år"),
        "gender_women": "Kvinnor",
        "gender_men": "Män",
        "gender_other": "Annat eller inte uppgett",
        "note": "Anmärkning",
        "code": "Kod",
    },
    "fi": {
        "title": "Otsikko",
        "kind": "Tyyppi",
        "starts_on": "Päivämäärä",
        "ends_on": "Viimeinen päivämäärä",
        "recurrence": "Toistuvuus",
        "sessions": "Järjestämiskerrat",
        "municipalities": "Kunnat",
        "organiser": "Järjestäjä",
        "partners": "Yhteistyökumppanit",
        "actions": "Ohjelman toimenpiteet",
        "languages": "Käytetyt kielet",
        "participants": "Osallistujat",
        **_ages("Ikä %s"),
        "gender_women": "Naiset",
        "gender_men": "Miehet",
        "gender_other": "Muu tai ei ilmoitettu",
        "note": "Huomautus",
        "code": "Koodi",
    },
    "en": {
        "title": "Title",
        "kind": "Kind",
        "starts_on": "Date",
        "ends_on": "Last date",
        "recurrence": "Recurrence",
        "sessions": "Times held",
        "municipalities": "Municipalities",
        "organiser": "Organiser",
        "partners": "Partners",
        "actions": "Programme actions",
        "languages": "Languages used",
        "participants": "Participants",
        **_ages("Aged %s"),
        "gender_women": "Women",
        "gender_men": "Men",
        "gender_other": "Other or not told",
        "note": "Note",
        "code": "Code",
    },
}
# Other headings read as the same column (compared case-insensitively, spaces collapsed, any
# dash as "-"), and each column's code.
_ALSO_READ = {
    "title": ("Titel", "Namn", "Nimi", "Aktivitet", "Toiminta", "Activity"),
    "kind": ("Laji", "Art", "Type"),
    "starts_on": ("Startdatum", "Alkupäivä", "Start date", "First date"),
    "ends_on": ("Sista datum", "Loppupäivä", "End date"),
    "actions": ("Åtgärder", "Toimenpiteet", "Actions"),
    "languages": ("Språk", "Kielet", "Languages"),
    "note": ("Anteckning", "Kommentar", "Kommentti", "Comment"),
    **{column: (column,) for column in COLUMNS},
}
SHEET_NAMES = {"sv": "Aktiviteter", "fi": "Toiminnat", "en": "Activities"}

MAX_ROWS = 500  # each row goes through the services: about 24 queries (docs/registries.md)
HEADING_SEARCH_ROWS = 50
MAX_COLUMNS = 60
MAX_TEXT = 5000
MAX_PROBLEMS = 200
MAX_LIST_ITEMS = 100
_MAX_TITLE: int = Activity._meta.get_field("title").max_length or 200


def _key(text: str) -> str:
    """A heading or a name as compared: case, spaces and dashes do not matter."""
    return " ".join(text.replace("–", "-").replace("—", "-").split()).casefold()


# -- reading the file --------------------------------------------------------------------------


FORMAT = table_files.TableFormat(
    headings=HEADINGS,
    required=REQUIRED_COLUMNS,
    # The language most headings are written in: an exported list's columns all are.
    language_from=None,
    refused=lambda: _("Hemma reads activities from .xlsx and .csv files, not “%(suffix)s”."),
    no_heading=lambda: _(
        "No heading row with the columns %(columns)s (or their Swedish, Finnish or "
        "English names) was found in the first %(rows)s rows. Start from the list "
        "of activities exported from Hemma."
    ),
    also_read=_ALSO_READ,
    also_read_language="",  # codes and other names tell no language
    # The heading row has at least two headings Hemma knows: the required ones missing from
    # it are then named.
    is_heading_row=lambda found: len(found) >= 2,
    key=_key,
    max_rows=MAX_ROWS,
    max_columns=MAX_COLUMNS,
    max_text=MAX_TEXT,
    heading_search_rows=HEADING_SEARCH_ROWS,
)
vocabulary = FORMAT.vocabulary


def _empty(name: str) -> ProblemsFound:
    return ProblemsFound([Problem(_("The file is empty."), file=name)])


def read_activities_file(data: bytes, *, name: str) -> Table:
    """The file's rows as text, by column; ProblemsFound if it cannot be read as a table of
    activities. Problems of single cells (a formula, a text too long) are in `problems`."""
    seen = False

    def read(grid: Grid) -> Table | None:
        nonlocal seen

        def watched() -> Grid:
            nonlocal seen
            for number, values in grid:
                seen = seen or any(v for v in values)
                yield number, values

        return FORMAT.read_grid(watched(), name=name)

    if FORMAT.suffix(name) == ".csv":
        if not data.removeprefix(b"\xef\xbb\xbf").strip(b" \t\r\n;,"):
            raise _empty(name)
        table = table_files.csv_table(
            data, name=name, max_columns=MAX_COLUMNS, known_columns=FORMAT.known_columns, read=read
        )
        seen = True
    else:
        table = table_files.xlsx_table(data, name=name, max_columns=MAX_COLUMNS, read=read)
    if table is None:
        raise FORMAT.missing_heading(name) if seen else _empty(name)
    if not table.rows:
        raise ProblemsFound(
            [
                Problem(
                    _(
                        "The file has a heading row but no activity under it: write one row "
                        "per activity below the headings."
                    ),
                    file=name,
                    row=table.heading_row,
                )
            ]
        )
    return table


def read_upload(stream, *, name: str) -> bytes:
    """The uploaded file's bytes, refusing a file over the size limit or of another kind."""
    from hemma.programmes.interchange import reading

    FORMAT.suffix(name)
    return reading.read_bytes(stream, name=name)


# -- names: what a cell may call a municipality, an organisation, an action ----------------------

_AMBIGUOUS = object()
_WHOLE_REGION = object()


class _Names:
    """Objects by the texts that name them, compared as `_key`: codes and keys first, then
    names (in any language). A name two objects share names neither."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.names: dict[str, Any] = {}

    def add_key(self, text: str, obj) -> None:
        if text:
            self.keys.setdefault(_key(text), obj)

    def add_name(self, text: str, obj) -> None:
        if not text:
            return
        key = _key(text)
        if self.names.get(key, obj) != obj:
            self.names[key] = _AMBIGUOUS
        else:
            self.names[key] = obj

    def get(self, text: str):
        """The object, None if nothing is called so, _AMBIGUOUS if several are."""
        key = _key(text)
        return self.keys[key] if key in self.keys else self.names.get(key)


_ITEMS = re.compile(r"[^,;\n]+")


def split_names(text: str, names: _Names) -> tuple[list, list[str], list[str]]:
    """A cell's list ("A-stad, A-by") as (objects, texts naming nothing, ambiguous texts).

    Items are separated by commas, semicolons or line breaks; a name that holds a comma is
    found whole (the longest run of items that names something wins)."""
    spans = [m.span() for m in _ITEMS.finditer(text) if m.group().strip()][:MAX_LIST_ITEMS]
    found: list = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    i = 0
    while i < len(spans):
        for j in range(len(spans), i, -1):
            candidate = text[spans[i][0] : spans[j - 1][1]].strip()
            obj = names.get(candidate)
            if obj is not None:
                if obj is _AMBIGUOUS:
                    ambiguous.append(candidate)
                elif obj not in found:
                    found.append(obj)
                i = j
                break
        else:
            unknown.append(text[spans[i][0] : spans[i][1]].strip())
            i += 1
    return found, unknown, ambiguous


def _name_of(obj, language: str | None = None) -> str:
    return pick(obj.name, language, fallback="sv")


def _whole_region_phrases() -> list[str]:
    phrases = []
    for code, _label in STAFF_LANGUAGES:
        with translation.override(code):
            phrases.append(str(_("The region as a whole")))
    return phrases


def _municipality_names(municipalities: Iterable[Municipality]) -> _Names:
    names = _Names()
    for municipality in municipalities:
        names.add_key(municipality.code, municipality)
        names.add_key(municipality.code.lstrip("0"), municipality)  # "49" for "049"
        for text in (municipality.name or {}).values():
            names.add_name(text, municipality)
    for phrase in _whole_region_phrases():
        names.add_key(phrase, _WHOLE_REGION)
    return names


def _organisation_names(organisations: Iterable[Organisation]) -> _Names:
    names = _Names()
    for organisation in organisations:
        names.add_key(organisation.key, organisation)
        for text in (organisation.name or {}).values():
            names.add_name(text, organisation)
    return names


def action_text(action: Action) -> str:
    """An action as the file writes it: "programme/action"."""
    return f"{action.programme.slug}/{action.key}"


def _action_names(actions: Iterable[Action]) -> _Names:
    names = _Names()
    for action in actions:
        names.add_key(action_text(action), action)
        names.add_name(action.key, action)  # alone, when no other programme has the key
        for text in (action.title or {}).values():
            names.add_name(text, action)
    return names


def _choice_names(choices) -> dict[str, str]:
    """A TextChoices' values by their codes and their labels in the staff languages."""
    found = {_key(value): value for value in choices.values}
    for code, _label in STAFF_LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                found.setdefault(_key(str(label)), value)
    return found


def _language_names() -> dict[str, str]:
    found = {_key(code): code for code in CONTENT_LANGUAGES}
    for code in CONTENT_LANGUAGES:
        found.setdefault(_key(local_name(code)), code)
        for staff, _label in STAFF_LANGUAGES:
            with translation.override(staff):
                found.setdefault(_key(language_name(code)), code)
    return found


# -- the plan ----------------------------------------------------------------------------------


@dataclass
class FieldChange:
    column: str
    heading: str  # in the file's language
    old: str  # as the preview shows it ("" for none)
    new: str


@dataclass
class RowChange:
    row: int
    activity: Activity | None  # None: a new activity
    title: str
    fields: list[FieldChange]

    @property
    def added(self) -> bool:
        return self.activity is None


@dataclass
class Item:
    """What the services are asked to record for a row."""

    row: int
    activity: Activity | None  # None: activity_create
    fields: dict[str, Any]


@dataclass
class Plan:
    rows: int = 0  # rows read (blank rows left out)
    changes: list[RowChange] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    unchanged: int = 0  # rows of activities the same as stored
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for change in self.changes if change.added)

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if not change.added)


class _Bad(Exception):
    """A cell that cannot be read; the message says why."""


def _whole_number(text: str, message: str) -> int | None:
    value = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise _Bad(message) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _Bad(message)
    if number < 0:
        raise _Bad(_("The number cannot be below zero."))
    if number > 1_000_000:
        raise _Bad(_("The number is too large."))
    return int(number)


_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


def parse_date(text: str) -> datetime.date | None:
    """A date as people and spreadsheets write it: 2025-03-14 or 14.3.2025; "" is none."""
    value = text.strip()
    if not value:
        return None
    match = _ISO_DATE.match(value)
    parts = (match[1], match[2], match[3]) if match else None
    if parts is None and (match := _FINNISH_DATE.match(value)):
        parts = (match[3], match[2], match[1])
    if parts is not None:
        try:
            return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise _Bad(
        _("“%(text)s” is not a date: write it as 2025-03-14 or 14.3.2025.") % {"text": value}
    )


def _shown_date(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _shown_list(objects: Iterable, name: Callable[[Any], str]) -> str:
    return ", ".join(name(o) for o in objects)


class _Planner:
    """Reads the rows of one file against one region, with every lookup made once."""

    def __init__(self, table: Table, *, region: Region, user) -> None:
        self.table = table
        self.region = region
        self.user = user
        self.municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
        self.organisations = list(Organisation.objects.filter(region=region).order_by("key"))
        self.actions = list(
            Action.objects.filter(programme__region=region).select_related("programme")
        )
        self.municipality_names = _municipality_names(self.municipalities)
        self.organisation_names = _organisation_names(self.organisations)
        self.action_names = _action_names(self.actions)
        self.kinds = _choice_names(Activity.Kind)
        self.recurrences = _choice_names(Activity.Recurrence)
        self.languages = _language_names()
        codes = set()
        for row in table.rows:
            with contextlib.suppress(ValueError):
                codes.add(uuid.UUID(row.text("code")))
        visible = policies.activities_visible(user) if user is not None else Activity.objects
        self.stored = {
            a.code: a
            for a in visible.filter(region=region, code__in=codes)
            .select_related("region", "organiser")
            .prefetch_related("municipalities", "partners", "actions__programme")
        }
        self.seen_codes: dict[uuid.UUID, int] = {}
        self.bad_rows = {p.row for p in table.problems}

    # -- a row -------------------------------------------------------------------------------

    def row(self, row: FileRow, plan: Plan) -> None:
        table = self.table
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(table.problem(row.number, column, message))

        activity = self._activity(row, bad)
        new: dict[str, Any] = {}
        for column, read in (
            ("title", self._title),
            ("kind", self._kind),
            ("starts_on", self._starts_on),
            ("ends_on", lambda text: parse_date(text)),
            ("recurrence", self._recurrence),
            ("sessions", lambda t: _whole_number(t, _("Give the times held as a whole number."))),
            ("municipalities", self._municipalities),
            ("organiser", self._organiser),
            ("partners", self._partners),
            ("actions", self._actions),
            ("languages", self._languages),
            (
                "participants",
                lambda t: _whole_number(t, _("Give the participants as a whole number.")),
            ),
            ("note", lambda text: text),
        ):
            if not table.has(column):
                continue
            try:
                new[column] = read(row.text(column))
            except _Bad as error:
                bad(column, str(error))
        for name, columns in (
            ("participants_by_age", AGE_COLUMNS),
            ("participants_by_gender", GENDER_COLUMNS),
        ):
            present = [c for c in columns if table.has(c)]
            if not present:
                continue
            breakdown = dict(getattr(activity, name) or {}) if activity is not None else {}
            readable = True
            for column in present:
                try:
                    number = _whole_number(
                        row.text(column), _("Give each group's participants as a whole number.")
                    )
                except _Bad as error:
                    bad(column, str(error))
                    readable = False
                    continue
                group = column.split("_", 1)[1]
                if number is None:
                    breakdown.pop(group, None)
                else:
                    breakdown[group] = number
            if readable:
                new[name] = breakdown
        if activity is not None or not row.text("code"):
            # (A row whose code names no activity it may change is told so once.)
            self._check_together(activity, new, bad)
        if problems or row.number in self.bad_rows:
            plan.problems.extend(problems)
            return
        self._compare(row, activity, new, plan)

    def _activity(self, row: FileRow, bad) -> Activity | None:
        text = row.text("code")
        if not text:
            return None
        try:
            code = uuid.UUID(text)
        except ValueError:
            bad("code", _("“%(code)s” is not an activity's code.") % {"code": text})
            return None
        activity = self.stored.get(code)
        if activity is None:
            bad(
                "code",
                _("No such activity: %(code)s. Leave the code empty to add a new activity.")
                % {"code": text},
            )
            return None
        if code in self.seen_codes:
            bad(
                "code",
                _("Row %(row)s gives the same activity.") % {"row": self.seen_codes[code]},
            )
            return None
        self.seen_codes[code] = row.number
        if self.user is not None and not policies.can_change_activity(self.user, activity):
            bad("code", _("You may not change this activity."))
            return None
        return activity

    def _title(self, text: str) -> str:
        if not text:
            raise _Bad(_("Give the activity a title."))
        limit = _MAX_TITLE
        if len(text) > limit:
            raise _Bad(_("Keep the title within %(max)s characters.") % {"max": limit})
        return text

    def _kind(self, text: str) -> str:
        if not text:
            raise _Bad(_("Choose the kind of activity."))
        value = self.kinds.get(_key(text))
        if value is None:
            raise _Bad(
                _("“%(text)s” is not a kind of activity. Write one of: %(kinds)s.")
                % {"text": text, "kinds": ", ".join(str(label) for label in Activity.Kind.labels)}
            )
        return value

    def _starts_on(self, text: str) -> datetime.date:
        value = parse_date(text)
        if value is None:
            raise _Bad(_("Give the date."))
        return value

    def _recurrence(self, text: str) -> str:
        if not text:
            return Activity.Recurrence.ONCE
        value = self.recurrences.get(_key(text))
        if value is None:
            raise _Bad(
                _("“%(text)s” is not a recurrence. Write one of: %(choices)s.")
                % {
                    "text": text,
                    "choices": ", ".join(str(label) for label in Activity.Recurrence.labels),
                }
            )
        return value

    def _names(self, text: str, names: _Names, unknown_message: str) -> list:
        found, unknown, ambiguous = split_names(text, names)
        if unknown:
            raise _Bad(unknown_message % {"names": ", ".join(f"“{u}”" for u in unknown)})
        if ambiguous:
            raise _Bad(
                _("%(names)s names more than one: write its key or code instead.")
                % {"names": ", ".join(f"“{a}”" for a in ambiguous)}
            )
        return found

    def _municipalities(self, text: str) -> list[Municipality]:
        found = self._names(
            text,
            self.municipality_names,
            _("Not a municipality of the region: %(names)s."),
        )
        if _WHOLE_REGION in found:
            if len(found) > 1:
                raise _Bad(
                    _(
                        "Name the municipalities, or the region as a whole (or leave the cell "
                        "empty), not both."
                    )
                )
            return []
        return sorted(found, key=lambda m: m.code)

    def _organiser(self, text: str) -> Organisation | None:
        if not text:
            return None
        found = self.organisation_names.get(text)
        if found is _AMBIGUOUS:
            raise _Bad(
                _("“%(name)s” names more than one organisation: write its key instead.")
                % {"name": text}
            )
        if found is None:
            raise _Bad(_("Not an organisation of the region: %(names)s.") % {"names": text})
        return found

    def _partners(self, text: str) -> list[Organisation]:
        return self._names(
            text, self.organisation_names, _("Not an organisation of the region: %(names)s.")
        )

    def _actions(self, text: str) -> list[Action]:
        return self._names(
            text,
            self.action_names,
            _(
                "Not an action of the region's programmes: %(names)s. Write each as "
                "“programme/action”, as the export does."
            ),
        )

    def _languages(self, text: str) -> list[str]:
        codes: list[str] = []
        unknown: list[str] = []
        for part in _ITEMS.findall(text):
            if not part.strip():
                continue
            code = self.languages.get(_key(part))
            if code is None:
                unknown.append(part.strip())
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise _Bad(
                _("Unknown language codes: %(codes)s. Use %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGES)}
            )
        return [code for code in CONTENT_LANGUAGES if code in codes]

    def _check_together(self, activity: Activity | None, new: dict, bad) -> None:
        """What one cell cannot say alone: the dates' order, the breakdowns' sums, and whether
        the user may record an activity of these municipalities."""

        def now(name: str, default=None):
            if name in new:
                return new[name]
            return getattr(activity, name) if activity is not None else default

        starts_on, ends_on = now("starts_on"), now("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            bad("ends_on", _("The last date is before the first."))
        participants = now("participants")
        for name, columns, message in (
            (
                "participants_by_age",
                AGE_COLUMNS,
                _("The age groups add up to more than the participants."),
            ),
            (
                "participants_by_gender",
                GENDER_COLUMNS,
                _("The genders add up to more than the participants."),
            ),
        ):
            if name not in new or participants is None:
                continue
            if sum(new[name].values()) > participants:
                bad(next(c for c in columns if self.table.has(c)), message)
        if self.user is None:
            return
        if "municipalities" in new:
            ids = [m.pk for m in new["municipalities"]]
            if activity is not None and set(ids) == {m.pk for m in activity.municipalities.all()}:
                return  # the municipalities stay: the user may change the activity
        elif activity is None and not self.table.has("municipalities"):
            ids = []  # none named: the region as a whole
        else:
            return  # the cell could not be read (said so), or the municipalities stay
        if not policies.may_name_municipalities(self.user, self.region, ids):
            bad(
                "municipalities",
                _("You record the activities of your own municipality: name it, and no other."),
            )

    # -- old → new ---------------------------------------------------------------------------

    def _compare(self, row: FileRow, activity: Activity | None, new: dict, plan: Plan) -> None:
        table = self.table
        changes: list[FieldChange] = []
        fields: dict[str, Any] = {}

        def change(column: str, old: str, new_text: str) -> None:
            changes.append(FieldChange(column, table.heading(column), old, new_text))

        for name, value in new.items():
            if name in ("participants_by_age", "participants_by_gender"):
                old_breakdown = (getattr(activity, name) or {}) if activity is not None else {}
                if value == old_breakdown:
                    continue
                fields[name] = value
                columns = AGE_COLUMNS if name == "participants_by_age" else GENDER_COLUMNS
                for column in columns:
                    group = column.split("_", 1)[1]
                    before, after = old_breakdown.get(group), value.get(group)
                    if before != after and table.has(column):
                        change(column, _number(before), _number(after))
                continue
            old = _stored(activity, name) if activity is not None else _EMPTY.get(name)
            if _same(name, old, value):
                continue
            fields[name] = _for_service(name, value)
            if activity is None and value in (None, "", []):
                continue  # a new activity's empty field is no change worth showing
            change(name, self._shown(name, old), self._shown(name, value))
        if activity is None:
            fields.setdefault("recurrence", Activity.Recurrence.ONCE)
        if activity is not None and not fields:
            plan.unchanged += 1
            return
        title = new.get("title") or (activity.title if activity is not None else "")
        plan.changes.append(RowChange(row.number, activity, title, changes))
        plan.items.append(Item(row.number, activity, fields))

    def _shown(self, name: str, value) -> str:
        """A field's value as the preview shows it, in the user's language."""
        if value in (None, "", []):
            if name == "municipalities":
                return _("The region as a whole")
            return ""
        if name == "kind":
            return str(Activity.Kind(value).label)
        if name == "recurrence":
            return str(Activity.Recurrence(value).label)
        if name in ("starts_on", "ends_on"):
            return _shown_date(value)
        if name == "municipalities":
            return _shown_list(value, _name_of)
        if name == "organiser":
            return _name_of(value) or value.key
        if name == "partners":
            return _shown_list(value, lambda o: _name_of(o) or o.key)
        if name == "actions":
            return _shown_list(
                value,
                lambda a: (
                    f"{pick(a.title, fallback=a.programme.language) or a.key} ({action_text(a)})"
                ),
            )
        if name == "languages":
            return _shown_list(value, language_name)
        return str(value)


_EMPTY: dict[str, Any] = {
    "municipalities": [],
    "partners": [],
    "actions": [],
    "languages": [],
    "note": "",
    "recurrence": Activity.Recurrence.ONCE,
}


def _stored(activity: Activity, name: str):
    if name in ("municipalities", "partners", "actions"):
        return list(getattr(activity, name).all())
    return getattr(activity, name)


def _same(name: str, old, new) -> bool:
    if name in ("municipalities", "partners", "actions"):
        return {o.pk for o in old or []} == {o.pk for o in new or []}
    if name == "organiser":
        return (old.pk if old else None) == (new.pk if new else None)
    if name == "languages":
        return [c for c in CONTENT_LANGUAGES if c in (old or [])] == new
    if name in ("note", "title"):
        # A form's line breaks are "\r\n"; a file's come back as "\n".
        return table_files.clean_text(old or "") == new
    return old == new


def _for_service(name: str, value):
    """A field as services.activity_create / activity_update take it."""
    if name == "municipalities":
        return [m.code for m in value]
    if name == "organiser":
        return value.key if value is not None else None
    if name == "partners":
        return [o.key for o in value]
    return value  # actions as Action objects (their programme is read with them)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def activities_plan(data: bytes, *, name: str, region: Region, user) -> Plan:
    """What the file would record, and every problem found by row and column (nothing is
    recorded). The caller has checked the user may add activities in `region`; a row the user
    may not record (another municipality's, an activity they cannot change or see) is a
    problem of its own."""
    table = read_activities_file(data, name=name)
    return _plan(table, region=region, user=user)


def _plan(table: Table, *, region: Region, user) -> Plan:
    plan = Plan(rows=len(table.rows), problems=list(table.problems))
    planner = _Planner(table, region=region, user=user)
    for row in table.rows:
        planner.row(row, plan)
    return plan


# -- recording ---------------------------------------------------------------------------------

_FIELD_COLUMNS = {
    "participants_by_age": AGE_COLUMNS,
    "participants_by_gender": GENDER_COLUMNS,
}


def _service_problems(error: ValidationError, item: Item, table: Table) -> list[Problem]:
    """A service's refusal of a row, by the row's columns."""
    problems: list[Problem] = []
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for name, messages in by_field.items():
        column = name if table.has(name) else ""
        for candidate in _FIELD_COLUMNS.get(name, ()):
            if table.has(candidate):
                column = candidate
                break
        problems.extend(table.problem(item.row, column, message) for message in messages)
    return problems


class _DryRun(Exception):
    """Raised inside the transaction of a dry run (or of a refused file), so that nothing it
    recorded is kept."""


def activities_import(
    *, actor, region: Region, name: str, data: bytes, dry_run: bool
) -> tuple[Plan, Table]:
    """Read the file and record its rows through the services, all or none; ProblemsFound
    lists every problem by row and column. With `dry_run` (the preview) the rows are recorded
    and undone, so that every check of the services is made, and nothing is kept."""
    table = read_activities_file(data, name=name)
    plan = _plan(table, region=region, user=actor)
    problems = list(plan.problems)
    if plan.items and not problems:
        try:
            # The computed values are counted once for the whole file, and not at all for a
            # dry run or a refused file (undone before they are counted).
            with transaction.atomic(), computing.counting_deferred():
                for item in plan.items:
                    problems.extend(_record(actor, region, item, table))
                if problems or dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        raise ProblemsFound(grouped_by_rows(problems)[:MAX_PROBLEMS])
    return plan, table


def _record(actor, region: Region, item: Item, table: Table) -> list[Problem]:
    """Record one row; its problems (a ValidationError is raised before the service writes,
    or inside its own savepoint, so the rows before and after it are checked too)."""
    try:
        if item.activity is None:
            services.activity_create(actor=actor, region=region, fields=item.fields)
        else:
            services.activity_update(actor=actor, activity=item.activity, fields=item.fields)
    except ValidationError as error:
        return _service_problems(error, item, table)
    except PermissionDenied:
        return [
            table.problem(
                item.row,
                "code",
                _("You may not change this activity.")
                if item.activity is not None
                else _("You may not add activities in this region."),
            )
        ]
    except Http404:
        return [table.problem(item.row, "code", _("No such activity."))]
    return []


# -- writing -----------------------------------------------------------------------------------


class _Writer:
    """Cells of activities, names written so that they read back as the same objects."""

    def __init__(self, activities: list[Activity]) -> None:
        region_ids = {a.region_id for a in activities}
        municipalities: dict[int, list[Municipality]] = {}
        for m in Municipality.objects.filter(region_id__in=region_ids):
            municipalities.setdefault(m.region_id, []).append(m)
        organisations: dict[int, list[Organisation]] = {}
        for o in Organisation.objects.filter(region_id__in=region_ids):
            organisations.setdefault(o.region_id, []).append(o)
        self.municipality_names = {
            r: _municipality_names(municipalities.get(r, [])) for r in region_ids
        }
        self.organisation_names = {
            r: _organisation_names(organisations.get(r, [])) for r in region_ids
        }

    @staticmethod
    def _list(objects: list, names: _Names, name: Callable, key: Callable) -> str:
        """The objects by name, where the cell reads back as them; else by key."""
        text = ", ".join(
            name(o) if name(o) and names.get(name(o)) == o else key(o) for o in objects
        )
        if split_names(text, names)[0] == objects:
            return text
        return ", ".join(key(o) for o in objects)

    def row(self, activity: Activity) -> list:
        by_age = activity.participants_by_age or {}
        by_gender = activity.participants_by_gender or {}
        places = self.municipality_names[activity.region_id]
        organisations = self.organisation_names[activity.region_id]
        municipalities = sorted(activity.municipalities.all(), key=lambda m: m.code)
        return [
            activity.title,
            activity.get_kind_display(),
            activity.starts_on,
            activity.ends_on,
            activity.get_recurrence_display(),
            activity.sessions,
            self._list(municipalities, places, _name_of, lambda m: m.code)
            if municipalities
            else _("The region as a whole"),
            self._list([activity.organiser], organisations, _name_of, lambda o: o.key)
            if activity.organiser
            else "",
            self._list(list(activity.partners.all()), organisations, _name_of, lambda o: o.key),
            ", ".join(sorted(action_text(a) for a in activity.actions.all())),
            ", ".join(activity.languages or []),
            activity.participants,
            *(by_age.get(g) for g in AGE_GROUPS),
            *(by_gender.get(code) for code, _label in GENDERS),
            activity.note,
            str(activity.code),
        ]


def activities_rows(activities) -> list[list]:
    """Each activity's cells: text as text, numbers as numbers, dates as dates."""
    activities = list(activities)
    writer = _Writer(activities)
    return [writer.row(activity) for activity in activities]


def activities_xlsx(activities, *, language: str) -> bytes:
    """The activities (with their relations prefetched) as a workbook in the file's format."""
    vocabulary_ = vocabulary(language)
    with translation.override(language):
        rows = activities_rows(activities)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[vocabulary_]
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, HEADINGS[vocabulary_][column])
        cell.font = bold
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, str):
                spreadsheets.write_text(cell, value)
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "B2"
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def activities_csv(activities, *, language: str) -> bytes:
    """For Excel in Finland and Sweden, as the values file: UTF-8 with a byte order mark, ";"
    between values; text a spreadsheet could take for a formula gets a leading apostrophe."""
    with translation.override(language):
        rows = activities_rows(activities)
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADINGS[vocabulary(language)][c] for c in COLUMNS])
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
