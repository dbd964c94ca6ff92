"""Statuses judged again when an indicator's target, kind or period changes."""

import datetime
from decimal import Decimal

import pytest

from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement, Status
from hemma.followup.recompute import statuses_recompute
from hemma.followup.services import measurement_record
from hemma.programmes.interchange.exporting import programme_document
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Indicator
from hemma.programmes.services import indicator_update

pytestmark = pytest.mark.django_db

Kind = Indicator.Kind


def record(indicator, *, municipality="101", period="2024", **values) -> Measurement:
    return measurement_record(
        actor=None,
        indicator=indicator,
        municipality=municipality,
        period=period,
        values=values,
        version=None,
        source=Measurement.Source.API,
    )


def edit(actor, indicator: Indicator, **changed) -> Indicator:
    """indicator_update with the indicator's own fields, except those `changed`."""
    fields = {
        name: getattr(indicator, name)
        for name in (
            "name",
            "kind",
            "unit",
            "period",
            "target_type",
            "target_min",
            "target_max",
            "target_direction",
            "target_years",
        )
    }
    return indicator_update(actor=actor, indicator=indicator, **{**fields, **changed})


def status_of(value: Measurement) -> str:
    return Measurement.objects.get(pk=value.pk).status


def reimport(programme, change) -> None:
    """Export the programme, let `change` edit the joint meetings' indicator, import it."""
    document = programme_document(programme)
    indicator = document["programme"]["themes"][0]["goals"][0]["actions"][0]["indicators"][0]
    change(indicator)
    programme_import(actor=None, document=document, file="changed.yaml")


# -- a changed target ----------------------------------------------------------------------


def test_a_widened_band_turns_an_exceeded_value_met(coordinator_region, band_indicator):
    five = record(band_indicator, number=5)
    three = record(band_indicator, period="2023", number=3)
    assert status_of(five) == Status.EXCEEDED

    edit(coordinator_region, band_indicator, target_max=Decimal(6))

    assert (status_of(five), status_of(three)) == (Status.MET, Status.MET)


def test_a_raised_minimum_turns_a_met_value_not_met_for_every_municipality_and_the_region(
    coordinator_region, band_indicator
):
    values = [
        record(band_indicator, municipality="101", number=2),
        record(band_indicator, municipality="102", number=2),
        record(band_indicator, municipality=None, number=2),
    ]

    edit(coordinator_region, band_indicator, target_min=Decimal(3))

    assert [status_of(v) for v in values] == [Status.NOT_MET] * 3


def test_a_changed_direction_judges_each_year_against_the_one_before_again(
    coordinator_region, indicator_of
):
    indicator = indicator_of(Kind.COUNT, target_type="direction", target_direction="increase")
    first = record(indicator, period="2023", number=4)
    second = record(indicator, period="2024", number=6)
    third = record(indicator, period="2025", number=6)
    assert [status_of(v) for v in (first, second, third)] == [
        Status.MET,
        Status.MET,
        Status.PARTLY_MET,
    ]

    edit(coordinator_region, indicator, target_direction="decrease")

    # The first year is the baseline; 6 after 4 went the wrong way; 6 after 6 held the level.
    assert [status_of(v) for v in (first, second, third)] == [
        Status.MET,
        Status.NOT_MET,
        Status.PARTLY_MET,
    ]


def test_a_shorter_milestone_interval_makes_a_year_without_it_overdue(
    coordinator_region, indicator_of
):
    indicator = indicator_of(Kind.MILESTONE, target_type="every_n_years", target_years=4)
    record(indicator, period="2023", done=True, done_on=datetime.date(2023, 3, 1))
    later = record(indicator, period="2024", done=False)
    assert status_of(later) == Status.MET

    edit(coordinator_region, indicator, target_years=1)

    assert status_of(later) == Status.NOT_MET


def test_a_target_removed_leaves_a_reported_figure_met(coordinator_region, band_indicator):
    one = record(band_indicator, number=1)
    assert status_of(one) == Status.NOT_MET

    edit(coordinator_region, band_indicator, target_type="")

    assert status_of(one) == Status.MET


def test_a_changed_kind_is_judged_by_the_rules_of_the_new_kind(coordinator_region, indicator_of):
    # A survey's figure is judged against its target; as a count without one, any figure is met.
    indicator = indicator_of(Kind.SURVEY, target_type="band", target_min=50)
    value = record(indicator, number=40)
    assert status_of(value) == Status.NOT_MET

    edit(coordinator_region, indicator, kind=Kind.COUNT, target_type="")

    assert status_of(value) == Status.MET


# -- what does not recompute -----------------------------------------------------------------


def test_a_renamed_indicator_keeps_its_statuses_as_they_are(coordinator_region, band_indicator):
    value = record(band_indicator, number=5)
    # A status out of step with its target would be put right by a recompute: a rename
    # must not touch it (only a target, kind or period change does).
    Measurement.objects.filter(pk=value.pk).update(status=Status.NOT_DUE)

    edit(coordinator_region, band_indicator, name={"sv": "Gemensamma möten och träffar"})

    assert status_of(value) == Status.NOT_DUE


def test_recomputing_writes_only_the_statuses_that_changed_and_no_trail(band_indicator):
    five = record(band_indicator, number=5)
    three = record(band_indicator, period="2023", number=3)
    before = Measurement.objects.get(pk=three.pk).updated_at
    events = AuditEvent.objects.count()
    Indicator.objects.filter(pk=band_indicator.pk).update(target_max=6)

    changed = statuses_recompute(indicators=[band_indicator])

    assert changed == 1
    assert status_of(five) == Status.MET
    assert Measurement.objects.get(pk=three.pk).updated_at == before
    assert Measurement.objects.get(pk=five.pk).version == 1
    assert AuditEvent.objects.count() == events
    assert statuses_recompute(indicators=[band_indicator]) == 0


# -- by import -------------------------------------------------------------------------------


def test_an_import_that_widens_the_band_turns_an_exceeded_value_met(programme_a, band_indicator):
    five = record(band_indicator, number=5)

    reimport(programme_a, lambda indicator: indicator["target"].update(max=6))

    assert status_of(five) == Status.MET


def test_an_import_that_changes_the_target_to_a_direction_judges_again(programme_a, band_indicator):
    first = record(band_indicator, period="2023", number=5)
    second = record(band_indicator, period="2024", number=3)
    assert [status_of(v) for v in (first, second)] == [Status.EXCEEDED, Status.MET]

    reimport(
        programme_a,
        lambda indicator: indicator.update(target={"type": "direction", "direction": "increase"}),
    )

    assert [status_of(v) for v in (first, second)] == [Status.MET, Status.NOT_MET]


def test_an_import_that_changes_only_the_name_keeps_the_statuses(programme_a, band_indicator):
    value = record(band_indicator, number=5)
    Measurement.objects.filter(pk=value.pk).update(status=Status.NOT_DUE)

    reimport(programme_a, lambda indicator: indicator.update(name={"sv": "Nytt namn"}))

    assert Indicator.objects.get(pk=band_indicator.pk).name == {"sv": "Nytt namn"}
    assert status_of(value) == Status.NOT_DUE


def test_a_dry_run_import_changes_no_status(programme_a, band_indicator):
    five = record(band_indicator, number=5)
    document = programme_document(programme_a)
    document["programme"]["themes"][0]["goals"][0]["actions"][0]["indicators"][0]["target"][
        "max"
    ] = 6

    programme_import(actor=None, document=document, dry_run=True)

    assert status_of(five) == Status.EXCEEDED


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("indicators", [1, 4])
def test_recomputing_takes_the_same_queries_however_many_values(
    indicators, indicator_of, django_assert_max_num_queries
):
    made = [
        indicator_of(Kind.FREQUENCY_BAND, target_type="band", target_max=1)
        for _ in range(indicators)
    ]
    for indicator in made:
        for municipality in ("101", "102", None):
            for period in ("2023", "2024", "2025"):
                record(indicator, municipality=municipality, period=period, number=2)
    Indicator.objects.filter(pk__in=[i.pk for i in made]).update(target_max=4)

    with django_assert_max_num_queries(5):
        changed = statuses_recompute(indicators=made)

    assert changed == indicators * 9
    assert set(Measurement.objects.values_list("status", flat=True)) == {Status.MET}
