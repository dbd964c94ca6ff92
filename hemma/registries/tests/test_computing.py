"""The counting rule and the computed values kept current (hemma/registries/computing.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Measurement, Round, Status
from hemma.followup.services import measurement_record
from hemma.programmes.models import Indicator
from hemma.registries.computing import (
    activities_counted,
    computed_override_clear,
    computed_override_set,
    computed_values_refresh,
)
from hemma.registries.models import Activity
from hemma.registries.services import activity_create, activity_update
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def value(indicator, municipality, period="2024") -> Measurement | None:
    values = Measurement.objects.filter(indicator=indicator, period=period)
    if municipality is None:
        return values.filter(municipality__isnull=True).first()
    return values.filter(municipality=municipality).first()


def activity(region, action, *, municipalities=(), **fields) -> Activity:
    """An activity of `action` in `region` recorded through the service (so it is counted)."""
    fields.setdefault("kind", Activity.Kind.EVENT)
    fields.setdefault("title", "Café")
    fields.setdefault("starts_on", D(2024, 3, 1))
    return activity_create(
        actor=None,
        region=region,
        fields={
            **fields,
            "municipalities": [m.code for m in municipalities],
            "actions": [action],
        },
    )


# -- the rule ----------------------------------------------------------------------------------


def test_an_activity_counts_for_each_municipality_it_names_in_each_period_it_overlaps(
    counted, action_a, region_a, municipality_a1, municipality_a2
):
    # Given the values counted (none yet): 0 everywhere
    computed_values_refresh(indicators=[counted])
    assert value(counted, municipality_a2, "2024").number == 0

    # When a meeting place that runs from November 2023 to February 2024 in A1 only is added
    activity(
        region_a,
        action_a,
        municipalities=[municipality_a1],
        kind=Activity.Kind.MEETING_PLACE,
        starts_on=D(2023, 11, 1),
        ends_on=D(2024, 2, 28),
    )

    # Then it is one in A1 in both years, and nothing in A2
    assert value(counted, municipality_a1, "2023").number == 1
    assert value(counted, municipality_a1, "2024").number == 1
    assert value(counted, municipality_a1, "2025").number == 0
    assert value(counted, municipality_a2, "2024").number == 0


def test_only_activities_of_the_kinds_counted_and_of_the_action_count(
    computed_of, action_a, programme_a, region_a, municipality_a1
):
    lectures = computed_of(query_kinds=[Activity.Kind.LECTURE])
    other_action = f.ActionFactory(goal=action_a.goal, key="other")
    activity(region_a, action_a, municipalities=[municipality_a1], kind=Activity.Kind.LECTURE)
    activity(region_a, action_a, municipalities=[municipality_a1], kind=Activity.Kind.COURSE)
    activity(region_a, other_action, municipalities=[municipality_a1], kind="lecture")

    assert value(lectures, municipality_a1).number == 1
    assert list(
        activities_counted(indicator=lectures, municipality=municipality_a1, period="2024")
    ) == [Activity.objects.get(kind=Activity.Kind.LECTURE, actions=action_a)]


def test_the_region_as_a_whole_counts_each_activity_once_whatever_its_municipalities(
    computed_of, action_a, region_a, municipality_a1, municipality_a2
):
    joint = computed_of(scope=Indicator.Scope.REGION)
    activity(region_a, action_a, municipalities=[municipality_a1, municipality_a2])
    activity(region_a, action_a, municipalities=[])

    assert value(joint, None).number == 2
    # and no value per municipality for a region's indicator
    assert value(joint, municipality_a1) is None


def test_participants_are_the_sum_of_those_known(computed_of, action_a, region_a, municipality_a1):
    courses = computed_of(Indicator.Kind.COUNT_WITH_PARTICIPANTS)
    activity(region_a, action_a, municipalities=[municipality_a1], participants=12)
    activity(region_a, action_a, municipalities=[municipality_a1], participants=None)
    activity(region_a, action_a, municipalities=[municipality_a1], participants=5)

    stored = value(courses, municipality_a1)
    assert (stored.number, stored.participants) == (3, 17)
    assert stored.source == Measurement.Source.COMPUTED


def test_a_period_not_yet_begun_has_no_value_until_something_counts_in_it(
    counted, action_a, region_a, municipality_a1, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: D(2024, 6, 1))
    computed_values_refresh(indicators=[counted])

    assert value(counted, municipality_a1, "2024").number == 0  # begun: 0 is a value
    assert value(counted, municipality_a1, "2025") is None  # not begun: no value yet
    activity(region_a, action_a, municipalities=[municipality_a1], starts_on=D(2025, 5, 1))
    assert value(counted, municipality_a1, "2025").number == 1


def test_activities_counted_are_the_records_behind_the_value(
    counted, action_a, region_a, region_b, municipality_a1, municipality_a2
):
    here = activity(region_a, action_a, municipalities=[municipality_a1, municipality_a2])
    activity(region_a, action_a, municipalities=[municipality_a2])
    activity(region_a, action_a, municipalities=[municipality_a1], starts_on=D(2023, 12, 31))
    ActivityFactory(region=region_b, municipalities=[], actions=[action_a])  # another region

    found = activities_counted(indicator=counted, municipality=municipality_a1, period="2024")

    assert list(found) == [here]
    assert value(counted, municipality_a1).number == found.count()


def test_a_manual_indicator_counts_nothing(action_a, region_a, municipality_a1):
    band_indicator = Indicator.objects.select_related("action__programme").get(action=action_a)
    activity(region_a, action_a, municipalities=[municipality_a1])

    assert value(band_indicator, municipality_a1) is None
    assert (
        activities_counted(
            indicator=band_indicator, municipality=municipality_a1, period="2024"
        ).count()
        == 0
    )


# -- kept current ----------------------------------------------------------------------------


def test_changing_the_dates_moves_the_count_and_the_status(
    counted, action_a, region_a, municipality_a1
):
    first = activity(region_a, action_a, municipalities=[municipality_a1])
    activity(region_a, action_a, municipalities=[municipality_a1])
    assert value(counted, municipality_a1, "2024").status == Status.MET  # 2 in a 2–4 band

    activity_update(actor=None, activity=first, fields={"starts_on": D(2025, 1, 10)})

    assert value(counted, municipality_a1, "2024").number == 1
    assert value(counted, municipality_a1, "2024").status == Status.NOT_MET
    assert value(counted, municipality_a1, "2025").number == 1


def test_changing_only_the_participants_or_the_kind_counts_again(
    computed_of, action_a, region_a, municipality_a1
):
    courses = computed_of(Indicator.Kind.COUNT_WITH_PARTICIPANTS, query_kinds=["course"])
    made = activity(
        region_a, action_a, municipalities=[municipality_a1], kind="course", participants=12
    )
    assert (
        value(courses, municipality_a1).number,
        value(courses, municipality_a1).participants,
    ) == (
        1,
        12,
    )

    activity_update(actor=None, activity=made, fields={"participants": 20})
    assert value(courses, municipality_a1).participants == 20

    activity_update(actor=None, activity=made, fields={"kind": Activity.Kind.EVENT})
    assert value(courses, municipality_a1).number == 0


def test_changing_the_municipalities_moves_the_count(
    counted, action_a, region_a, municipality_a1, municipality_a2
):
    moved = activity(region_a, action_a, municipalities=[municipality_a1])

    activity_update(actor=None, activity=moved, fields={"municipalities": ["102"]})

    assert value(counted, municipality_a1).number == 0
    assert value(counted, municipality_a2).number == 1


def test_changing_the_actions_moves_the_count(computed_of, action_a, region_a, municipality_a1):
    here = computed_of()
    other_action = f.ActionFactory(goal=action_a.goal, key="other")
    there = f.IndicatorFactory(
        action=other_action,
        kind=Indicator.Kind.COUNT,
        target_type="",
        target_min=None,
        target_max=None,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.ACTIVITIES,
    )
    moved = activity(region_a, action_a, municipalities=[municipality_a1])

    activity_update(actor=None, activity=moved, fields={"actions": [other_action]})

    assert value(here, municipality_a1).number == 0
    assert value(there, municipality_a1).number == 1


def test_a_later_period_is_judged_again_when_the_one_before_changes(
    computed_of, action_a, region_a, municipality_a1
):
    # Given an indicator to increase, one activity in 2023 and one in 2024 (held: partly met)
    rising = computed_of(target_type="direction", target_direction="increase")
    early = activity(region_a, action_a, municipalities=[municipality_a1], starts_on=D(2023, 5, 1))
    activity(region_a, action_a, municipalities=[municipality_a1], starts_on=D(2024, 5, 1))
    assert value(rising, municipality_a1, "2024").status == Status.PARTLY_MET

    # When the 2023 one is moved to 2022 (before the programme): 2023 has none
    activity_update(actor=None, activity=early, fields={"starts_on": D(2022, 5, 1)})

    # Then 2024's one is more than 2023's none: met
    assert value(rising, municipality_a1, "2023").number == 0
    assert value(rising, municipality_a1, "2024").status == Status.MET


def test_indicators_of_one_action_count_their_own_kinds_from_the_same_tallies(
    computed_of, action_a, region_a, municipality_a1
):
    # Given three indicators of one action: every kind, courses and lectures, and courses only
    every = computed_of()
    two = computed_of(query_kinds=[Activity.Kind.COURSE, Activity.Kind.LECTURE])
    courses = computed_of(Indicator.Kind.COUNT_WITH_PARTICIPANTS, query_kinds=["course"])
    # When a course (12 people), a lecture (no number) and an event are recorded
    for kind, participants in (("course", 12), ("lecture", None), ("event", 5)):
        activity(
            region_a,
            action_a,
            municipalities=[municipality_a1],
            kind=kind,
            participants=participants,
        )

    # Then each counts its own kinds, and the participants only of the activities counted
    assert value(every, municipality_a1).number == 3
    assert value(two, municipality_a1).number == 2
    counted_courses = value(courses, municipality_a1)
    assert (counted_courses.number, counted_courses.participants) == (1, 12)


def test_counting_one_period_again_judges_it_with_the_period_before(
    computed_of, action_a, region_a, municipality_a1
):
    # Given an indicator to increase with two activities in 2023 and one in 2024, counted
    rising = computed_of(target_type="direction", target_direction="increase")
    for day in (D(2023, 5, 1), D(2023, 6, 1), D(2024, 5, 1)):
        activity(region_a, action_a, municipalities=[municipality_a1], starts_on=day)
    Measurement.objects.filter(indicator=rising, period="2024").update(status=Status.NO_DATA)
    before = value(rising, municipality_a1, "2023")

    # When only 2024 is counted again
    computed_values_refresh(indicators=[rising], periods=["2024"])

    # Then 2024 is judged against 2023 (read, not written), and 2023 is left as it was
    assert value(rising, municipality_a1, "2024").status == Status.NOT_MET
    after = value(rising, municipality_a1, "2023")
    assert (after.version, after.status) == (before.version, before.status)


def test_a_locked_period_is_left_as_approved(
    counted, action_a, region_a, programme_a, municipality_a1
):
    activity(region_a, action_a, municipalities=[municipality_a1])
    Round.objects.create(
        programme=programme_a, period="2024", deadline=D(2025, 2, 1), state=Round.State.APPROVED
    )

    activity(region_a, action_a, municipalities=[municipality_a1])

    approved = value(counted, municipality_a1)
    assert (approved.number, approved.computed_number) == (1, 1)


def test_recording_a_computed_value_by_hand_is_refused(counted, coordinator_region):
    with pytest.raises(ValidationError) as error:
        measurement_record(
            actor=coordinator_region,
            indicator=counted,
            municipality="101",
            period="2024",
            values={"number": 3},
            version=None,
            source=Measurement.Source.WEB,
        )
    assert "counted from the registries" in error.value.message_dict["number"][0]


def test_refresh_writes_only_what_changed(counted, action_a, region_a, municipality_a1):
    activity(region_a, action_a, municipalities=[municipality_a1])
    assert computed_values_refresh(indicators=[counted]) == 5  # the 0s of the other values

    assert computed_values_refresh(indicators=[counted]) == 0
    Measurement.objects.filter(
        indicator=counted, municipality=municipality_a1, period="2024"
    ).update(number=9, computed_number=9)
    assert computed_values_refresh(indicators=[counted], periods=["2024"]) == 1
    assert value(counted, municipality_a1).number == 1


# -- overrides ---------------------------------------------------------------------------------


def test_an_override_keeps_its_number_while_the_count_follows_and_clearing_returns_to_it(
    counted, action_a, region_a, municipality_a1, coordinator_region
):
    activity(region_a, action_a, municipalities=[municipality_a1])

    overridden = computed_override_set(
        actor=coordinator_region,
        indicator=counted,
        municipality=municipality_a1,
        period="2024",
        number=3,
        justification="Two meetings were recorded late.",
    )
    assert (overridden.number, overridden.status) == (3, Status.MET)
    assert overridden.override == "Two meetings were recorded late."

    activity(region_a, action_a, municipalities=[municipality_a1])
    stored = value(counted, municipality_a1)
    assert (stored.number, stored.computed_number) == (3, 2)

    computed_override_clear(
        actor=coordinator_region, indicator=counted, municipality=municipality_a1, period="2024"
    )
    stored = value(counted, municipality_a1)
    assert (stored.number, stored.override, stored.status) == (2, "", Status.MET)
    verbs = list(
        AuditEvent.objects.filter(target_type="followup.measurement")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert verbs[0]["override"] == ["", "Two meetings were recorded late."]
    assert verbs[1]["number"] == [3, 2]


def test_an_override_needs_a_justification_and_a_whole_number(
    counted, municipality_a1, coordinator_region
):
    with pytest.raises(ValidationError) as error:
        computed_override_set(
            actor=coordinator_region,
            indicator=counted,
            municipality=municipality_a1,
            period="2024",
            number="2.5",
            justification=" ",
        )
    assert set(error.value.message_dict) == {"number", "justification"}


def test_an_override_follows_the_values_policy(
    counted, municipality_a1, municipality_a2, coordinator_a, viewer, coordinator_b
):
    def override(actor, municipality):
        computed_override_set(
            actor=actor,
            indicator=counted,
            municipality=municipality,
            period="2024",
            number=1,
            justification="Late.",
        )

    override(coordinator_a, municipality_a1)
    assert value(counted, municipality_a1).number == Decimal(1)
    with pytest.raises(PermissionDenied):
        override(coordinator_a, municipality_a2)
    with pytest.raises(PermissionDenied):
        override(viewer, municipality_a1)
    with pytest.raises(Http404):
        override(coordinator_b, municipality_a1)


def test_an_override_is_refused_in_a_locked_period(
    counted, programme_a, municipality_a1, coordinator_region
):
    Round.objects.create(
        programme=programme_a, period="2024", deadline=D(2025, 2, 1), state=Round.State.APPROVED
    )
    with pytest.raises(PeriodLocked):
        computed_override_set(
            actor=coordinator_region,
            indicator=counted,
            municipality=municipality_a1,
            period="2024",
            number=1,
            justification="Late.",
        )


# -- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_refresh_queries_do_not_grow_with_the_records(
    size,
    counted,
    computed_of,
    action_a,
    region_a,
    municipality_a1,
    municipality_a2,
    django_assert_max_num_queries,
):
    # Given `size` activities in each municipality in each year, some values already stored
    courses = computed_of(Indicator.Kind.COUNT_WITH_PARTICIPANTS, scope=Indicator.Scope.REGION)
    for year in (2023, 2024, 2025):
        for n in range(size):
            ActivityFactory(
                region=region_a,
                starts_on=D(year, 1 + n % 12, 1),
                participants=n,
                municipalities=[municipality_a1, municipality_a2],
                actions=[action_a],
            )
    computed_values_refresh(indicators=[counted], periods=["2023"])

    # When every value of both indicators is counted again
    with django_assert_max_num_queries(12):
        written = computed_values_refresh(indicators=[counted, courses])

    assert written == 3 * 2 - 2 + 3  # the counted ones not yet stored, the region's three
    assert value(courses, None, "2024").number == size
