"""The REST API under /api/v1/placements, with the web's policies, and the values it feeds."""

import datetime

import pytest

from hemma.accounts.models import Membership
from hemma.followup.models import Measurement, Round
from hemma.programmes.models import Indicator
from hemma.registries.models import Placement
from hemma.registries.services import placement_record
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/placements"
Kind = Placement.Kind


@pytest.fixture
def school(region_a):
    return f.OrganisationFactory(region=region_a, key="skolan", name={"sv": "Skolan"})


def body(**fields):
    found = {
        "region": "region-a",
        "municipality": "101",
        "unit": "skolan",
        "kind": Kind.WORK_TRYOUT,
        "period": "2024H1",
        "people": 6,
    }
    found.update(fields)
    return found


def item(**fields):
    found = body(**fields)
    del found["region"]
    return found


@pytest.fixture
def stored(region_a, municipality_a1, school):
    """A1's school: 6 work try-outs in 2024H1."""
    return placement_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        unit=school,
        kind=Kind.WORK_TRYOUT,
        period="2024H1",
        people=6,
    )


@pytest.fixture
def employed(action_a):
    """People in the units' work try-outs and jobs a year: 5–10."""
    return f.IndicatorFactory(
        action=action_a,
        kind=Indicator.Kind.COUNT,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.PLACEMENTS,
        query_kinds=[Kind.WORK_TRYOUT, Kind.JOB],
        target_type="band",
        target_min=5,
        target_max=10,
    )


def value_of(indicator, code="101", period="2024"):
    return Measurement.objects.filter(
        indicator=indicator, municipality__code=code, period=period
    ).first()


# -- a placement through the API moves the computed value and back -----------------------------


def test_recording_and_deleting_through_the_api_moves_the_value_and_status(
    api_for, send_json, coordinator_region, employed, school, programme_a
):
    client = api_for(coordinator_region)

    created = send_json(client, "post", URL, body())
    assert created.status_code == 201
    assert created.json()["people"] == 6 and created.json()["unit"] == "skolan"
    assert (value_of(employed).number, value_of(employed).status) == (6, "met")

    replaced = send_json(client, "post", URL, body(people=14))
    assert replaced.status_code == 200
    assert replaced.json()["code"] == created.json()["code"]
    assert (value_of(employed).number, value_of(employed).status) == (14, "exceeded")

    # A kind the indicator does not count leaves it as it is
    assert send_json(client, "post", URL, body(kind=Kind.APPRENTICESHIP)).status_code == 201
    assert value_of(employed).number == 14

    deleted = client.delete(f"{URL}/{created.json()['code']}")
    assert deleted.status_code == 204
    assert value_of(employed).number == 0


def test_a_bad_placement_is_a_400_by_field(
    api_for, send_json, coordinator_region, school, programme_a
):
    response = send_json(
        api_for(coordinator_region), "post", URL, body(people=-1, period="2023-2025")
    )
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"people", "period"}
    unknown = send_json(api_for(coordinator_region), "post", URL, body(peopel=3))
    assert unknown.status_code == 422
    assert not Placement.objects.exists()


def test_an_approved_period_is_refused_and_its_placement_kept(
    api_for, send_json, coordinator_region, programme_a, stored
):
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )
    client = api_for(coordinator_region)
    refused = send_json(client, "post", URL, body(people=9))
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["field"] == "period"
    assert client.delete(f"{URL}/{stored.code}").status_code == 400
    assert Placement.objects.get().people == 6


def test_bulk_is_all_or_none_with_problems_by_item(
    api_for, send_json, coordinator_region, school, programme_a
):
    items = [item(), item(municipality="102", people="x")]
    client = api_for(coordinator_region)
    response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 422  # a number of the wrong type: the schema's
    items[1]["people"] = 2
    items.append(item())  # the first again
    response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["items[2].period"]
    assert not Placement.objects.exists()
    items.pop()
    response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 200
    assert sorted((p["municipality"], p["people"]) for p in response.json()) == [
        ("101", 6),
        ("102", 2),
    ]


def test_the_list_filters_and_pages(api_for, coordinator_region, stored, region_a, school):
    for period, kind in (("2024Q3", Kind.JOB), ("2023", Kind.JOB)):
        placement_record(
            actor=None,
            region=region_a,
            municipality=stored.municipality,
            unit=school,
            kind=kind,
            period=period,
            people=2,
        )
    client = api_for(coordinator_region)
    assert client.get(URL, {"period": "2024"}).json()["count"] == 2
    assert client.get(URL, {"kind": Kind.JOB}).json()["count"] == 2
    assert client.get(URL, {"unit": "skolan", "municipality": "102"}).json()["count"] == 0
    paged = client.get(URL, {"limit": 1})
    assert paged.json()["count"] == 3 and len(paged.json()["items"]) == 1
    assert client.get(URL, {"period": "someday"}).status_code == 400
    assert client.get(URL, {"kind": "internship"}).status_code == 400


# -- access: every operation -------------------------------------------------------------------


def test_list_access(api_for, coordinator_region, viewer, coordinator_b, coordinator_a, stored):
    assert api_for(coordinator_region).get(URL).json()["count"] == 1
    assert api_for(viewer).get(URL).json()["count"] == 1
    assert api_for(coordinator_a).get(URL).json()["count"] == 1
    assert api_for(coordinator_b).get(URL).json()["count"] == 0  # another region's: none
    assert api_for(None).get(URL).status_code == 401


def test_read_access(api_for, coordinator_region, viewer, coordinator_b, stored):
    url = f"{URL}/{stored.code}"
    answer = api_for(coordinator_region).get(url).json()
    assert (answer["municipality"], answer["unit_name"], answer["people"]) == ("101", "Skolan", 6)
    assert api_for(viewer).get(url).status_code == 200
    assert api_for(coordinator_b).get(url).status_code == 404
    assert api_for(None).get(url).status_code == 401


def test_record_access(
    api_for, send_json, coordinator_region, viewer, coordinator_b, school, programme_a
):
    assert send_json(api_for(coordinator_region), "post", URL, body()).status_code == 201
    assert send_json(api_for(coordinator_b), "post", URL, body(people=1)).status_code == 404
    assert send_json(api_for(viewer), "post", URL, body(people=1)).status_code == 403
    assert send_json(api_for(None), "post", URL, body(people=1)).status_code == 401
    assert Placement.objects.get().people == 6


def test_bulk_access(
    api_for, send_json, coordinator_region, viewer, coordinator_b, school, programme_a
):
    def bulk(user, people):
        payload = {"region": "region-a", "items": [item(people=people)]}
        return send_json(api_for(user), "post", f"{URL}/bulk", payload)

    assert bulk(coordinator_region, 6).status_code == 200
    assert bulk(coordinator_b, 1).status_code == 404
    assert bulk(viewer, 1).status_code == 403
    assert bulk(None, 1).status_code == 401
    assert Placement.objects.get().people == 6


def test_delete_access(api_for, coordinator_region, viewer, coordinator_b, stored):
    url = f"{URL}/{stored.code}"
    assert api_for(coordinator_b).delete(url).status_code == 404
    assert api_for(viewer).delete(url).status_code == 403
    assert api_for(None).delete(url).status_code == 401
    assert Placement.objects.exists()
    assert api_for(coordinator_region).delete(url).status_code == 204
    assert not Placement.objects.exists()


def test_a_municipal_coordinator_records_and_deletes_their_own_only(
    api_for, send_json, coordinator_a, region_a, municipality_a2, school, stored
):
    client = api_for(coordinator_a)
    assert send_json(client, "post", URL, body(people=7)).status_code == 200
    assert send_json(client, "post", URL, body(municipality="102")).status_code == 403
    neighbour = placement_record(
        actor=None,
        region=region_a,
        municipality=municipality_a2,
        unit=school,
        kind=Kind.JOB,
        period="2024",
        people=3,
    )
    assert client.get(f"{URL}/{neighbour.code}").status_code == 404
    assert client.delete(f"{URL}/{neighbour.code}").status_code == 404
    payload = {"region": "region-a", "items": [item(municipality="102")]}
    response = send_json(client, "post", f"{URL}/bulk", payload)
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "items[0].municipality"
    assert Placement.objects.get(pk=neighbour.pk).people == 3


def test_an_organisation_reporter_has_no_placements(
    api_for, send_json, region_a, school, stored, programme_a
):
    reporter = f.UserFactory(username="reporter")
    Membership.objects.create(
        user=reporter,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=school,
    )
    client = api_for(reporter)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{stored.code}").status_code == 404
    assert send_json(client, "post", URL, body(people=1)).status_code == 404
    assert client.delete(f"{URL}/{stored.code}").status_code == 404
    assert Placement.objects.get().people == 6


# -- query counts ------------------------------------------------------------------------------


def _municipalities(region, count):
    return [f.MunicipalityFactory(region=region, code=f"{300 + n}") for n in range(count)]


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_queries_do_not_grow_with_the_placements(
    api_for, coordinator_region, region_a, school, django_assert_num_queries, size
):
    for municipality in _municipalities(region_a, size):
        for kind in (Kind.JOB, Kind.WORK_TRYOUT):
            placement_record(
                actor=None,
                region=region_a,
                municipality=municipality,
                unit=school,
                kind=kind,
                period="2024",
                people=5,
            )
    client = api_for(coordinator_region)
    with django_assert_num_queries(5):
        response = client.get(URL, {"limit": 100})
    assert response.json()["count"] == 2 * size


@pytest.mark.parametrize("size", [2, 30])
def test_recording_many_queries_do_not_grow_with_the_items(
    api_for,
    send_json,
    coordinator_region,
    region_a,
    programme_a,
    employed,
    school,
    django_assert_num_queries,
    size,
):
    # Given the programme covers every municipality recorded, and half are stored already
    municipalities = _municipalities(region_a, size)
    programme_a.municipalities.add(*municipalities)
    for municipality in municipalities[: size // 2]:
        placement_record(
            actor=None,
            region=region_a,
            municipality=municipality,
            unit=school,
            kind=Kind.JOB,
            period="2024",
            people=1,
        )
    items = [
        item(municipality=m.code, kind=Kind.JOB, period="2024", people=7) for m in municipalities
    ]
    client = api_for(coordinator_region)
    with django_assert_num_queries(23):
        response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 200
    assert Measurement.objects.filter(indicator=employed, number=7, status="met").count() == size
