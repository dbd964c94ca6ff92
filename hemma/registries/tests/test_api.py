"""The REST API under /api/v1/activities, with the web's policies, and the values it feeds."""

import datetime

import pytest

from hemma.audit.models import AuditEvent
from hemma.registries.computing import computed_values_refresh
from hemma.registries.models import Activity
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities"
D = datetime.date


@pytest.fixture
def body():
    """body(**fields): a new activity of region A: an event of A1 for the joint meetings."""

    def make(**fields):
        found = {
            "region": "region-a",
            "kind": "event",
            "title": "Cultural evening",
            "municipalities": ["101"],
            "actions": [{"programme": "programme-a", "action": "joint-meetings"}],
            "starts_on": "2024-05-04",
            "participants": 40,
        }
        found.update(fields)
        return {k: v for k, v in found.items() if v is not ...}

    return make


@pytest.fixture
def stored(region_a, municipality_a1, action_a):
    """An event of A1 for the joint meetings, in 2024."""
    return ActivityFactory(
        region=region_a, municipalities=[municipality_a1], actions=[action_a], title="Stored"
    )


def values_of(client, indicator, municipality="101", period="2024"):
    """The value of `indicator` as /api/v1/values gives it (None: none stored)."""
    response = client.get(
        "/api/v1/values",
        {"programme": "programme-a", "municipality": municipality, "period": period},
    )
    assert response.status_code == 200
    found = [v for v in response.json()["items"] if v["indicator"] == indicator.key]
    return found[0] if found else None


# -- Done when: an activity through the API moves the computed value and back --------------------


def test_adding_and_deleting_an_activity_moves_the_computed_value_and_status(
    api_for,
    send_json,
    body,
    coordinator_region,
    counted,
    stored,
    region_a,
    action_a,
    municipality_a1,
):
    # Given two joint meetings counted for A1 in 2024: within the 2–4 band
    ActivityFactory(region=region_a, municipalities=[municipality_a1], actions=[action_a])
    computed_values_refresh(indicators=[counted])
    client = api_for(coordinator_region)
    before = values_of(client, counted)
    assert (before["number"], before["status"], before["source"]) == (2, "met", "computed")

    # When a third is added through the API
    added = send_json(client, "post", URL, body())
    assert added.status_code == 201, added.json()
    after = values_of(client, counted)
    assert (after["number"], after["status"]) == (3, "met")

    # and a fourth and a fifth: above the band
    send_json(client, "post", URL, body(title="Second"))
    send_json(client, "post", URL, body(title="Third"))
    assert (values_of(client, counted)["number"], values_of(client, counted)["status"]) == (
        5,
        "exceeded",
    )

    # When they are deleted again
    for each in Activity.objects.filter(title__in=["Cultural evening", "Second", "Third"]):
        assert client.delete(f"{URL}/{each.code}").status_code == 204

    # Then the value and its status are as they were
    back = values_of(client, counted)
    assert (back["number"], back["status"]) == (2, "met")


def test_moving_an_activity_to_another_year_moves_its_count(
    api_for, send_json, coordinator_region, counted, stored
):
    client = api_for(coordinator_region)

    response = send_json(client, "patch", f"{URL}/{stored.code}", {"starts_on": "2025-02-01"})

    assert response.status_code == 200
    assert values_of(client, counted, period="2025")["number"] == 1
    assert values_of(client, counted, period="2024")["number"] == 0


# -- list ------------------------------------------------------------------------------------------


def test_list_gives_the_activities_with_their_relations(
    api_for, coordinator_region, stored, region_a
):
    f.OrganisationFactory(region=region_a, key="ngo")
    response = api_for(coordinator_region).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    item = response.json()["items"][0]
    assert item["code"] == str(stored.code)
    assert item["region"] == "region-a"
    assert item["municipalities"] == ["101"]
    assert item["actions"] == [{"programme": "programme-a", "action": "joint-meetings"}]
    assert item["kind_label"] == "Event"


def test_list_filters(api_for, coordinator_region, stored, region_a, municipality_a2, action_a):
    ActivityFactory(
        region=region_a,
        municipalities=[municipality_a2],
        kind="course",
        starts_on=D(2023, 2, 1),
        title="Swedish course",
    )
    client = api_for(coordinator_region)

    def titles(**query):
        response = client.get(URL, query)
        assert response.status_code == 200, response.json()
        return [item["title"] for item in response.json()["items"]]

    assert titles(municipality="102") == ["Swedish course"]
    assert titles(period="2024") == ["Stored"]
    assert titles(kind="course") == ["Swedish course"]
    assert titles(action="programme-a/joint-meetings") == ["Stored"]
    assert titles(region="region-a") == ["Stored", "Swedish course"]
    assert titles(municipality="region") == []
    assert client.get(URL, {"period": "soon"}).status_code == 400


def test_list_of_another_region_is_empty(api_for, coordinator_b, stored):
    response = api_for(coordinator_b).get(URL)
    assert response.json() == {"items": [], "count": 0}


def test_list_needs_a_token(api_for, stored):
    assert api_for(None).get(URL).status_code == 401


@pytest.mark.parametrize("size", [2, 12])
def test_list_queries_do_not_grow_with_the_activities(
    size,
    api_for,
    coordinator_region,
    region_a,
    municipality_a1,
    municipality_a2,
    action_a,
    django_assert_max_num_queries,
):
    partner = f.OrganisationFactory(region=region_a, key="partner")
    for n in range(size):
        activity = ActivityFactory(
            region=region_a,
            municipalities=[municipality_a1, municipality_a2],
            actions=[action_a],
            organiser=partner,
            title=f"Activity {n}",
        )
        activity.partners.set([partner])
    client = api_for(coordinator_region)

    with django_assert_max_num_queries(10):
        response = client.get(URL)

    assert len(response.json()["items"]) == size


# -- read ------------------------------------------------------------------------------------------


def test_read_by_someone_of_the_region(api_for, viewer, stored):
    response = api_for(viewer).get(f"{URL}/{stored.code}")
    assert response.status_code == 200
    assert response.json()["title"] == "Stored"


def test_read_of_another_region_is_not_found(api_for, coordinator_b, stored):
    assert api_for(coordinator_b).get(f"{URL}/{stored.code}").status_code == 404
    assert api_for(coordinator_b).get(f"{URL}/not-a-code").status_code == 404


def test_read_needs_a_token(api_for, stored):
    assert api_for(None).get(f"{URL}/{stored.code}").status_code == 401


# -- create ----------------------------------------------------------------------------------------


def test_create_by_the_municipal_coordinator_of_its_municipality(
    api_for, send_json, coordinator_a, body, programme_a
):
    response = send_json(api_for(coordinator_a), "post", URL, body())

    assert response.status_code == 201
    created = Activity.objects.get(code=response.json()["code"])
    assert created.created_by == coordinator_a
    event = AuditEvent.objects.get(target_type="registries.activity", verb="create")
    assert event.changes["municipalities"] == [None, ["101"]]
    assert event.changes["actions"] == [None, ["programme-a/joint-meetings"]]


def test_create_naming_another_municipality_is_refused_by_field(
    api_for, send_json, coordinator_a, body, programme_a
):
    response = send_json(api_for(coordinator_a), "post", URL, body(municipalities=["101", "102"]))

    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == ["municipalities"]
    assert not Activity.objects.exists()


def test_create_with_problems_tells_each_field(
    api_for, send_json, coordinator_region, body, programme_a
):
    response = send_json(
        api_for(coordinator_region),
        "post",
        URL,
        body(
            kind="party",
            ends_on="2024-01-01",
            municipalities=["999"],
            actions=[{"programme": "programme-a", "action": "nope"}],
        ),
    )

    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {
        "kind",
        "ends_on",
        "municipalities",
        "actions",
    }


def test_create_in_another_region_is_not_found(
    api_for, send_json, coordinator_b, body, programme_a
):
    assert send_json(api_for(coordinator_b), "post", URL, body()).status_code == 404


def test_create_by_a_viewer_is_forbidden(api_for, send_json, viewer, body, programme_a):
    assert send_json(api_for(viewer), "post", URL, body()).status_code == 403
    assert not Activity.objects.exists()


def test_create_needs_a_token(api_for, send_json, body, programme_a):
    assert send_json(api_for(None), "post", URL, body()).status_code == 401


# -- update (PUT and PATCH) ------------------------------------------------------------------------


def test_replace_sets_every_field(api_for, send_json, coordinator_region, stored, body):
    response = send_json(
        api_for(coordinator_region),
        "put",
        f"{URL}/{stored.code}",
        body(title="Renamed", municipalities=[], actions=[], participants=None),
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Renamed"
    assert response.json()["municipalities"] == []
    assert response.json()["participants"] is None
    event = AuditEvent.objects.get(target_type="registries.activity", verb="update")
    assert event.changes["title"] == ["Stored", "Renamed"]


def test_replace_cannot_move_it_to_another_region(
    api_for, send_json, coordinator_region, stored, body
):
    response = send_json(
        api_for(coordinator_region), "put", f"{URL}/{stored.code}", body(region="region-b")
    )
    assert response.status_code == 400


def test_change_by_the_municipal_coordinator_of_its_municipality(
    api_for, send_json, coordinator_a, stored
):
    response = send_json(api_for(coordinator_a), "patch", f"{URL}/{stored.code}", {"sessions": 4})

    assert response.status_code == 200
    assert response.json()["sessions"] == 4
    assert response.json()["title"] == "Stored"


def test_a_neighbours_activity_is_not_found(
    api_for, send_json, coordinator_a, region_a, municipality_a2
):
    # A municipal coordinator sees only their own municipality's records (issue 4).
    theirs = ActivityFactory(region=region_a, municipalities=[municipality_a2])
    client = api_for(coordinator_a)

    assert client.get(f"{URL}/{theirs.code}").status_code == 404
    assert send_json(client, "patch", f"{URL}/{theirs.code}", {"sessions": 4}).status_code == 404


def test_change_of_an_activity_shared_with_a_neighbour_is_forbidden(
    api_for, send_json, coordinator_a, region_a, municipality_a1, municipality_a2
):
    shared = ActivityFactory(region=region_a, municipalities=[municipality_a1, municipality_a2])
    client = api_for(coordinator_a)

    assert client.get(f"{URL}/{shared.code}").status_code == 200
    assert send_json(client, "patch", f"{URL}/{shared.code}", {"sessions": 4}).status_code == 403


def test_change_of_another_region_is_not_found(api_for, send_json, coordinator_b, stored, body):
    client = api_for(coordinator_b)
    assert send_json(client, "patch", f"{URL}/{stored.code}", {"note": "x"}).status_code == 404
    assert send_json(client, "put", f"{URL}/{stored.code}", body()).status_code == 404


def test_change_by_a_viewer_is_forbidden(api_for, send_json, viewer, stored, body):
    client = api_for(viewer)
    assert send_json(client, "patch", f"{URL}/{stored.code}", {"note": "x"}).status_code == 403
    assert send_json(client, "put", f"{URL}/{stored.code}", body()).status_code == 403


def test_change_needs_a_token(api_for, send_json, stored, body):
    assert (
        send_json(api_for(None), "patch", f"{URL}/{stored.code}", {"note": "x"}).status_code == 401
    )
    assert send_json(api_for(None), "put", f"{URL}/{stored.code}", body()).status_code == 401


def test_change_with_a_misspelt_field_is_refused(api_for, send_json, coordinator_region, stored):
    response = send_json(
        api_for(coordinator_region), "patch", f"{URL}/{stored.code}", {"titel": "x"}
    )
    assert response.status_code == 422


# -- delete ----------------------------------------------------------------------------------------


def test_delete_by_the_region_coordinator_is_audited(api_for, coordinator_region, stored):
    response = api_for(coordinator_region).delete(f"{URL}/{stored.code}")

    assert response.status_code == 204
    assert not Activity.objects.exists()
    event = AuditEvent.objects.get(target_type="registries.activity", verb="delete")
    assert event.changes["title"] == ["Stored", None]


def test_delete_of_another_region_is_not_found(api_for, coordinator_b, stored):
    assert api_for(coordinator_b).delete(f"{URL}/{stored.code}").status_code == 404
    assert Activity.objects.exists()


def test_delete_by_a_viewer_is_forbidden(api_for, viewer, stored):
    assert api_for(viewer).delete(f"{URL}/{stored.code}").status_code == 403
    assert Activity.objects.exists()


def test_delete_needs_a_token(api_for, stored):
    assert api_for(None).delete(f"{URL}/{stored.code}").status_code == 401


def test_the_operations_are_in_the_openapi_document(api_for):
    paths = api_for(None).get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "/{code}"]) == {"get", "put", "patch", "delete"}
