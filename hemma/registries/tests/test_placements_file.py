"""The placements file: read, planned, imported all or nothing, with problems by row and
column; and written in the same format, so that an export reads back unchanged."""

import io

import pytest
from openpyxl import Workbook

from hemma.lib.problems import ProblemsFound
from hemma.registries.models import Placement
from hemma.registries.placements_file import (
    placements_csv,
    placements_import,
    placements_plan,
    placements_xlsx,
)
from hemma.registries.services import placement_record
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Kind = Placement.Kind
SV_HEADINGS = "Kommunkod;Kommun;Enhet;Typ av plats;Period;Antal personer;Anteckning"


@pytest.fixture
def units(region_a, municipality_a1, municipality_a2):
    """The region's school, and a unit of each municipality with the same name."""
    return {
        "school": f.OrganisationFactory(
            region=region_a, key="skolan", name={"sv": "Skolan", "fi": "Koulu"}
        ),
        "a1": f.OrganisationFactory(
            region=region_a, key="a1-teknik", name={"sv": "Tekniska"}, municipality=municipality_a1
        ),
        "a2": f.OrganisationFactory(
            region=region_a, key="a2-teknik", name={"sv": "Tekniska"}, municipality=municipality_a2
        ),
    }


def csv_file(*rows: str, heading: str = SV_HEADINGS) -> bytes:
    return "\n".join([heading, *rows]).encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def problems_of(region, user, data, name="placeringar.csv"):
    with pytest.raises(ProblemsFound) as found:
        placements_import(actor=user, region=region, name=name, data=data, dry_run=False)
    return [(p.row, p.column, p.message) for p in found.value.problems]


def test_a_file_is_planned_and_imported(
    coordinator_region, region_a, municipality_a1, municipality_a2, units
):
    # Given A1's school's work try-outs of 2024 stored as 10, with a note
    placement_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        unit=units["school"],
        kind=Kind.WORK_TRYOUT,
        period="2024",
        people=10,
        note="From the register",
    )
    data = csv_file(
        "101;A-stad;skolan;Arbetsprövning;2024;12;",  # replaced; the note kept
        "102;A-by;Tekniska;Lönesubventionerat arbete;2024H2;3;Two in the kitchen",  # by name
        "101;A-stad;Koulu;job;2024Q1;1;",  # a Finnish name, a kind's code
    )

    # When it is planned
    plan = placements_plan(data, name="p.csv", region=region_a, user=coordinator_region)

    # Then the changes say old → new, and nothing is recorded yet
    changes = {(c.row, c.unit.key, c.kind, c.period, c.old, c.new) for c in plan.changes}
    assert changes == {
        (2, "skolan", Kind.WORK_TRYOUT, "2024", 10, 12),
        (3, "a2-teknik", Kind.WAGE_SUBSIDY, "2024H2", None, 3),
        (4, "skolan", Kind.JOB, "2024Q1", None, 1),
    }
    assert not plan.problems
    assert Placement.objects.count() == 1

    # When it is imported
    placements_import(
        actor=coordinator_region, region=region_a, name="p.csv", data=data, dry_run=False
    )

    # Then the placements are stored
    stored = {
        (p.municipality.code, p.unit.key, p.kind, p.period): (p.people, p.note)
        for p in Placement.objects.select_related("municipality", "unit")
    }
    assert stored == {
        ("101", "skolan", Kind.WORK_TRYOUT, "2024"): (12, "From the register"),
        ("102", "a2-teknik", Kind.WAGE_SUBSIDY, "2024H2"): (3, "Two in the kitchen"),
        ("101", "skolan", Kind.JOB, "2024Q1"): (1, ""),
    }


def test_a_dry_run_keeps_nothing(coordinator_region, region_a, units):
    plan, _table = placements_import(
        actor=coordinator_region,
        region=region_a,
        name="p.csv",
        data=csv_file("101;;skolan;Job;2024;3;"),
        dry_run=True,
    )
    assert len(plan.items) == 1
    assert not Placement.objects.exists()


def test_each_error_is_told_with_its_row_and_column_and_nothing_is_saved(
    coordinator_region, region_a, units
):
    data = csv_file(
        "101;A-stad;skolan;Job;2024;3;",  # good
        "999;X;skolan;Job;2024;1;",  # unknown municipality: column A
        "101;A-stad;a2-teknik;Job;2024;1;",  # a unit of A2: column C
        "101;A-stad;nobody;Praktik;2023-2025;1,5;",  # unit C, kind D, period E, people F
        "101;A-stad;skolan;Job;2024;4;",  # row 2 again: column E
        "102;A-by;Tekniska;Job;2024;;",  # no number of people: column F
    )
    problems = problems_of(region_a, coordinator_region, data)
    assert [(row, column) for row, column, _m in problems] == [
        (3, "A"),
        (4, "C"),
        (5, "C"),
        (5, "D"),
        (5, "E"),
        (5, "F"),
        (6, "E"),
        (7, "F"),
    ]
    messages = [message for _r, _c, message in problems]
    assert "“999” is not a municipality of the region." in messages[0]
    assert "a unit of another municipality" in messages[1]
    assert "is not a kind of place" in messages[3] and "“Anställning”" in messages[3]
    assert "not a period of a placement" in messages[4]
    assert "Row 2 gives the same" in messages[6]
    assert "Give the number of people." in messages[7]
    assert not Placement.objects.exists()


def test_a_name_that_fits_several_units_asks_for_the_key(coordinator_region, region_a, units):
    # "Tekniska" names A1's own unit, and now one of the region as a whole too
    f.OrganisationFactory(region=region_a, key="teknik-region", name={"fi": "Tekniska"})
    problems = problems_of(region_a, coordinator_region, csv_file("101;;TEKNISKA ;Job;2024;3;"))
    assert problems[0][:2] == (2, "C")
    assert "write the unit's key" in problems[0][2]
    # For A2 it names A2's own and the region's: as ambiguous; A2's key is not
    assert problems_of(region_a, coordinator_region, csv_file("102;;Tekniska;Job;2024;3;"))
    placements_import(
        actor=coordinator_region,
        region=region_a,
        name="p.csv",
        data=csv_file("102;;a2-teknik;Job;2024;3;"),
        dry_run=False,
    )
    assert Placement.objects.get().unit == units["a2"]


def test_a_municipal_coordinators_file_may_not_touch_a_neighbour(coordinator_a, region_a, units):
    problems = problems_of(region_a, coordinator_a, csv_file("102;;skolan;Job;2024;3;"))
    assert problems[0][:2] == (2, "A")
    assert "You may not record placements for A-by" in problems[0][2]


def test_a_file_without_the_heading_row_is_refused(coordinator_region, region_a, units):
    problems = problems_of(region_a, coordinator_region, csv_file("101;3", heading="Kod;Antal"))
    assert "No heading row with the columns" in problems[0][2]
    with pytest.raises(ProblemsFound) as found:
        placements_import(
            actor=coordinator_region, region=region_a, name="p.pdf", data=b"x", dry_run=False
        )
    assert "not “.pdf”" in found.value.problems[0].message


def test_an_xlsx_with_a_title_above_the_headings_and_a_formula(coordinator_region, region_a, units):
    data = xlsx_file(
        [
            ["Placeringar 2024"],
            ["Kuntakoodi", "Yksikkö", "Paikan laji", "Jakso", "Henkilöitä"],
            ["101", "skolan", "Työkokeilu", "2024", 4],
            ["101", "skolan", "Oppisopimuspaikka", "2024", "=2+2"],
        ]
    )
    problems = problems_of(region_a, coordinator_region, data, name="p.xlsx")
    assert [(row, column) for row, column, _m in problems] == [(4, "E")]
    assert "formula" in problems[0][2]


def test_an_export_reads_back_unchanged(coordinator_region, region_a, municipality_a1, units):
    for kind, period, people in ((Kind.JOB, "2024", 2), (Kind.WORK_TRYOUT, "2024H1", 11)):
        placement_record(
            actor=None,
            region=region_a,
            municipality=municipality_a1,
            unit=units["a1"],
            kind=kind,
            period=period,
            people=people,
            note="Semikolon; och =tecken",
        )
    placements = Placement.objects.select_related("municipality", "unit").order_by("kind")
    for language in ("sv", "fi", "en"):
        for name, data in (
            ("p.csv", placements_csv(placements, language=language)),
            ("p.xlsx", placements_xlsx(placements, language=language)),
        ):
            plan = placements_plan(data, name=name, region=region_a, user=coordinator_region)
            assert (plan.rows, plan.unchanged, plan.changes, plan.problems) == (2, 2, [], [])
    text = placements_csv(placements, language="sv").decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Kommunkod;Kommun;Enhet;Enhetens namn;Typ av plats;Period;Antal personer;Anteckning"
    )
    assert "101;A-stad;a1-teknik;Tekniska;Anställning;2024;2;" in text
