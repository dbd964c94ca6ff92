"""The programme table's status column: a period and a place chosen, each action's status."""

from decimal import Decimal

import pytest

from hemma.followup.models import Assessment, Status
from hemma.followup.tests.test_dashboard import grow, record, table_rows
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def page(client, programme, query=""):
    return client.get(f"/en/programmes/{programme.slug}/{query}")


@pytest.fixture
def two_indicators(band_indicator):
    """The joint meetings get a second indicator: a count of at least 2 per year."""
    f.IndicatorFactory(
        action=band_indicator.action,
        key="places",
        kind=Indicator.Kind.COUNT,
        target_min=2,
        target_max=None,
    )
    return band_indicator.action.indicators.all()


def test_without_a_period_the_table_has_no_status_column(client_for, viewer, programme_a):
    html = page(client_for(viewer), programme_a).content.decode()

    rows = table_rows(html, "programme-table")
    assert rows[0] == ["Goal", "Action", "Responsible", "Partners", "Follow-up"]
    # The form to choose one is there, with labelled selects
    assert '<label for="status-period">Period</label>' in html
    assert '<label for="status-place">Municipality</label>' in html
    assert '<option value="">None (no column)</option>' in html


def test_the_column_shows_each_actions_rolled_up_status_and_met_of_judged(
    client_for, viewer, two_indicators, municipality_a1
):
    # Given A-stad met the meetings (3) and not the places (1) in 2024
    meetings, places = two_indicators
    record(meetings, municipality_a1, "2024", number=Decimal(3))
    record(places, municipality_a1, "2024", number=Decimal(1))
    programme = meetings.action.programme
    # When the table is shown with the status of 2024 in A-stad
    html = page(client_for(viewer), programme, "?period=2024&place=101").content.decode()
    # Then the action is partly met, one of its two indicators met
    rows = table_rows(html, "programme-table")
    assert rows[0][-1] == "Status 2024, A-stad"
    assert rows[1][-1] == "◐ Partly met 1 of 2 met"
    # And A-by, with nothing recorded, has no data
    html = page(client_for(viewer), programme, "?period=2024&place=102").content.decode()
    assert table_rows(html, "programme-table")[1][-1] == "– No data"
    # And the rule is there in words
    assert "No data and not due are left out" in html


def test_a_manual_assessment_shows_beside_the_computed_status(
    client_for, coordinator_region, band_indicator, municipality_a1
):
    record(band_indicator, municipality_a1, "2024", number=Decimal(1))
    Assessment.objects.create(
        action=band_indicator.action,
        municipality=municipality_a1,
        period="2024",
        status=Status.PARTLY_MET,
        justification="Two meetings were planned but one was cancelled by the county.",
    )
    programme = band_indicator.action.programme

    html = page(client_for(coordinator_region), programme, "?period=2024&place=101")
    cell = table_rows(html.content.decode(), "programme-table")[1][-1]

    assert cell == (
        "✗ Not met 0 of 1 met Manual assessment: ◐ Partly met "
        "Two meetings were planned but one was cancelled by the county."
    )


def test_the_region_as_a_whole_is_a_place_too(client_for, viewer, band_indicator):
    record(band_indicator, None, "2024", number=Decimal(2))

    html = page(client_for(viewer), band_indicator.action.programme, "?period=2024&place=region")

    assert table_rows(html.content.decode(), "programme-table")[1][-1] == "✓ Met 1 of 1 met"


def test_the_place_defaults_to_the_users_own_municipality(
    client_for, coordinator_a, band_indicator, municipality_a2
):
    html = page(client_for(coordinator_a), band_indicator.action.programme, "?period=2024")

    assert table_rows(html.content.decode(), "programme-table")[0][-1] == "Status 2024, A-stad"


def test_the_programme_links_to_its_follow_up(client_for, viewer, programme_a):
    html = page(client_for(viewer), programme_a).content.decode()

    assert 'href="/en/programmes/programme-a/follow-up/">Status</a>' in html
    assert 'href="/en/programmes/programme-a/values/">Values</a>' in html
    assert 'href="/en/programmes/programme-a/rounds/">Reporting rounds</a>' in html
    # A viewer records nothing, so is not offered the upload.
    assert "/values/upload/" not in html


def test_a_coordinator_is_offered_the_upload_of_values(client_for, coordinator_a, programme_a):
    html = page(client_for(coordinator_a), programme_a).content.decode()

    assert 'href="/en/programmes/programme-a/values/upload/">Upload values</a>' in html


def test_a_row_edited_in_place_keeps_working_without_the_column(
    client_for, coordinator_region, programme_a
):
    # The htmx row (after Cancel or Save) is rendered without any period chosen
    response = client_for(coordinator_region).get(
        "/en/programmes/programme-a/actions/joint-meetings/row/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "status-cell" not in response.content.decode()


# -- access: the column is part of the programme page ---------------------------------------


@pytest.mark.parametrize("who", ["coordinator_region", "coordinator_a", "viewer"])
def test_everyone_who_reads_the_programme_sees_the_column(request, client_for, who, programme_a):
    response = page(client_for(request.getfixturevalue(who)), programme_a, "?period=2024")

    assert response.status_code == 200
    assert 'class="status-cell"' in response.content.decode()


def test_another_regions_programme_is_not_found(client_for, coordinator_b, programme_a):
    assert page(client_for(coordinator_b), programme_a, "?period=2024").status_code == 404


def test_anonymous_is_sent_to_log_in(client, programme_a):
    response = page(client, programme_a, "?period=2024")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_the_table_with_the_column_reads_in_a_fixed_number_of_queries(
    client_for, coordinator_region, programme_a, django_assert_max_num_queries, size
):
    grow(programme_a, municipalities=size, years=size + 1, indicators=2 * size)
    Assessment.objects.create(
        action=programme_a.actions.first(),
        municipality=None,
        period="2024",
        status=Status.MET,
        justification="Met in practice.",
    )
    client = client_for(coordinator_region)
    page(client, programme_a)

    with django_assert_max_num_queries(16):
        response = page(client, programme_a, "?period=2024&place=region")

    assert response.status_code == 200
    assert "Met in practice." in response.content.decode()
