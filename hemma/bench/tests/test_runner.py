"""`hemma bench`: its statistics, its operations and floors at a tiny scale, its refusals."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hemma.bench import runner
from hemma.followup import rounds
from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator
from hemma.registries.computing import computed_values_refresh
from hemma.registries.models import Activity
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)


# -- statistics ------------------------------------------------------------------------------


def test_the_median_and_95th_percentile_of_known_numbers():
    twenty = [float(n) for n in range(20, 0, -1)]  # 20 … 1, unsorted on purpose

    assert runner.median(twenty) == 10.5
    assert runner.p95(twenty) == 19.0  # nearest rank: the 19th of 20
    assert runner.p95([3.0, 1.0, 2.0]) == 3.0
    assert runner.median([0.25]) == runner.p95([0.25]) == 0.25


def test_a_result_is_judged_by_its_target():
    page = runner.Result("grid", "", 5, median=0.05, p95=0.1, queries=9, ratio=1.5, target="page")
    assert runner.judged(page) is True
    page.ratio = 2.5
    assert runner.judged(page) is False
    page.ratio, page.p95 = 1.5, 0.25
    assert runner.judged(page) is False
    csv = runner.Result("csv-national", "", 5, median=2.0, p95=3.0, queries=9, target="csv")
    csv.notes = {"peak_kib_half": 1000, "peak_kib_all": 1200}
    assert runner.judged(csv) is True
    csv.notes["peak_kib_all"] = 2000  # doubles with the rows: not streamed
    assert runner.judged(csv) is False
    xlsx = runner.Result("report-xlsx", "", 5, median=0.2, p95=0.3, queries=30)
    assert runner.judged(xlsx) is None


# -- a tiny country --------------------------------------------------------------------------


def activity(region, action, municipalities, kind, starts_on, participants=None) -> Activity:
    made = Activity.objects.create(
        region=region, kind=kind, title=kind, starts_on=starts_on, participants=participants
    )
    made.actions.set([action])
    made.municipalities.set(municipalities)
    return made


@pytest.fixture
def country(programme_a, action_a, municipality_a1, municipality_a2, region_a, programme_b):
    """Programme A (2023–2025): 2024 approved, 2025 open, a typed-in value and an indicator
    counting the events serving its action, with their participants."""
    events = f.IndicatorFactory(
        action=action_a,
        key="events",
        kind=Indicator.Kind.COUNT_WITH_PARTICIPANTS,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.ACTIVITIES,
        query_kinds=["event"],
        target_type="",
        target_min=None,
        target_max=None,
        position=1,
    )
    a1, a2 = municipality_a1, municipality_a2
    day = datetime.date(2025, 5, 1)
    activity(region_a, action_a, [a1], "event", day, participants=10)
    activity(region_a, action_a, [a1, a2], "event", day, participants=20)
    activity(region_a, action_a, [a1], "event", day)  # participants unknown
    activity(region_a, action_a, [a1], "course", day, participants=99)  # another kind
    activity(region_a, action_a, [a1], "event", datetime.date(2024, 5, 1), participants=7)
    meetings = action_a.indicators.exclude(pk=events.pk).get()
    for year, number in (("2024", 3), ("2025", 2)):
        Measurement.objects.create(
            indicator=meetings, municipality=a1, period=year, number=number, status="met"
        )
    computed_values_refresh(indicators=[events])
    round_ = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)
    rounds.round_approve(actor=None, round=round_)
    rounds.round_open(actor=None, programme=programme_a, period="2025", deadline=DEADLINE)
    return events


def test_the_subject_is_the_first_programme_with_its_working_and_approved_years(country):
    subject = runner.subject_pick(prefix="region-")

    assert subject.programme.slug == "programme-a"
    assert subject.municipality.code == "101"
    assert subject.indicator == country.action.indicators.exclude(pk=country.pk).get()
    assert subject.computed == country and subject.national == [country]
    assert (subject.work_year, subject.approved_year) == (2025, 2024)


def test_no_bench_region_is_no_subject(country):
    with pytest.raises(runner.NoBenchData):
        runner.subject_pick()


def test_the_group_by_floor_counts_what_the_computed_values_hold(
    country, municipality_a1, municipality_a2
):
    one = runner.floor_counts([country], 2025, municipality_id=municipality_a1.pk)()
    every = runner.floor_counts([country], 2025)()

    assert one == [(country.action_id, municipality_a1.pk, 3, 30)]
    stored = {
        (v.municipality_id, int(v.number), v.participants)
        for v in Measurement.objects.filter(indicator=country, period="2025")
    }
    assert {(m, n, p) for _a, m, n, p in every} == stored
    assert stored == {(municipality_a1.pk, 3, 30), (municipality_a2.pk, 1, 20)}


def test_each_operation_runs_with_its_queries_and_its_floor(country):
    names = [
        "frame",
        "grid",
        "dashboard",
        "history",
        "computed-one",
        "computed-national",
        "api-values",
        "report-xlsx",
        "csv-national",
    ]
    _subject, results = runner.bench_run(repeat=2, only=names, prefix="region-")

    found = {r.name: r for r in results}
    assert list(found) == names
    for result in results:
        assert result.queries > 0, result.name
        assert result.median > 0 and result.p95 >= result.median
    for name in ("grid", "dashboard", "history", "computed-one", "computed-national"):
        assert found[name].ratio and found[name].ratio > 0
        assert found[name].notes["floor_rows"] > 0, name
    assert found["computed-one"].notes["written"] == 0  # counted already: nothing changes
    api = found["api-values"]
    values = Measurement.objects.filter(indicator__action__programme=country.action.programme)
    assert api.notes["rows"] == api.notes["floor_rows"] == values.count() == 8
    # The approved 2024 values only: a typed-in one and the events of A1 and A2.
    assert found["csv-national"].notes["rows"] == values.filter(period="2024").count() == 3
    assert found["csv-national"].notes["peak_kib_all"] > 0
    assert found["report-xlsx"].met is None and found["report-xlsx"].ratio is None
    assert found["grid"].met in (True, False)
    # The pages beside the smallest staff page, which has no floor and no target.
    assert found["frame"].ratio is None and found["frame"].met is None
    for name in ("grid", "dashboard", "history"):
        expected = round(found[name].median / found["frame"].median, 1)
        assert found[name].notes["frame_ratio"] == expected, name
    assert "frame_ratio" not in found["api-values"].notes
    text = runner.table(results)
    assert "grid" in text and "csv-national" in text and "×" in text


def test_the_command_refuses_without_the_bench_data_on_postgresql(country):
    with pytest.raises(CommandError) as refused:
        call_command("bench", "--repeat", "1")

    if connection.vendor == "postgresql":
        assert "hemma bench-data" in str(refused.value)
    else:
        assert "PostgreSQL" in str(refused.value)


def test_the_command_prints_a_table_and_writes_json(country, tmp_path, capsys):
    out = tmp_path / "bench.json"
    call_command("bench", "--any-data", "--repeat", "1", "--only", "history", "--json", str(out))

    printed = capsys.readouterr().out
    assert "history" in printed and "ratio" in printed
    written = json.loads(out.read_text())
    assert [r["name"] for r in written["results"]] == ["history"]
    assert written["results"][0]["queries"] > 0
    assert written["subject"]["programme"] == "programme-a"
    assert written["machine"]["database"] == connection.vendor
