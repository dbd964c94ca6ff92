"""Service statistics: recording, who may, and the indicators that take their values from them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement, Round
from hemma.lib.problems import ProblemsFound
from hemma.programmes.models import Indicator
from hemma.registries import policies, selectors
from hemma.registries.computing import computed_override_set, statistics_counted
from hemma.registries.models import ServiceStatistic
from hemma.registries.services import (
    statistic_delete,
    statistic_record,
    statistics_record_many,
)
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

PLANS = ServiceStatistic.Measure.INTEGRATION_PLANS
MEDIAN = ServiceStatistic.Measure.MEDIAN_DAYS_TO_ASSESSMENT


@pytest.fixture
def statistic_of(action_a):
    """statistic_of(measure, scope=…, **fields): an indicator of programme_a's action that
    takes the statistic `measure` (yearly; a 10–20 band unless told)."""

    def make(measure=PLANS, *, scope=Indicator.Scope.MUNICIPALITY, **fields) -> Indicator:
        fields.setdefault("kind", Indicator.Kind.COUNT)
        fields.setdefault("target_type", "band")
        fields.setdefault("target_min", 10)
        fields.setdefault("target_max", 20)
        indicator = f.IndicatorFactory(
            action=action_a,
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.STATISTIC,
            query_kinds=[measure],
            scope=scope,
            **fields,
        )
        return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)  # type: ignore[attr-defined]

    return make


def value_of(indicator, municipality, period="2024"):
    return Measurement.objects.filter(
        indicator=indicator, municipality=municipality, period=period
    ).first()


def record(actor, region, municipality, value, *, period="2024", measure=PLANS, **fields):
    return statistic_record(
        actor=actor,
        region=region,
        municipality=municipality,
        period=period,
        measure=measure,
        value=value,
        **fields,
    )


# -- the values they feed ----------------------------------------------------------------------


def test_recording_changing_and_deleting_a_statistic_moves_the_value_and_status(
    statistic_of, coordinator_region, region_a, municipality_a1, municipality_a2
):
    # Given an indicator of A1's integration plans in a 10–20 band
    plans = statistic_of()

    # When A1's 2024 statistic is recorded as 12
    statistic = record(
        coordinator_region, region_a, municipality_a1, 12, source="Kotoutumisrekisteri"
    )

    # Then A1's 2024 value is 12, met, computed; A2 has none
    value = value_of(plans, municipality_a1)
    assert (value.number, value.status, value.source) == (12, "met", "computed")
    assert value_of(plans, municipality_a2) is None

    # When it is replaced by 3
    again = record(coordinator_region, region_a, "101", "3")
    assert again.pk == statistic.pk
    value = value_of(plans, municipality_a1)
    assert (value.number, value.status) == (3, "not_met")

    # When it is deleted: no number, no data
    statistic_delete(actor=coordinator_region, statistic=again)
    value = value_of(plans, municipality_a1)
    assert value.number is None
    assert value.status == "no_data"
    assert not ServiceStatistic.objects.exists()


def test_a_region_indicator_sums_a_count_over_the_programmes_municipalities(
    statistic_of, coordinator_region, region_a, municipality_a1, municipality_a2
):
    # Given a region-scope indicator of integration plans
    plans = statistic_of(scope=Indicator.Scope.REGION, target_min=20, target_max=40)
    # And a municipality of the region outside the programme
    outside = f.MunicipalityFactory(code="109", region=region_a)

    # When A1 has 12, A2 has 9 and the outsider 100
    record(coordinator_region, region_a, municipality_a1, 12)
    statistics_record_many(
        actor=coordinator_region,
        region=region_a,
        items=[
            {"municipality": "102", "period": "2024", "measure": PLANS, "value": 9},
            {"municipality": outside, "period": "2024", "measure": PLANS, "value": 100},
        ],
    )

    # Then the region's value is 21 (met); no municipality has a value of its own
    value = value_of(plans, None)
    assert (value.number, value.status) == (21, "met")
    assert not Measurement.objects.filter(indicator=plans, municipality__isnull=False).exists()
    assert list(statistics_counted(indicator=plans, municipality=None, period="2024")) == list(
        ServiceStatistic.objects.filter(municipality__code__in=["101", "102"]).order_by(
            "-period", "municipality__code", "measure"
        )
    )


def test_a_median_is_taken_per_municipality_with_its_decimals(
    statistic_of, coordinator_region, region_a, municipality_a1
):
    # Given an indicator of the median days, at most 60
    median = statistic_of(MEDIAN, target_min=None, target_max=60)

    # When A1's median is 45.5
    record(coordinator_region, region_a, municipality_a1, "45,5", measure=MEDIAN)

    # Then that is A1's value
    value = value_of(median, municipality_a1)
    assert (value.number, value.status) == (Decimal("45.5"), "met")


def test_a_statistic_of_another_period_or_measure_is_not_taken(
    statistic_of, coordinator_region, region_a, municipality_a1
):
    plans = statistic_of()
    record(coordinator_region, region_a, municipality_a1, 12, period="2024H1")
    record(coordinator_region, region_a, municipality_a1, 12, measure=MEDIAN)
    assert value_of(plans, municipality_a1) is None


def test_an_approved_period_keeps_its_value_and_an_override_its_number(
    statistic_of, coordinator_region, region_a, municipality_a1, programme_a
):
    # Given A1's 2024 and 2025 values from statistics, 2024 approved, 2025 overridden
    plans = statistic_of()
    record(coordinator_region, region_a, municipality_a1, 12)
    record(coordinator_region, region_a, municipality_a1, 12, period="2025")
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )
    computed_override_set(
        actor=coordinator_region,
        indicator=plans,
        municipality=municipality_a1,
        period="2025",
        number=15,
        justification="The register was late",
    )

    # When both statistics change
    record(coordinator_region, region_a, municipality_a1, 3)
    record(coordinator_region, region_a, municipality_a1, 4, period="2025")

    # Then 2024 stays as approved, and 2025 keeps the override with the count beside it
    assert value_of(plans, municipality_a1).number == 12
    overridden = value_of(plans, municipality_a1, "2025")
    assert (overridden.number, overridden.computed_number) == (15, 4)


# -- recording ---------------------------------------------------------------------------------


def test_recording_is_audited_old_to_new(coordinator_region, region_a, municipality_a1):
    statistic = record(coordinator_region, region_a, municipality_a1, 12)
    record(coordinator_region, region_a, municipality_a1, 14, note="Corrected")
    statistic_delete(actor=coordinator_region, statistic=statistic)
    events = AuditEvent.objects.filter(target_id=str(statistic.pk)).order_by("id")
    assert [e.verb for e in events] == ["create", "update", "delete"]
    assert events[0].changes["value"] == [None, 12]
    assert events[1].changes == {"value": [12, 14], "note": ["", "Corrected"]}
    assert events[1].actor_name == "coordinator_region"
    assert events[2].changes["value"] == [14, None]


def test_recording_the_same_again_changes_nothing(coordinator_region, region_a, municipality_a1):
    record(coordinator_region, region_a, municipality_a1, 12)
    record(coordinator_region, region_a, municipality_a1, "12")
    assert AuditEvent.objects.filter(verb="update").count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": -1}, "value", "The value cannot be below zero."),
        ({"value": "2.5"}, "value", "A count is a whole number."),
        ({"value": "many"}, "value", "Give a number."),
        ({"value": ""}, "value", "Give the value."),
        ({"measure": MEDIAN, "value": "2.555"}, "value", "Give at most two decimals."),
        ({"period": "last year"}, "period", "is not a period"),
        ({"measure": "hugs"}, "measure", "Choose the measure."),
        ({"municipality": "201"}, "municipality", "not a municipality of the region"),
    ],
)
def test_a_bad_statistic_is_refused_by_field(
    coordinator_region, region_a, municipality_a1, municipality_b1, fields, field, message
):
    given = {"municipality": municipality_a1, "period": "2024", "measure": PLANS, "value": 5}
    given.update(fields)
    with pytest.raises(ValidationError) as error:
        statistic_record(actor=coordinator_region, region=region_a, **given)
    assert message in error.value.message_dict[field][0]
    assert not ServiceStatistic.objects.exists()


def test_a_stale_version_is_refused(coordinator_region, region_a, municipality_a1):
    statistic = record(coordinator_region, region_a, municipality_a1, 12)
    seen = selectors.statistic_get(user=coordinator_region, code=statistic.code)
    from hemma.registries.services import statistic_version

    version = statistic_version(seen)
    record(coordinator_region, region_a, municipality_a1, 13)
    with pytest.raises(ValidationError) as error:
        record(coordinator_region, region_a, municipality_a1, 14, version=version)
    assert "Someone else saved this statistic meanwhile" in error.value.message_dict["version"][0]
    assert ServiceStatistic.objects.get().value == 13


def test_many_are_recorded_all_or_none_with_problems_by_item(
    coordinator_region, region_a, municipality_a1, municipality_a2
):
    items = [
        {"municipality": "101", "period": "2024", "measure": PLANS, "value": 12},
        {"municipality": "102", "period": "2024", "measure": PLANS, "value": -4},
        {"municipality": "101", "period": "2024", "measure": PLANS, "value": 13},
    ]
    with pytest.raises(ProblemsFound) as found:
        statistics_record_many(actor=coordinator_region, region=region_a, items=items)
    paths = {p.path for p in found.value.problems}
    assert paths == {"items[1].value", "items[2].measure"}
    assert not ServiceStatistic.objects.exists()
    assert not AuditEvent.objects.exists()


# -- who may -----------------------------------------------------------------------------------


def test_a_municipal_coordinator_records_and_sees_only_their_own(
    coordinator_a, coordinator_region, region_a, municipality_a1, municipality_a2
):
    # Given statistics of A1 and A2
    own = record(coordinator_region, region_a, municipality_a1, 12)
    other = record(coordinator_region, region_a, municipality_a2, 9)

    # Then A1's coordinator sees A1's only, records for A1, not for A2
    assert list(selectors.statistic_list(user=coordinator_a)) == [own]
    record(coordinator_a, region_a, municipality_a1, 13)
    with pytest.raises(PermissionDenied):
        record(coordinator_a, region_a, municipality_a2, 10)
    with pytest.raises(Http404):
        statistic_delete(actor=coordinator_a, statistic=other)
    with pytest.raises(ProblemsFound) as found:
        statistics_record_many(
            actor=coordinator_a,
            region=region_a,
            items=[{"municipality": "102", "period": "2024", "measure": PLANS, "value": 1}],
        )
    assert found.value.problems[0].path == "items[0].municipality"
    assert ServiceStatistic.objects.get(pk=other.pk).value == 9


def test_a_viewer_sees_but_records_nothing(viewer, coordinator_region, region_a, municipality_a1):
    stored = record(coordinator_region, region_a, municipality_a1, 12)
    assert list(selectors.statistic_list(user=viewer)) == [stored]
    with pytest.raises(PermissionDenied):
        record(viewer, region_a, municipality_a1, 13)
    with pytest.raises(PermissionDenied):
        statistic_delete(actor=viewer, statistic=stored)


def test_another_region_sees_nothing_and_records_nothing(
    coordinator_b, coordinator_region, region_a, municipality_a1
):
    stored = record(coordinator_region, region_a, municipality_a1, 12)
    assert not selectors.statistic_list(user=coordinator_b).exists()
    assert not policies.can_record_statistic(coordinator_b, region_a, municipality_a1)
    with pytest.raises(Http404):
        record(coordinator_b, region_a, municipality_a1, 13)
    with pytest.raises(Http404):
        selectors.statistic_get(user=coordinator_b, code=stored.code)


def test_the_list_filters(coordinator_region, region_a, municipality_a1, municipality_a2):
    record(coordinator_region, region_a, municipality_a1, 12)
    wanted = record(coordinator_region, region_a, municipality_a2, 12, period="2025")
    record(coordinator_region, region_a, municipality_a2, 30, measure=MEDIAN, period="2025")
    found = selectors.statistic_list(
        user=coordinator_region, region="region-a", municipality="102", period="2025", measure=PLANS
    )
    assert list(found) == [wanted]


# -- an indicator that takes a statistic -------------------------------------------------------


def test_an_indicator_takes_exactly_one_measure_and_a_median_is_not_of_the_region(
    action_a, coordinator_region
):
    from hemma.programmes.services import indicator_create, indicator_update

    def create(kinds, scope=Indicator.Scope.MUNICIPALITY):
        return indicator_create(
            actor=coordinator_region,
            action=action_a,
            name={"sv": "Planer"},
            kind=Indicator.Kind.STATISTICS,
            scope=scope,
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.STATISTIC,
            query_kinds=kinds,
        )

    for kinds in ([], [PLANS, MEDIAN], ["hugs"]):
        with pytest.raises(ValidationError) as error:
            create(kinds)
        assert "query_kinds" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create([MEDIAN], scope=Indicator.Scope.REGION)
    assert "A median is not summed" in error.value.message_dict["scope"][0]
    assert create([PLANS], scope=Indicator.Scope.REGION).query_kinds == [PLANS]

    median = create([MEDIAN])
    with pytest.raises(ValidationError):
        indicator_update(
            actor=coordinator_region,
            indicator=median,
            name=median.name,
            kind=median.kind,
            unit=median.unit,
            period=median.period,
            target_type="",
            target_min=None,
            target_max=None,
            target_direction="",
            target_years=None,
            scope=Indicator.Scope.REGION,
        )


def test_making_an_indicator_take_a_statistic_counts_its_values(
    action_a, coordinator_region, region_a, municipality_a1
):
    from hemma.programmes.services import indicator_create

    record(coordinator_region, region_a, municipality_a1, 12)
    plans = indicator_create(
        actor=coordinator_region,
        action=action_a,
        name={"sv": "Planer"},
        kind=Indicator.Kind.COUNT,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.STATISTIC,
        query_kinds=[PLANS],
    )
    assert value_of(plans, municipality_a1).number == 12


@pytest.mark.parametrize(
    ("counted_from", "scope", "kind", "fields"),
    [
        ({"query": "statistic", "kinds": ["integration_plans"]}, "municipality", "count", []),
        ({"query": "statistic", "kinds": ["integration_plans"]}, "region", "count", []),
        ({"query": "statistic", "kinds": []}, "municipality", "count", ["counted_from"]),
        (
            {"query": "statistic", "kinds": ["integration_plans", "plans_reviewed"]},
            "municipality",
            "count",
            ["counted_from"],
        ),
        ({"query": "statistic", "kinds": ["event"]}, "municipality", "count", ["counted_from"]),
        (
            {"query": "statistic", "kinds": ["median_days_to_assessment"]},
            "region",
            "statistics",
            ["scope"],
        ),
        (
            {"query": "activities", "kinds": ["integration_plans"]},
            "region",
            "count",
            ["counted_from"],
        ),
    ],
)
def test_the_programme_format_checks_an_indicator_taking_a_statistic(
    counted_from, scope, kind, fields
):
    from hemma.programmes.interchange.validation import counted_problems

    found = []
    counted_problems(
        "programme.themes[0]",
        {"kind": kind, "source": "registry", "scope": scope, "counted_from": counted_from},
        lambda path, field, message: found.append(field),
    )
    assert found == fields


def test_the_format_knows_the_models_measures():
    import json

    from hemma.programmes.interchange.validation import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text())
    counted = schema["$defs"]["indicator"]["properties"]["counted_from"]["else"]["properties"]
    assert set(ServiceStatistic.Measure.values) <= set(counted["kinds"]["items"]["enum"])
