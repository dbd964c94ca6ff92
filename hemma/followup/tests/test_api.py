"""The REST API under /api/v1/values: list, record and bulk record, with the web's policies."""

import pytest

from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement, Status
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/values"
BULK = f"{URL}/bulk"


def stored(band_indicator, code="101", period="2024") -> Measurement:
    return Measurement.objects.get(indicator=band_indicator, municipality__code=code, period=period)


# -- POST /values: who may -------------------------------------------------------------------


def test_record_by_the_region_coordinator_gives_the_value_with_its_status(
    api_for, post_json, coordinator_region, value, band_indicator
):
    response = post_json(api_for(coordinator_region), URL, value(number=5, comment="Busy year"))

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in body if k != "updated_at"} == {
        "programme": "programme-a",
        "action": "joint-meetings",
        "indicator": band_indicator.key,
        "municipality": "101",
        "period": "2024",
        "number": 5,
        "participants": None,
        "done": None,
        "done_on": None,
        "languages": [],
        "comment": "Busy year",
        "source": "api",
        "status": "exceeded",
        "status_label": "Exceeded",
        "version": 1,
        "entered_by": "coordinator_region",
    }


def test_record_for_the_region_as_a_whole_by_the_region_coordinator(
    api_for, post_json, coordinator_region, value, band_indicator
):
    response = post_json(api_for(coordinator_region), URL, value(municipality=None, number=2))

    assert response.status_code == 200
    assert (response.json()["municipality"], response.json()["status"]) == (None, "met")
    assert Measurement.objects.get(municipality__isnull=True).number == 2


def test_record_of_programme_a_is_not_found_for_another_regions_coordinator(
    api_for, post_json, coordinator_b, value
):
    response = post_json(api_for(coordinator_b), URL, value())

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Measurement.objects.exists()


def test_record_is_forbidden_to_a_viewer(api_for, post_json, viewer, value):
    response = post_json(api_for(viewer), URL, value())

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_record_without_a_token_is_unauthorised(api_for, post_json, value):
    response = post_json(api_for(None), URL, value())

    assert response.status_code == 401
    assert not Measurement.objects.exists()


def test_a_municipal_coordinator_records_for_its_own_municipality_and_gets_the_status(
    api_for, post_json, coordinator_a, value, band_indicator
):
    response = post_json(api_for(coordinator_a), URL, value(number=1))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("not_met", "Not met")
    assert stored(band_indicator).status == Status.NOT_MET


@pytest.mark.parametrize("municipality", ["102", None])
def test_a_municipal_coordinator_is_refused_for_another_municipality_or_the_region(
    api_for, post_json, coordinator_a, value, municipality
):
    response = post_json(api_for(coordinator_a), URL, value(municipality=municipality))

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}
    assert not Measurement.objects.exists()


def test_an_unknown_indicator_is_not_found(api_for, post_json, coordinator_region, value):
    response = post_json(api_for(coordinator_region), URL, value(indicator="no-such"))

    assert response.status_code == 404


# -- POST /values: what is refused -------------------------------------------------------------


def test_a_stale_version_is_a_conflict_with_the_value_now_stored(
    api_for, post_json, coordinator_region, coordinator_a, value, band_indicator
):
    region, own = api_for(coordinator_region), api_for(coordinator_a)
    read = post_json(own, URL, value(number=2)).json()
    assert post_json(region, URL, value(number=4, version=read["version"])).status_code == 200

    response = post_json(own, URL, value(number=3, version=read["version"]))

    assert response.status_code == 409
    body = response.json()
    assert "Someone else saved this value meanwhile" in body["detail"]
    assert (body["current"]["number"], body["current"]["version"]) == (4, 2)
    assert body["current"]["entered_by"] == "coordinator_region"
    assert (stored(band_indicator).number, stored(band_indicator).version) == (4, 2)


def test_a_second_first_value_is_a_conflict_too(
    api_for, post_json, coordinator_region, coordinator_a, value, band_indicator
):
    post_json(api_for(coordinator_a), URL, value(number=2))

    response = post_json(api_for(coordinator_region), URL, value(number=4))

    assert response.status_code == 409
    assert response.json()["current"]["number"] == 2
    assert stored(band_indicator).number == 2


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"period": "2026"}, "period", "outside the programme's period 2023–2025"),
        ({"period": "2024Q1"}, "period", "is a quarter"),
        ({"number": -3}, "number", "below zero"),
        ({"participants": 12}, "participants", "has no “participants”"),
        ({"municipality": "999"}, "municipality", "not one of the programme's"),
    ],
)
def test_a_value_that_does_not_fit_is_a_bad_request_naming_the_field(
    api_for, post_json, coordinator_region, value, fields, field, says
):
    response = post_json(api_for(coordinator_region), URL, value(**fields))

    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert (problem["field"], problem["path"]) == (field, field)
    assert says in problem["message"]
    assert not Measurement.objects.exists()


def test_a_misspelt_field_is_refused_rather_than_ignored(
    api_for, post_json, coordinator_region, value
):
    response = post_json(api_for(coordinator_region), URL, value(numbr=3))

    assert response.status_code == 422
    assert not Measurement.objects.exists()


def test_a_number_that_is_no_number_is_refused_by_its_type(
    api_for, post_json, coordinator_region, value
):
    response = post_json(api_for(coordinator_region), BULK, {"items": [value(number="lots")]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-3:] == ["items", 0, "number"]
    assert not Measurement.objects.exists()


def test_a_change_through_the_api_is_in_the_trail_with_old_and_new(
    api_for, post_json, coordinator_region, coordinator_a, value, band_indicator, programme_a
):
    post_json(api_for(coordinator_a), URL, value(number=1))
    post_json(api_for(coordinator_region), URL, value(number=3, comment="Recounted", version=1))

    event = AuditEvent.objects.filter(
        target_type="followup.measurement", verb="update", programme_id=programme_a.pk
    ).get()
    assert event.actor_name == "coordinator_region"
    assert event.changes == {
        "number": [1, 3],
        "comment": ["", "Recounted"],
        "status": ["not_met", "met"],
    }


def test_changing_2023_recomputes_2024_of_a_direction_target(
    api_for, post_json, coordinator_region, value, indicator_of
):
    indicator = indicator_of("count", target_type="direction", target_direction="increase")
    client = api_for(coordinator_region)
    post_json(client, URL, value(indicator=indicator.key, period="2023", number=5))
    later = post_json(client, URL, value(indicator=indicator.key, period="2024", number=6))
    assert later.json()["status"] == "met"

    post_json(client, URL, value(indicator=indicator.key, period="2023", number=8, version=1))

    listed = client.get(URL, {"period": "2024"}).json()["items"]
    assert [(v["indicator"], v["status"]) for v in listed] == [(indicator.key, "not_met")]


# -- POST /values/bulk -------------------------------------------------------------------------


def test_bulk_records_every_item(api_for, post_json, coordinator_region, value):
    items = [
        value(municipality=code, period=year)
        for code in ("101", "102")
        for year in ("2023", "2024")
    ]

    response = post_json(api_for(coordinator_region), BULK, {"items": items})

    assert response.status_code == 200
    assert [(v["municipality"], v["period"], v["version"]) for v in response.json()["items"]] == [
        ("101", "2023", 1),
        ("101", "2024", 1),
        ("102", "2023", 1),
        ("102", "2024", 1),
    ]
    assert Measurement.objects.count() == 4


def test_bulk_with_one_bad_item_saves_nothing_and_names_the_item(
    api_for, post_json, coordinator_region, value
):
    items = [value(period="2023"), value(period="2024", number=-1), value(period="2025")]

    response = post_json(api_for(coordinator_region), BULK, {"items": items})

    assert response.status_code == 400
    assert [(p["path"], p["field"]) for p in response.json()["problems"]] == [
        ("items[1].number", "number")
    ]
    assert not Measurement.objects.exists()


def test_bulk_names_an_item_whose_indicator_the_programme_does_not_have(
    api_for, post_json, coordinator_region, value
):
    items = [value(), value(action="no-such-action")]

    response = post_json(api_for(coordinator_region), BULK, {"items": items})

    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["items[1].indicator"]
    assert not Measurement.objects.exists()


def test_bulk_of_programme_a_is_not_found_for_another_regions_coordinator(
    api_for, post_json, coordinator_b, value
):
    response = post_json(api_for(coordinator_b), BULK, {"items": [value()]})

    assert response.status_code == 404
    assert not Measurement.objects.exists()


def test_bulk_is_forbidden_to_a_viewer(api_for, post_json, viewer, value):
    response = post_json(api_for(viewer), BULK, {"items": [value()]})

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_bulk_is_forbidden_whole_when_one_item_is_for_another_municipality(
    api_for, post_json, coordinator_a, value
):
    items = [value(municipality="101"), value(municipality="102")]

    response = post_json(api_for(coordinator_a), BULK, {"items": items})

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_bulk_without_a_token_is_unauthorised(api_for, post_json, value):
    response = post_json(api_for(None), BULK, {"items": [value()]})

    assert response.status_code == 401


# -- GET /values -------------------------------------------------------------------------------


@pytest.fixture
def three_values(coordinator_region, api_for, post_json, value):
    items = [
        value(municipality="101", period="2023", number=2),
        value(municipality="102", period="2024", number=5),
        value(municipality=None, period="2024", number=1),
    ]
    assert post_json(api_for(coordinator_region), BULK, {"items": items}).status_code == 200


@pytest.mark.parametrize("user", ["coordinator_region", "coordinator_a", "viewer"])
def test_list_gives_every_value_of_the_programme_to_whoever_sees_it(
    api_for, request, user, three_values
):
    response = api_for(request.getfixturevalue(user)).get(URL, {"programme": "programme-a"})

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert [(v["municipality"], v["period"], v["status"]) for v in response.json()["items"]] == [
        (None, "2024", "not_met"),
        ("101", "2023", "met"),
        ("102", "2024", "exceeded"),
    ]


def test_list_leaves_programme_a_out_for_another_regions_coordinator(
    api_for, coordinator_b, three_values
):
    response = api_for(coordinator_b).get(URL, {"programme": "programme-a"})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_list_without_a_token_is_unauthorised(api_for, three_values):
    assert api_for(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"period": "2024"}, [(None, "2024"), ("102", "2024")]),
        ({"municipality": "101"}, [("101", "2023")]),
        ({"municipality": "region"}, [(None, "2024")]),
        ({"programme": "programme-b"}, []),
        ({"limit": 2, "offset": 1}, [("101", "2023"), ("102", "2024")]),
    ],
)
def test_list_is_filtered_and_paginated(api_for, coordinator_region, three_values, query, expected):
    response = api_for(coordinator_region).get(URL, query)

    assert [(v["municipality"], v["period"]) for v in response.json()["items"]] == expected


def test_list_with_a_period_that_is_none_is_a_bad_request(api_for, coordinator_region):
    response = api_for(coordinator_region).get(URL, {"period": "last year"})

    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "period"


@pytest.mark.parametrize(("municipalities", "years", "indicators"), [(2, 2, 2), (4, 3, 5)])
def test_list_reads_in_the_same_number_of_queries_however_many_values(
    api_for,
    coordinator_region,
    programme_a,
    region_a,
    django_assert_max_num_queries,
    municipalities,
    years,
    indicators,
):
    places = [f.MunicipalityFactory(region=region_a) for _ in range(municipalities)]
    programme_a.municipalities.set(places)
    for n in range(indicators):
        indicator = f.IndicatorFactory(action__goal__theme__programme=programme_a, key=f"i{n}")
        for place in places:
            for year in range(2023, 2023 + years):
                Measurement.objects.create(
                    indicator=indicator, municipality=place, period=str(year), number=n
                )
    client = api_for(coordinator_region)

    # The token, the user's roles, the count, the page: whatever the number of values.
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 100})

    assert response.json()["count"] == municipalities * years * indicators


def test_list_gives_pages_larger_than_a_hundred_values(api_for, coordinator_region, band_indicator):
    Measurement.objects.bulk_create(
        Measurement(indicator=band_indicator, municipality=None, period=f"{year}Q{quarter}")
        for year in range(1980, 2020)
        for quarter in range(1, 5)
    )

    response = api_for(coordinator_region).get(URL, {"programme": "programme-a", "limit": 150})

    assert response.json()["count"] == 160
    assert len(response.json()["items"]) == 150
