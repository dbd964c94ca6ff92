"""The counting rules for friend persons and placements (hemma/registries/computing.py).

The records are written here straight to the models, then counted with the functions the
services call in their transactions, so that the rule is tested apart from the pages.
"""

import datetime
from decimal import Decimal

import pytest

from hemma.followup.models import Measurement, Round, Status
from hemma.programmes.models import Indicator
from hemma.registries.computing import (
    PlacementState,
    VolunteerState,
    computed_values_refresh,
    indicators_recount,
    placements_changed,
    placements_counted,
    volunteers_changed,
    volunteers_counted,
)
from hemma.registries.models import Placement
from hemma.tests import factories as f
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

pytestmark = pytest.mark.django_db

D = datetime.date


def value(indicator, municipality, period="2024") -> Measurement | None:
    values = Measurement.objects.filter(indicator=indicator, period=period)
    if municipality is None:
        return values.filter(municipality__isnull=True).first()
    return values.filter(municipality=municipality).first()


def figure(indicator, municipality, period="2024"):
    found = value(indicator, municipality, period)
    return None if found is None else (found.number, found.participants)


@pytest.fixture
def counting(programme_a):
    """counting(query, kind="count", kinds=(), **fields): a computed indicator of programme_a."""

    def make(query, kind=Indicator.Kind.COUNT, kinds=(), **fields) -> Indicator:
        fields.setdefault("target_type", "")
        indicator = f.IndicatorFactory(
            action=programme_a.actions.get(key="joint-meetings"),
            kind=kind,
            source=Indicator.Source.REGISTRY,
            query=query,
            query_kinds=list(kinds),
            **fields,
        )
        return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)  # type: ignore[attr-defined]

    return make


def volunteer(municipality, *, active=(), matches=()) -> Volunteer:
    """A friend person with active periods [(start, end)] and matches [(start, end, size)],
    counted as a service would count them."""
    made = Volunteer.objects.create(
        region=municipality.region,
        municipality=municipality,
        name="Test Person",
        consent_on=D(2023, 1, 1),
        recruited_on=D(2023, 1, 1),
    )
    for start, end in active:
        ActivePeriod.objects.create(volunteer=made, starts_on=start, ends_on=end)
    for start, end, size in matches:
        Match.objects.create(volunteer=made, starts_on=start, ends_on=end, household_size=size)
    volunteers_changed([VolunteerState.of(made)])
    return made


def placement(municipality, unit, *, kind=Placement.Kind.WORK_TRYOUT, period="2024", people=3):
    made = Placement.objects.create(
        region=municipality.region,
        municipality=municipality,
        unit=unit,
        kind=kind,
        period=period,
        people=people,
    )
    placements_changed([PlacementState.of(made)])
    return made


@pytest.fixture
def unit(region_a, municipality_a1):
    return f.OrganisationFactory(region=region_a, municipality=municipality_a1)


# -- friend persons ----------------------------------------------------------------------------


def test_a_friend_person_counts_in_every_period_an_active_period_overlaps(
    counting, municipality_a1, municipality_a2
):
    indicator = counting(Indicator.Query.VOLUNTEERS)
    volunteer(municipality_a1, active=[(D(2023, 11, 1), D(2024, 2, 29))])
    volunteer(municipality_a1, active=[(D(2024, 12, 31), None)])  # still active
    volunteer(municipality_a1, active=[(D(2022, 1, 1), D(2022, 12, 31))])  # before

    assert figure(indicator, municipality_a1, "2023") == (1, None)
    assert figure(indicator, municipality_a1, "2024") == (2, None)
    assert figure(indicator, municipality_a1, "2025") == (1, None)
    # The neighbour has none: counted again, a begun period counts 0.
    assert value(indicator, municipality_a2, "2024") is None
    computed_values_refresh(indicators=[indicator])
    assert figure(indicator, municipality_a2, "2024") == (0, None)


def test_a_friend_person_with_two_active_periods_in_a_year_counts_once(counting, municipality_a1):
    indicator = counting(Indicator.Query.VOLUNTEERS)
    volunteer(
        municipality_a1, active=[(D(2024, 1, 1), D(2024, 3, 1)), (D(2024, 9, 1), D(2024, 12, 1))]
    )
    assert figure(indicator, municipality_a1) == (1, None)


def test_the_participants_are_the_households_matched_in_the_period(counting, municipality_a1):
    indicator = counting(Indicator.Query.VOLUNTEERS, kind=Indicator.Kind.COUNT_WITH_PARTICIPANTS)
    volunteer(
        municipality_a1,
        active=[(D(2024, 1, 1), None)],
        matches=[(D(2024, 2, 1), D(2024, 6, 30), 4), (D(2023, 1, 1), D(2023, 12, 31), 2)],
    )
    volunteer(municipality_a1, active=[(D(2024, 5, 1), None)])  # matched with nobody yet
    assert figure(indicator, municipality_a1) == (2, 4)


def test_the_region_as_a_whole_counts_the_programmes_municipalities(
    counting, municipality_a1, municipality_a2, region_a
):
    indicator = counting(Indicator.Query.VOLUNTEERS, scope=Indicator.Scope.REGION)
    volunteer(municipality_a1, active=[(D(2024, 1, 1), None)])
    volunteer(municipality_a2, active=[(D(2024, 1, 1), None)])
    # A municipality of the region the programme does not cover is not counted.
    outside = f.MunicipalityFactory(region=region_a)
    volunteer(outside, active=[(D(2024, 1, 1), None)])
    assert figure(indicator, None) == (2, None)
    assert value(indicator, municipality_a1) is None  # no value per municipality


def test_volunteers_counted_are_the_records_behind_the_value(counting, municipality_a1):
    indicator = counting(Indicator.Query.VOLUNTEERS)
    counted = volunteer(municipality_a1, active=[(D(2024, 6, 1), D(2024, 6, 30))])
    volunteer(municipality_a1, active=[(D(2025, 1, 1), None)])
    found = list(
        volunteers_counted(indicator=indicator, municipality=municipality_a1, period="2024")
    )
    assert found == [counted]


def test_ending_an_active_period_moves_the_count_and_the_status(counting, municipality_a1):
    indicator = counting(
        Indicator.Query.VOLUNTEERS, target_type="band", target_min=1, target_max=None
    )
    person = volunteer(municipality_a1, active=[(D(2023, 1, 1), None)])
    assert figure(indicator, municipality_a1, "2025") == (1, None)
    assert value(indicator, municipality_a1, "2025").status == Status.MET

    before = VolunteerState.of(person)
    person.periods.update(ends_on=D(2023, 12, 31))
    volunteers_changed([before, VolunteerState.of(Volunteer.objects.get(pk=person.pk))])

    assert figure(indicator, municipality_a1, "2023") == (1, None)
    assert figure(indicator, municipality_a1, "2025") == (0, None)
    assert value(indicator, municipality_a1, "2025").status == Status.NOT_MET


def test_moving_a_friend_person_to_another_municipality_moves_the_count(
    counting, municipality_a1, municipality_a2
):
    indicator = counting(Indicator.Query.VOLUNTEERS)
    person = volunteer(municipality_a1, active=[(D(2024, 1, 1), None)])
    before = VolunteerState.of(person)
    person.municipality = municipality_a2
    person.save()
    volunteers_changed([before, VolunteerState.of(person)])
    assert figure(indicator, municipality_a1) == (0, None)
    assert figure(indicator, municipality_a2) == (1, None)


def test_a_period_of_an_approved_round_is_left_as_approved(counting, programme_a, municipality_a1):
    indicator = counting(Indicator.Query.VOLUNTEERS)
    volunteer(municipality_a1, active=[(D(2024, 1, 1), None)])
    Round.objects.create(
        programme=programme_a, period="2024", deadline=D(2025, 2, 1), state=Round.State.APPROVED
    )
    volunteer(municipality_a1, active=[(D(2024, 1, 1), None)])
    assert figure(indicator, municipality_a1, "2024") == (1, None)
    assert figure(indicator, municipality_a1, "2025") == (2, None)


# -- placements --------------------------------------------------------------------------------


def test_placements_sum_their_people_within_the_period(counting, municipality_a1, unit):
    indicator = counting(Indicator.Query.PLACEMENTS)
    placement(municipality_a1, unit, period="2024", people=3)
    placement(municipality_a1, unit, period="2024H2", people=2, kind=Placement.Kind.JOB)
    placement(municipality_a1, unit, period="2024Q1", people=1, kind=Placement.Kind.APPRENTICESHIP)
    placement(municipality_a1, unit, period="2025", people=7)
    assert figure(indicator, municipality_a1, "2024") == (Decimal(6), None)
    assert figure(indicator, municipality_a1, "2025") == (Decimal(7), None)


def test_a_half_year_counts_what_lies_within_it_never_a_share_of_a_year(
    counting, municipality_a1, unit
):
    indicator = counting(Indicator.Query.PLACEMENTS, period=Indicator.Period.HALF_YEAR)
    placement(municipality_a1, unit, period="2024", people=10)
    placement(municipality_a1, unit, period="2024Q3", people=2, kind=Placement.Kind.JOB)
    computed_values_refresh(indicators=[indicator])
    assert figure(indicator, municipality_a1, "2024H1") == (Decimal(0), None)
    assert figure(indicator, municipality_a1, "2024H2") == (Decimal(2), None)


def test_only_the_kinds_counted_count(counting, municipality_a1, unit):
    indicator = counting(Indicator.Query.PLACEMENTS, kinds=[Placement.Kind.JOB])
    placement(municipality_a1, unit, people=3)  # a work try-out
    assert value(indicator, municipality_a1) is None  # not a kind it counts: not touched
    computed_values_refresh(indicators=[indicator])
    assert figure(indicator, municipality_a1) == (Decimal(0), None)
    placement(municipality_a1, unit, people=4, kind=Placement.Kind.JOB)
    assert figure(indicator, municipality_a1) == (Decimal(4), None)
    found = placements_counted(indicator=indicator, municipality=municipality_a1, period="2024")
    assert [p.people for p in found] == [4]


def test_the_region_as_a_whole_sums_the_municipalities(
    counting, municipality_a1, municipality_a2, unit, region_a
):
    indicator = counting(Indicator.Query.PLACEMENTS, scope=Indicator.Scope.REGION)
    other_unit = f.OrganisationFactory(region=region_a, municipality=municipality_a2)
    placement(municipality_a1, unit, people=3)
    placement(municipality_a2, other_unit, people=5)
    assert figure(indicator, None) == (Decimal(8), None)


def test_changing_and_deleting_a_placement_changes_the_value_back(counting, municipality_a1, unit):
    indicator = counting(Indicator.Query.PLACEMENTS)
    made = placement(municipality_a1, unit, people=3)
    before = PlacementState.of(made)
    made.period = "2025"
    made.save()
    placements_changed([before, PlacementState.of(made)])
    assert figure(indicator, municipality_a1, "2024") == (Decimal(0), None)
    assert figure(indicator, municipality_a1, "2025") == (Decimal(3), None)
    state = PlacementState.of(made)
    made.delete()
    placements_changed([state])
    assert figure(indicator, municipality_a1, "2025") == (Decimal(0), None)


# -- recount and query counts ------------------------------------------------------------------


def test_making_an_indicator_count_volunteers_recounts_the_years_with_records(
    counting, municipality_a1
):
    volunteer(municipality_a1, active=[(D(2024, 3, 1), D(2024, 4, 1))])
    indicator = counting(Indicator.Query.VOLUNTEERS)
    assert value(indicator, municipality_a1) is None  # made after the record: not counted yet
    indicators_recount(indicators=[indicator])
    assert figure(indicator, municipality_a1) == (1, None)
    assert value(indicator, municipality_a1, "2023") is None  # no records that year


@pytest.mark.parametrize("query", [Indicator.Query.VOLUNTEERS, Indicator.Query.PLACEMENTS])
def test_refresh_queries_do_not_grow_with_the_records(
    query, counting, municipality_a1, municipality_a2, unit, region_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = counting(query, kind=Indicator.Kind.COUNT_WITH_PARTICIPANTS)
    other_unit = f.OrganisationFactory(region=region_a, municipality=municipality_a2)

    def add(n: int, first: int = 0) -> None:
        for i in range(first, first + n):
            place, where = (municipality_a1, unit) if i % 2 else (municipality_a2, other_unit)
            if query == Indicator.Query.VOLUNTEERS:
                volunteer(place, active=[(D(2024, 1, 1), None)], matches=[(D(2024, 1, 1), None, 2)])
            else:
                kind = Placement.Kind.values[i // 8 % 4]
                placement(place, where, period=f"2024Q{i // 2 % 4 + 1}", people=i + 1, kind=kind)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            computed_values_refresh(indicators=[indicator])
        return len(captured)

    # Each time from no values, so that both runs write the same way (create).
    add(2)
    Measurement.objects.all().delete()
    small = queries()
    add(10, first=2)
    Measurement.objects.all().delete()
    assert queries() == small
