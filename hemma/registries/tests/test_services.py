"""Recording activities (hemma/registries/services.py): checks, access, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemma.audit.models import AuditEvent
from hemma.registries.models import Activity
from hemma.registries.services import activity_create, activity_delete, activity_update
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def fields(**given):
    found = {"kind": "course", "title": "Swedish for parents", "starts_on": D(2024, 9, 1)}
    found.update(given)
    return found


def test_create_stores_the_fields_and_the_relations_by_key(
    coordinator_region, region_a, municipality_a1, action_a
):
    organiser = f.OrganisationFactory(region=region_a, key="medborgarinstitut")
    f.OrganisationFactory(region=region_a, key="parish")

    activity = activity_create(
        actor=coordinator_region,
        region=region_a,
        fields=fields(
            ends_on="2024-12-15",
            recurrence="weekly",
            sessions=14,
            languages=["sv", "ar"],
            participants=18,
            participants_by_age={"18-29": 7, "30-64": 11},
            municipalities=["101"],
            organiser="medborgarinstitut",
            partners=["parish"],
            actions=[("programme-a", "joint-meetings")],
            note="  Held in the library. ",
        ),
    )

    activity.refresh_from_db()
    assert activity.ends_on == D(2024, 12, 15)
    assert activity.organiser == organiser
    assert [m.code for m in activity.municipalities.all()] == ["101"]
    assert [p.key for p in activity.partners.all()] == ["parish"]
    assert list(activity.actions.all()) == [action_a]
    assert activity.languages == ["sv", "ar"]
    assert activity.note == "Held in the library."
    assert activity.created_by == coordinator_region


def test_create_tells_every_problem_by_field(coordinator_region, region_a, region_b):
    f.OrganisationFactory(region=region_b, key="elsewhere")
    with pytest.raises(ValidationError) as error:
        activity_create(
            actor=coordinator_region,
            region=region_a,
            fields={
                "kind": "party",
                "title": " ",
                "starts_on": "1 May",
                "participants": -1,
                "languages": ["xx"],
                "organiser": "elsewhere",
                "colour": "red",
            },
        )
    assert set(error.value.message_dict) == {
        "kind",
        "title",
        "starts_on",
        "participants",
        "languages",
        "organiser",
        "colour",
    }
    assert not Activity.objects.exists()


def test_a_breakdown_cannot_add_up_to_more_than_the_participants(coordinator_region, region_a):
    with pytest.raises(ValidationError) as error:
        activity_create(
            actor=coordinator_region,
            region=region_a,
            fields=fields(participants=10, participants_by_gender={"women": 8, "men": 5}),
        )
    assert "add up to 13" in error.value.message_dict["participants_by_gender"][0]


def test_the_last_date_is_checked_against_the_stored_first(coordinator_region, region_a):
    activity = ActivityFactory(region=region_a, starts_on=D(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        activity_update(
            actor=coordinator_region, activity=activity, fields={"ends_on": "2024-04-30"}
        )
    assert set(error.value.message_dict) == {"ends_on"}


def test_update_changes_only_what_is_given_and_audits_old_and_new(
    coordinator_region, region_a, municipality_a1, municipality_a2
):
    activity = ActivityFactory(
        region=region_a, title="Café", participants=5, municipalities=[municipality_a1]
    )

    activity_update(
        actor=coordinator_region,
        activity=activity,
        fields={"participants": 9, "municipalities": ["101", "102"]},
    )

    activity.refresh_from_db()
    assert (activity.title, activity.participants) == ("Café", 9)
    event = AuditEvent.objects.get(verb="update", target_type="registries.activity")
    assert event.changes == {
        "participants": [5, 9],
        "municipalities": [["101"], ["101", "102"]],
    }


def test_saving_it_unchanged_writes_no_audit_row(coordinator_region, region_a):
    activity = ActivityFactory(region=region_a, title="Café")

    activity_update(actor=coordinator_region, activity=activity, fields={"title": "Café"})

    assert not AuditEvent.objects.filter(verb="update").exists()


def test_delete_audits_what_was_there(coordinator_region, region_a, municipality_a1):
    activity = ActivityFactory(region=region_a, title="Café", municipalities=[municipality_a1])

    activity_delete(actor=coordinator_region, activity=activity)

    assert not Activity.objects.exists()
    event = AuditEvent.objects.get(verb="delete")
    assert event.changes["title"] == ["Café", None]
    assert event.changes["municipalities"] == [["101"], None]


# -- who may -------------------------------------------------------------------------------------


def test_a_municipal_coordinator_records_activities_of_their_own_municipality_only(
    coordinator_a, region_a, municipality_a1, municipality_a2
):
    mine = activity_create(
        actor=coordinator_a, region=region_a, fields=fields(municipalities=["101"])
    )
    for places in ([], ["102"], ["101", "102"]):
        with pytest.raises(ValidationError) as error:
            activity_create(
                actor=coordinator_a, region=region_a, fields=fields(municipalities=places)
            )
        assert set(error.value.message_dict) == {"municipalities"}
    with pytest.raises(ValidationError):
        activity_update(actor=coordinator_a, activity=mine, fields={"municipalities": ["102"]})

    shared = ActivityFactory(region=region_a, municipalities=[municipality_a1, municipality_a2])
    with pytest.raises(PermissionDenied):
        activity_update(actor=coordinator_a, activity=shared, fields={"title": "Mine now"})
    with pytest.raises(PermissionDenied):
        activity_delete(actor=coordinator_a, activity=shared)


def test_a_viewer_records_nothing(viewer, region_a):
    activity = ActivityFactory(region=region_a)
    with pytest.raises(PermissionDenied):
        activity_create(actor=viewer, region=region_a, fields=fields())
    with pytest.raises(PermissionDenied):
        activity_update(actor=viewer, activity=activity, fields={"title": "x"})
    with pytest.raises(PermissionDenied):
        activity_delete(actor=viewer, activity=activity)


def test_another_region_does_not_exist(coordinator_b, region_a):
    activity = ActivityFactory(region=region_a)
    with pytest.raises(Http404):
        activity_create(actor=coordinator_b, region=region_a, fields=fields())
    with pytest.raises(Http404):
        activity_update(actor=coordinator_b, activity=activity, fields={"title": "x"})
    with pytest.raises(Http404):
        activity_delete(actor=coordinator_b, activity=activity)


def test_actions_of_another_regions_programme_are_refused(
    coordinator_region, region_a, programme_b
):
    with pytest.raises(ValidationError) as error:
        activity_create(
            actor=coordinator_region,
            region=region_a,
            fields=fields(actions=[("programme-b", "b-action")]),
        )
    assert "programme-b/b-action" in error.value.message_dict["actions"][0]
