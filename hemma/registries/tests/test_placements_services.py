"""Placements: recording through the services (audited, counted, refused where they must be),
who sees and records what, the selectors' period filter, and the demo's placements."""

import datetime
from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemma.accounts.models import Membership
from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement, Round
from hemma.lib.problems import ProblemsFound
from hemma.programmes.models import Indicator
from hemma.registries import policies, selectors
from hemma.registries.demo_placements import demo_placements_load
from hemma.registries.models import Placement
from hemma.registries.services import (
    placement_delete,
    placement_record,
    placement_version,
    placements_record_many,
)
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Kind = Placement.Kind


@pytest.fixture
def school(region_a):
    """A unit of the region as a whole."""
    return f.OrganisationFactory(region=region_a, key="skolan", name={"sv": "Skolan"})


@pytest.fixture
def a2_unit(region_a, municipality_a2):
    """A unit of A2 only."""
    return f.OrganisationFactory(
        region=region_a,
        key="a2-bildning",
        name={"sv": "Bildning A-by"},
        municipality=municipality_a2,
    )


@pytest.fixture
def record(region_a, school):
    """record(actor, municipality, people, period="2024", kind=work try-out, unit=school)."""

    def make(actor, municipality, people, period="2024", kind=Kind.WORK_TRYOUT, **fields):
        fields.setdefault("unit", school)
        return placement_record(
            actor=actor,
            region=region_a,
            municipality=municipality,
            kind=kind,
            period=period,
            people=people,
            **fields,
        )

    return make


@pytest.fixture
def placements_of(programme_a):
    """placements_of(*kinds, period="year"): a computed indicator summing placements."""

    def make(*kinds, period=Indicator.Period.YEAR) -> Indicator:
        indicator = f.IndicatorFactory(
            action=programme_a.actions.get(key="joint-meetings"),
            kind=Indicator.Kind.COUNT,
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.PLACEMENTS,
            query_kinds=list(kinds),
            period=period,
            target_type="",
        )
        return cast(Indicator, indicator)

    return make


def number_of(indicator, municipality, period="2024"):
    value = Measurement.objects.filter(
        indicator=indicator, municipality=municipality, period=period
    ).first()
    return None if value is None else value.number


def approve(programme, period="2024"):
    Round.objects.create(
        programme=programme,
        period=period,
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )


# -- recording, counted ------------------------------------------------------------------------


def test_recording_replacing_and_deleting_moves_the_computed_sum(
    coordinator_region, record, municipality_a1, placements_of
):
    tryouts = placements_of(Kind.WORK_TRYOUT)
    every = placements_of()
    # Given a half-year's work try-outs and a year's jobs
    placement = record(coordinator_region, municipality_a1, 3, period="2024H1")
    record(coordinator_region, municipality_a1, 4, kind=Kind.JOB)
    # Then the year's try-out indicator sums the half-year's, the indicator of every kind both
    assert number_of(tryouts, municipality_a1) == 3
    assert number_of(every, municipality_a1) == 7
    # When the half-year's number is replaced, and then removed
    record(coordinator_region, municipality_a1, 5, period="2024H1")
    assert number_of(tryouts, municipality_a1) == 5
    placement_delete(actor=coordinator_region, placement=Placement.objects.get(pk=placement.pk))
    assert number_of(tryouts, municipality_a1) == 0
    assert number_of(every, municipality_a1) == 4


def test_recording_the_same_key_replaces_and_is_audited_old_to_new(
    coordinator_region, record, municipality_a1
):
    first = record(coordinator_region, municipality_a1, 3)
    second = record(coordinator_region, municipality_a1, 5, note="Corrected")
    assert second.pk == first.pk and Placement.objects.count() == 1
    placement_delete(actor=coordinator_region, placement=second)
    events = AuditEvent.objects.filter(target_id=str(first.pk)).order_by("id")
    assert [e.verb for e in events] == ["create", "update", "delete"]
    assert events[0].changes["unit"] == [None, "skolan"]
    assert events[1].changes == {"people": [3, 5], "note": ["", "Corrected"]}
    assert events[2].changes["people"] == [5, None]
    assert events[1].actor_name == "coordinator_region"


def test_replace_false_refuses_a_stored_placement(coordinator_region, record, municipality_a1):
    record(coordinator_region, municipality_a1, 3)
    with pytest.raises(ValidationError) as refused:
        record(coordinator_region, municipality_a1, 9, replace=False)
    assert "already recorded" in refused.value.message_dict["period"][0]
    assert Placement.objects.get().people == 3


def test_editing_moves_a_placement_and_counts_both_places(
    coordinator_region, record, municipality_a1, placements_of
):
    tryouts = placements_of(Kind.WORK_TRYOUT)
    placement = record(coordinator_region, municipality_a1, 3)
    # When its period is corrected from 2024 to 2023
    record(coordinator_region, municipality_a1, 3, period="2023", placement=placement)
    # Then it counts in 2023 and no more in 2024
    assert number_of(tryouts, municipality_a1, "2023") == 3
    assert number_of(tryouts, municipality_a1, "2024") == 0
    assert Placement.objects.get().period == "2023"


def test_editing_onto_another_stored_placement_is_refused(
    coordinator_region, record, municipality_a1
):
    kept = record(coordinator_region, municipality_a1, 3, period="2023")
    moved = record(coordinator_region, municipality_a1, 4)
    with pytest.raises(ValidationError) as refused:
        record(coordinator_region, municipality_a1, 4, period="2023", placement=moved)
    assert "already recorded" in refused.value.message_dict["period"][0]
    assert Placement.objects.get(pk=kept.pk).people == 3


def test_a_placement_changed_meanwhile_is_not_overwritten(
    coordinator_region, record, municipality_a1
):
    placement = record(coordinator_region, municipality_a1, 3)
    seen = placement_version(placement)
    record(coordinator_region, municipality_a1, 4)  # someone else, meanwhile
    with pytest.raises(ValidationError) as refused:
        record(coordinator_region, municipality_a1, 5, version=seen)
    assert "Someone else saved this placement meanwhile" in refused.value.messages[0]
    assert Placement.objects.get().people == 4


@pytest.mark.parametrize(
    ("period", "message"),
    [("2023-2025", "not a period of a placement"), ("someday", "not a period"), ("", "Give")],
)
def test_only_years_half_years_and_quarters_are_periods(
    coordinator_region, record, municipality_a1, period, message
):
    with pytest.raises(ValidationError) as refused:
        record(coordinator_region, municipality_a1, 3, period=period)
    assert message in refused.value.message_dict["period"][0]
    assert not Placement.objects.exists()


def test_quarters_and_half_years_are_recorded(coordinator_region, record, municipality_a1):
    record(coordinator_region, municipality_a1, 1, period="2024Q3")
    record(coordinator_region, municipality_a1, 2, period="2024H2")
    assert set(Placement.objects.values_list("period", flat=True)) == {"2024Q3", "2024H2"}


def test_bad_fields_are_refused_all_at_once(coordinator_region, region_a, municipality_a1):
    with pytest.raises(ValidationError) as refused:
        placement_record(
            actor=coordinator_region,
            region=region_a,
            municipality="999",
            unit="nobody",
            kind="internship",
            period="2024",
            people=-1,
        )
    assert set(refused.value.message_dict) == {"municipality", "unit", "kind", "people"}


def test_a_unit_of_another_municipality_is_refused(
    coordinator_region, record, municipality_a1, municipality_a2, a2_unit
):
    with pytest.raises(ValidationError) as refused:
        record(coordinator_region, municipality_a1, 3, unit=a2_unit)
    assert "a unit of another municipality" in refused.value.message_dict["unit"][0]
    assert record(coordinator_region, municipality_a2, 3, unit="a2-bildning").unit == a2_unit


# -- an approved round -------------------------------------------------------------------------


def test_a_period_within_an_approved_round_is_refused(
    coordinator_region, record, municipality_a1, programme_a
):
    placement = record(coordinator_region, municipality_a1, 3, period="2024H1")
    approve(programme_a, "2024")
    # Recording, replacing, moving out of and deleting in the approved year are refused
    for period in ("2024", "2024Q2", "2024H1"):
        with pytest.raises(ValidationError) as refused:
            record(coordinator_region, municipality_a1, 9, period=period)
        assert "is approved and locked" in refused.value.message_dict["period"][0]
    with pytest.raises(ValidationError):
        record(coordinator_region, municipality_a1, 3, period="2025", placement=placement)
    with pytest.raises(ValidationError):
        placement_delete(actor=coordinator_region, placement=placement)
    assert Placement.objects.get().people == 3
    # Another year is open
    assert record(coordinator_region, municipality_a1, 2, period="2025").people == 2


def test_a_round_of_a_programme_not_covering_the_municipality_locks_nothing(
    coordinator_region, record, region_a, municipality_a1
):
    other = f.ProgrammeFactory(region=region_a)  # of no municipality
    approve(other, "2024")
    assert record(coordinator_region, municipality_a1, 3).people == 3


# -- many at once ------------------------------------------------------------------------------


def test_many_are_recorded_all_or_none_with_problems_by_item(
    coordinator_region, region_a, municipality_a1, municipality_a2, school
):
    items = [
        {"municipality": "101", "unit": "skolan", "kind": Kind.JOB, "period": "2024", "people": 2},
        {
            "municipality": "102",
            "unit": "skolan",
            "kind": Kind.JOB,
            "period": "2024",
            "people": "x",
        },
        {"municipality": "101", "unit": "skolan", "kind": Kind.JOB, "period": "2024", "people": 3},
    ]
    with pytest.raises(ProblemsFound) as found:
        placements_record_many(actor=coordinator_region, region=region_a, items=items)
    assert [p.path for p in found.value.problems] == ["items[1].people", "items[2].period"]
    assert "already given in items[0]" in found.value.problems[1].message
    assert not Placement.objects.exists()
    items[1]["people"] = "1 200"
    items.pop()
    recorded = placements_record_many(actor=coordinator_region, region=region_a, items=items)
    assert sorted(p.people for p in recorded) == [2, 1200]
    assert AuditEvent.objects.filter(verb="create", target_type="registries.placement").count() == 2


def test_a_municipal_coordinator_records_their_own_municipality_only(
    coordinator_a, record, region_a, municipality_a1, municipality_a2
):
    assert record(coordinator_a, municipality_a1, 3).people == 3
    with pytest.raises(PermissionDenied):
        record(coordinator_a, municipality_a2, 3)
    items = [
        {"municipality": "102", "unit": "skolan", "kind": Kind.JOB, "period": "2024", "people": 1}
    ]
    with pytest.raises(ProblemsFound) as found:
        placements_record_many(actor=coordinator_a, region=region_a, items=items)
    assert found.value.problems[0].path == "items[0].municipality"


def test_viewers_and_other_regions_record_nothing(
    viewer, coordinator_b, record, region_a, municipality_a1
):
    with pytest.raises(PermissionDenied):
        record(viewer, municipality_a1, 3)
    with pytest.raises(Http404):
        record(coordinator_b, municipality_a1, 3)
    assert not Placement.objects.exists()


# -- who sees what -----------------------------------------------------------------------------


def test_who_sees_which_placements(
    coordinator_region,
    coordinator_a,
    viewer,
    coordinator_b,
    record,
    region_a,
    municipality_a1,
    municipality_a2,
    school,
):
    a1 = record(None, municipality_a1, 3)
    a2 = record(None, municipality_a2, 4)
    reporter = f.UserFactory(username="reporter")
    Membership.objects.create(
        user=reporter,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=school,
    )

    def seen(user):
        return set(policies.placements_visible(user))

    assert seen(coordinator_region) == seen(viewer) == {a1, a2}
    assert seen(coordinator_a) == {a1}
    assert seen(coordinator_b) == set()
    # An organisation reporter neither sees nor records placements, even of their own unit
    assert seen(reporter) == set()
    assert not policies.can_record_placement(reporter, region_a, municipality_a1)
    assert policies.can_change_placement(coordinator_a, a1)
    assert not policies.can_change_placement(coordinator_a, a2)
    assert not policies.can_change_placement(viewer, a1)


def test_the_period_filter_takes_what_lies_within(coordinator_region, record, municipality_a1):
    for period in ("2024", "2024H1", "2024Q3", "2023Q3"):
        record(coordinator_region, municipality_a1, 1, period=period)

    def periods(code):
        found = selectors.placement_list(user=coordinator_region, period=code)
        return sorted(found.values_list("period", flat=True))

    assert periods("2024") == ["2024", "2024H1", "2024Q3"]
    assert periods("2024H2") == ["2024Q3"]
    assert periods("2023Q3") == ["2023Q3"]
    assert periods("nonsense") == []


# -- the demo ----------------------------------------------------------------------------------


def test_the_demo_records_three_years_of_placements_once(seed_programme):
    region = seed_programme.region
    units_before = set(region.organisations.values_list("pk", flat=True))
    recorded = demo_placements_load(programme=seed_programme)
    placements = Placement.objects.filter(region=region)
    assert recorded == placements.count() > 0
    # Every kind, years and half-years of 2023–2025, units of the region's municipal units
    assert set(placements.values_list("kind", flat=True)) == set(Kind.values)
    years = {code[:4] for code in placements.values_list("period", flat=True)}
    assert years == {"2023", "2024", "2025"}
    assert placements.filter(period="2024H1").exists()
    assert set(placements.values_list("unit__kind", flat=True)) == {"municipal_unit"}
    assert set(region.organisations.values_list("pk", flat=True)) == units_before

    def people(code: str) -> int:
        return sum(placements.filter(municipality__code=code).values_list("people", flat=True))

    # Jakobstad (about 19,000 inhabitants) has more than Larsmo (about 5,500)
    assert people("598") > people("440")
    # Some numbers are below the suppression threshold
    assert placements.filter(people__lt=5).exists()
    # The same placements every time, and loaded once
    first = list(placements.order_by("pk").values_list("unit__key", "kind", "period", "people"))
    assert demo_placements_load(programme=seed_programme) == 0
    assert (
        list(placements.order_by("pk").values_list("unit__key", "kind", "period", "people"))
        == first
    )
    Placement.objects.all().delete()
    demo_placements_load(programme=seed_programme)
    assert (
        list(placements.order_by("pk").values_list("unit__key", "kind", "period", "people"))
        == first
    )


def test_the_demo_leaves_out_approved_periods(seed_programme):
    approve(seed_programme, "2023")
    demo_placements_load(programme=seed_programme)
    years = {code[:4] for code in Placement.objects.values_list("period", flat=True)}
    assert years == {"2024", "2025"}
