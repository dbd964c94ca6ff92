"""Recording values: who may, what fits each kind, optimistic locking, status and the trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemma.audit.models import AuditEvent
from hemma.followup import selectors
from hemma.followup.models import Measurement, Status
from hemma.followup.services import (
    StaleValue,
    ValueItem,
    measurement_record,
    measurement_record_many,
)
from hemma.lib.problems import ProblemsFound
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind
API = Measurement.Source.API


def record(actor, indicator, *, municipality="101", period="2024", version=None, **values):
    comment = values.pop("comment", "")
    return measurement_record(
        actor=actor,
        indicator=indicator,
        municipality=municipality,
        period=period,
        values=values,
        comment=comment,
        version=version,
        source=API,
    )


def field_errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# -- who may record ----------------------------------------------------------------------------


def test_a_region_coordinator_records_for_a_municipality_and_for_the_region(
    coordinator_region, band_indicator
):
    for_a2 = record(coordinator_region, band_indicator, municipality="102", number=3)
    for_region = record(coordinator_region, band_indicator, municipality=None, number=1)

    assert (for_a2.municipality.code, for_a2.status, for_a2.version) == ("102", Status.MET, 1)
    assert (for_region.municipality, for_region.status) == (None, Status.NOT_MET)
    assert for_a2.entered_by == coordinator_region


def test_a_municipal_coordinator_records_for_its_own_municipality_with_its_status(
    coordinator_a, band_indicator, municipality_a1
):
    value = record(coordinator_a, band_indicator, municipality=municipality_a1, number=5)

    stored = Measurement.objects.get(pk=value.pk)
    assert stored.status == Status.EXCEEDED
    assert stored.number == Decimal(5)
    assert stored.entered_by_name == "coordinator_a"


@pytest.mark.parametrize("municipality", ["102", None])
def test_a_municipal_coordinator_may_not_record_for_a_neighbour_or_the_region(
    coordinator_a, band_indicator, municipality
):
    with pytest.raises(PermissionDenied):
        record(coordinator_a, band_indicator, municipality=municipality, number=3)

    assert not Measurement.objects.exists()


def test_a_municipal_coordinator_may_not_record_in_a_programme_that_does_not_cover_it(
    coordinator_a, region_a, municipality_a2
):
    # A programme of the same region that covers only A2: coordinator_a cannot see it at all.
    other = f.ProgrammeFactory(slug="a2-only", region=region_a)
    other.municipalities.set([municipality_a2])
    indicator = f.IndicatorFactory(action__goal__theme__programme=other)

    with pytest.raises(Http404):
        record(coordinator_a, indicator, municipality="102", number=3)


def test_a_viewer_may_not_record(viewer, band_indicator):
    with pytest.raises(PermissionDenied):
        record(viewer, band_indicator, number=3)


def test_another_regions_coordinator_does_not_find_the_indicator(coordinator_b, band_indicator):
    with pytest.raises(Http404):
        record(coordinator_b, band_indicator, number=3)


def test_a_superuser_records_anywhere(band_indicator):
    admin = f.UserFactory(username="admin", is_superuser=True)

    assert record(admin, band_indicator, municipality=None, number=2).status == Status.MET


# -- what a value must be ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "says"),
    [
        ("2022", "outside the programme's period 2023–2025"),
        ("2026", "outside the programme's period"),
        ("2024H1", "followed up by year; “2024H1” is a half-year"),
        ("2023-2025", "is a several years"),
        ("twenty", "is not a period"),
    ],
)
def test_a_period_outside_the_programme_or_of_another_kind_is_refused(
    coordinator_region, band_indicator, period, says
):
    with pytest.raises(ValidationError) as error:
        record(coordinator_region, band_indicator, period=period, number=3)

    assert list(field_errors(error)) == ["period"]
    assert says in field_errors(error)["period"][0]


def test_a_half_year_indicator_takes_half_years(coordinator_region, indicator_of):
    indicator = indicator_of(Kind.COUNT, period=Indicator.Period.HALF_YEAR)

    assert record(coordinator_region, indicator, period="2024H2", number=1).period == "2024H2"
    with pytest.raises(ValidationError):
        record(coordinator_region, indicator, period="2024", number=1)


def test_a_municipality_outside_the_programme_is_refused(
    coordinator_region, band_indicator, municipality_b1
):
    with pytest.raises(ValidationError) as error:
        record(coordinator_region, band_indicator, municipality="201", number=3)

    assert "not one of the programme's municipalities" in field_errors(error)["municipality"][0]


@pytest.mark.parametrize(
    ("kind", "values", "field", "says"),
    [
        (Kind.COUNT, {"number": -1}, "number", "below zero"),
        (Kind.COUNT, {"number": "many"}, "number", "Give a number"),
        (Kind.COUNT, {"number": True}, "number", "Give a number"),
        (Kind.STATISTICS, {"number": "1.005"}, "number", "two decimals"),
        (Kind.COUNT, {"number": "2.5"}, "number", "whole number"),
        (Kind.FREQUENCY_BAND, {"number": "2,5"}, "number", "whole number"),
        (Kind.COUNT, {"number": "1e3"}, "number", "Give a number"),
        (Kind.STATISTICS, {"number": "Infinity"}, "number", "Give a number"),
        (Kind.COUNT, {}, "number", "Give the value"),
        (Kind.FREQUENCY_BAND, {"number": 3, "participants": 40}, "participants", "has no"),
        (Kind.COUNT_WITH_PARTICIPANTS, {"number": 3, "participants": 2.5}, "participants", ""),
        (Kind.COUNT_WITH_PARTICIPANTS, {"number": 3, "participants": -4}, "participants", ""),
        (Kind.MILESTONE, {"number": 1}, "number", "has no"),
        (Kind.MILESTONE, {}, "done", "whether it was done"),
        (Kind.MILESTONE, {"done": "yes"}, "done", "true or false"),
        (Kind.MILESTONE, {"done": True, "done_on": "2025-01-01"}, "done_on", "after the period"),
        (Kind.MILESTONE, {"done": False, "done_on": "2024-03-01"}, "done_on", "only for what"),
        (Kind.ONGOING, {"done": True, "done_on": "1.3.2024"}, "done_on", "YYYY-MM-DD"),
        (Kind.DELIVERABLE_LANGUAGES, {"languages": ["sv", "xx"]}, "languages", "xx"),
        (Kind.DELIVERABLE_LANGUAGES, {"languages": "sv"}, "languages", "list"),
        (Kind.DELIVERABLE_LANGUAGES, {}, "languages", "Give the languages"),
        (Kind.SURVEY, {}, "number", "or whether it was done"),
    ],
)
def test_a_value_that_does_not_fit_its_kind_is_refused_naming_the_field(
    coordinator_region, indicator_of, kind, values, field, says
):
    indicator = indicator_of(kind)

    with pytest.raises(ValidationError) as error:
        record(coordinator_region, indicator, **values)

    assert field in field_errors(error)
    assert says in field_errors(error)[field][0]
    assert not Measurement.objects.exists()


def test_every_problem_of_a_value_is_given_at_once(coordinator_region, indicator_of):
    indicator = indicator_of(Kind.COUNT_WITH_PARTICIPANTS)

    with pytest.raises(ValidationError) as error:
        record(coordinator_region, indicator, number=-2, participants="some", done=True)

    assert set(field_errors(error)) == {"number", "participants", "done"}


def test_values_of_each_kind_are_stored_as_given(coordinator_region, indicator_of):
    external = record(coordinator_region, indicator_of(Kind.EXTERNAL_INDEX), number="-1.5")
    course = record(
        coordinator_region,
        indicator_of(Kind.COUNT_WITH_PARTICIPANTS),
        number=4,
        participants=37,
    )
    review = record(
        coordinator_region, indicator_of(Kind.MILESTONE), done=True, done_on="2023-11-20"
    )
    guide = record(
        coordinator_region,
        indicator_of(Kind.DELIVERABLE_LANGUAGES),
        languages=["uk", "sv", "ar", "sv"],
    )
    survey = record(coordinator_region, indicator_of(Kind.SURVEY), done=True)

    assert external.number == Decimal("-1.5")
    assert (course.number, course.participants) == (4, 37)
    assert (review.done, review.done_on, review.status) == (
        True,
        datetime.date(2023, 11, 20),
        Status.MET,
    )
    # One order, no repeats: the same languages are the same value whatever order they came in.
    assert guide.languages == ["sv", "ar", "uk"]
    assert survey.status == Status.MET


def test_recording_again_replaces_the_fields_not_given(coordinator_region, indicator_of):
    indicator = indicator_of(Kind.COUNT_WITH_PARTICIPANTS)
    first = record(coordinator_region, indicator, number=4, participants=37)

    again = record(coordinator_region, indicator, number=5, version=first.version)

    assert (again.number, again.participants) == (5, None)


# -- optimistic locking ------------------------------------------------------------------------


def test_a_change_based_on_the_stored_version_is_saved_with_the_next_version(
    coordinator_region, band_indicator
):
    first = record(coordinator_region, band_indicator, number=1)

    second = record(coordinator_region, band_indicator, number=3, version=first.version)

    assert (second.pk, second.version, second.status) == (first.pk, 2, Status.MET)


def test_a_stale_version_is_refused_and_the_first_save_is_kept(
    coordinator_region, coordinator_a, band_indicator
):
    read = record(coordinator_region, band_indicator, number=1)
    # Both read version 1; the coordinator saves first.
    record(coordinator_region, band_indicator, number=3, comment="Counted again", version=1)

    with pytest.raises(StaleValue) as stale:
        record(coordinator_a, band_indicator, number=4, version=read.version)

    assert (stale.value.current.number, stale.value.current.version) == (3, 2)
    stored = Measurement.objects.get()
    assert (stored.number, stored.comment, stored.version) == (3, "Counted again", 2)


def test_a_first_value_recorded_meanwhile_by_someone_else_is_not_overwritten(
    coordinator_region, coordinator_a, band_indicator
):
    record(coordinator_a, band_indicator, number=2)

    with pytest.raises(StaleValue) as stale:
        record(coordinator_region, band_indicator, number=4, version=None)

    assert stale.value.current.number == 2
    assert Measurement.objects.get().number == 2


def test_a_version_for_a_value_never_recorded_is_refused(coordinator_region, band_indicator):
    with pytest.raises(ValidationError) as error:
        record(coordinator_region, band_indicator, number=3, version=4)

    assert "version" in field_errors(error)


def test_saving_the_same_value_again_changes_nothing(coordinator_region, band_indicator):
    first = record(coordinator_region, band_indicator, number=3)

    again = record(coordinator_region, band_indicator, number="3.00", version=first.version)

    assert again.version == 1
    assert AuditEvent.objects.filter(target_type="followup.measurement").count() == 1


# -- the audit trail ---------------------------------------------------------------------------


def test_recording_and_changing_leave_old_and_new_in_the_trail(
    coordinator_region, coordinator_a, band_indicator, programme_a
):
    first = record(coordinator_a, band_indicator, number=1, comment="Spring only")
    record(coordinator_region, band_indicator, number=3, comment="Spring only", version=1)

    created, changed = AuditEvent.objects.filter(target_id=str(first.pk)).order_by("id")
    assert (created.verb, created.actor_name, created.programme_id) == (
        "create",
        "coordinator_a",
        programme_a.pk,
    )
    assert created.changes == {
        "period": [None, "2024"],
        "municipality": [None, "101"],
        "number": [None, 1],
        "comment": [None, "Spring only"],
        "status": [None, "not_met"],
    }
    assert (changed.verb, changed.actor_name) == ("update", "coordinator_region")
    assert changed.changes == {"number": [1, 3], "status": ["not_met", "met"]}


# -- statuses that depend on other periods ----------------------------------------------------


def test_changing_a_year_recomputes_the_next_year_of_a_direction_target(
    coordinator_region, indicator_of
):
    indicator = indicator_of(
        Kind.COUNT, target_type="direction", target_direction="increase", key="friends"
    )
    first = record(coordinator_region, indicator, period="2023", number=5)
    record(coordinator_region, indicator, period="2024", number=6)
    assert Measurement.objects.get(period="2024").status == Status.MET

    record(coordinator_region, indicator, period="2023", number=7, version=first.version)

    assert Measurement.objects.get(period="2024").status == Status.NOT_MET


def test_recording_an_earlier_year_after_a_later_one_gives_the_later_its_comparison(
    coordinator_region, indicator_of
):
    indicator = indicator_of(Kind.COUNT, target_type="direction", target_direction="decrease")
    record(coordinator_region, indicator, period="2025", number=10)
    assert Measurement.objects.get(period="2025").status == Status.MET  # a baseline alone

    record(coordinator_region, indicator, period="2024", number=8)

    assert Measurement.objects.get(period="2025").status == Status.NOT_MET


def test_a_milestone_done_early_makes_the_later_years_met(coordinator_region, indicator_of):
    indicator = indicator_of(Kind.MILESTONE, target_type="every_n_years", target_years=2)
    record(coordinator_region, indicator, period="2025", done=False)
    assert Measurement.objects.get(period="2025").status == Status.NOT_MET

    record(coordinator_region, indicator, period="2024", done=True, done_on="2024-05-02")

    assert Measurement.objects.get(period="2025").status == Status.MET


def test_a_later_municipality_or_indicator_is_left_alone(coordinator_region, indicator_of):
    indicator = indicator_of(Kind.COUNT, target_type="direction", target_direction="increase")
    record(coordinator_region, indicator, municipality="102", period="2024", number=6)

    record(coordinator_region, indicator, municipality="101", period="2023", number=9)

    assert Measurement.objects.get(municipality__code="102").status == Status.MET


# -- many at once ------------------------------------------------------------------------------


def test_many_values_are_recorded_together(coordinator_region, band_indicator):
    recorded = measurement_record_many(
        actor=coordinator_region,
        items=[
            ValueItem(band_indicator, "101", "2023", {"number": 2}),
            ValueItem(band_indicator, "102", "2023", {"number": 5}),
            ValueItem(band_indicator, None, "2023", {"number": 0}),
        ],
        source=API,
    )

    assert [m.status for m in recorded] == [Status.MET, Status.EXCEEDED, Status.NOT_MET]
    assert Measurement.objects.count() == 3


def test_one_bad_item_saves_nothing_and_each_problem_names_its_item(
    coordinator_region, band_indicator
):
    record(coordinator_region, band_indicator, municipality="102", period="2024", number=2)

    with pytest.raises(ProblemsFound) as found:
        measurement_record_many(
            actor=coordinator_region,
            items=[
                ValueItem(band_indicator, "101", "2023", {"number": 2}),
                ValueItem(band_indicator, "101", "2030", {"number": -1}),
                ValueItem(band_indicator, "102", "2024", {"number": 3}),  # stale: no version
                ValueItem(band_indicator, "101", "2023", {"number": 3}),  # again
            ],
            source=API,
        )

    assert sorted(p.path for p in found.value.problems) == [
        "items[1].number",
        "items[1].period",
        "items[2].version",
        "items[3].period",
    ]
    assert list(Measurement.objects.values_list("period", "number")) == [("2024", 2)]


def test_many_values_are_refused_whole_when_one_is_for_a_neighbour(coordinator_a, band_indicator):
    with pytest.raises(PermissionDenied):
        measurement_record_many(
            actor=coordinator_a,
            items=[
                ValueItem(band_indicator, "101", "2023", {"number": 2}),
                ValueItem(band_indicator, "102", "2023", {"number": 2}),
            ],
            source=API,
        )

    assert not Measurement.objects.exists()


# -- the list ----------------------------------------------------------------------------------


def test_a_municipal_coordinator_sees_every_municipality_of_a_shared_programme(
    coordinator_region, coordinator_a, coordinator_b, band_indicator
):
    for code in ("101", "102", None):
        record(coordinator_region, band_indicator, municipality=code, number=3)

    seen = selectors.measurement_list(user=coordinator_a)
    unseen = selectors.measurement_list(user=coordinator_b)

    assert [m.municipality and m.municipality.code for m in seen] == [None, "101", "102"]
    assert not unseen.exists()


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("1 200", Decimal(1200)),
        ("1\u00a0200", Decimal(1200)),
        ("+7", Decimal(7)),
        (" 12 ", Decimal(12)),
    ],
)
def test_a_count_is_read_as_people_write_it(coordinator_region, indicator_of, written, stored):
    count = indicator_of(Kind.COUNT)

    value = record(coordinator_region, count, municipality="101", number=written)

    assert value.number == stored
