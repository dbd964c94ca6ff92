"""The action table as a spreadsheet: XLSX and CSV in and out, and bad files refused."""

import copy
import csv
import io
import zipfile

import openpyxl
import pytest

from hemma.lib.problems import ProblemsFound
from hemma.programmes.interchange import exporting, tabular
from hemma.programmes.interchange.files import document_from_file, export_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Action

pytestmark = pytest.mark.django_db

SWEDISH = ["Tema", "Mål", "Åtgärd", "Ansvarsinstans", "Samarbetspartner", "Uppföljning"]
FINNISH = ["Teema", "Tavoite", "Toimenpide", "Vastuutaho", "Yhteistyökumppani(t)", "Seuranta"]
ENGLISH = ["Theme", "Goal", "Action", "Responsible", "Partner(s)", "Follow-up"]
RISKY = ['=HYPERLINK("http://x")', "+358 40 123", "-5 dagar", "@SUM(A1)"]


def workbook_bytes(rows: list[list], *, title: str = "Blad1", merge: tuple[str, ...] = ()) -> bytes:
    """A workbook whose first sheet holds `rows` from A1, as a person would make it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows(rows)
    return stream.getvalue().encode(encoding)


def seed_rows(programme) -> list[list[str]]:
    """The seed's table as a coordinator keeps it: Tema and Mål on a group's first row only."""
    rows, theme_before, goal_before = [], None, None
    document = exporting.programme_document(programme)["programme"]
    for theme in document["themes"]:
        for goal in theme["goals"]:
            for action in goal["actions"]:
                cells = tabular.action_cells(action, document)
                theme_cell = theme["title"]["sv"] if theme["key"] != theme_before else ""
                goal_cell = goal["title"]["sv"] if goal["key"] != goal_before else ""
                theme_before, goal_before = theme["key"], goal["key"]
                rows.append(
                    [
                        theme_cell,
                        goal_cell,
                        cells["action"],
                        cells["responsible"],
                        cells["partners"],
                        cells["followup"],
                    ]
                )
    return rows


def coordinators_sheet(programme, *, headings=SWEDISH, edit=None) -> list[list]:
    rows = seed_rows(programme)
    if edit:
        edit(rows)
    return [["Åtgärdsprogram 2023–2025"], [], headings, *rows]


def import_file(programme, content: bytes, name: str, *, dry_run: bool = False):
    document = document_from_file(io.BytesIO(content), name=name, programme=programme)
    return programme_import(actor=None, document=document, file=name, dry_run=dry_run)


def problems_importing(programme, content: bytes, name: str):
    with pytest.raises(ProblemsFound) as raised:
        import_file(programme, content, name)
    return raised.value.problems


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_seed_exported_and_imported_back_changes_nothing(seed_programme, fmt):
    content, _type, name = export_file(seed_programme, fmt)
    before = exporting.programme_document(seed_programme)

    result = import_file(seed_programme, content, name)

    assert result.changes == []
    assert exporting.programme_document(seed_programme) == before


@pytest.mark.parametrize(
    "column, text, field",
    [
        (2, "En tjänsteinnehavare som ansvarar för inledande kartläggningar", "title"),
        (5, "Antalet integrationsplaner och kartläggningar per år", "followup"),
        (3, "Kommunen", "responsible_text"),
    ],
    ids=["action text reworded", "follow-up", "responsible"],
)
def test_a_coordinators_sheet_with_one_edited_action_changes_exactly_that_action(
    seed_programme, column, text, field
):
    # Given the table as coordinators keep it: a title row, Tema and Mål only on the first
    # row of a group (the theme cells merged), no key column; one cell of one action edited.
    rows = seed_rows(seed_programme)
    action = Action.objects.get(title__sv=rows[5][2])

    def edit(rows):
        rows[5][column] = text

    content = workbook_bytes(coordinators_sheet(seed_programme, edit=edit), merge=["A4:A12"])

    result = import_file(seed_programme, content, "tabell.xlsx")

    assert [(c.verb, c.node, c.key, list(c.fields)) for c in result.changes] == [
        ("update", "action", action.key, [field])
    ]
    edited = Action.objects.get(pk=action.pk)
    assert getattr(edited, field)["sv"] == text
    # The other languages and the indicators are kept.
    assert getattr(edited, field)["fi"] == getattr(action, field)["fi"]
    assert list(edited.indicators.values("key", "kind")) == list(
        action.indicators.values("key", "kind")
    )


def test_an_action_text_replaced_by_another_is_a_new_action(seed_programme):
    rows = seed_rows(seed_programme)
    old = Action.objects.get(title__sv=rows[5][2])

    def edit(rows):
        rows[5][2] = "Språkcaféer i samarbete med biblioteket"

    content = workbook_bytes(coordinators_sheet(seed_programme, edit=edit))

    result = import_file(seed_programme, content, "tabell.xlsx", dry_run=True)

    assert [(c.verb, c.node, c.key) for c in result.changes] == [
        ("create", "action", "sprakcafeer-i-samarbete-med-biblioteket"),
        ("create", "indicator", "antalet-integrationsplaner-per-ar"),
        ("delete", "action", old.key),
    ]


@pytest.mark.parametrize(
    "headings",
    [FINNISH, ENGLISH, [h.upper() + "  " for h in SWEDISH], [*FINNISH[:5], "Seuranta / mittari"]],
    ids=["finnish", "english", "upper-case-with-spaces", "seuranta-mittari"],
)
def test_finnish_and_english_headings_are_read(seed_programme, headings):
    content = workbook_bytes(coordinators_sheet(seed_programme, headings=headings))

    result = import_file(seed_programme, content, "table.xlsx")

    assert result.changes == []


def test_a_csv_separated_by_commas_or_tabs_is_read(seed_programme):
    for delimiter in (",", "\t"):
        content = csv_bytes(coordinators_sheet(seed_programme), delimiter=delimiter)
        assert import_file(seed_programme, content, "tabell.csv").changes == []


def test_a_new_row_becomes_a_new_action_with_guessed_indicators(seed_programme):
    def edit(rows):
        rows.insert(
            3,
            [
                "",
                "",
                "Gemensam studieresa för integrationsansvariga",
                "Kommunspecifikt (integrationsansvariga)",
                "AN-byrån",
                "Studieresa 1-2 ggr per år\nAntal deltagare",
            ],
        )

    content = workbook_bytes(coordinators_sheet(seed_programme, edit=edit))

    result = import_file(seed_programme, content, "tabell.xlsx")

    assert [(c.verb, c.node) for c in result.changes] == [
        ("create", "action"),
        ("create", "indicator"),
        ("create", "indicator"),
    ]
    action = Action.objects.get(key="gemensam-studieresa-for-integrationsansvariga")
    # An empty Tema and Mål continue the row above: the new action joins its goal.
    assert action.goal.key == Action.objects.get(key="regelbundna-traffar").goal.key
    assert action.responsible_per_municipality
    assert action.partners_text == {"sv": "AN-byrån"}
    band, count = action.indicators.all()
    assert (band.kind, band.target) == ("frequency_band", {"type": "band", "min": 1, "max": 2})
    assert (count.kind, count.name) == ("count", {"sv": "Antal deltagare"})
    assert [a.key for a in action.goal.actions.all()] == ["regelbundna-traffar", action.key]


def test_a_removed_row_removes_that_action(seed_programme):
    rows = coordinators_sheet(seed_programme)
    # Row 8 of the sheet is the fifth action, the only one of its goal: that goal goes too.
    removed = rows.pop(7)
    assert removed[1]  # it starts its goal, and the next row starts another

    result = import_file(seed_programme, workbook_bytes(rows), "tabell.xlsx")

    assert not Action.objects.filter(title__sv=removed[2]).exists()
    assert Action.objects.count() == 23
    assert [(c.verb, c.node, c.label) for c in result.changes] == [
        ("delete", "action", removed[2]),
        ("delete", "goal", removed[1]),
    ]


def test_an_edited_title_keeps_the_action_when_the_key_column_is_there(seed_programme):
    content, _type, name = export_file(seed_programme, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    key = sheet["G2"].value
    sheet["C2"] = "Helt ny formulering av åtgärden"
    stream = io.BytesIO()
    workbook.save(stream)
    action_id = Action.objects.get(key=key).pk

    result = import_file(seed_programme, stream.getvalue(), name)

    assert [(c.verb, c.key) for c in result.changes] == [("update", key)]
    assert Action.objects.get(pk=action_id).title["sv"] == "Helt ny formulering av åtgärden"


def test_a_renamed_theme_keeps_its_identity_and_translations(seed_programme):
    theme = seed_programme.themes.get(position=1)

    def edit(rows):
        for row in rows:
            if row[0] == theme.title["sv"]:
                row[0] = "Sociala förhållanden, nätverk och fritid"

    content = workbook_bytes(coordinators_sheet(seed_programme, edit=edit))

    result = import_file(seed_programme, content, "tabell.xlsx")

    assert [(c.verb, c.node, c.key) for c in result.changes] == [("update", "theme", theme.key)]
    theme.refresh_from_db()
    assert theme.title["sv"] == "Sociala förhållanden, nätverk och fritid"
    assert theme.title["fi"]


def test_a_csv_edited_in_a_text_editor_reads_its_escaped_cells_back(seed_programme):
    content, _type, name = export_file(seed_programme, "csv")
    text = content.decode("utf-8-sig").replace(
        "Gemensamma möten 2-4 ggr per år", "'-5 dagar före mötet"
    )

    import_file(seed_programme, text.encode("utf-8-sig"), name)

    assert Action.objects.filter(followup__sv="-5 dagar före mötet").exists()


def test_a_table_without_a_programme_is_refused_with_a_hint():
    content = workbook_bytes([SWEDISH, ["T", "M", "Å", "", "", ""]])
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(content), name="tabell.xlsx")
    (problem,) = raised.value.problems
    assert problem.file == "tabell.xlsx"
    assert "--programme" in problem.message


# -- bad files ---------------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return stream.getvalue()


def a_table(*rows: list) -> list[list]:
    return [SWEDISH, ["Tema 1", "Mål 1", "Åtgärd 1", "Kommunen", "", "Statistik"], *rows]


BAD_FILES = {
    # case: (file name, a function making its content, row, column, words in the message)
    "random bytes": ("tabell.xlsx", lambda: bytes(range(256)) * 40, None, "", "not an Excel"),
    "a word document renamed": (
        "tabell.xlsx",
        lambda: zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:doc/>"}),
        None,
        "",
        "not an Excel workbook",
    ),
    "a plain zip renamed": (
        "tabell.xlsx",
        lambda: zipped({"notes.txt": b"hello"}),
        None,
        "",
        "not an Excel workbook",
    ),
    "a zip bomb": (
        "tabell.xlsx",
        lambda: zipped({"xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)}),
        None,
        "",
        "zip bomb",
    ),
    "no sheet with the table": (
        "tabell.xlsx",
        lambda: workbook_bytes([["Budget"], ["Post", "Summa"], ["Tolkning", 1200]]),
        None,
        "",
        "No sheet has the action table",
    ),
    "missing columns": (
        "tabell.xlsx",
        lambda: workbook_bytes([["Rubrik"], ["Tema", "Mål", "Åtgärd", "Ansvarsinstans"]]),
        2,
        "",
        "“Samarbetspartner”, “Uppföljning”",
    ),
    "a theme and goal without an action": (
        "tabell.xlsx",
        lambda: workbook_bytes(a_table(["Tema 2", "Mål 2", "", "", "", ""])),
        3,
        "C",
        "no action",
    ),
    "an action without a theme above it": (
        "tabell.xlsx",
        lambda: workbook_bytes([SWEDISH, ["", "Mål 1", "Åtgärd 1", "", "", ""]]),
        2,
        "A",
        "no theme",
    ),
    "a new theme without its goal": (
        "tabell.xlsx",
        lambda: workbook_bytes(a_table(["Tema 2", "", "Åtgärd 2", "", "", ""])),
        3,
        "B",
        "no goal",
    ),
    "a formula": (
        "tabell.xlsx",
        lambda: workbook_bytes(
            a_table(
                *[["", "", f"Åtgärd {n}", "", "", ""] for n in range(2, 6)],
                ["", "", "=A1&B1", "", "", ""],
            )
        ),
        7,
        "C",
        "Cell C7 holds a formula; Hemma reads values only",
    ),
    "a key that is not a key": (
        "tabell.xlsx",
        lambda: workbook_bytes([[*SWEDISH, "Nyckel"], ["T", "M", "Å", "", "", "", "Not A Key"]]),
        2,
        "G",
        "not a valid key",
    ),
    "the same key twice": (
        "tabell.xlsx",
        lambda: workbook_bytes(
            [
                [*SWEDISH, "Nyckel"],
                ["T", "M", "Å", "", "", "", "k"],
                ["", "", "B", "", "", "", "k"],
            ]
        ),
        3,
        "G",
        "row 2 too",
    ),
    "a cell too long": (
        "tabell.xlsx",
        lambda: workbook_bytes(a_table(["", "", "x" * 5001, "", "", ""])),
        3,
        "C",
        "too long",
    ),
    "only headings": ("tabell.xlsx", lambda: workbook_bytes([SWEDISH]), 1, "", "no actions"),
    "more than 2000 rows": (
        "tabell.xlsx",
        lambda: workbook_bytes(
            a_table(*[["", "", f"Åtgärd {n}", "", "", ""] for n in range(2001)])
        ),
        2002,
        "",
        "more than 2000 rows",
    ),
    "a csv that is not UTF-8": (
        "tabell.csv",
        lambda: csv_bytes(a_table()) + "Tema 1;Mål 1;Åtgärd två;;;\r\n".encode("latin-1"),
        3,
        "",
        "not UTF-8",
    ),
    "a csv with another delimiter": (
        "tabell.csv",
        lambda: "\n".join("|".join(row) for row in a_table()).encode(),
        None,
        "",
        "separated by semicolons, commas or tabs",
    ),
    "a csv with a runaway quote": (
        "tabell.csv",
        lambda: csv_bytes(a_table()) + b'T;M;"' + b"x" * 200_000 + b"\n",
        3,
        "",
        "cannot be read as CSV",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_names_its_place_and_changes_nothing(programme_a, case):
    name, make, row, column, words = BAD_FILES[case]
    before = exporting.programme_document(programme_a)

    problems = problems_importing(programme_a, make(), name)

    assert problems[0].file == name
    assert (problems[0].row, problems[0].column) == (row, column)
    assert words in problems[0].message
    assert exporting.programme_document(programme_a) == before


def test_every_formula_is_reported_with_its_cell(programme_a):
    content = workbook_bytes(a_table(["", "", "=1+1", "=NOW()", "", ""]))
    problems = problems_importing(programme_a, content, "tabell.xlsx")
    assert [(p.row, p.column, p.field) for p in problems] == [
        (3, "C", "Åtgärd"),
        (3, "D", "Ansvarsinstans"),
    ]


def test_an_80_mb_workbook_is_refused_without_being_read(programme_a, settings):
    class Lazy(io.RawIOBase):
        """80 MB that exist only as they are read."""

        size = 80 * 1024 * 1024
        handed_out = 0

        def readable(self):
            return True

        def read(self, size=-1):
            size = self.size - self.handed_out if size < 0 else size
            size = min(size, self.size - self.handed_out)
            self.handed_out += size
            return b"PK" + b"\0" * (size - 2) if size >= 2 else b"\0" * size

    stream = Lazy()
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(stream, name="huge.xlsx", programme=programme_a)
    assert "larger than" in raised.value.problems[0].message
    assert stream.handed_out == settings.HEMMA_MAX_IMPORT_BYTES + 1


# -- export ------------------------------------------------------------------------------


def risky_programme(programme_a):
    """programme_a with texts a spreadsheet would take for formulas, in every column."""
    action = programme_a.actions.get()
    action.title = {"sv": RISKY[0]}
    action.responsible_text = {"sv": RISKY[1]}
    action.partners_text = {"sv": RISKY[2]}
    action.followup = {"sv": RISKY[3]}
    action.save()
    goal = action.goal
    goal.title = {"sv": "=1+1"}
    goal.save()
    return programme_a


def test_xlsx_export_never_writes_a_formula(programme_a):
    content, _type, name = export_file(risky_programme(programme_a), "xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(content))  # formulas load as "=…", type "f"
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]

    assert [c.data_type for c in cells if c.data_type == "f"] == []
    assert [c.value for c in workbook.worksheets[0][2]][1:6] == ["=1+1", *RISKY]
    # …and such a workbook imports back unchanged.
    assert import_file(programme_a, content, name).changes == []


def test_csv_export_escapes_formulas_and_reads_them_back(programme_a):
    content, _type, name = export_file(risky_programme(programme_a), "csv")

    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it right
    heading, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert heading == [*SWEDISH, "Nyckel"]
    assert row[1:6] == ["'=1+1", *(f"'{text}" for text in RISKY)]
    assert import_file(programme_a, content, name).changes == []


def test_the_xlsx_has_a_bold_frozen_heading_and_the_indicators_on_a_second_sheet(seed_programme):
    content, content_type, name = export_file(seed_programme, "xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(content))

    assert name.endswith(".xlsx") and "spreadsheetml" in content_type
    table, indicators = workbook.worksheets
    assert (table.title, indicators.title) == ("Åtgärdsprogram", "Indikatorer (endast läsning)")
    assert indicators.protection.sheet is True
    assert table.freeze_panes == "A2"
    assert [c.value for c in table[1]] == [*SWEDISH, "Nyckel"]
    assert all(c.font.bold for c in table[1])
    assert table.max_row == 25  # the heading and the 24 actions
    assert not table.merged_cells.ranges  # Tema and Mål on every row: filters work
    assert all(table.cell(row=r, column=1).value for r in range(2, 26))
    assert table["C2"].alignment.wrap_text
    assert indicators["B1"].value == "Indikatorns nyckel"
    bands = [
        (row[1].value, row[7].value, row[8].value, bool(row[6].value))
        for row in indicators.iter_rows(min_row=2)
        if row[7].value is not None
    ]
    assert bands == [("gemensamma-moten", 2, 4, True), ("gemensamma-evenemang", 1, 3, True)]


@pytest.mark.parametrize(
    "language, sheets, first",
    [
        ("fi", ("Toimenpideohjelma", "Mittarit (vain luettavaksi)"), "Teema"),
        ("en", ("Action programme", "Indicators (read only)"), "Theme"),
    ],
)
def test_headings_and_sheets_are_named_in_the_programmes_language(
    seed_document, language, sheets, first
):
    document = copy.deepcopy(seed_document)
    document["programme"]["language"] = language

    workbook = openpyxl.load_workbook(io.BytesIO(tabular.table_xlsx(document)))

    assert tuple(workbook.sheetnames) == sheets
    assert workbook.worksheets[0]["A1"].value == first
    title = document["programme"]["themes"][0]["title"][language]
    assert workbook.worksheets[0]["A2"].value == title


# -- guessing indicators -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, kind, target",
    [
        (
            "Gemensamma möten 2-4 ggr per år",
            "sv",
            "frequency_band",
            {"type": "band", "min": 2, "max": 4},
        ),
        (
            "Yhteiset kokoukset 2–4 kertaa vuodessa",
            "fi",
            "frequency_band",
            {"type": "band", "min": 2, "max": 4},
        ),
        (
            "Joint meetings 2-4 times a year",
            "en",
            "frequency_band",
            {"type": "band", "min": 2, "max": 4},
        ),
        ("Uppdatering vart fjärde år", "sv", "milestone", {"type": "every_n_years", "years": 4}),
        ("Päivitys joka neljäs vuosi", "fi", "milestone", {"type": "every_n_years", "years": 4}),
        ("Update every four years", "en", "milestone", {"type": "every_n_years", "years": 4}),
        ("Update every 3 years", "en", "milestone", {"type": "every_n_years", "years": 3}),
        (
            "Årlig genomgång i budgeteringsskedet",
            "sv",
            "milestone",
            {"type": "every_n_years", "years": 1},
        ),
        ("Läpikäynti vuosittain", "fi", "milestone", {"type": "every_n_years", "years": 1}),
        ("Antal ordnade kurser och deltagare", "sv", "count_with_participants", None),
        ("Number of events and participants", "en", "count_with_participants", None),
        ("Kurssien ja osallistujien määrä", "fi", "count_with_participants", None),
        ("Antal deltagare", "sv", "count", None),
        ("Antalet integrationsplaner per år", "sv", "count", None),
        ("Kotoutumissuunnitelmien määrä", "fi", "count", None),
        ("Number of meeting places", "en", "count", None),
        ("Årligen enkät för invandrare", "sv", "survey", None),
        ("Maahanmuuttajakysely", "fi", "survey", None),
        ("Information på för kommunen relevanta språk", "sv", "deliverable_languages", None),
        ("Tietoa kunnalle olennaisilla kielillä", "fi", "deliverable_languages", None),
        ("Material in the relevant languages", "en", "deliverable_languages", None),
        ("Statistik", "sv", "statistics", None),
        ("Työllisyystilasto", "fi", "statistics", None),
        ("TEA-viisari", "sv", "external_index", None),
        ("Fortlöpande möten enheterna emellan", "sv", "ongoing", None),
    ],
)
def test_indicators_are_guessed_from_the_followup(text, language, kind, target):
    (indicator,) = tabular.indicators_from_followup(text, language)
    assert indicator["kind"] == kind
    assert indicator.get("target") == target
    assert indicator["name"] == {language: text}


def test_each_line_of_a_followup_is_an_indicator_with_its_own_key():
    indicators = tabular.indicators_from_followup("Statistik\n\nStatistik\nÅrlig enkät", "sv")
    assert [(i["key"], i["kind"]) for i in indicators] == [
        ("statistik", "statistics"),
        ("statistik-2", "statistics"),
        ("arlig-enkat", "survey"),
    ]


def test_a_followup_without_latin_letters_still_gets_a_key():
    (indicator,) = tabular.indicators_from_followup("اجتماعات منتظمة", "ar")
    assert indicator["key"] == "indicator"
