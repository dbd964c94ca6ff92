"""/api/v1/volunteers with the web's policies: every operation, who may use it, and the read
log of every response that carries a record."""

import uuid

import pytest

from hemma.volunteers import services
from hemma.volunteers.models import Volunteer, VolunteerRead

pytestmark = pytest.mark.django_db

URL = "/api/v1/volunteers"


def body(**fields):
    found = {
        "municipality": "101",
        "name": "Elin Ekblad",
        "email": "elin@example.org",
        "languages": ["fi", "uk"],
        "consent_on": "2024-05-01",
        "recruited_on": "2024-05-01",
        "active_from": "2024-05-10",
    }
    found.update(fields)
    return {k: v for k, v in found.items() if v is not ...}


@pytest.fixture
def match(volunteer_a1):
    return services.match_add(
        actor=None,
        volunteer=volunteer_a1,
        fields={
            "household_reference": "H-2024-020",
            "household_size": 2,
            "starts_on": "2024-02-01",
        },
    )


def operations(volunteer, period_id, match_id) -> list[tuple[str, str, dict | None]]:
    """Every operation on one friend person: (method, url, JSON body)."""
    one = f"{URL}/{volunteer.code}"
    return [
        ("get", one, None),
        ("get", f"{one}/export", None),
        ("put", one, body(active_from=...)),
        ("patch", one, {"phone": "+358 40 000 7777"}),
        ("post", f"{one}/periods", {"starts_on": "2020-01-01", "ends_on": "2020-06-30"}),
        ("patch", f"{one}/periods/{period_id}", {"ends_on": "2024-12-31"}),
        ("delete", f"{one}/periods/{period_id}", None),
        ("post", f"{one}/matches", {"household_size": 3, "starts_on": "2024-03-01"}),
        ("patch", f"{one}/matches/{match_id}", {"household_size": 4}),
        ("delete", f"{one}/matches/{match_id}", None),
        ("post", f"{one}/erase", None),
    ]


def call(client, send_json, method, url, data):
    if data is None:
        return getattr(client, method)(url)
    return send_json(client, method, url, data)


# -- access --------------------------------------------------------------------------------


def test_without_a_token_every_operation_is_401(api_for, send_json, volunteer_a1, match):
    client = api_for(None)
    period = volunteer_a1.periods.get()
    assert client.get(URL).status_code == 401
    assert send_json(client, "post", URL, body()).status_code == 401
    for method, url, data in operations(volunteer_a1, period.pk, match.pk):
        assert call(client, send_json, method, url, data).status_code == 401, (method, url)
    assert Volunteer.objects.count() == 1 and not VolunteerRead.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "reporter", "viewer_a1"])
def test_who_reads_no_personal_data_gets_403(request, api_for, send_json, who, volunteer_a1, match):
    client = api_for(request.getfixturevalue(who))
    period = volunteer_a1.periods.get()
    assert client.get(URL).status_code == 403
    assert send_json(client, "post", URL, body()).status_code == 403
    for method, url, data in operations(volunteer_a1, period.pk, match.pk):
        assert call(client, send_json, method, url, data).status_code == 403, (method, url)
    volunteer_a1.refresh_from_db()
    assert volunteer_a1.name == "Alma Aksberg" and volunteer_a1.periods.count() == 1
    assert not VolunteerRead.objects.exists()


@pytest.mark.parametrize("who", ["coordinator_b", "coordinator_a"])
def test_out_of_sight_is_404(request, api_for, send_json, who, volunteer_a2, municipality_b1):
    client = api_for(request.getfixturevalue(who))
    period = volunteer_a2.periods.get()
    theirs = services.match_add(
        actor=None, volunteer=volunteer_a2, fields={"household_size": 1, "starts_on": "2024-02-01"}
    )
    for method, url, data in operations(volunteer_a2, period.pk, theirs.pk):
        assert call(client, send_json, method, url, data).status_code == 404, (method, url)
    assert client.get(f"{URL}/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{URL}/not-a-code").status_code == 404
    assert "Bertil" not in client.get(URL).text
    volunteer_a2.refresh_from_db()
    assert volunteer_a2.name == "Bertil Bystrom" and not volunteer_a2.is_anonymous
    assert not VolunteerRead.objects.filter(volunteer=volunteer_a2).exists()


def test_the_coordinator_uses_every_operation(
    api_for, send_json, coordinator_a, volunteer_a1, match
):
    client = api_for(coordinator_a)
    period = volunteer_a1.periods.get()
    expected = [200, 200, 200, 200, 201, 200, 204, 201, 200, 204, 204]
    got = [
        call(client, send_json, method, url, data).status_code
        for method, url, data in operations(volunteer_a1, period.pk, match.pk)
    ]
    assert got == expected
    assert Volunteer.objects.get(pk=volunteer_a1.pk).is_anonymous


# -- reading -------------------------------------------------------------------------------


def test_the_list_pages_filters_and_logs_each_one_listed(
    api_for, coordinator_region, make_volunteer, municipality_a1, municipality_a2
):
    for n in range(3):
        make_volunteer(municipality_a1, name=f"A1 person {n}", languages=["sv"])
    make_volunteer(municipality_a2, name="A2 person", languages=["so"], active_from="2025-06-01")
    client = api_for(coordinator_region)

    page = client.get(URL, {"limit": 2, "offset": 1})
    assert page.status_code == 200
    assert page.json()["count"] == 4
    assert [v["name"] for v in page.json()["items"]] == ["A1 person 1", "A1 person 2"]
    assert VolunteerRead.objects.filter(way="api").count() == 2

    assert [v["name"] for v in client.get(URL, {"municipality": "102"}).json()["items"]] == [
        "A2 person"
    ]
    assert client.get(URL, {"language": "so"}).json()["count"] == 1
    assert client.get(URL, {"period": "2024"}).json()["count"] == 3
    assert client.get(URL, {"trained": "true"}).json()["count"] == 0
    assert client.get(URL, {"anonymised": "true"}).json()["count"] == 0
    bad = client.get(URL, {"period": "someday", "language": "xx"})
    assert bad.status_code == 400
    assert {p["field"] for p in bad.json()["problems"]} == {"period", "language"}
    assert client.get(URL, {"limit": 101}).status_code == 422


def test_the_list_reads_in_the_same_number_of_queries_at_two_sizes(
    api_for, coordinator_region, make_volunteer, municipality_a1
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(coordinator_region)

    def queries() -> int:
        client.get(URL)  # the token's first use is touched once a minute: not counted
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    def add(n: int) -> None:
        for _n in range(n):
            volunteer = make_volunteer(municipality_a1)
            services.match_add(
                actor=None,
                volunteer=volunteer,
                fields={"household_size": 2, "starts_on": "2024-03-01"},
            )

    add(2)
    small = queries()
    add(15)
    assert queries() == small


def test_a_record_reads_with_its_periods_and_matches(
    api_for, coordinator_region, volunteer_a1, match
):
    response = api_for(coordinator_region).get(f"{URL}/{volunteer_a1.code}")
    assert response.status_code == 200
    got = response.json()
    assert (got["name"], got["email"], got["municipality"], got["region"]) == (
        "Alma Aksberg",
        "alma@example.org",
        "101",
        "region-a",
    )
    assert got["periods"] == [
        {"id": volunteer_a1.periods.get().pk, "starts_on": "2024-01-01", "ends_on": None}
    ]
    assert got["matches"][0]["household_reference"] == "H-2024-020"
    assert got["anonymised_at"] is None
    assert list(VolunteerRead.objects.values_list("way", "reader_name")) == [
        ("api", "coordinator_region")
    ]


def test_the_export_holds_everything_and_is_logged_as_an_export(
    api_for, coordinator_region, volunteer_a1, match
):
    response = api_for(coordinator_region).get(f"{URL}/{volunteer_a1.code}/export")
    assert response.status_code == 200
    export = response.json()
    assert export["friend_person"]["name"] == "Alma Aksberg"
    assert export["matches"][0]["household_size"] == 2
    assert export["changes"][0]["verb"] == "create"
    assert [r["way"] for r in export["reads"]] == ["export"]


# -- writing -------------------------------------------------------------------------------


def test_adding_records_the_friend_person_and_their_first_period(api_for, send_json, coordinator_a):
    response = send_json(api_for(coordinator_a), "post", URL, body())
    assert response.status_code == 201
    got = response.json()
    assert got["languages"] == ["fi", "uk"]
    assert got["periods"][0]["starts_on"] == "2024-05-10"
    volunteer = Volunteer.objects.get(code=got["code"])
    assert volunteer.created_by == coordinator_a


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"municipality": "102"}, "municipality"),
        ({"email": "elin"}, "email"),
        ({"languages": ["xx"]}, "languages"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_friend_person_is_a_400_by_field(
    api_for, send_json, coordinator_a, municipality_a2, fields, field
):
    response = send_json(api_for(coordinator_a), "post", URL, body(**fields))
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == [field]
    assert not Volunteer.objects.exists()


def test_the_consent_is_required_and_unknown_fields_refused(api_for, send_json, coordinator_a):
    client = api_for(coordinator_a)
    assert send_json(client, "post", URL, body(consent_on=...)).status_code == 422
    assert send_json(client, "post", URL, body(shoe_size=42)).status_code == 422
    assert not Volunteer.objects.exists()


def test_put_replaces_and_patch_changes(
    api_for, send_json, coordinator_region, volunteer_a1, municipality_a2
):
    client = api_for(coordinator_region)
    one = f"{URL}/{volunteer_a1.code}"
    replaced = send_json(client, "put", one, body(active_from=...))
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "Elin Ekblad" and replaced.json()["phone"] == ""
    changed = send_json(client, "patch", one, {"municipality": "102"})
    assert changed.status_code == 200 and changed.json()["municipality"] == "102"
    # An active_from belongs to a new record only.
    assert send_json(client, "put", one, body()).status_code == 422


def test_periods_and_matches_through_the_api(api_for, send_json, coordinator_region, volunteer_a1):
    client = api_for(coordinator_region)
    one = f"{URL}/{volunteer_a1.code}"
    overlapping = send_json(client, "post", f"{one}/periods", {"starts_on": "2025-01-01"})
    assert overlapping.status_code == 400
    assert overlapping.json()["problems"][0]["field"] == "starts_on"
    period = volunteer_a1.periods.get()
    ended = send_json(client, "patch", f"{one}/periods/{period.pk}", {"ends_on": "2024-12-31"})
    assert ended.json() == {"id": period.pk, "starts_on": "2024-01-01", "ends_on": "2024-12-31"}
    added = send_json(
        client, "post", f"{one}/matches", {"household_size": 6, "starts_on": "2024-02-01"}
    )
    assert added.status_code == 201 and added.json()["household_size"] == 6
    too_big = send_json(
        client, "post", f"{one}/matches", {"household_size": 31, "starts_on": "2024-02-01"}
    )
    assert too_big.status_code == 422
    assert client.delete(f"{one}/matches/{added.json()['id']}").status_code == 204
    assert not volunteer_a1.matches.exists()


def test_erasing_twice_is_forbidden(api_for, coordinator_region, volunteer_a1):
    client = api_for(coordinator_region)
    assert client.post(f"{URL}/{volunteer_a1.code}/erase").status_code == 204
    assert client.post(f"{URL}/{volunteer_a1.code}/erase").status_code == 403
    got = client.get(f"{URL}/{volunteer_a1.code}").json()
    assert got["name"] == "" and got["email"] == "" and got["anonymised_at"]


def test_the_operations_are_in_the_openapi_document(api_for, coordinator_region):
    paths = api_for(coordinator_region).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/volunteers", "/api/v1/volunteers/{code}/export"} <= set(paths)
    assert "delete" not in paths["/api/v1/volunteers/{code}"]
