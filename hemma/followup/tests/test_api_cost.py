"""What the values API costs (docs/performance.md): a page of the listing is read as plain
rows yet gives the JSON the schema gave, and a page and a record take as many queries
whatever the data's size."""

import datetime
import json

import pytest
from ninja.responses import NinjaJSONEncoder

from hemma.audit.models import AuditEvent
from hemma.followup import selectors, services
from hemma.followup.models import Measurement
from hemma.followup.schemas import ValueOut
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/values"


@pytest.fixture
def values_of_each_kind(coordinator_region, indicator_of, municipality_a1, municipality_a2):
    """Values of every shape ValueOut gives: whole and decimal numbers, participants, done
    with and without a date, languages (and none), the region's, a comment."""
    statistics = indicator_of("statistics", target_type="")
    people = indicator_of("count_with_participants")
    milestone = indicator_of("milestone")
    languages = indicator_of("deliverable_languages")
    for indicator, municipality, period, values, comment in [
        (statistics, municipality_a1, "2023", {"number": "12.5"}, ""),
        (statistics, municipality_a2, "2023", {"number": "7"}, "Räknat på nytt"),
        (statistics, None, "2024", {"number": "0.05"}, ""),
        (people, municipality_a1, "2024", {"number": 3, "participants": 41}, ""),
        (milestone, municipality_a1, "2023", {"done": True, "done_on": "2023-05-02"}, ""),
        (milestone, municipality_a2, "2023", {"done": False}, ""),
        (languages, municipality_a1, "2025", {"languages": ["sv", "fi", "ar"]}, ""),
        (languages, municipality_a2, "2025", {"languages": []}, ""),
    ]:
        services.measurement_record(
            actor=coordinator_region,
            indicator=indicator,
            municipality=municipality,
            period=period,
            values=values,
            comment=comment,
            version=None,
            source=Measurement.Source.WEB,
        )
    # A time without its microseconds is written without a fraction.
    Measurement.objects.filter(indicator=milestone).update(
        updated_at=datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)
    )


def schema_page(user, *, offset=0, limit=100, **filters) -> bytes:
    """The page as the listing gave it before: each value validated by ValueOut."""
    values = list(selectors.measurement_list(user=user, **filters))
    items = [ValueOut.from_orm(value).model_dump() for value in values]
    page = {"items": items[offset : offset + limit], "count": len(items)}
    return json.dumps(page, cls=NinjaJSONEncoder).encode()


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({}, {}),
        ({"programme": "programme-a", "limit": 3, "offset": 2}, {"programme": "programme-a"}),
        ({"municipality": "region"}, {"municipality_code": "region"}),
        ({"municipality": "102", "period": "2023"}, {"municipality_code": "102", "period": "2023"}),
        ({"offset": 50}, {}),
    ],
)
def test_a_page_is_the_json_the_schema_gives(
    api_for, coordinator_region, values_of_each_kind, query, filters
):
    response = api_for(coordinator_region).get(URL, query)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    paging = {name: query[name] for name in ("offset", "limit") if name in query}
    assert response.content == schema_page(coordinator_region, **filters, **paging)


def test_a_page_has_numbers_dates_and_labels_as_the_schema_writes_them(
    api_for, coordinator_region, values_of_each_kind
):
    items = api_for(coordinator_region).get(URL, {"municipality": "101"}).json()["items"]

    assert [(v["number"], v["participants"], v["done_on"], v["languages"]) for v in items] == [
        (12.5, None, None, []),
        (3, 41, None, []),
        (None, None, "2023-05-02", []),
        (None, None, None, ["sv", "fi", "ar"]),
    ]
    assert items[2]["updated_at"] == "2024-03-01T12:00:00Z"
    assert items[2]["status_label"] == "Met"


def test_a_page_past_the_end_still_tells_the_count(
    api_for, coordinator_region, values_of_each_kind
):
    response = api_for(coordinator_region).get(URL, {"offset": 8})

    assert response.json() == {"items": [], "count": 8}


def test_a_limit_above_a_thousand_gives_a_thousand(api_for, coordinator_region, band_indicator):
    Measurement.objects.bulk_create(
        Measurement(indicator=band_indicator, municipality=None, period=f"{year}Q{quarter}")
        for year in range(1700, 2000)
        for quarter in range(1, 5)
    )

    response = api_for(coordinator_region).get(URL, {"limit": 5000})

    assert response.json()["count"] == 1200
    assert len(response.json()["items"]) == 1000


# -- queries -----------------------------------------------------------------------------------


def _values(programme, municipalities, indicators, years):
    places = [f.MunicipalityFactory(region=programme.region) for _ in range(municipalities)]
    programme.municipalities.add(*places)
    for n in range(indicators):
        indicator = f.IndicatorFactory(action__goal__theme__programme=programme, key=f"i{n}")
        Measurement.objects.bulk_create(
            Measurement(indicator=indicator, municipality=place, period=str(year), number=n)
            for place in places
            for year in range(2023, 2023 + years)
        )


@pytest.fixture
def used_client(api_for, coordinator_region):
    """The region coordinator's client, its token used once (a first use writes its time)."""
    client = api_for(coordinator_region)
    client.get(URL, {"limit": 1})
    return client


@pytest.mark.parametrize(("municipalities", "indicators", "years"), [(1, 1, 1), (5, 4, 3)])
def test_a_page_is_one_query_with_its_count(
    programme_a, used_client, django_assert_num_queries, municipalities, indicators, years
):
    _values(programme_a, municipalities, indicators, years)

    # The token, the user's roles, then the page: the count comes with its rows.
    with django_assert_num_queries(3):
        response = used_client.get(URL, {"limit": 500})

    assert response.json()["count"] == len(response.json()["items"]) > 0
    # Past the end there are no rows to bring it: the count is asked apart.
    with django_assert_num_queries(4):
        response = used_client.get(URL, {"offset": 500})
    assert response.json()["count"] == municipalities * indicators * years


# The token, the user's roles, the indicator; the savepoint of the record (a transaction of
# its own outside the tests' one), the programme's municipalities, its locked periods, the
# value's series, the value, its audit row, the savepoint's release.
FIRST_VALUE_QUERIES = 10


@pytest.mark.parametrize(("municipalities", "years"), [(0, 0), (5, 2)])
def test_a_first_value_is_recorded_in_as_many_queries_whatever_there_is(
    programme_a,
    band_indicator,
    used_client,
    post_json,
    value,
    django_assert_num_queries,
    municipalities,
    years,
):
    _values(programme_a, municipalities, indicators=2, years=3)
    for year in range(2023, 2023 + years):
        assert post_json(used_client, URL, value(period=str(year))).status_code == 200

    with django_assert_num_queries(FIRST_VALUE_QUERIES):
        response = post_json(used_client, URL, value(period="2025"))

    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_a_change_takes_one_query_more_than_a_first_value(
    used_client, post_json, value, django_assert_num_queries
):
    post_json(used_client, URL, value(period="2024", number=3))

    # The compare-and-set update, then the value read back with its new version and time,
    # instead of the insert.
    with django_assert_num_queries(FIRST_VALUE_QUERIES + 1):
        response = post_json(used_client, URL, value(period="2024", number=4, version=1))

    assert response.json()["version"] == 2


# -- a lost race -------------------------------------------------------------------------------


@pytest.fixture
def lose_the_next_race(monkeypatch):
    """lose_the_next_race(): the next record reads its series as before someone else's first
    value was stored, so it sees none, and the database refuses its own first value."""
    series = services._series

    def before_the_other(indicator, municipality):
        monkeypatch.setattr(services, "_series", series)
        return {}

    return lambda: monkeypatch.setattr(services, "_series", before_the_other)


def test_a_first_value_that_lost_a_race_is_a_conflict_with_the_winners(
    api_for, post_json, coordinator_region, coordinator_a, value, lose_the_next_race
):
    won = post_json(api_for(coordinator_a), URL, value(number=2)).json()
    client = api_for(coordinator_region)
    events = AuditEvent.objects.count()
    lose_the_next_race()

    response = post_json(client, URL, value(number=5))

    assert response.status_code == 409
    assert response.json()["current"] == won
    assert AuditEvent.objects.count() == events
    assert Measurement.objects.get(municipality__code="101", period="2024").number == 2


def test_a_bulk_item_that_lost_a_race_names_its_version_and_saves_nothing(
    api_for, post_json, coordinator_region, coordinator_a, value, lose_the_next_race
):
    post_json(api_for(coordinator_a), URL, value(number=2))
    lose_the_next_race()

    response = post_json(
        api_for(coordinator_region),
        f"{URL}/bulk",
        {"items": [value(number=5), value(municipality="102", number=3)]},
    )

    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["items[0].version"]
    assert not Measurement.objects.filter(municipality__code="102").exists()
