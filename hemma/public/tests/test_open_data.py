"""Open data files: each approved period of a published programme as CSV, JSON and a Data
Package, per programme and per municipality; nothing of an open period or a draft."""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from hemma.followup import rounds
from hemma.followup.models import Measurement, Round
from hemma.organisations.models import Municipality
from hemma.programmes.models import Indicator, Programme
from hemma.public import opendata
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)
# Table Schema v1's field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats).
TABLE_SCHEMA_TYPES = {
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
}


@dataclass
class FollowUp:
    programme: Programme
    meetings: Indicator  # a frequency band, not people
    plans: Indicator  # counts people: 3 in A1 is suppressed, and A2 with it (complementary)
    events: Indicator  # a count with participants: A1's 4 participants are suppressed
    quarterly: Indicator


def value(indicator, municipality, period, **fields) -> Measurement:
    return Measurement.objects.create(
        indicator=indicator, municipality=municipality, period=period, **fields
    )


def approve(programme, period: str) -> Round:
    round_ = rounds.round_open(actor=None, programme=programme, period=period, deadline=DEADLINE)
    return rounds.round_approve(actor=None, round=round_)


def follow_up(programme, a1, a2) -> FollowUp:
    """2024 approved, with values of every kind; 2025 open, with values that must not leak."""
    meetings = programme.actions.get(key="joint-meetings").indicators.get()
    action = meetings.action
    plans: Indicator = f.IndicatorFactory(  # type: ignore[assignment]
        action=action,
        key="plans",
        name={"sv": "Integrationsplaner"},
        unit={"sv": "planer"},
        kind=Indicator.Kind.COUNT,
        counts_people=True,
        target_type="",
        target_min=None,
        target_max=None,
        position=1,
    )
    events: Indicator = f.IndicatorFactory(  # type: ignore[assignment]
        action=action,
        key="events",
        kind=Indicator.Kind.COUNT_WITH_PARTICIPANTS,
        target_type="",
        target_min=None,
        target_max=None,
        position=2,
    )
    quarterly: Indicator = f.IndicatorFactory(  # type: ignore[assignment]
        action=action,
        key="quarterly",
        kind=Indicator.Kind.COUNT,
        period=Indicator.Period.QUARTER,
        target_type="",
        target_min=None,
        target_max=None,
        position=3,
    )
    value(meetings, a1, "2024", number=3, status="met", comment="Two in spring, one in autumn")
    value(meetings, a2, "2024", number="2.5", status="met")
    value(meetings, None, "2024", number=-1, status="not_met", comment="=HYPERLINK()")
    value(plans, a1, "2024", number=3, comment="Three families")
    value(plans, a2, "2024", number=10)
    value(plans, None, "2024", number=13)
    value(events, a1, "2024", number=2, participants=4)
    value(events, a2, "2024", number=6, participants=40)
    value(quarterly, a1, "2024Q2", number=7)
    approve(programme, "2024")
    rounds.round_open(actor=None, programme=programme, period="2025", deadline=DEADLINE)
    value(meetings, a1, "2025", number=77, comment="Open period")
    return FollowUp(programme, meetings, plans, events, quarterly)


@pytest.fixture
def published(programme_a, municipality_a1, municipality_a2) -> FollowUp:
    return follow_up(programme_a, municipality_a1, municipality_a2)


def file_url(slug: str, period: str, name: str, code: str | None = None) -> str:
    if code is None:
        return reverse("opendata:programme_file", args=[slug, period, name])
    return reverse("opendata:municipality_file", args=[slug, period, code, name])


def csv_rows(response) -> list[dict[str, str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # a byte order mark, for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def json_rows(response) -> list[dict]:
    return response.json()["rows"]


def by_place(rows, indicator: str, key: str = "municipality_code") -> dict:
    return {row[key]: row for row in rows if row["indicator_key"] == indicator}


# -- what the files hold ---------------------------------------------------------------------


def test_csv_of_an_approved_period_holds_its_values_and_numbers_parse(client, published):
    response = client.get(file_url("programme-a", "2024", "values.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="programme-a-2024.csv"'
    rows = csv_rows(response)
    meetings = by_place(rows, published.meetings.key)
    assert set(meetings) == {"", "101", "102"}
    assert float(meetings["101"]["value"]) == 3
    assert float(meetings["102"]["value"]) == 2.5
    assert float(meetings[""]["value"]) == -1  # a number, not text escaped as a formula
    assert meetings[""]["municipality"] == ""
    assert meetings["101"]["municipality"] == "A-stad"
    assert meetings["101"]["comment"] == "Two in spring, one in autumn"
    assert meetings["101"]["status"] == "met"
    assert meetings["101"]["target"] == "2–4 per år"  # in the programme's language
    assert meetings["101"]["suppressed"] == "false"
    assert meetings[""]["comment"] == "'=HYPERLINK()"  # no formula for a spreadsheet
    assert int(by_place(rows, "events")["102"]["participants"]) == 40
    # The year's round holds the quarter's value, after the year's values of the indicators.
    assert [(r["indicator_key"], r["period"]) for r in rows][-1] == ("quarterly", "2024Q2")


def test_json_gives_numbers_as_numbers_and_names_the_licence(client, published):
    response = client.get(file_url("programme-a", "2024", "values.json"))

    assert response.status_code == 200
    content = response.json()
    assert content["programme"] == {"slug": "programme-a", "title": "Program programme-a"}
    assert content["period"] == "2024"
    assert content["municipality"] is None
    assert content["licence"]["name"] == "CC-BY-4.0"
    meetings = by_place(content["rows"], published.meetings.key)
    assert meetings["101"]["value"] == 3
    assert meetings["102"]["value"] == 2.5
    assert meetings[None]["municipality"] is None
    assert by_place(content["rows"], "events")["102"]["participants"] == 40
    plans = by_place(content["rows"], "plans")
    assert plans["101"]["unit"] == "planer"
    assert plans["101"]["kind"] == "count"


def test_a_municipality_file_holds_that_municipality_only(client, published):
    response = client.get(file_url("programme-a", "2024", "values.json", code="102"))

    assert response.status_code == 200
    content = response.json()
    assert content["municipality"] == {"code": "102", "name": "A-by"}
    assert {row["municipality_code"] for row in content["rows"]} == {"102"}
    csv_response = client.get(file_url("programme-a", "2024", "values.csv", code="102"))
    assert csv_response["Content-Disposition"] == 'attachment; filename="programme-a-2024-102.csv"'


# -- what is never published -----------------------------------------------------------------


@pytest.mark.parametrize("name", opendata.FILE_NAMES)
def test_an_open_period_is_not_found_and_its_values_never_appear(client, published, name):
    assert client.get(file_url("programme-a", "2025", name)).status_code == 404
    assert client.get(file_url("programme-a", "2025", name, code="101")).status_code == 404
    approved = client.get(file_url("programme-a", "2024", name))
    assert approved.status_code == 200
    assert b"Open period" not in approved.content


def test_a_period_within_the_approved_one_or_no_period_is_not_a_file(client, published):
    for period in ("2024Q2", "2023", "2024H9", "nonsense"):
        assert client.get(file_url("programme-a", period, "values.csv")).status_code == 404


@pytest.mark.parametrize("status", [Programme.Status.DRAFT])
def test_a_draft_programme_has_no_files(client, published, status):
    Programme.objects.filter(pk=published.programme.pk).update(status=status)

    assert client.get(file_url("programme-a", "2024", "values.csv")).status_code == 404
    assert client.get(file_url("programme-a", "2024", "values.csv", code="101")).status_code == 404


def test_an_archived_programme_stays_published(client, published):
    Programme.objects.filter(pk=published.programme.pk).update(status=Programme.Status.ARCHIVED)

    assert client.get(file_url("programme-a", "2024", "values.csv")).status_code == 200


def test_an_unknown_or_uncovered_municipality_or_file_is_not_found(
    client, published, municipality_b1
):
    assert client.get(file_url("programme-a", "2024", "values.csv", code="999")).status_code == 404
    assert client.get(file_url("programme-a", "2024", "values.csv", code="201")).status_code == 404
    assert client.get(file_url("programme-a", "2024", "values.xlsx")).status_code == 404
    assert client.get(file_url("no-such-programme", "2024", "values.csv")).status_code == 404


def test_files_are_read_only(client, published):
    assert client.post(file_url("programme-a", "2024", "values.csv")).status_code == 405


# -- suppression -----------------------------------------------------------------------------


def test_small_counts_of_people_are_suppressed_in_csv_and_json(client, published):
    rows = csv_rows(client.get(file_url("programme-a", "2024", "values.csv")))
    plans = by_place(rows, "plans")
    assert plans["101"]["value"] == ""
    assert plans["101"]["suppressed"] == "true"
    assert plans["101"]["comment"] == ""  # "Three families" would give it away
    # With only A1 hidden, the region's 13 less A2's 10 would give it back: A2 is hidden too.
    assert plans["102"]["value"] == ""
    assert plans["102"]["suppressed"] == "true"
    assert float(plans[""]["value"]) == 13
    events = by_place(rows, "events")
    assert events["101"]["participants"] == ""
    assert float(events["101"]["value"]) == 2  # events are not people
    assert events["101"]["suppressed"] == "true"
    assert by_place(rows, published.meetings.key)["101"]["suppressed"] == "false"

    content = client.get(file_url("programme-a", "2024", "values.json")).content.decode()
    assert "Three families" not in content
    plans_json = by_place(json.loads(content)["rows"], "plans")
    assert plans_json["101"]["value"] is None
    assert plans_json["101"]["suppressed"] is True


def test_a_municipality_file_hides_the_complementary_cell_too(client, published):
    """A2's 10 alone is no small count, but beside the region's total it gives A1's 3."""
    for name in ("values.csv", "values.json", "datapackage.zip"):
        response = client.get(file_url("programme-a", "2024", name, code="102"))
        if name == "values.json":
            rows = json_rows(response)
            plans = by_place(rows, "plans")["102"]
            assert plans["value"] is None
        else:
            content = response.content
            if name == "datapackage.zip":
                content = zipfile.ZipFile(io.BytesIO(content)).read("values.csv")
            rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
            plans = by_place(rows, "plans")["102"]
            assert plans["value"] == ""
        assert plans["suppressed"] in (True, "true")


# -- the data package ------------------------------------------------------------------------


def test_the_datapackage_describes_the_csv_beside_it(client, published):
    package = client.get(file_url("programme-a", "2024", "datapackage.json")).json()
    header = next(csv.reader(io.StringIO(client.get(file_url(
        "programme-a", "2024", "values.csv"
    )).content.decode("utf-8-sig"))))  # fmt: skip

    assert package["name"] == "programme-a-2024"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    [resource] = package["resources"]
    assert resource["path"] == "values.csv"  # relative: resolves next to the CSV
    assert (resource["format"], resource["mediatype"], resource["encoding"]) == (
        "csv",
        "text/csv",
        "utf-8",
    )
    fields = resource["schema"]["fields"]
    assert [field["name"] for field in fields] == header
    assert all(field["type"] in TABLE_SCHEMA_TYPES for field in fields)
    assert all(field["title"] and field["description"] for field in fields)
    assert set(resource["schema"]["primaryKey"]) <= set(header)
    types = {field["name"]: field["type"] for field in fields}
    assert types["value"] == "number"
    assert types["participants"] == "integer"
    assert types["done_on"] == "date"
    kind = next(field for field in fields if field["name"] == "kind")
    assert "count" in kind["constraints"]["enum"]


def test_every_csv_cell_fits_its_field_type(client, published):
    package = client.get(file_url("programme-a", "2024", "datapackage.json")).json()
    types = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    rows = csv_rows(client.get(file_url("programme-a", "2024", "values.csv")))

    for row in rows:
        for name, text in row.items():
            if text == "":
                continue  # the missing value
            if types[name] == "number":
                float(text)
            elif types[name] == "integer":
                int(text)
            elif types[name] == "boolean":
                assert text in ("true", "false")
            elif types[name] == "date":
                datetime.date.fromisoformat(text)


def test_the_zip_holds_the_package_and_the_csv(client, published):
    response = client.get(file_url("programme-a", "2024", "datapackage.zip", code="101"))

    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="programme-a-2024-101.datapackage.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["datapackage.json", "values.csv"]
    package = json.loads(archive.read("datapackage.json"))
    assert package["name"] == "programme-a-2024-101"
    assert (
        archive.read("values.csv")
        == client.get(file_url("programme-a", "2024", "values.csv", code="101")).content
    )
    # The same data makes the same bytes, so that the ETag holds.
    again = client.get(file_url("programme-a", "2024", "datapackage.zip", code="101"))
    assert again.content == response.content


# -- caching ---------------------------------------------------------------------------------


def test_files_carry_etag_and_last_modified_and_answer_304(client, published):
    url = file_url("programme-a", "2024", "values.csv")
    first = client.get(url)
    round_ = Round.objects.get(programme=published.programme, period="2024")
    latest = max(
        [round_.approved_at]
        + [m.updated_at for m in Measurement.objects.filter(period__in=["2024", "2024Q2"])]
    )

    assert first["ETag"].startswith('"')
    assert first["Last-Modified"] == http_date(int(latest.timestamp()))
    assert "public" in first["Cache-Control"]
    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_a_change_gives_a_new_etag_and_date(client, published):
    url = file_url("programme-a", "2024", "values.json")
    first = client.get(url)
    later = timezone.now() + datetime.timedelta(minutes=5)
    Measurement.objects.filter(indicator=published.meetings, municipality__code="101").update(
        comment="Corrected", updated_at=later
    )

    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed["Last-Modified"] == http_date(int(later.timestamp()))
    assert "Corrected" in changed.content.decode()


# -- queries ---------------------------------------------------------------------------------


def more_data(programme, count: int) -> None:
    """`count` more municipalities, indicators and approved values in 2024."""
    action = programme.actions.get(key="joint-meetings")
    region = programme.region
    for n in range(count):
        municipality: Municipality = f.MunicipalityFactory(  # type: ignore[assignment]
            code=f"{300 + n}", region=region
        )
        programme.municipalities.add(municipality)
        indicator: Indicator = f.IndicatorFactory(action=action, key=f"more-{n}")  # type: ignore[assignment]
        for place in (municipality, None):
            Measurement.objects.create(
                indicator=indicator, municipality=place, period="2024", number=n
            )


@pytest.mark.parametrize("name", opendata.FILE_NAMES)
def test_files_take_the_same_queries_at_two_sizes(
    client, published, name, django_assert_num_queries
):
    url = file_url("programme-a", "2024", name, code="101")
    client.get(url)  # sessions, content types: whatever a first request warms up
    with django_assert_num_queries(6) as small:
        assert client.get(url).status_code == 200
    more_data(published.programme, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# -- the page --------------------------------------------------------------------------------


def test_the_data_page_lists_the_approved_periods_files(client, published):
    response = Client().get(reverse("public:data", args=["programme-a"]), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    assert response.status_code == 200
    assert file_url("programme-a", "2024", "values.csv") in page
    assert file_url("programme-a", "2024", "datapackage.zip", code="102") in page
    assert "/data/programme-a/2025/" not in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "/api/v1/public/programmes/programme-a/values?period=2024" in page
    assert "<code>participants</code>" in page


def test_the_data_page_links_the_api_scrolls_its_tables_and_explains_the_status(client, published):
    page = Client().get("/en/public/programme-a/data/").content.decode()

    values_api = "http://testserver/api/v1/public/programmes/programme-a/values?period=2024"
    assert f'<a href="{values_api}"><code>{values_api}</code></a>' in page
    assert '<a href="http://testserver/api/v1/public/programmes"' in page
    # On a phone the downloads scroll within their own named region, not the page.
    assert (
        '<div class="fu-scroll" tabindex="0" role="region" aria-labelledby="downloads-1">\n'
        '      <table class="list">\n        <caption id="downloads-1">'
    ) in page
    # The status in words: the public cannot open the repository's documents.
    assert "docs/" not in page
    assert "met, exceeded, partly met, not met, no data" in page


def test_the_data_page_of_a_draft_is_not_found(client, published):
    Programme.objects.filter(pk=published.programme.pk).update(status=Programme.Status.DRAFT)

    assert client.get(reverse("public:data", args=["programme-a"])).status_code == 404


def test_the_data_page_takes_the_same_queries_at_two_sizes(
    client, published, django_assert_num_queries
):
    url = reverse("public:data", args=["programme-a"])
    client.get(url)
    with django_assert_num_queries(3) as small:
        assert client.get(url).status_code == 200
    more_data(published.programme, 6)
    approve(published.programme, "2023")
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
