"""The national open-data file of a year (/data/all/<year>/values.csv): every published
programme's approved values, streamed, with the per-programme files' columns and suppression."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from hemma.followup.models import Measurement, Round
from hemma.programmes.models import Programme
from hemma.public import opendata
from hemma.public.tests.test_open_data import DEADLINE, approve, file_url, follow_up, value
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def national_url(year: int) -> str:
    return reverse("opendata:national_file", args=[year])


def rows_of(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte order mark, for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.fixture
def country(programme_a, municipality_a1, municipality_a2, programme_b, municipality_b1):
    """Programme A as the per-programme tests have it (2024 approved, 2025 open); programme B
    with 2024 approved; a draft programme whose approved round is not public."""
    follow_up(programme_a, municipality_a1, municipality_a2)
    b_indicator = f.IndicatorFactory(action=programme_b.actions.get(), key="b-count")
    value(b_indicator, municipality_b1, "2024", number=12, status="met")
    value(b_indicator, municipality_b1, "2023", number=11, status="met")  # another year
    approve(programme_b, "2024")
    approve(programme_b, "2023")
    draft = f.ProgrammeFactory(slug="draft", status=Programme.Status.DRAFT)
    draft_indicator = f.IndicatorFactory(action__goal__theme__programme=draft, key="draft-count")
    value(draft_indicator, None, "2024", number=99)
    Round.objects.create(
        programme=draft, period="2024", deadline=DEADLINE, state=Round.State.APPROVED
    )


def test_the_national_file_streams_the_approved_values_of_every_published_programme(
    client, country
):
    response = client.get(national_url(2024))

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.cookies and not response.has_header("Set-Cookie")
    rows = rows_of(b"".join(response.streaming_content))
    assert {row["programme"] for row in rows} == {"programme-a", "programme-b"}
    assert {row["period"] for row in rows} == {"2024", "2024Q2"}
    assert "Open period" not in {row["comment"] for row in rows}
    # Each programme's rows are its own file's: the same columns, order and suppression.
    for slug in ("programme-a", "programme-b"):
        own = rows_of(client.get(file_url(slug, "2024", "values.csv")).content)
        assert [row for row in rows if row["programme"] == slug] == own


def test_small_counts_of_people_are_suppressed_in_the_national_file(client, country):
    rows = rows_of(b"".join(client.get(national_url(2024)).streaming_content))

    plans = {r["municipality_code"]: r for r in rows if r["indicator_key"] == "plans"}
    # 3 is under the threshold; A2's 10 goes with it, or the region's 13 would give it back.
    assert plans["101"]["value"] == "" and plans["101"]["suppressed"] == "true"
    assert plans["101"]["comment"] == ""
    assert plans["102"]["value"] == "" and plans["102"]["suppressed"] == "true"
    assert plans[""]["value"] == "13"
    events = {r["municipality_code"]: r for r in rows if r["indicator_key"] == "events"}
    assert events["101"]["participants"] == "" and events["102"]["participants"] == "40"


def test_a_year_without_an_approved_period_is_not_found(client, country):
    assert client.get(national_url(2025)).status_code == 404  # open in A, nothing in B
    assert client.get(national_url(2022)).status_code == 404


def test_the_file_comes_in_chunks_of_rows_and_one_programme_at_a_time(
    country, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(opendata, "_ROWS_PER_CHUNK", 2)
    plan = opendata.national_year(2024)
    with django_assert_max_num_queries(2 * len(plan)):
        chunks = list(opendata.national_values_csv(plan))

    rows = rows_of(b"".join(chunks))
    values = Measurement.objects.filter(period__in=["2024", "2024Q2"]).exclude(
        indicator__key="draft-count"
    )
    assert len(rows) == values.count()
    assert len(chunks) == 1 + (len(rows) + 1) // 2  # the header, then two rows a chunk
