"""One indicator over the years: the chart at its own address, the data table, the comparison."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from hemma.followup.tests.test_dashboard import grow, record, table_rows, text_of

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def page_url(indicator, language="en"):
    slug = indicator.action.programme.slug
    return f"/{language}/programmes/{slug}/indicators/{indicator.action.key}/{indicator.key}/"


def chart_url(indicator, language="en"):
    return page_url(indicator, language) + "chart.svg"


@pytest.fixture
def history(band_indicator, municipality_a1, municipality_a2):
    """Meetings per year: A-stad 1, 3, 5; A-by 2 in 2024 only; the region 4 in 2025."""
    for period, number in (("2023", 1), ("2024", 3), ("2025", 5)):
        record(band_indicator, municipality_a1, period, number=Decimal(number))
    record(band_indicator, municipality_a2, "2024", number=Decimal(2))
    record(band_indicator, None, "2025", number=Decimal(4))
    return band_indicator


def test_the_data_table_holds_every_value_and_status(client_for, viewer, history):
    response = client_for(viewer).get(page_url(history))

    assert response.status_code == 200
    rows = table_rows(response.content.decode(), "fu-history")
    assert rows == [
        ["Municipality", "2023", "2024", "2025"],
        ["A-stad", "1✗ Not met", "3✓ Met", "5▲ Exceeded"],
        ["A-by", "– No data", "2✓ Met", "– No data"],
        ["Region as a whole", "– No data", "– No data", "4✓ Met"],
    ]


def test_the_chart_is_an_image_with_a_text_alternative(client_for, viewer, history):
    html = client_for(viewer).get(page_url(history)).content.decode()

    src = chart_url(history)
    assert f'<img src="{src}" alt="Gemensamma möten from 2023 to 2025 for A-stad, A-by' in html
    assert "Target: 2–4 per year." in html


def test_the_comparison_sorts_the_latest_period_highest_first(client_for, viewer, history):
    html = client_for(viewer).get(page_url(history)).content.decode()

    assert "The municipalities compared in 2025" in html
    rows = table_rows(html, "fu-comparison")
    assert rows[1:] == [
        ["1", "A-stad", "5", "▲ Exceeded"],
        ["–", "A-by", "–", "– No data"],
    ]


def test_the_chart_is_valid_svg_with_the_band_and_a_line_per_place(client_for, viewer, history):
    response = client_for(viewer).get(chart_url(history))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "private" in response["Cache-Control"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Gemensamma möten"
    assert root.find(f".//{SVG}g[@id='band']") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("A-stad", "A-by", "Region as a whole", "Target: 2–4 per year"):
        assert label in texts


def test_the_chart_may_style_itself_and_nothing_else(client_for, viewer, history):
    policy = client_for(viewer).get(chart_url(history))["Content-Security-Policy"]

    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "script-src 'none'" in policy


def test_an_unchanged_chart_is_not_sent_again(client_for, viewer, history):
    client = client_for(viewer)
    etag = client.get(chart_url(history))["ETag"]

    again = client.get(chart_url(history), headers={"If-None-Match": etag})

    assert again.status_code == 304


def test_a_milestone_is_drawn_as_done_and_not_done_marks(
    client_for, viewer, indicator_of, municipality_a1
):
    milestone = indicator_of("milestone", target_type="every_n_years", target_years=1)
    record(milestone, municipality_a1, "2023", done=True)
    record(milestone, municipality_a1, "2024", done=False)
    client = client_for(viewer)

    chart = client.get(chart_url(milestone)).content.decode()
    rows = table_rows(client.get(page_url(milestone)).content.decode(), "fu-history")

    assert ">Done<" in chart and ">Not done<" in chart
    # Nothing recorded in 2025 is still overdue: the last time it was done was 2023
    assert rows[1] == ["A-stad", "done✓ Met", "not done✗ Not met", "✗ Not met"]
    # Never done in A-by: an every-year milestone is due within the programme's first year
    assert rows[2][1:] == ["✗ Not met"] * 3


def test_an_unknown_indicator_is_not_found(client_for, viewer, programme_a):
    url = "/en/programmes/programme-a/indicators/joint-meetings/nothing/"

    assert client_for(viewer).get(url).status_code == 404
    assert client_for(viewer).get(url + "chart.svg").status_code == 404


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator_region", "coordinator_a", "viewer"])
def test_everyone_who_reads_the_programme_sees_the_page_and_chart(
    request, client_for, who, band_indicator
):
    client = client_for(request.getfixturevalue(who))

    assert client.get(page_url(band_indicator)).status_code == 200
    assert client.get(chart_url(band_indicator)).status_code == 200


def test_another_regions_indicator_is_not_found(client_for, coordinator_b, band_indicator):
    client = client_for(coordinator_b)

    assert client.get(page_url(band_indicator)).status_code == 404
    assert client.get(chart_url(band_indicator)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, band_indicator):
    for url in (page_url(band_indicator), chart_url(band_indicator)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_page_and_chart_read_in_a_fixed_number_of_queries(
    client_for, viewer, band_indicator, django_assert_max_num_queries, size
):
    grow(band_indicator.action.programme, municipalities=size, years=size + 1, indicators=size)
    client = client_for(viewer)
    client.get(page_url(band_indicator))

    with django_assert_max_num_queries(7):
        assert client.get(page_url(band_indicator)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(chart_url(band_indicator)).status_code == 200


# -- the period compared, and the region apart ------------------------------------------------


def test_the_page_compares_the_period_it_is_asked_for(client_for, viewer, history):
    # When the page is opened for 2024 (as the dashboard of 2024 links to it)
    html = client_for(viewer).get(page_url(history) + "?period=2024").content.decode()
    # Then it leads back to the follow-up of 2024 and compares the municipalities in 2024
    programme = history.action.programme
    assert f'href="/en/programmes/{programme.slug}/follow-up/2024/">Follow-up 2024</a>' in html
    assert "The municipalities compared in 2024" in html
    assert "2025" not in text_of(html.split('id="fu-comparison-heading"')[1])
    assert table_rows(html, "fu-comparison")[1:] == [
        ["1", "A-stad", "3", "✓ Met"],
        ["2", "A-by", "2", "✓ Met"],
    ]
    # And the period picker has 2024 chosen
    assert '<option value="2024" selected>' in html


@pytest.mark.parametrize("asked", ["", "?period=nonsense", "?period=2024Q1", "?period=1999"])
def test_without_a_period_of_its_own_the_page_compares_the_latest_with_values(
    client_for, viewer, history, asked
):
    html = client_for(viewer).get(page_url(history) + asked).content.decode()

    assert "The municipalities compared in 2025" in html
    assert ">Follow-up 2025</a>" in html


def test_the_region_as_a_whole_is_not_ranked_among_the_municipalities(client_for, viewer, history):
    # Given the region has 4 meetings in 2025, more than A-by and fewer than A-stad
    html = client_for(viewer).get(page_url(history)).content.decode()
    # Then only the municipalities are ranked
    rows = table_rows(html, "fu-comparison")
    assert [row[1] for row in rows[1:]] == ["A-stad", "A-by"]
    assert rows[1][0] == "1"
    # And the region's value is shown apart
    comparison = text_of(html.split('id="fu-comparison-heading"')[1])
    assert "Region as a whole: 4 ✓ Met (not ranked with the municipalities)" in comparison


def test_the_data_table_scrolls_in_a_region_the_keyboard_reaches(client_for, viewer, history):
    html = client_for(viewer).get(page_url(history)).content.decode()

    # The table sits in a focusable region named by its caption, so a keyboard user can
    # scroll it and a screen reader says what it is
    region = html.split('<table class="fu-history">')[0].rsplit("<div", 1)[1]
    assert 'tabindex="0"' in region
    assert 'role="region"' in region
    assert 'aria-labelledby="fu-history-caption"' in region
    assert '<caption id="fu-history-caption">' in html


def test_the_dashboard_links_to_the_indicator_page_with_its_period(client_for, viewer, history):
    programme = history.action.programme
    html = client_for(viewer).get(f"/en/programmes/{programme.slug}/follow-up/2024/")

    assert f'href="{page_url(history)}?period=2024"' in html.content.decode()


def test_a_joint_indicator_shows_the_region_only(client_for, viewer, history):
    # Given the meetings are followed up for the region as a whole
    history.scope = history.Scope.REGION
    history.save(update_fields=["scope"])

    html = client_for(viewer).get(page_url(history)).content.decode()

    # Then no municipality stands in its table with "No data" it never had to give
    assert table_rows(html, "fu-history") == [
        ["Municipality", "2023", "2024", "2025"],
        ["Region as a whole", "– No data", "– No data", "4✓ Met"],
    ]


def test_the_region_stands_beside_the_municipalities_only_with_a_value_of_its_own(
    client_for, viewer, band_indicator, municipality_a1
):
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))

    html = client_for(viewer).get(page_url(band_indicator)).content.decode()

    places = [row[0] for row in table_rows(html, "fu-history")[1:]]
    assert places == ["A-stad", "A-by"]


def test_equal_figures_share_their_place(
    client_for, viewer, band_indicator, municipality_a1, municipality_a2
):
    record(band_indicator, municipality_a1, "2024", number=Decimal(2))
    record(band_indicator, municipality_a2, "2024", number=Decimal(2))

    html = client_for(viewer).get(page_url(band_indicator) + "?period=2024").content.decode()

    ranks = [row[0] for row in table_rows(html, "fu-comparison")[1:]]
    assert ranks == ["1", "1"]


def test_a_joint_indicator_compares_no_municipalities(client_for, viewer, history):
    history.scope = history.Scope.REGION
    history.save(update_fields=["scope"])

    html = client_for(viewer).get(page_url(history)).content.decode()

    assert "followed up for the region as a whole: there is nothing to compare" in html
    assert 'class="fu-comparison"' not in html
