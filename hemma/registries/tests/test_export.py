"""Export of the filtered activity list: numbers as numbers, never a formula."""

import csv
import datetime
import io

import openpyxl
import pytest

from hemma.programmes.models import Indicator
from hemma.registries.models import Activity
from hemma.registries.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(region_a, municipality_a1, region_b):
    ActivityFactory(
        region=region_a,
        title='=HYPERLINK("http://evil")',
        kind=Activity.Kind.EVENT,
        municipalities=[municipality_a1],
        participants=25,
        participants_by_age={"0-17": 5},
        starts_on=datetime.date(2024, 4, 1),
    )
    ActivityFactory(region=region_a, title="Course", kind=Activity.Kind.COURSE)
    ActivityFactory(region=region_b, title="Elsewhere")


def test_the_xlsx_holds_the_filtered_list_with_numbers_and_no_formula(
    client_for, coordinator_region, activities
):
    response = client_for(coordinator_region).get("/en/activities/export.xlsx", {"kind": "event"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Title"
    assert len(rows) == 2  # the heading and the one event; not the course, not region B's
    cell = sheet["A2"]
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
    headings = rows[0]
    assert rows[1][headings.index("Participants")] == 25
    assert rows[1][headings.index("Aged 0–17")] == 5
    assert rows[1][headings.index("Date")] == datetime.datetime(2024, 4, 1)


def test_the_csv_escapes_what_a_spreadsheet_would_take_for_a_formula(
    client_for, coordinator_region, activities
):
    response = client_for(coordinator_region).get("/en/activities/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    titles = [row[0] for row in rows[1:]]
    assert sorted(titles) == sorted(['\'=HYPERLINK("http://evil")', "Course"])
    event = next(row for row in rows if row[0].startswith("'="))
    assert event[rows[0].index("Participants")] == "25"


def test_export_is_for_signed_in_users_and_known_formats_only(client, client_for, viewer):
    assert client.get("/en/activities/export.csv").status_code == 302
    assert client_for(viewer).get("/en/activities/export.pdf").status_code == 404


def test_the_indicator_form_makes_an_indicator_counted_from_the_registries(
    client_for, coordinator_region, programme_a
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    url = f"/en/programmes/programme-a/actions/joint-meetings/indicators/{indicator.key}/edit/"
    page = client_for(coordinator_region).get(url)
    assert "Counted from the registries" in page.text
    data = {
        "name_sv": "Gemensamma möten",
        "kind": "count",
        "period": "year",
        "scope": "region",
        "source": "registry",
        "query": "activities",
        "query_kinds": ["joint_meeting"],
    }
    response = client_for(coordinator_region).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    indicator.refresh_from_db()
    assert (indicator.source, indicator.query, indicator.query_kinds) == (
        "registry",
        "activities",
        ["joint_meeting"],
    )
