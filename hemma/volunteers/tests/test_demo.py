"""The demo's friend persons: plausible, counted, and one for the anonymiser."""

import datetime

import pytest

from hemma.audit.models import AuditEvent
from hemma.volunteers import services
from hemma.volunteers.demo import HOW_MANY, demo_volunteers_load
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

pytestmark = pytest.mark.django_db

MUNICIPALITIES = {"598", "599", "440", "893", "288"}


@pytest.fixture
def loaded(seed_programme):
    assert demo_volunteers_load(programme=seed_programme) == HOW_MANY
    return seed_programme


def test_about_25_friend_persons_over_every_municipality(loaded):
    volunteers = Volunteer.objects.filter(region=loaded.region)
    assert volunteers.count() == HOW_MANY
    assert set(volunteers.values_list("municipality__code", flat=True)) == MUNICIPALITIES
    assert (
        volunteers.filter(municipality__code="598").count()
        > volunteers.filter(municipality__code="440").count()
    )
    # Fictional: addresses at example.org, a name each, nobody twice.
    assert all(v.email.endswith("@example.org") and v.name for v in volunteers)
    assert len({v.name for v in volunteers}) == HOW_MANY
    # Through the services: each audited on creation.
    assert AuditEvent.objects.filter(target_type="volunteers.volunteer", verb="create").count() == (
        HOW_MANY
    )


def test_active_in_2024_and_2025_and_matched_with_households(loaded):
    periods = ActivePeriod.objects.filter(volunteer__region=loaded.region)
    years = {p.starts_on.year for p in periods} | {p.ends_on.year for p in periods if p.ends_on}
    assert {2024, 2025} <= years
    assert periods.filter(ends_on__isnull=True).exists()  # some still active
    matches = Match.objects.filter(volunteer__region=loaded.region)
    assert matches.count() >= 10
    assert {m.household_size for m in matches} <= set(range(1, 7))
    assert all(m.household_reference.startswith("H-") for m in matches)


def test_one_is_inactive_since_2022_for_the_anonymiser(loaded):
    due = list(services.volunteers_due(today=datetime.date(2026, 11, 28)))
    assert len(due) == 1
    assert due[0].periods.get().ends_on == datetime.date(2022, 5, 31)


def test_the_same_records_every_time_and_a_second_run_adds_nothing(loaded):
    first = sorted(Volunteer.objects.values_list("name", "email", "municipality__code"))
    assert demo_volunteers_load(programme=loaded) == 0
    assert Volunteer.objects.count() == HOW_MANY
    Volunteer.objects.all().delete()
    assert demo_volunteers_load(programme=loaded) == HOW_MANY
    assert sorted(Volunteer.objects.values_list("name", "email", "municipality__code")) == first
