"""The demo's activities: a year of records that the seed's counted indicators count."""

import io

import pytest
from django.core.management import call_command

from hemma.followup.demo import demo_values_load
from hemma.followup.models import Measurement, Status
from hemma.programmes.models import Indicator, Programme
from hemma.registries.computing import activities_counted
from hemma.registries.demo import YEAR, demo_activities_load
from hemma.registries.models import Activity

pytestmark = pytest.mark.django_db

MUNICIPALITIES = {"598", "599", "440", "893", "288"}


@pytest.fixture
def loaded(seed_programme) -> Programme:
    """The seed with the demo's typed-in values of 2023–2025, then the activities of 2025."""
    demo_values_load(programme=seed_programme)
    demo_activities_load(programme=seed_programme)
    return seed_programme


def counted_indicators(programme: Programme):
    return Indicator.objects.filter(
        action__programme=programme, source=Indicator.Source.REGISTRY, query="activities"
    ).select_related("action__programme")


def test_every_municipality_has_a_year_of_activities_of_many_kinds(loaded):
    activities = Activity.objects.filter(region=loaded.region)

    named = set(activities.values_list("municipalities__code", flat=True))
    assert named == MUNICIPALITIES | {None}  # None: the region's joint meetings
    assert {a.starts_on.year for a in activities} == {YEAR}
    assert set(activities.values_list("kind", flat=True)) >= {
        Activity.Kind.MEETING_PLACE,
        Activity.Kind.EVENT,
        Activity.Kind.COURSE,
        Activity.Kind.CHILDREN_YOUTH,
        Activity.Kind.LECTURE,
        Activity.Kind.INFORMATION,
        Activity.Kind.JOINT_MEETING,
    }
    # Each serves an action of the seed and is organised by one of its organisations.
    assert not activities.filter(actions__isnull=True).exists()
    assert not activities.filter(organiser__isnull=True).exists()
    # Jakobstad (about 19,000 inhabitants) does more than Larsmo (about 5,500).
    assert (
        activities.filter(municipalities__code="598").count()
        > activities.filter(municipalities__code="440").count()
    )


def test_a_weekly_meeting_place_is_one_record_with_its_dates(loaded):
    places = Activity.objects.filter(kind=Activity.Kind.MEETING_PLACE)

    assert places.exists()
    for place in places:
        assert place.recurrence == Activity.Recurrence.WEEKLY
        assert place.ends_on is not None and place.ends_on > place.starts_on
        assert place.sessions and place.sessions > 10
    # Some give their participants by age group or gender: numbers only.
    broken_down = Activity.objects.exclude(participants_by_age={}) | Activity.objects.exclude(
        participants_by_gender={}
    )
    assert broken_down.exists()
    for activity in broken_down:
        for breakdown in (activity.participants_by_age, activity.participants_by_gender):
            assert all(isinstance(n, int) for n in breakdown.values())
            assert sum(breakdown.values()) <= activity.participants


def test_the_counted_values_of_2025_come_from_the_records(loaded):
    municipalities = {m.code: m for m in loaded.municipalities.all()}
    indicators = list(counted_indicators(loaded))
    assert len(indicators) == 7

    statuses = set()
    for indicator in indicators:
        places = {None: None} if indicator.scope == Indicator.Scope.REGION else municipalities
        for code, municipality in places.items():
            value = Measurement.objects.get(
                indicator=indicator, municipality=municipality, period=str(YEAR)
            )
            records = activities_counted(
                indicator=indicator, municipality=municipality, period=str(YEAR)
            )
            assert value.source == Measurement.Source.COMPUTED, (indicator.key, code)
            assert not value.override  # counted, not typed in
            assert value.number == value.computed_number == records.count() > 0, (
                indicator.key,
                code,
            )
            if indicator.kind == Indicator.Kind.COUNT_WITH_PARTICIPANTS:
                assert value.participants == sum(a.participants for a in records)
            statuses.add(value.status)
    # Against the seed's targets, some are met and some are not.
    assert {Status.MET, Status.NOT_MET} <= statuses
    assert len(statuses) >= 3


def test_the_years_before_the_registry_keep_their_typed_in_figures(loaded):
    meeting_places = Indicator.objects.get(key="motesplatser")
    jakobstad = loaded.municipalities.get(code="598")

    before = Measurement.objects.get(
        indicator=meeting_places, municipality=jakobstad, period=str(YEAR - 1)
    )

    assert before.number > 0
    assert before.computed_number == 0  # no records of that year
    assert before.override.startswith("Demodata: registret togs i bruk 2025")
    # The typed-in indicators are as they were: no value counted from the records.
    typed = Measurement.objects.filter(indicator__source=Indicator.Source.MANUAL)
    assert typed.exists()
    assert not typed.exclude(source=Measurement.Source.DEMO).exists()


def test_a_second_load_adds_nothing_and_the_records_are_the_same_every_time(loaded):
    def records() -> list:
        return list(
            Activity.objects.order_by("id").values_list(
                "kind", "title", "starts_on", "ends_on", "participants", "organiser__key"
            )
        )

    first = records()
    values = list(Measurement.objects.values_list("pk", "version", "number", "status"))

    assert demo_activities_load(programme=loaded) == 0
    assert records() == first
    assert list(Measurement.objects.values_list("pk", "version", "number", "status")) == values

    Activity.objects.all().delete()  # past the services: only to load them again
    demo_activities_load(programme=loaded)

    assert records() == first


def test_the_demo_command_records_the_activities_once(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    loaded = Activity.objects.count()

    again = io.StringIO()
    call_command("demo", stdout=again)

    assert f"Demo activities 2025: {loaded} recorded" in out.getvalue()
    assert "Demo activities: already there" in again.getvalue()
    assert Activity.objects.count() == loaded > 100
