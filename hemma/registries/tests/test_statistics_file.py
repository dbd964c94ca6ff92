"""The statistics file: read, planned, imported all or nothing, with problems by row and column."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from hemma.lib.problems import ProblemsFound
from hemma.registries.models import ServiceStatistic
from hemma.registries.services import statistic_record
from hemma.registries.statistics_file import (
    statistics_csv,
    statistics_import,
    statistics_plan,
    statistics_xlsx,
)

pytestmark = pytest.mark.django_db

M = ServiceStatistic.Measure
SV_HEADINGS = "Kommunkod;Kommun;Period;Integrationsplaner;Mediantid till kartläggning (dagar);Källa"


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


def problems_of(region, user, data, name="statistik.csv"):
    with pytest.raises(ProblemsFound) as found:
        statistics_import(actor=user, region=region, name=name, data=data, dry_run=False)
    return [(p.row, p.column, p.message) for p in found.value.problems]


def test_a_file_is_planned_and_imported(
    coordinator_region, region_a, municipality_a1, municipality_a2
):
    # Given A1's integration plans of 2024 stored as 10
    statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=M.INTEGRATION_PLANS,
        value=10,
    )
    data = csv_file("101;A-stad;2024;12;45,5;KEHA", "102;A-by;2024;7;;KEHA")

    # When it is planned
    plan = statistics_plan(data, name="s.csv", region=region_a, user=coordinator_region)

    # Then the changes say old → new, and nothing is recorded yet
    changes = {(c.row, c.municipality.code, c.measure, c.old, c.new) for c in plan.changes}
    assert changes == {
        (2, "101", M.INTEGRATION_PLANS, Decimal(10), Decimal(12)),
        (2, "101", M.MEDIAN_DAYS_TO_ASSESSMENT, None, Decimal("45.5")),
        (3, "102", M.INTEGRATION_PLANS, None, Decimal(7)),
    }
    assert not plan.problems
    assert ServiceStatistic.objects.count() == 1

    # When it is imported
    statistics_import(
        actor=coordinator_region, region=region_a, name="s.csv", data=data, dry_run=False
    )

    # Then the statistics are stored, with their source
    stored = {
        (s.municipality.code, s.measure): (s.value, s.source)
        for s in ServiceStatistic.objects.select_related("municipality")
    }
    assert stored == {
        ("101", M.INTEGRATION_PLANS): (Decimal(12), "KEHA"),
        ("101", M.MEDIAN_DAYS_TO_ASSESSMENT): (Decimal("45.5"), "KEHA"),
        ("102", M.INTEGRATION_PLANS): (Decimal(7), "KEHA"),
    }


def test_a_dry_run_keeps_nothing(coordinator_region, region_a, municipality_a1):
    plan, _table = statistics_import(
        actor=coordinator_region,
        region=region_a,
        name="s.csv",
        data=csv_file("101;A-stad;2024;12;;"),
        dry_run=True,
    )
    assert len(plan.items) == 1
    assert not ServiceStatistic.objects.exists()


def test_each_error_is_told_with_its_row_and_column_and_nothing_is_saved(
    coordinator_region, region_a, municipality_a1, municipality_a2
):
    data = csv_file(
        "101;A-stad;2024;12;30;",  # good
        "999;X;2024;1;;",  # unknown municipality: column A
        "102;A-by;someday;1;;",  # bad period: column C
        "102;A-by;2025;2,5;;",  # a count with decimals: column D
        "101;A-stad;2025;-1;abc;",  # below zero (D), not a number (E)
    )
    problems = problems_of(region_a, coordinator_region, data)
    assert [(row, column) for row, column, _m in problems] == [
        (3, "A"),
        (4, "C"),
        (5, "D"),
        (6, "D"),
        (6, "E"),
    ]
    assert "“999” is not a municipality of the region." in problems[0][2]
    assert "A count is a whole number." in problems[2][2]
    assert not ServiceStatistic.objects.exists()


def test_identical_rows_are_found(coordinator_region, region_a, municipality_a1):
    data = csv_file("101;A-stad;2024;12;;", "101;A-stad;2024;12;;")
    problems = problems_of(region_a, coordinator_region, data)
    assert problems == [(3, "C", "Row 2 gives the same municipality and period.")]
    assert not ServiceStatistic.objects.exists()


def test_a_formula_is_refused(coordinator_region, region_a, municipality_a1):
    data = xlsx_file(
        [
            ["Municipality code", "Period", "Integration plans"],
            ["101", "2024", "=2+3"],
        ]
    )
    problems = problems_of(region_a, coordinator_region, data, name="s.xlsx")
    assert [(row, column) for row, column, _m in problems] == [(2, "C")]
    assert "formula" in problems[0][2]
    assert not ServiceStatistic.objects.exists()


def test_a_municipal_coordinator_imports_their_own_municipality_only(
    coordinator_a, region_a, municipality_a1, municipality_a2
):
    data = csv_file("101;A-stad;2024;12;;", "102;A-by;2024;7;;")
    problems = problems_of(region_a, coordinator_a, data)
    assert [(row, column) for row, column, _m in problems] == [(3, "A")]
    assert not ServiceStatistic.objects.exists()


def test_finnish_headings_and_an_xlsx_are_read(coordinator_region, region_a, municipality_a1):
    data = xlsx_file(
        [
            ["Kuntakoodi", "Jakso", "Alkukartoitukset", "Tulkatut tapaamiset"],
            [101, 2024, 40, 120],
        ]
    )
    statistics_import(
        actor=coordinator_region, region=region_a, name="t.xlsx", data=data, dry_run=False
    )
    assert {s.measure: s.value for s in ServiceStatistic.objects.all()} == {
        M.INITIAL_ASSESSMENTS: 40,
        M.INTERPRETED_MEETINGS: 120,
    }


def test_an_unknown_file_is_told_so(coordinator_region, region_a, municipality_a1):
    problems = problems_of(region_a, coordinator_region, b"a;b;c\n1;2;3")
    assert "No heading row" in problems[0][2]


def test_an_exported_file_reads_back_unchanged(coordinator_region, region_a, municipality_a1):
    for measure, value in ((M.INTEGRATION_PLANS, 3), (M.MEDIAN_DAYS_TO_ASSESSMENT, "40.5")):
        statistic_record(
            actor=None,
            region=region_a,
            municipality=municipality_a1,
            period="2024",
            measure=measure,
            value=value,
            source="KEHA",
        )
    statistics = ServiceStatistic.objects.select_related("municipality")
    for name, data in (
        ("s.xlsx", statistics_xlsx(statistics, language="sv")),
        ("s.csv", statistics_csv(statistics, language="fi")),
    ):
        plan = statistics_plan(data, name=name, region=region_a, user=coordinator_region)
        assert (plan.changes, plan.problems, plan.unchanged) == ([], [], 2)


def test_a_changed_source_is_a_change_of_the_source_not_of_the_figure(
    coordinator_region, region_a, municipality_a1
):
    # Given A1's integration plans of 2024: 9, from KEHA
    statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=M.INTEGRATION_PLANS,
        value=9,
        source="KEHA",
    )
    # When a file gives the same figure from another source
    data = csv_file("101;A-stad;2024;9;;Kotoutumisrekisteri")
    plan = statistics_plan(data, name="s.csv", region=region_a, user=coordinator_region)
    # Then the change is the source's, old → new, and the figure is unchanged
    [change] = plan.changes
    assert not change.figure_changed
    assert (change.source_changed, change.old_source, change.source) == (
        True,
        "KEHA",
        "Kotoutumisrekisteri",
    )
    assert (plan.added, plan.figures_changed, plan.details_changed) == (0, 0, 1)


def test_different_sources_of_a_row_read_back_unchanged(
    coordinator_region, region_a, municipality_a1
):
    # Given a municipality's figures of a year from two sources, with two notes
    for measure, value, source, note in (
        (M.INTEGRATION_PLANS, 3, "Kotoutumisrekisteri walk3", "Counted by hand"),
        (M.MEDIAN_DAYS_TO_ASSESSMENT, "40.5", "Kotoutumisrekisteri", ""),
    ):
        statistic_record(
            actor=None,
            region=region_a,
            municipality=municipality_a1,
            period="2024",
            measure=measure,
            value=value,
            source=source,
            note=note,
        )
    statistics = ServiceStatistic.objects.select_related("municipality")
    for name, data in (
        ("s.xlsx", statistics_xlsx(statistics, language="sv")),
        ("s.csv", statistics_csv(statistics, language="en")),
    ):
        # When the export is read back, and imported
        plan = statistics_plan(data, name=name, region=region_a, user=coordinator_region)
        # Then nothing would change
        assert (plan.changes, plan.problems, plan.unchanged) == ([], [], 2)
        statistics_import(
            actor=coordinator_region, region=region_a, name=name, data=data, dry_run=False
        )
        # And each measure keeps its own source and note
        stored = dict(ServiceStatistic.objects.values_list("measure", "source"))
        assert stored == {
            M.INTEGRATION_PLANS: "Kotoutumisrekisteri walk3",
            M.MEDIAN_DAYS_TO_ASSESSMENT: "Kotoutumisrekisteri",
        }
        notes = dict(ServiceStatistic.objects.values_list("measure", "note"))
        assert notes == {M.INTEGRATION_PLANS: "Counted by hand", M.MEDIAN_DAYS_TO_ASSESSMENT: ""}


def test_a_row_of_one_source_is_exported_with_it(coordinator_region, region_a, municipality_a1):
    for measure, value in ((M.INTEGRATION_PLANS, 3), (M.MEDIAN_DAYS_TO_ASSESSMENT, "40.5")):
        statistic_record(
            actor=None,
            region=region_a,
            municipality=municipality_a1,
            period="2024",
            measure=measure,
            value=value,
            source="KEHA",
        )
    text = statistics_csv(ServiceStatistic.objects.all(), language="en").decode("utf-8-sig")
    assert text.splitlines()[1].endswith(";KEHA;")
