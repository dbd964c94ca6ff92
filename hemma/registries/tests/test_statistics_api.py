"""The REST API under /api/v1/statistics, with the web's policies, and the values it feeds."""

import pytest

from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator
from hemma.registries.models import ServiceStatistic
from hemma.registries.services import statistic_record
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics"
PLANS = ServiceStatistic.Measure.INTEGRATION_PLANS


def body(**fields):
    found = {
        "region": "region-a",
        "municipality": "101",
        "period": "2024",
        "measure": PLANS,
        "value": 12,
        "source": "Kotoutumisrekisteri",
    }
    found.update(fields)
    return found


@pytest.fixture
def stored(region_a, municipality_a1):
    """A1's integration plans of 2024: 12."""
    return statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=PLANS,
        value=12,
    )


@pytest.fixture
def plans(action_a):
    return f.IndicatorFactory(
        action=action_a,
        kind=Indicator.Kind.COUNT,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.STATISTIC,
        query_kinds=[PLANS],
        target_type="band",
        target_min=10,
        target_max=20,
    )


def value_of(indicator, code="101", period="2024"):
    return Measurement.objects.filter(
        indicator=indicator, municipality__code=code, period=period
    ).first()


# -- Done when: a statistic through the API moves the computed value and back -------------------


def test_recording_and_deleting_through_the_api_moves_the_value_and_status(
    api_for, send_json, coordinator_region, plans, programme_a
):
    client = api_for(coordinator_region)

    created = send_json(client, "post", URL, body())
    assert created.status_code == 201
    assert created.json()["value"] == 12
    assert (value_of(plans).number, value_of(plans).status) == (12, "met")

    replaced = send_json(client, "post", URL, body(value=25))
    assert replaced.status_code == 200
    assert replaced.json()["code"] == created.json()["code"]
    assert (value_of(plans).number, value_of(plans).status) == (25, "exceeded")

    deleted = client.delete(f"{URL}/{created.json()['code']}")
    assert deleted.status_code == 204
    assert (value_of(plans).number, value_of(plans).status) == (None, "no_data")


def test_a_bad_statistic_is_a_400_by_field(api_for, send_json, coordinator_region, programme_a):
    response = send_json(api_for(coordinator_region), "post", URL, body(value=2.5, period="x"))
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"value", "period"}


def test_bulk_is_all_or_none_with_problems_by_item(
    api_for, send_json, coordinator_region, programme_a
):
    items = [
        {"municipality": "101", "period": "2024", "measure": PLANS, "value": 12},
        {"municipality": "102", "period": "2024", "measure": PLANS, "value": -1},
    ]
    response = send_json(
        api_for(coordinator_region), "post", f"{URL}/bulk", {"region": "region-a", "items": items}
    )
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["items[1].value"]
    assert not ServiceStatistic.objects.exists()

    items[1]["value"] = 4
    response = send_json(
        api_for(coordinator_region), "post", f"{URL}/bulk", {"region": "region-a", "items": items}
    )
    assert response.status_code == 200
    assert sorted(s["municipality"] for s in response.json()) == ["101", "102"]


def test_the_list_filters_and_pages(api_for, coordinator_region, stored, region_a, municipality_a2):
    statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a2,
        period="2024",
        measure=PLANS,
        value=3,
    )
    client = api_for(coordinator_region)
    response = client.get(URL, {"municipality": "102"})
    assert [s["value"] for s in response.json()["items"]] == [3]
    response = client.get(URL, {"limit": 1})
    assert response.json()["count"] == 2 and len(response.json()["items"]) == 1
    assert client.get(URL, {"period": "someday"}).status_code == 400


# -- access: every operation -------------------------------------------------------------------


def test_list_access(api_for, coordinator_region, viewer, coordinator_b, coordinator_a, stored):
    assert api_for(coordinator_region).get(URL).json()["count"] == 1
    assert api_for(viewer).get(URL).json()["count"] == 1
    assert api_for(coordinator_a).get(URL).json()["count"] == 1
    assert api_for(coordinator_b).get(URL).json()["count"] == 0  # another region's: none
    assert api_for(None).get(URL).status_code == 401


def test_read_access(api_for, coordinator_region, viewer, coordinator_b, stored):
    url = f"{URL}/{stored.code}"
    assert api_for(coordinator_region).get(url).json()["municipality"] == "101"
    assert api_for(viewer).get(url).status_code == 200
    assert api_for(coordinator_b).get(url).status_code == 404
    assert api_for(None).get(url).status_code == 401


def test_record_access(api_for, send_json, coordinator_region, viewer, coordinator_b, programme_a):
    assert send_json(api_for(coordinator_region), "post", URL, body()).status_code == 201
    assert send_json(api_for(coordinator_b), "post", URL, body(value=1)).status_code == 404
    assert send_json(api_for(viewer), "post", URL, body(value=1)).status_code == 403
    assert send_json(api_for(None), "post", URL, body(value=1)).status_code == 401
    assert ServiceStatistic.objects.get().value == 12


def test_bulk_access(api_for, send_json, coordinator_region, viewer, coordinator_b, programme_a):
    def bulk(user, value):
        items = [{"municipality": "101", "period": "2024", "measure": PLANS, "value": value}]
        return send_json(
            api_for(user), "post", f"{URL}/bulk", {"region": "region-a", "items": items}
        )

    assert bulk(coordinator_region, 12).status_code == 200
    assert bulk(coordinator_b, 1).status_code == 404
    assert bulk(viewer, 1).status_code == 403
    assert bulk(None, 1).status_code == 401
    assert ServiceStatistic.objects.get().value == 12


def test_delete_access(api_for, coordinator_region, viewer, coordinator_b, stored):
    url = f"{URL}/{stored.code}"
    assert api_for(coordinator_b).delete(url).status_code == 404
    assert api_for(viewer).delete(url).status_code == 403
    assert api_for(None).delete(url).status_code == 401
    assert ServiceStatistic.objects.exists()
    assert api_for(coordinator_region).delete(url).status_code == 204
    assert not ServiceStatistic.objects.exists()


def test_a_municipal_coordinator_records_and_deletes_their_own_only(
    api_for, send_json, coordinator_a, region_a, municipality_a2, stored
):
    client = api_for(coordinator_a)
    assert send_json(client, "post", URL, body(value=13)).status_code == 200
    assert send_json(client, "post", URL, body(municipality="102")).status_code == 403
    neighbour = statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a2,
        period="2024",
        measure=PLANS,
        value=3,
    )
    assert client.get(f"{URL}/{neighbour.code}").status_code == 404
    assert client.delete(f"{URL}/{neighbour.code}").status_code == 404
    items = [{"municipality": "102", "period": "2024", "measure": PLANS, "value": 4}]
    response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "items[0].municipality"
    assert ServiceStatistic.objects.get(pk=neighbour.pk).value == 3


# -- query counts ------------------------------------------------------------------------------


def _municipalities(region, count):
    return [f.MunicipalityFactory(region=region, code=f"{300 + n}") for n in range(count)]


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_queries_do_not_grow_with_the_statistics(
    api_for, coordinator_region, region_a, django_assert_max_num_queries, size
):
    for municipality in _municipalities(region_a, size):
        statistic_record(
            actor=None,
            region=region_a,
            municipality=municipality,
            period="2024",
            measure=PLANS,
            value=5,
        )
    client = api_for(coordinator_region)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 100})
    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [2, 30])
def test_recording_many_queries_do_not_grow_with_the_items(
    api_for,
    send_json,
    coordinator_region,
    region_a,
    programme_a,
    plans,
    django_assert_max_num_queries,
    size,
):
    # Given the programme covers every municipality recorded, and half are stored already
    municipalities = _municipalities(region_a, size)
    programme_a.municipalities.add(*municipalities)
    for municipality in municipalities[: size // 2]:
        statistic_record(
            actor=None,
            region=region_a,
            municipality=municipality,
            period="2024",
            measure=PLANS,
            value=1,
        )
    items = [
        {"municipality": m.code, "period": "2024", "measure": PLANS, "value": 15}
        for m in municipalities
    ]
    client = api_for(coordinator_region)
    with django_assert_max_num_queries(21):
        response = send_json(client, "post", f"{URL}/bulk", {"region": "region-a", "items": items})
    assert response.status_code == 200
    assert Measurement.objects.filter(indicator=plans, number=15, status="met").count() == size
