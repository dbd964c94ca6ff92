"""/api/v1/public: the approved follow-up without a token, read-only, paginated, cacheable."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from hemma.followup.models import Measurement
from hemma.programmes.models import Programme
from hemma.public.tests.test_open_data import FollowUp, approve, follow_up, more_data

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/public/programmes"
VALUES = "/api/v1/public/programmes/programme-a/values"


@pytest.fixture
def published(programme_a, municipality_a1, municipality_a2) -> FollowUp:
    return follow_up(programme_a, municipality_a1, municipality_a2)


@pytest.fixture
def api() -> Client:
    """A client without a token: the public API needs none."""
    return Client(headers={"Accept-Language": "en"})


def by_place(items, indicator: str) -> dict:
    return {i["municipality_code"]: i for i in items if i["indicator_key"] == indicator}


# -- programmes ------------------------------------------------------------------------------


def test_programmes_lists_the_published_ones_with_their_approved_periods(
    api, published, programme_b
):
    Programme.objects.filter(pk=programme_b.pk).update(status=Programme.Status.DRAFT)

    response = api.get(PROGRAMMES)

    assert response.status_code == 200
    content = response.json()
    assert content["licence"]["name"] == "CC-BY-4.0"
    [programme] = content["items"]
    assert programme["slug"] == "programme-a"
    assert [m["code"] for m in programme["municipalities"]] == ["101", "102"]
    [period] = programme["periods"]  # 2025 is open: not listed
    assert period["period"] == "2024"
    assert period["values"] == f"http://testserver{VALUES}?period=2024"
    assert period["files"]["values_csv"] == "http://testserver/data/programme-a/2024/values.csv"
    assert programme["data_page"] == "http://testserver/en/public/programme-a/data/"


def test_programmes_answer_304_to_a_current_copy(api, published):
    first = api.get(PROGRAMMES)

    assert first["ETag"] and first["Last-Modified"]
    assert api.get(PROGRAMMES, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_programmes_take_the_same_queries_at_two_sizes(
    api, published, programme_b, django_assert_num_queries
):
    with django_assert_num_queries(3) as small:
        assert api.get(PROGRAMMES).status_code == 200
    more_data(published.programme, 4)
    approve(programme_b, "2024")
    approve(published.programme, "2023")
    with django_assert_num_queries(len(small.captured_queries)):
        assert api.get(PROGRAMMES).status_code == 200


# -- values ----------------------------------------------------------------------------------


def test_values_of_an_approved_period_without_a_token(api, published):
    response = api.get(VALUES, {"period": "2024"})

    assert response.status_code == 200
    content = response.json()
    assert (content["programme"], content["period"], content["municipality"]) == (
        "programme-a",
        "2024",
        None,
    )
    assert content["count"] == 9
    assert (content["page"], content["page_size"]) == (1, 500)
    assert content["next"] is None and content["previous"] is None
    meetings = by_place(content["items"], published.meetings.key)
    assert meetings["101"]["value"] == 3
    assert meetings["102"]["value"] == 2.5
    assert meetings[None]["value"] == -1
    assert meetings["101"]["status"] == "met"
    assert ("quarterly", "2024Q2") in {(i["indicator_key"], i["period"]) for i in content["items"]}
    assert "Open period" not in response.content.decode()


def test_an_open_or_unknown_period_is_not_found(api, published):
    for period in ("2025", "2024Q2", "nonsense"):
        response = api.get(VALUES, {"period": period})
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        assert "77" not in response.content.decode()


def test_a_draft_programme_is_not_found(api, published):
    Programme.objects.filter(pk=published.programme.pk).update(status=Programme.Status.DRAFT)

    assert api.get(VALUES, {"period": "2024"}).status_code == 404
    assert api.get(PROGRAMMES).json()["items"] == []


def test_a_municipality_filter_gives_its_values_and_an_uncovered_one_is_not_found(
    api, published, municipality_b1
):
    response = api.get(VALUES, {"period": "2024", "municipality": "102"})

    assert response.status_code == 200
    assert {i["municipality_code"] for i in response.json()["items"]} == {"102"}
    assert api.get(VALUES, {"period": "2024", "municipality": "201"}).status_code == 404
    assert api.get(VALUES, {"period": "2024", "municipality": "999"}).status_code == 404


def test_suppressed_values_are_null_in_the_api_complementary_cell_included(api, published):
    items = api.get(VALUES, {"period": "2024"}).json()["items"]
    plans = by_place(items, "plans")
    assert plans["101"]["value"] is None
    assert plans["101"]["suppressed"] is True
    assert plans["101"]["comment"] == ""
    assert plans[None]["value"] == 13

    only_a2 = api.get(VALUES, {"period": "2024", "municipality": "102"}).json()["items"]
    assert by_place(only_a2, "plans")["102"]["value"] is None
    assert by_place(only_a2, "events")["102"]["participants"] == 40
    assert by_place(items, "events")["101"]["participants"] is None


def test_values_are_paginated_with_links(api, published):
    first = api.get(VALUES, {"period": "2024", "page_size": 4}).json()

    assert first["count"] == 9
    assert len(first["items"]) == 4
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{VALUES}?period=2024&page=2&page_size=4"
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert second["previous"] == f"http://testserver{VALUES}?period=2024&page=1&page_size=4"
    assert len(third["items"]) == 1
    assert third["next"] is None
    everything = api.get(VALUES, {"period": "2024"}).json()["items"]
    assert first["items"] + second["items"] + third["items"] == everything


@pytest.mark.parametrize("params", [{"page_size": 1001}, {"page_size": 0}, {"page": 0}, {}])
def test_bad_paging_or_a_missing_period_is_refused(api, published, params):
    query = {"period": "2024", **params} if params else {}
    assert api.get(VALUES, query).status_code == 422


def test_values_carry_etag_and_last_modified_and_answer_304(api, published):
    first = api.get(VALUES, {"period": "2024"})

    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    not_modified = api.get(VALUES, {"period": "2024"}, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    by_date = api.get(
        VALUES, {"period": "2024"}, headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert by_date.status_code == 304
    Measurement.objects.filter(indicator=published.meetings, municipality__code="102").update(
        comment="Corrected"
    )
    changed = api.get(VALUES, {"period": "2024"}, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_public_api_writes_nothing(api, published):
    assert api.post(VALUES, {"period": "2024"}).status_code == 405
    assert api.delete(PROGRAMMES).status_code == 405


def test_values_take_the_same_queries_at_two_sizes(api, published, django_assert_num_queries):
    with django_assert_num_queries(6) as small:
        assert api.get(VALUES, {"period": "2024"}).status_code == 200
    more_data(published.programme, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert api.get(VALUES, {"period": "2024"}).status_code == 200


# -- the OpenAPI document --------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_the_public_operations_need_no_token(api):
    spec = api.get("/api/v1/openapi.json").json()

    validate(spec)
    for path in (PROGRAMMES, "/api/v1/public/programmes/{slug}/values"):
        operation = spec["paths"][path]["get"]
        assert "security" not in operation or operation["security"] == []
        assert "304" in operation["responses"]
    assert "PublicValueOut" in spec["components"]["schemas"]
