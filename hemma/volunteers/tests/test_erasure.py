"""Done when: a volunteer's export contains everything stored about them; after erasure (or
anonymisation) nothing about them is left — the whole database is searched, the audit trail
included, for their name and e-mail."""

import datetime
import json

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.volunteers import services
from hemma.volunteers.models import Volunteer, VolunteerRead

pytestmark = pytest.mark.django_db

# Distinctive, and ASCII: a JSON column may store other letters escaped ("\u00e5").
NAME = "Quintessa Zwirblowski"
SURNAME = "Zwirblowski"
EMAIL = "qz.unique-4711@example.org"
PHONE = "+358 40 000 4711"
NOTE = "Reachable on Tuesdays, zqxnote"
HOUSEHOLD = "H-ZQX-0099"
TRACES = (NAME, SURNAME, EMAIL, PHONE, NOTE, HOUSEHOLD)


def found_anywhere(*needles: str) -> dict[str, set[str]]:
    """Every table and column (text or JSON, of every installed model) holding any needle,
    by needle: {"Zwirblowski": {"volunteers_volunteer.name", "audit_auditevent.changes"}}."""
    found: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                rows = manager.annotate(_as_text=Cast(field.attname, models.TextField()))
                column = "_as_text"
            elif isinstance(field, models.CharField | models.TextField):
                rows, column = manager.all(), field.attname
            else:
                continue
            for needle in needles:
                if rows.filter(**{f"{column}__icontains": needle}).exists():
                    found.setdefault(needle, set()).add(f"{model._meta.db_table}.{field.column}")
    return found


def lived_a_life(volunteer, coordinator, client, api) -> None:
    """What happens to a record: changed, matched, ended, read in every way."""
    services.volunteer_update(
        actor=coordinator,
        volunteer=volunteer,
        fields={"phone": PHONE, "note": NOTE, "training_completed_on": "2024-02-15"},
    )
    services.volunteer_update(actor=coordinator, volunteer=volunteer, fields={"name": NAME})
    match = services.match_add(
        actor=coordinator,
        volunteer=volunteer,
        fields={"household_reference": HOUSEHOLD, "household_size": 3, "starts_on": "2024-03-01"},
    )
    services.match_change(actor=coordinator, match=match, fields={"ends_on": "2024-09-30"})
    assert client.get("/en/volunteers/").status_code == 200
    assert client.get(f"/en/volunteers/{volunteer.code}/").status_code == 200
    assert client.get(f"/en/volunteers/{volunteer.code}/edit/").status_code == 200
    assert client.get("/en/volunteers/export.xlsx").status_code == 200
    assert api.get(f"/api/v1/volunteers/{volunteer.code}").status_code == 200
    assert api.get("/api/v1/volunteers").status_code == 200


@pytest.fixture
def recorded(coordinator_region, municipality_a1):
    """A friend person recorded by the region coordinator, with a first name only."""
    return services.volunteer_create(
        actor=coordinator_region,
        fields={
            "municipality": municipality_a1,
            "name": "Quintessa",
            "email": EMAIL,
            "languages": ["sv", "ti"],
            "consent_on": "2024-01-10",
            "recruited_on": "2024-01-10",
            "active_from": "2024-01-15",
        },
    )


def test_the_export_holds_everything_and_after_erasure_nothing_is_left(
    client_for, api_for, coordinator_region, recorded
):
    client, api = client_for(coordinator_region), api_for(coordinator_region)
    lived_a_life(recorded, coordinator_region, client, api)

    # The export holds everything stored about them...
    response = client.get(f"/en/volunteers/{recorded.code}/everything.json")
    assert response.status_code == 200
    export = json.loads(response.content)
    person = export["friend_person"]
    assert (person["name"], person["email"], person["phone"], person["note"]) == (
        NAME,
        EMAIL,
        PHONE,
        NOTE,
    )
    assert person["languages"] == ["sv", "ti"]
    assert person["training_completed_on"] == "2024-02-15"
    assert export["active_periods"] == [{"starts_on": "2024-01-15", "ends_on": None}]
    assert export["matches"] == [
        {
            "household_reference": HOUSEHOLD,
            "household_size": 3,
            "starts_on": "2024-03-01",
            "ends_on": "2024-09-30",
        }
    ]
    stored_changes = AuditEvent.objects.filter(
        target_type="volunteers.volunteer", target_id=str(recorded.pk)
    ).count()
    assert len(export["changes"]) == stored_changes == 5
    text = json.dumps(export["changes"])
    for trace in (NAME, EMAIL, PHONE, NOTE, HOUSEHOLD, "Quintessa"):
        assert trace in text
    stored_reads = VolunteerRead.objects.filter(volunteer=recorded)
    assert len(export["reads"]) == stored_reads.count()
    assert {r["way"] for r in export["reads"]} == {"list", "detail", "api", "export"}

    # ... the search finds it all before (it can fail) ...
    before = found_anywhere(*TRACES)
    assert before[NAME] >= {"volunteers_volunteer.name", "audit_auditevent.changes"}
    assert before[EMAIL] >= {"volunteers_volunteer.email", "audit_auditevent.changes"}
    assert before[HOUSEHOLD] >= {"volunteers_match.household_reference"}

    # ... and after erasure nothing is left anywhere.
    assert client.post(f"/en/volunteers/{recorded.code}/erase/").status_code == 302
    client.get(f"/en/volunteers/{recorded.code}/")  # the page after, in the session too
    assert found_anywhere(*TRACES) == {}
    erased = Volunteer.objects.get(pk=recorded.pk)
    assert erased.is_anonymous
    assert erased.periods.count() == 1 and erased.matches.get().household_size == 3
    assert list(
        AuditEvent.objects.filter(
            target_type="volunteers.volunteer", target_id=str(recorded.pk)
        ).values_list("verb")
    ) == [("erase",)]


def test_after_anonymisation_nothing_is_left(
    client_for, api_for, coordinator_region, recorded, settings
):
    client, api = client_for(coordinator_region), api_for(coordinator_region)
    lived_a_life(recorded, coordinator_region, client, api)
    services.period_change(
        actor=coordinator_region,
        period=recorded.periods.get(),
        fields={"ends_on": "2024-10-31"},
    )
    assert found_anywhere(NAME, EMAIL).keys() == {NAME, EMAIL}
    settings.HEMMA_VOLUNTEER_RETENTION_MONTHS = 24
    now = timezone.make_aware(datetime.datetime(2026, 11, 1, 3))

    assert [v.pk for v in services.volunteers_anonymise(now=now)] == [recorded.pk]

    assert found_anywhere(*TRACES) == {}
    anonymous = Volunteer.objects.get(pk=recorded.pk)
    assert anonymous.anonymised_at == now
    assert anonymous.recruited_on == datetime.date(2024, 1, 1)
