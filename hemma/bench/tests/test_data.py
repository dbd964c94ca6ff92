"""`hemma bench-data` at a tiny scale: what it makes, that a seed always makes the same, that
computed values agree with the records, and that it leaves other data alone."""

import io
import random

import pytest
from django.core.management import CommandError, call_command

from hemma.bench.data import Refused, Scale, bench_data, region_sizes, shares
from hemma.followup.models import Measurement, Round
from hemma.followup.recompute import statuses_recompute
from hemma.lib import periods
from hemma.organisations.models import Municipality, Region
from hemma.programmes.models import Indicator, Programme
from hemma.registries.computing import (
    activities_counted,
    statistics_counted,
    volunteers_counted,
)
from hemma.registries.models import Activity, ServiceStatistic
from hemma.volunteers.models import Volunteer

TINY = Scale(municipalities=9, years=2, activities=500, volunteers=60, seed=7)


def _quiet(_line: str) -> None:
    pass


def _fingerprint() -> dict:
    """Every row the bench makes, by natural keys (no ids, no timestamps)."""
    return {
        "values": sorted(
            Measurement.objects.values_list(
                "indicator__action__programme__slug",
                "indicator__action__key",
                "indicator__key",
                "municipality__code",
                "period",
                "number",
                "participants",
                "done",
                "done_on",
                "status",
                "source",
            ),
            key=repr,
        ),
        "languages": sorted(Measurement.objects.values_list("languages", flat=True), key=repr),
        "activities": sorted(
            Activity.objects.values_list(
                "code", "region__key", "kind", "starts_on", "ends_on", "participants"
            ),
            key=repr,
        ),
        "activity links": sorted(
            Activity.actions.through.objects.values_list("activity__code", "action__key"),
            key=repr,
        ),
        "activity places": sorted(
            Activity.municipalities.through.objects.values_list(
                "activity__code", "municipality__code"
            ),
            key=repr,
        ),
        "volunteers": sorted(
            Volunteer.objects.values_list(
                "code", "municipality__code", "recruited_on", "periods__starts_on"
            ),
            key=repr,
        ),
        "statistics": sorted(
            ServiceStatistic.objects.values_list("municipality__code", "period", "measure", "value")
        ),
        "indicators": sorted(
            Indicator.objects.values_list("action__programme__slug", "action__key", "key", "kind")
        ),
    }


def test_regions_are_about_four_or_five_municipalities_some_alone():
    sizes = region_sizes(308)
    assert len(sizes) == 70
    assert sum(sizes) == 308
    assert sizes.count(1) == 7
    assert set(sizes) - {1} <= {4, 5}


def test_shares_add_up_to_the_total():
    weights = [random.Random(n).randint(1, 7) for n in range(70)]
    assert sum(shares(1_000_000, weights)) == 1_000_000
    assert shares(10, [1, 1, 2]) == [2, 3, 5]


@pytest.mark.django_db
def test_a_tiny_national_data_set_has_every_kind_of_row():
    made = bench_data(scale=TINY, out=_quiet)

    sizes = region_sizes(TINY.municipalities)
    assert Region.objects.filter(key__startswith="bench-").count() == len(sizes) == 2
    assert Municipality.objects.count() == 9
    assert set(Municipality.objects.values_list("code", flat=True)) == {
        f"{n:03d}" for n in range(1, 10)
    }
    expected_values = 0
    for programme in Programme.objects.all():
        assert programme.status == Programme.Status.APPROVED
        assert (programme.period_start, programme.period_end) == (
            TINY.first_year,
            TINY.this_year,
        )
        assert set(programme.municipalities.all()) == set(programme.region.municipalities.all())
        assert 25 <= programme.actions.count() <= 60
        indicators = Indicator.objects.filter(action__programme=programme)
        assert 40 <= indicators.count() <= 80
        for indicator in indicators:
            regional = indicator.scope == Indicator.Scope.REGION
            places = 1 if regional else programme.municipalities.count()
            expected_values += places * TINY.years
    # A value for every indicator, place and year: typed in or counted.
    assert Measurement.objects.count() == expected_values
    assert made["typed-in values"] + made["computed values"] == expected_values
    assert (
        Measurement.objects.filter(source=Measurement.Source.COMPUTED).count()
        == (made["computed values"])
    )
    assert Activity.objects.count() == 500
    assert Activity.actions.through.objects.count() >= 500
    assert Volunteer.objects.count() == 60
    assert ServiceStatistic.objects.count() == 9 * TINY.years * len(ServiceStatistic.Measure)
    assert Round.objects.count() == 2 * TINY.years
    assert set(
        Round.objects.filter(state=Round.State.APPROVED).values_list("period", flat=True)
    ) == {str(TINY.this_year - 1)}
    # Every status is the one the follow-up's own rules give.
    assert statuses_recompute(indicators=Indicator.objects.all()) == 0


# Committed as it goes, as the command is: PostgreSQL truncates no table with inserts pending
# in the same transaction.
@pytest.mark.django_db(transaction=True)
def test_the_same_seed_makes_the_same_rows_and_another_seed_others():
    bench_data(scale=TINY, out=_quiet)
    first = _fingerprint()

    bench_data(scale=TINY, out=_quiet)  # erases the previous bench data first
    again = _fingerprint()
    bench_data(scale=Scale(**{**TINY.__dict__, "seed": 8}), out=_quiet)
    other = _fingerprint()

    assert Municipality.objects.count() == 9  # erased, not added to
    assert again == first
    assert other["activities"] != first["activities"]
    assert other["values"] != first["values"]


@pytest.mark.django_db
def test_computed_values_are_the_records_counts():
    bench_data(scale=TINY, out=_quiet)

    computed = Measurement.objects.filter(source=Measurement.Source.COMPUTED).select_related(
        "indicator__action__programme", "municipality"
    )
    checked = {query: 0 for query in ("activities", "statistic", "volunteers")}
    for value in computed:
        indicator, place = value.indicator, value.municipality
        period = periods.parse(value.period)
        if indicator.query == Indicator.Query.ACTIVITIES:
            found = activities_counted(indicator=indicator, municipality=place, period=period)
            assert value.number == found.count()
        elif indicator.query == Indicator.Query.STATISTIC:
            found = statistics_counted(indicator=indicator, municipality=place, period=period)
            assert value.number == sum(s.value for s in found)
        elif indicator.query == Indicator.Query.VOLUNTEERS:
            found = volunteers_counted(indicator=indicator, municipality=place, period=period)
            assert value.number == found.count()
        else:
            continue
        checked[indicator.query] += 1
    assert all(checked.values()), checked
    # Not all nothing: the records are spread where the indicators count.
    assert computed.filter(indicator__query="activities", number__gt=0).count() > 10


@pytest.mark.django_db
def test_refuses_a_database_with_other_data():
    Region.objects.create(key="jakobstadsregionen", name={"sv": "Jakobstadsregionen"})

    with pytest.raises(Refused):
        bench_data(scale=TINY, out=_quiet)
    with pytest.raises(CommandError, match="not bench data"):
        call_command("bench-data", "--municipalities", "3", "--years", "1", stdout=io.StringIO())

    assert list(Region.objects.values_list("key", flat=True)) == ["jakobstadsregionen"]
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_force_erases_the_other_data_and_the_command_says_what_it_made():
    Region.objects.create(key="jakobstadsregionen", name={"sv": "Jakobstadsregionen"})
    out = io.StringIO()

    call_command(
        "bench-data",
        "--municipalities=4",
        "--years=1",
        "--activities=50",
        "--volunteers=5",
        "--force",
        stdout=out,
    )

    assert not Region.objects.filter(key="jakobstadsregionen").exists()
    assert Activity.objects.count() == 50
    assert "50 activities" in out.getvalue()
    assert "total" in out.getvalue()
