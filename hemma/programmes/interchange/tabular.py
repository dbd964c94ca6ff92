"""The action table as a spreadsheet (XLSX, CSV): one row per action.

The table is the one coordinators keep: columns Tema, Mål, Åtgärd, Ansvarsinstans,
Samarbetspartner, Uppföljning (Finnish and English headings are read too), plus the Nyckel /
Avain / Key column that Hemma's own export adds so that round trips are exact. It names no
programme, so it is always read into an existing programme's document (`base`): the table
replaces that document's themes, goals and actions, and everything the table does not hold
(other languages, indicators, organisations) is kept from `base` for the nodes it matches.
See docs/interchange-format.md, "Spreadsheets (XLSX and CSV)".
"""

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from hemma.lib import spreadsheets, table_files
from hemma.lib.problems import Problem, ProblemsFound
from hemma.lib.spreadsheets import Formula
from hemma.lib.table_files import Grid
from hemma.lib.texts import pick
from hemma.programmes.models import Indicator

# The table's columns, in order; the key column comes last and is optional.
COLUMNS = ("theme", "goal", "action", "responsible", "partners", "followup")
KEY = "key"

# What Hemma writes, in the programme's language (any other language gets English).
HEADINGS = {
    "sv": {
        "theme": "Tema",
        "goal": "Mål",
        "action": "Åtgärd",
        "responsible": "Ansvarsinstans",
        "partners": "Samarbetspartner",
        "followup": "Uppföljning",
        "key": "Nyckel",
    },
    "fi": {
        "theme": "Teema",
        "goal": "Tavoite",
        "action": "Toimenpide",
        "responsible": "Vastuutaho",
        "partners": "Yhteistyökumppani(t)",
        "followup": "Seuranta",
        "key": "Avain",
    },
    "en": {
        "theme": "Theme",
        "goal": "Goal",
        "action": "Action",
        "responsible": "Responsible",
        "partners": "Partner(s)",
        "followup": "Follow-up",
        "key": "Key",
    },
}
# Other headings read as the same column (compared case-insensitively, spaces trimmed).
_ALSO_READ = {
    "sv": {
        "action": ("Åtgärder",),
        "partners": ("Samarbetspartners", "Samarbetspartner(s)", "Samarbetsparter"),
        "followup": ("Uppföljning / mätare", "Mätare"),
    },
    "fi": {
        "action": ("Toimenpiteet",),
        "partners": ("Yhteistyökumppani", "Yhteistyökumppanit"),
        "followup": ("Seuranta / mittari", "Mittari", "Seuranta ja mittari"),
    },
    "en": {
        "action": ("Actions",),
        "responsible": ("Responsible party", "Responsible parties"),
        "partners": ("Partner", "Partners"),
        "followup": ("Follow up", "Followup", "Follow-up / indicator", "Indicator"),
    },
}
SHEET_NAMES = {"sv": "Åtgärdsprogram", "fi": "Toimenpideohjelma", "en": "Action programme"}
# The indicators sheet is for reading: its name says so and it is protected, so that an edit
# there is not made in the belief that Hemma will import it.
INDICATOR_SHEET_NAMES = {
    "sv": "Indikatorer (endast läsning)",
    "fi": "Mittarit (vain luettavaksi)",
    "en": "Indicators (read only)",
}
INDICATOR_HEADINGS = {
    "sv": (
        "Åtgärdens nyckel",
        "Indikatorns nyckel",
        "Namn",
        "Typ",
        "Enhet",
        "Period",
        "Målnivå",
        "Min",
        "Max",
        "Riktning",
        "Vart N:e år",
        "Uppföljs för",
        "Räknar personer",
    ),
    "fi": (
        "Toimenpiteen avain",
        "Mittarin avain",
        "Nimi",
        "Tyyppi",
        "Yksikkö",
        "Jakso",
        "Tavoitetaso",
        "Min",
        "Max",
        "Suunta",
        "Joka N. vuosi",
        "Seurataan",
        "Laskee henkilöitä",
    ),
    "en": (
        "Action key",
        "Indicator key",
        "Name",
        "Kind",
        "Unit",
        "Period",
        "Target",
        "Min",
        "Max",
        "Direction",
        "Every N years",
        "Followed up for",
        "Counts people",
    ),
}
# A responsible cell starting with one of these means "each municipality names its unit".
PER_MUNICIPALITY = {"sv": "Kommunspecifikt", "fi": "Kuntakohtainen", "en": "Set per municipality"}

_WIDTHS = {
    "theme": 28,
    "goal": 36,
    "action": 50,
    "responsible": 30,
    "partners": 34,
    "followup": 42,
    "key": 30,
}

MAX_ROWS = 2000  # action rows in one table
HEADING_SEARCH_ROWS = 50  # the heading row may have a title and blank rows above it
MAX_COLUMNS = 60  # columns read from the left; more are ignored
MAX_TEXT = 5000  # characters in one cell, as in the interchange format
MAX_PROBLEMS = 100
# How alike (0–1) an unmatched row's action text must be to an action of its goal that no
# row took, to be that action edited rather than a new one.
EDITED_ALIKE = 0.6  # a thoroughly wrong file is not answered with thousands of lines
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KEY_LENGTH = 80


def _vocabulary(language: str) -> str:
    return language if language in HEADINGS else "en"


def _heading_key(text: str) -> str:
    """A heading as compared: case-folded, spaces collapsed, none around "/"."""
    text = " ".join(text.split()).casefold()
    return re.sub(r"\s*/\s*", "/", text)


def _read_headings() -> dict[str, tuple[str, str]]:
    """Every heading Hemma reads, as compared → (column, language of the heading)."""
    found: dict[str, tuple[str, str]] = {}
    for language, headings in HEADINGS.items():
        for column, heading in headings.items():
            found[_heading_key(heading)] = (column, language)
        for column, others in _ALSO_READ[language].items():
            for heading in others:
                found.setdefault(_heading_key(heading), (column, language))
    return found


_READ_HEADINGS = _read_headings()


def _normal(text: str) -> str:
    """Text as compared for matching: whitespace collapsed (case and words count)."""
    return " ".join(text.split())


# -- reading ---------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int  # as the spreadsheet shows it
    cells: dict[str, str]  # column → text

    def text(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Table:
    name: str
    heading_row: int
    columns: dict[str, int]  # column → index from the left (0-based)
    headings: dict[str, str]  # column → heading as written in the file
    rows: list[_Row]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, column: str, message: str) -> Problem:
        index = self.columns.get(column)
        return Problem(
            message,
            file=self.name,
            row=row,
            column=get_column_letter(index + 1) if index is not None else "",
            field=self.headings.get(column, ""),
        )


def _find_heading(grid: Grid) -> tuple[int, list[str | Formula]] | None:
    """The first row with the action column, within the first HEADING_SEARCH_ROWS rows."""
    for number, values in grid:
        if number > HEADING_SEARCH_ROWS:
            return None
        if any(_column_of(v) == "action" for v in values):
            return number, values
    return None


def _heading_of(value: str | Formula) -> tuple[str, str] | None:
    """A heading's column and the language it is written in, if Hemma knows it."""
    if isinstance(value, Formula):
        return None
    return _READ_HEADINGS.get(_heading_key(value))


def _column_of(value: str | Formula) -> str | None:
    found = _heading_of(value)
    return found[0] if found else None


def _read_table(grid: Grid, *, name: str) -> _Table | None:
    """The table from a grid of cells, or None when the grid has no heading row."""
    found = _find_heading(grid)
    if found is None:
        return None
    heading_row, values = found
    columns, headings, language = table_files.heading_columns(
        values, name=name, row=heading_row, column_of=_heading_of, language_from="action"
    )
    table = _Table(name=name, heading_row=heading_row, columns=columns, headings=headings, rows=[])
    missing = [HEADINGS[language][c] for c in COLUMNS if c not in table.columns]
    if missing:
        raise table_files.missing_columns(missing, name=name, heading_row=heading_row)

    for number, values in grid:
        cells, problems = table_files.row_cells(number, values, table.columns, max_text=MAX_TEXT)
        table.problems.extend(table.problem(number, c, message) for c, message in problems)
        if not any(cells.values()):
            continue  # blank rows may separate groups
        if len(table.rows) >= MAX_ROWS:
            raise table_files.too_many_rows(MAX_ROWS, name=name, row=number)
        table.rows.append(_Row(number, cells))
    return table


def _missing_table(name: str, language: str, where: str) -> ProblemsFound:
    headings = HEADINGS[_vocabulary(language)]
    columns = ", ".join(headings[c] for c in COLUMNS)
    if where == "csv":
        message = _(
            "No heading row with the columns %(columns)s (or their Finnish, Swedish or English "
            "names) was found in the first %(rows)s rows. Hemma reads CSV files whose values "
            "are separated by semicolons, commas or tabs."
        )
    else:
        message = _(
            "No sheet has the action table: a heading row with the columns %(columns)s (or "
            "their Finnish, Swedish or English names) in its first %(rows)s rows."
        )
    return ProblemsFound(
        [Problem(message % {"columns": columns, "rows": HEADING_SEARCH_ROWS}, file=name)]
    )


def _xlsx_table(data: bytes, *, name: str, language: str) -> _Table:
    """The first sheet that has the table's heading row."""
    table = table_files.xlsx_table(
        data,
        name=name,
        max_columns=MAX_COLUMNS,
        read=lambda grid: _read_table(grid, name=name),
    )
    if table is None:
        raise _missing_table(name, language, "xlsx")
    return table


def _known_columns(grid: Grid) -> int:
    found = _find_heading(grid)
    return 0 if found is None else len({_column_of(v) for v in found[1]} - {None})


def _csv_table(data: bytes, *, name: str, language: str) -> _Table:
    table = table_files.csv_table(
        data,
        name=name,
        max_columns=MAX_COLUMNS,
        known_columns=_known_columns,
        read=lambda grid: _read_table(grid, name=name),
    )
    if table is None:
        raise _missing_table(name, language, "csv")
    return table


# -- building the document -------------------------------------------------------------------


@dataclass
class _GoalGroup:
    title: str
    rows: list[_Row] = field(default_factory=list)


@dataclass
class _ThemeGroup:
    title: str
    goals: list[_GoalGroup] = field(default_factory=list)


def _slug_key(text: str, used: set[str], fallback: str) -> str:
    """A key made from `text`, not in `used` (then added to it): "text", "text-2", …"""
    base = slugify(text)[:_KEY_LENGTH].strip("-_") or fallback
    key, n = base, 1
    while key in used:
        n += 1
        suffix = f"-{n}"
        key = base[: _KEY_LENGTH - len(suffix)].rstrip("-_") + suffix
    used.add(key)
    return key


def _organisation_names(programme: dict, keys: list[str], language: str) -> str:
    names = {o["key"]: o["name"] for o in programme.get("organisations", [])}
    return ", ".join(pick(names[k], language) for k in keys if k in names)


def action_cells(action: dict, programme: dict) -> dict[str, str]:
    """The action's row in the table, in the programme's language: what export writes.

    Without a responsible or partners text the cell names the organisations (or says "set
    per municipality"), so that the table is complete; import compares with the same cells.
    """
    language = programme["language"]
    own = lambda text: (text or {}).get(language, "")  # noqa: E731
    responsible = own(action.get("responsible_text"))
    if not responsible:
        if action.get("responsible_per_municipality"):
            responsible = PER_MUNICIPALITY[_vocabulary(language)]
        else:
            responsible = _organisation_names(programme, action.get("responsible", []), language)
    partners = own(action.get("partners_text")) or _organisation_names(
        programme, action.get("partners", []), language
    )
    return {
        "action": own(action["title"]),
        "responsible": responsible,
        "partners": partners,
        "followup": own(action.get("followup")),
        "key": action["key"],
    }


class _Builder:
    """Turns the table's rows into themes, goals and actions, keyed against `base`."""

    def __init__(self, table: _Table, programme: dict):
        self.table = table
        self.programme = programme
        self.language = programme["language"]
        self.problems: list[Problem] = list(table.problems)
        self.base_themes = programme["themes"]
        # action key → (theme key, goal key, action)
        self.base_actions = {
            a["key"]: (t["key"], g["key"], a)
            for t in self.base_themes
            for g in t["goals"]
            for a in g["actions"]
        }

    def own(self, text: dict | None) -> str:
        return (text or {}).get(self.language, "")

    def fail_if_problems(self) -> None:
        if self.problems:
            raise ProblemsFound(self.problems[:MAX_PROBLEMS])

    # pass 1: rows into groups; an empty Tema or Mål continues the one above

    def groups(self) -> list[_ThemeGroup]:
        table = self.table
        themes: dict[str, _ThemeGroup] = {}
        theme: _ThemeGroup | None = None
        goal: _GoalGroup | None = None
        goals: dict[str, dict[str, _GoalGroup]] = {}  # theme → goal title → goal
        for row in table.rows:
            theme_text, goal_text = row.text("theme"), row.text("goal")
            if not row.text("action"):
                self.problems.append(
                    table.problem(
                        row.number,
                        "action",
                        _("This row has text but no action: write the action or delete the row."),
                    )
                )
                continue
            if theme_text and (theme is None or _normal(theme_text) != _normal(theme.title)):
                theme = themes.get(_normal(theme_text))
                if theme is None:
                    theme = themes[_normal(theme_text)] = _ThemeGroup(theme_text)
                goal = None  # a new theme starts with its own goal
            if theme is None:
                self.problems.append(
                    table.problem(
                        row.number,
                        "theme",
                        _("This action has no theme: write it on this row or on a row above."),
                    )
                )
                continue
            if goal_text:
                by_title = goals.setdefault(_normal(theme.title), {})
                goal = by_title.get(_normal(goal_text))
                if goal is None:
                    goal = by_title[_normal(goal_text)] = _GoalGroup(goal_text)
                    theme.goals.append(goal)
            if goal is None:
                self.problems.append(
                    table.problem(
                        row.number,
                        "goal",
                        _(
                            "This action has no goal: write it on this row, or on a row above "
                            "within the same theme."
                        ),
                    )
                )
                continue
            goal.rows.append(row)
        if not self.problems and not themes:
            self.problems.append(
                Problem(
                    _(
                        "The table has no actions; importing it would remove every action of "
                        "the programme."
                    ),
                    file=table.name,
                    row=table.heading_row,
                )
            )
        return list(themes.values())

    # pass 2: each row's action key: its Key cell, else the same title in base (then, once
    # goals are known, an alike title in its goal: pair_edited; else a new key)

    def action_keys(self, rows: list[_Row]) -> dict[int, str]:
        table = self.table
        keys: dict[int, str] = {}
        claimed: dict[str, int] = {}  # key → row number
        for row in rows:
            key = row.text(KEY)
            if not key:
                continue
            if len(key) > _KEY_LENGTH or not _KEY.match(key):
                self.problems.append(
                    table.problem(
                        row.number,
                        KEY,
                        _(
                            "“%(key)s” is not a valid key: use lower-case letters a–z, digits, "
                            "“-” and “_” (at most %(limit)s), starting with a letter or digit."
                        )
                        % {"key": key, "limit": _KEY_LENGTH},
                    )
                )
            elif key in claimed:
                self.problems.append(
                    table.problem(
                        row.number,
                        KEY,
                        _("The key “%(key)s” is on row %(other)s too.")
                        % {"key": key, "other": claimed[key]},
                    )
                )
            else:
                claimed[key] = row.number
                keys[row.number] = key
        by_title: dict[str, list[str]] = {}
        for key, (_t, _g, action) in self.base_actions.items():
            by_title.setdefault(_normal(self.own(action["title"])), []).append(key)
        for row in rows:
            if row.number in keys or row.text(KEY):
                continue
            for key in by_title.get(_normal(row.text("action")), []):
                if key not in claimed:
                    claimed[key] = row.number
                    keys[row.number] = key
                    break
        return keys

    def pair_edited(self, rows: list[_Row], base_goal: dict, keys: dict[int, str]) -> None:
        """Rows of a goal that matched nothing take that goal's unclaimed actions whose title
        is alike (SequenceMatcher ratio ≥ EDITED_ALIKE): a typo fixed or a wording changed in
        a sheet without the key column keeps the action, its indicators and its history."""
        claimed = set(keys.values())
        free = [a for a in base_goal["actions"] if a["key"] not in claimed]
        pairs = []
        for row in rows:
            if row.number in keys or row.text(KEY):
                continue
            text = _normal(row.text("action")).casefold()
            for action in free:
                title = _normal(self.own(action["title"])).casefold()
                ratio = SequenceMatcher(None, text, title).ratio()
                if ratio >= EDITED_ALIKE:
                    pairs.append((-ratio, row.number, action["key"]))
        for _ratio, number, key in sorted(pairs):
            if number not in keys and key not in claimed:
                keys[number] = key
                claimed.add(key)

    def new_action_keys(self, rows: list[_Row], keys: dict[int, str]) -> None:
        used = set(self.base_actions) | set(keys.values())
        for row in rows:
            if row.number not in keys and not row.text(KEY):
                keys[row.number] = _slug_key(row.text("action"), used, "action")

    # pass 3: themes and goals: the same title in base, else the one their actions came from

    def _match(self, groups, base_nodes, origin) -> dict[int, dict | None]:
        """group index → the base node it is (None for a new one).

        First by own-language title; then a group whose matched actions all come from one
        base node no other group took is that node renamed.
        """
        found: dict[int, dict | None] = {}
        taken: set[str] = set()
        by_title: dict[str, list[dict]] = {}
        for node in base_nodes:
            by_title.setdefault(_normal(self.own(node["title"])), []).append(node)
        for i, group in enumerate(groups):
            for node in by_title.get(_normal(group.title), []):
                if node["key"] not in taken:
                    taken.add(node["key"])
                    found[i] = node
                    break
        by_key = {node["key"]: node for node in base_nodes}
        for i, group in enumerate(groups):
            if i in found:
                continue
            origins = origin(group) - {None}
            if len(origins) == 1:
                (key,) = origins
                if key in by_key and key not in taken:
                    taken.add(key)
                    found[i] = by_key[key]
                    continue
            found[i] = None
        return found

    def _text(self, node: dict, name: str, cell: str, before: str) -> None:
        """Put `cell` in the node's own-language text unless it is what base says already."""
        if _normal(cell) == _normal(before):
            return
        text = dict(node.get(name) or {})
        if cell:
            text[self.language] = cell
        else:
            text.pop(self.language, None)
        if text:
            node[name] = text
        else:
            node.pop(name, None)

    def _action(self, row: _Row, key: str) -> dict:
        responsible = row.text("responsible")
        per_municipality = any(
            responsible.casefold().startswith(marker.casefold())
            for marker in PER_MUNICIPALITY.values()
        )
        if key in self.base_actions:
            action = copy.deepcopy(self.base_actions[key][2])
            before = action_cells(action, self.programme)
            self._text(action, "title", row.text("action"), before["action"])
            self._text(action, "responsible_text", responsible, before["responsible"])
            self._text(action, "partners_text", row.text("partners"), before["partners"])
            self._text(action, "followup", row.text("followup"), before["followup"])
            if per_municipality and _normal(responsible) != _normal(before["responsible"]):
                action["responsible_per_municipality"] = True
            return action
        action = {"key": key, "title": {self.language: row.text("action")}}
        if responsible:
            action["responsible_text"] = {self.language: responsible}
        if per_municipality:
            action["responsible_per_municipality"] = True
        if row.text("partners"):
            action["partners_text"] = {self.language: row.text("partners")}
        followup = row.text("followup")
        if followup:
            action["followup"] = {self.language: followup}
            indicators = indicators_from_followup(followup, self.language)
            if indicators:
                action["indicators"] = indicators
        return action

    def themes(self) -> list[dict]:
        groups = self.groups()
        self.fail_if_problems()
        rows = [row for t in groups for g in t.goals for row in g.rows]
        keys = self.action_keys(rows)
        self.fail_if_problems()

        def from_base(row: _Row, part: int) -> str | None:
            found = self.base_actions.get(keys.get(row.number, ""))
            return found[part] if found else None

        theme_match = self._match(
            groups,
            self.base_themes,
            lambda t: {from_base(r, 0) for g in t.goals for r in g.rows},
        )
        goal_matches = []
        for i, group in enumerate(groups):
            base_theme = theme_match[i]
            base_key = base_theme["key"] if base_theme else None
            goal_matches.append(
                self._match(
                    group.goals,
                    base_theme["goals"] if base_theme else [],
                    lambda g, base_key=base_key: {
                        from_base(r, 1) for r in g.rows if from_base(r, 0) == base_key
                    },
                )
            )
            for j, goal_group in enumerate(group.goals):
                base_goal = goal_matches[i][j]
                if base_goal is not None:
                    self.pair_edited(goal_group.rows, base_goal, keys)
        self.new_action_keys(rows, keys)

        theme_keys = {t["key"] for t in self.base_themes}
        themes = []
        for i, group in enumerate(groups):
            base_theme = theme_match[i]
            if base_theme is not None:
                theme = {k: copy.deepcopy(v) for k, v in base_theme.items() if k != "goals"}
                self._text(theme, "title", group.title, self.own(base_theme["title"]))
                goal_keys = {g["key"] for g in base_theme["goals"]}
            else:
                key = _slug_key(group.title, theme_keys, "theme")
                theme = {"key": key, "title": {self.language: group.title}}
                goal_keys = set()
            goals = []
            for j, goal_group in enumerate(group.goals):
                base_goal = goal_matches[i][j]
                if base_goal is not None:
                    goal = {k: copy.deepcopy(v) for k, v in base_goal.items() if k != "actions"}
                    self._text(goal, "title", goal_group.title, self.own(base_goal["title"]))
                else:
                    key = _slug_key(goal_group.title, goal_keys, "goal")
                    goal = {"key": key, "title": {self.language: goal_group.title}}
                goal["actions"] = [self._action(r, keys[r.number]) for r in goal_group.rows]
                goals.append(goal)
            theme["goals"] = goals
            themes.append(theme)
        return themes


def document_from_table(data: bytes, *, name: str, suffix: str, base: dict | None) -> dict:
    """`base` (a programme's document) with its themes, goals and actions read from the table.

    Raises ProblemsFound, naming file, row and column, for a file that is not a readable
    table; nothing is changed by reading.
    """
    if base is None:
        raise ProblemsFound(
            [
                Problem(
                    _(
                        "A spreadsheet holds only the action table, so it can only be imported "
                        "into an existing programme: on the command line with --programme SLUG, "
                        "on the web from the programme's page."
                    ),
                    file=name,
                )
            ]
        )
    language = base["programme"]["language"]
    if suffix == ".csv":
        table = _csv_table(data, name=name, language=language)
    else:
        table = _xlsx_table(data, name=name, language=language)
    document = copy.deepcopy(base)
    document["programme"]["themes"] = _Builder(table, base["programme"]).themes()
    return document


# -- guessing indicators from a follow-up text -----------------------------------------------

_ORDINALS = {
    # sv, fi and en words for "every N-th year", by N
    2: ("annat", "andra", "två", "toinen", "kahden", "other", "second", "two"),
    3: ("tredje", "tre", "kolmas", "kolmen", "third", "three"),
    4: ("fjärde", "fyra", "neljäs", "neljän", "fourth", "four"),
    5: ("femte", "fem", "viides", "viiden", "fifth", "five"),
    6: ("sjätte", "sex", "kuudes", "kuuden", "sixth", "six"),
    10: ("tionde", "tio", "kymmenes", "kymmenen", "tenth", "ten"),
}
_ORDINAL = {word: n for n, words in _ORDINALS.items() for word in words}
_FLAGS = re.IGNORECASE
_BAND = re.compile(r"(\d+)\s*[-–—]\s*(\d+)\s*(?:ggr|gånger|kertaa|krt|times)", _FLAGS)
_EVERY_N_YEARS = (
    re.compile(r"\bvart\s*(\d+|[a-zåäö]+)(?::[ae])?\s+år\b", _FLAGS),
    re.compile(r"\bjoka\s+(\d+|[a-zåäö]+)\.?\s+vuosi", _FLAGS),
    re.compile(r"\b(\d+|[a-zåäö]+)\s+vuoden\s+välein", _FLAGS),
    re.compile(r"\bevery\s+(\d+|[a-z]+)(?:st|nd|rd|th)?\s+years?\b", _FLAGS),
)
_SURVEY = re.compile(r"enkät|kysely|\bsurvey|questionnaire", _FLAGS)
# "… och deltagare", "… ja osallistujat", "… and participants": something counted *and* its
# participants ("Antal deltagare" alone is a plain count).
_PARTICIPANTS = re.compile(r"\b(?:och|ja|and)\s+(?:deltagar|osallistuj|participant)", _FLAGS)
_COUNT = re.compile(r"\bantal(?:et)?\b|määrä|\bnumber of\b", _FLAGS)
_LANGUAGES = re.compile(
    r"\bspråk(?:en)?\b|\bkiel(?:i|et|ellä|illä|ille|iin|istä|ten|iversio\w*)\b|\blanguages?\b",
    _FLAGS,
)
_STATISTICS = re.compile(r"statisti|tilasto", _FLAGS)
_EXTERNAL = re.compile(r"viisari|sotkanet", _FLAGS)
_YEARLY = re.compile(
    r"\bårlig(?:en|a|t)?\b|\bvarje år\b|\bvuosittai|\bjoka vuosi\b|\byearly\b|\bannual(?:ly)?\b"
    r"|\bevery year\b",
    _FLAGS,
)


def _every_n_years(line: str) -> int | None:
    for pattern in _EVERY_N_YEARS:
        match = pattern.search(line)
        if match:
            word = match.group(1).casefold()
            years = int(word) if word.isdigit() else _ORDINAL.get(word)
            if years and 1 <= years <= 20:
                return years
    if re.search(r"\bvartannat år\b", line, _FLAGS):
        return 2
    return None


def _guess(line: str) -> tuple[str, dict | None]:
    """(kind, target) for one line of a follow-up text; the first rule that fits wins."""
    band = _BAND.search(line)
    if band:
        low, high = sorted((int(band.group(1)), int(band.group(2))))
        return Indicator.Kind.FREQUENCY_BAND, {"type": "band", "min": low, "max": high}
    if _SURVEY.search(line):
        return Indicator.Kind.SURVEY, None
    if _COUNT.search(line):
        if _PARTICIPANTS.search(line):
            return Indicator.Kind.COUNT_WITH_PARTICIPANTS, None
        return Indicator.Kind.COUNT, None
    years = _every_n_years(line)
    if years:
        return Indicator.Kind.MILESTONE, {"type": "every_n_years", "years": years}
    if _LANGUAGES.search(line):
        return Indicator.Kind.DELIVERABLE_LANGUAGES, None
    if _STATISTICS.search(line):
        return Indicator.Kind.STATISTICS, None
    if _EXTERNAL.search(line):
        return Indicator.Kind.EXTERNAL_INDEX, None
    if _YEARLY.search(line):
        return Indicator.Kind.MILESTONE, {"type": "every_n_years", "years": 1}
    return Indicator.Kind.ONGOING, None


def indicators_from_followup(text: str, language: str) -> list[dict]:
    """Indicators guessed from a follow-up text, one for each of its lines.

    For a new row of an imported table, so that a new action is followed up at all; the
    coordinator confirms the kind and sets units and targets. Each line is read in
    Swedish, Finnish and English alike, by the first rule that fits:

    1. "2-4 ggr per år", "2–4 kertaa vuodessa", "2-4 times a year": frequency band 2–4;
    2. "enkät", "kysely", "survey": survey;
    3. "antal"/"antalet", "määrä", "number of": count, or count with participants when
       participants come after "och", "ja" or "and" ("Antal kurser och deltagare");
    4. "vart fjärde år", "joka neljäs vuosi", "every four years": milestone every 4 years;
    5. "språk", "kieli", "language": deliverable in languages;
    6. "statistik", "tilasto", "statistics": statistics;
    7. "TEA-viisari", "Sotkanet": external index;
    8. "årlig"/"årligen", "vuosittain", "yearly"/"annual": milestone every year;
    9. anything else: an ongoing activity.

    Names are the line in `language`; keys are made from it.
    """
    indicators = []
    used: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind, target = _guess(line)
        indicator: dict = {
            "key": _slug_key(line, used, "indicator"),
            "name": {language: line},
            "kind": str(kind),
            "period": "year",
        }
        if target:
            indicator["target"] = target
        indicator["source"] = "manual"
        indicators.append(indicator)
    return indicators


# -- writing ---------------------------------------------------------------------------------


def _table_rows(programme: dict) -> list[list[str]]:
    """The table's rows (without headings), Tema and Mål written on every row."""
    language = programme["language"]
    rows = []
    for theme in programme["themes"]:
        theme_title = theme["title"].get(language, "")
        for goal in theme["goals"]:
            goal_title = goal["title"].get(language, "")
            for action in goal["actions"]:
                cells = action_cells(action, programme)
                rows.append([theme_title, goal_title, *(cells[c] for c in COLUMNS[2:]), cells[KEY]])
    return rows


def _headings(language: str) -> list[str]:
    headings = HEADINGS[_vocabulary(language)]
    return [headings[c] for c in (*COLUMNS, KEY)]


def _indicator_rows(programme: dict) -> list[list]:
    language = programme["language"]
    rows = []
    with override(_vocabulary(language)):
        for theme in programme["themes"]:
            for goal in theme["goals"]:
                for action in goal["actions"]:
                    for data in action.get("indicators", []):
                        target = data.get("target") or {}
                        # An unsaved indicator words the target as the web pages do.
                        indicator = Indicator(
                            kind=data["kind"],
                            period=data.get("period", "year"),
                            target_type=target.get("type", ""),
                            target_min=target.get("min"),
                            target_max=target.get("max"),
                            target_direction=target.get("direction", ""),
                            target_years=target.get("years"),
                        )
                        direction = target.get("direction")
                        rows.append(
                            [
                                action["key"],
                                data["key"],
                                pick(data["name"], language),
                                str(indicator.get_kind_display()),
                                pick(data.get("unit"), language),
                                str(indicator.get_period_display()),
                                str(indicator.target_display),
                                target.get("min"),
                                target.get("max"),
                                str(Indicator.Direction(direction).label) if direction else "",
                                target.get("years"),
                                str(Indicator.Scope(data.get("scope", "municipality")).label),
                                str(_("Yes") if data.get("counts_people") else _("No")),
                            ]
                        )
    return rows


def _write_sheet(sheet, headings: list[str], rows: list[list], widths: list[int]) -> None:
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=column)
        spreadsheets.write_text(cell, heading)
        cell.font = bold
        cell.alignment = wrapped
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                spreadsheets.write_text(cell, value)
                cell.number_format = "@"  # Excel keeps what is typed there as text too
            else:
                cell.value = value
            cell.alignment = wrapped
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = get_column_letter(len(headings))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"


def table_xlsx(document: dict) -> bytes:
    """The action table as an XLSX workbook, and its indicators on a second sheet."""
    programme = document["programme"]
    vocabulary = _vocabulary(programme["language"])
    workbook = Workbook()
    table = workbook.active
    table.title = SHEET_NAMES[vocabulary]
    _write_sheet(
        table,
        _headings(vocabulary),
        _table_rows(programme),
        [_WIDTHS[c] for c in (*COLUMNS, KEY)],
    )
    indicators = workbook.create_sheet(INDICATOR_SHEET_NAMES[vocabulary])
    _write_sheet(
        indicators,
        list(INDICATOR_HEADINGS[vocabulary]),
        _indicator_rows(programme),
        [30, 30, 40, 22, 20, 12, 20, 8, 8, 14, 12, 24, 16],
    )
    indicators.protection.sheet = True
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def table_csv(document: dict) -> bytes:
    """The action table as CSV: UTF-8 with a byte order mark, values separated by ";".

    The semicolon is what Excel expects in Finland and Sweden (where "," is the decimal
    comma); the byte order mark makes it read the file as UTF-8.
    """
    programme = document["programme"]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headings(programme["language"]))
    for row in _table_rows(programme):
        writer.writerow([spreadsheets.escape_csv(value) for value in row])
    return stream.getvalue().encode("utf-8-sig")
