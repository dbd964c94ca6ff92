"""The demo's values: three years for the seed programme, every status, loaded once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.followup.demo import YEARS, demo_values_load
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Assessment, Measurement, Round, Status
from hemma.followup.services import measurement_record
from hemma.programmes.models import Programme

pytestmark = pytest.mark.django_db

MUNICIPALITIES = {"598", "599", "440", "893", "288"}


@pytest.fixture
def loaded(seed_programme) -> Programme:
    demo_values_load(programme=seed_programme)
    return seed_programme


def test_every_status_appears_among_the_demo_values(loaded):
    stored = set(Measurement.objects.values_list("status", flat=True))
    # "No data" is a value not yet in: an indicator reported for 2024 but not (yet) for 2025.
    reported = set(Measurement.objects.values_list("indicator_id", "municipality_id", "period"))
    gaps = {
        (indicator, municipality)
        for indicator, municipality, period in reported
        if period == "2024" and (indicator, municipality, "2025") not in reported
    }

    assert stored == set(Status.values) - {Status.NO_DATA}
    assert gaps


def test_each_municipality_has_values_for_each_year(loaded):
    found = set(
        Measurement.objects.filter(municipality__isnull=False).values_list(
            "municipality__code", "period"
        )
    )

    assert found == {(code, str(year)) for code in MUNICIPALITIES for year in YEARS}


def test_each_indicator_has_values_in_every_year_but_the_last_may_be_missing(loaded):
    # (The integration plans come from the demo's service statistics, and the information
    # material made and used from its information sites, both loaded apart.)
    indicators = loaded.actions.exclude(
        indicators__query__in=["statistic", "information_created", "information_used"]
    ).values_list("indicators", flat=True)
    for year in YEARS[:-1]:
        with_values = set(
            Measurement.objects.filter(period=str(year)).values_list("indicator_id", flat=True)
        )
        # (TEAviisari, measured every second year, has no 2025 at all.)
        assert with_values == set(indicators), year


def test_joint_actions_are_the_regions_and_the_rest_per_municipality(loaded):
    def places(key: str) -> set[str | None]:
        return set(
            Measurement.objects.filter(indicator__key=key).values_list(
                "municipality__code", flat=True
            )
        )

    assert places("gemensamma-moten") == {None}  # the joint meetings
    assert places("uppdatering") == {None}  # the update of the shared programme
    assert places("teaviisari-motion") == MUNICIPALITIES  # an index is per municipality
    assert places("antal-vanpersoner") == MUNICIPALITIES


def test_a_bigger_municipality_has_bigger_figures(loaded):
    def friends(code: str) -> list:
        return list(
            Measurement.objects.filter(
                indicator__key="antal-vanpersoner", municipality__code=code, period__lt="2025"
            )
            .order_by("period")
            .values_list("number", flat=True)
        )

    jakobstad, larsmo = friends("598"), friends("440")  # about 19,000 and 5,500 inhabitants
    assert len(jakobstad) == len(larsmo) == 2
    assert all(big > small * 2 for big, small in zip(jakobstad, larsmo, strict=True))


def test_milestones_are_done_in_some_years_with_a_date(loaded):
    done = Measurement.objects.filter(indicator__kind="milestone", done=True)
    not_done = Measurement.objects.filter(indicator__kind="milestone", done=False)

    assert done.exists() and not_done.exists()
    assert not done.filter(done_on__isnull=True).exists()


def test_demo_values_are_marked_as_demo_data_and_in_the_trail(loaded):
    values = Measurement.objects.all()
    typed = values.filter(indicator__source="manual")
    # The indicators counted from the registry keep the figures of the years before it as
    # a coordinator's own number, with the reason (hemma/registries/demo.py counts 2025).
    history = values.filter(indicator__source="registry")

    assert set(typed.values_list("source", flat=True)) == {Measurement.Source.DEMO}
    assert all(
        comment.startswith("Demodata: ") for comment in typed.values_list("comment", flat=True)
    )
    assert set(history.values_list("source", flat=True)) == {Measurement.Source.COMPUTED}
    assert all(
        reason.startswith("Demodata: ") for reason in history.values_list("override", flat=True)
    )
    assert set(history.values_list("period", flat=True)) == {"2023", "2024"}
    created = AuditEvent.objects.filter(target_type="followup.measurement", verb="create")
    assert created.count() == values.count()


def test_a_second_load_adds_nothing(loaded):
    before = list(Measurement.objects.values_list("pk", "version", "number", "status"))

    added = demo_values_load(programme=loaded)

    assert added == 0
    assert list(Measurement.objects.values_list("pk", "version", "number", "status")) == before


def test_the_demo_values_are_the_same_every_time(loaded):
    def values() -> list:
        return list(
            Measurement.objects.order_by("indicator_id", "municipality_id", "period").values_list(
                "indicator_id", "municipality_id", "period", "number", "done", "languages", "status"
            )
        )

    first = values()
    Measurement.objects.all().delete()

    demo_values_load(programme=loaded)

    assert values() == first


def test_the_demo_command_loads_the_values_once(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    first, second = io.StringIO(), io.StringIO()

    call_command("demo", stdout=first)
    count = Measurement.objects.count()
    call_command("demo", stdout=second)

    assert count > 300
    assert Measurement.objects.count() == count
    assert "Demo values 2023–2025:" in first.getvalue()
    assert "Demo values: already there" in second.getvalue()


def test_the_demo_has_two_approved_rounds_and_one_under_way(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    call_command("demo", stdout=io.StringIO())
    rounds = {r.period: r for r in Round.objects.all()}

    assert rounds["2023"].locked and rounds["2024"].locked
    under_way = rounds["2025"]
    assert not under_way.locked
    assert under_way.deadline > timezone.localdate()
    ready = under_way.assignments.filter(ready_at__isnull=False).count()
    assert 0 < ready < under_way.assignments.count()
    assert not under_way.assignments.filter(email="").exists()
    # A manual assessment stands beside a computed status in an approved year.
    assert Assessment.objects.filter(period="2024").count() == 1
    # The approved years refuse a change, as any locked period does.
    value = (
        Measurement.objects.filter(period="2024")
        .select_related("indicator__action__programme")
        .first()
    )
    with pytest.raises(PeriodLocked):
        measurement_record(
            actor=None,
            indicator=value.indicator,
            municipality=value.municipality,
            period="2024",
            values={},
            version=value.version,
            source=Measurement.Source.WEB,
        )


def test_a_second_demo_opens_no_more_rounds(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    call_command("demo", stdout=io.StringIO())
    second = io.StringIO()

    call_command("demo", stdout=second)

    assert Round.objects.count() == 3
    assert "Demo reporting rounds: already there" in second.getvalue()
