"""The dashboard of a programme and period: the status matrix, the changes, what is missing."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hemma.followup.models import Assignment, Measurement, Round, Status
from hemma.followup.status import Recorded, indicator_status
from hemma.lib import periods
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


# -- helpers shared by the follow-up's page tests --------------------------------------------


class _Tables(HTMLParser):
    """The rows of the tables with a class, as lists of cell texts (whitespace collapsed)."""

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class, self.depth = css_class, 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and (self.depth or self.css_class in classes):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, css_class: str) -> list[list[str]]:
    parser = _Tables(css_class)
    parser.feed(html)
    return parser.rows


def text_of(html: str) -> str:
    """The page's text without its tags, whitespace collapsed."""
    import re

    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def record(indicator, municipality, period: str, *, source="web", **values) -> Measurement:
    """A stored value with the status the recording service would give it (no history)."""
    programme = indicator.action.programme
    status = indicator_status(
        indicator,
        period=periods.parse(period),
        current=Recorded(**values),
        first_year=programme.period_start,
    )
    return Measurement.objects.create(
        indicator=indicator,
        municipality=municipality,
        period=period,
        status=status,
        source=source,
        **values,
    )


def grow(programme, *, municipalities: int, years: int, indicators: int) -> None:
    """More of everything: municipalities, themes with actions and indicators, yearly values.

    Values are made with bulk_create and a status set directly (they are test data).
    """
    made = [
        f.MunicipalityFactory(region=programme.region, code=f"{300 + n:03d}")
        for n in range(municipalities)
    ]
    programme.municipalities.add(*made)
    places = [*programme.municipalities.all(), None]
    new = []
    for n in range(indicators):
        new.append(
            f.IndicatorFactory(
                action__goal__theme__programme=programme,
                action__goal__theme__key=f"theme-grown-{n}",
                kind=Indicator.Kind.COUNT if n % 2 else Indicator.Kind.MILESTONE,
                target_type=Indicator.TargetType.BAND
                if n % 2
                else Indicator.TargetType.EVERY_N_YEARS,
                target_min=2 if n % 2 else None,
                target_max=None,
                target_years=None if n % 2 else 4,
            )
        )
    values = []
    for indicator in Indicator.objects.filter(action__programme=programme):
        for place in places:
            for year in range(2023, 2023 + years):
                fields: dict[str, Any]
                if indicator.kind == Indicator.Kind.MILESTONE:
                    fields = {"done": year % 2 == 0}
                else:
                    fields = {"number": Decimal(year % 5)}
                values.append(
                    Measurement(
                        indicator=indicator,
                        municipality=place,
                        period=str(year),
                        status=Status.MET if year % 3 else Status.NOT_MET,
                        source=Measurement.Source.DEMO,
                        **fields,
                    )
                )
    Measurement.objects.bulk_create(values)
    Round.objects.create(
        programme=programme, period="2024", deadline=datetime.date(2025, 3, 31)
    ).assignments.create(name="Kommunen", municipality=places[0]).actions.set(
        programme.actions.all()
    )


# -- the page --------------------------------------------------------------------------------


def url(programme, period="2024", language="en"):
    return f"/{language}/programmes/{programme.slug}/follow-up/{period}/"


@pytest.fixture
def second_indicator(programme_a):
    """A second action in the same goal, with a count of at least 2 per year."""
    action = f.ActionFactory(
        key="meeting-places",
        goal=programme_a.actions.get(key="joint-meetings").goal,
        title={"sv": "Mötesplatser", "en": "Meeting places"},
        position=1,
    )
    return f.IndicatorFactory(
        action=action,
        key="places",
        name={"sv": "Antal mötesplatser", "en": "Meeting places"},
        kind=Indicator.Kind.COUNT,
        target_min=2,
        target_max=None,
    )


def test_the_matrix_rolls_up_each_theme_and_goal_per_municipality(
    client_for, viewer, band_indicator, second_indicator, municipality_a1, municipality_a2
):
    # Given in 2024: A-stad met the meetings (3) and not the places (1); A-by exceeded the
    # meetings (5) and has no value for the places; the region has no value at all
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))
    record(second_indicator, municipality_a1, "2024", number=Decimal(1))
    record(band_indicator, municipality_a2, "2024", number=Decimal(5))
    # When the viewer opens the dashboard of 2024
    response = client_for(viewer).get(url(band_indicator.action.programme))
    # Then the theme and its goal are partly met in A-stad (1 of 2 actions met), met in A-by
    # (the action without a value is left out), and not followed up for the region (its
    # indicators are each municipality's, and the region recorded no total of its own)
    assert response.status_code == 200
    rows = table_rows(response.content.decode(), "fu-matrix")
    assert rows[0] == ["Theme and goal", "A-stad", "A-by", "Region as a whole"]
    theme, goal, total = ([c.split(" (values of")[0] for c in row] for row in rows[1:4])
    assert theme[1:] == ["◐ Partly met 1 of 2 met", "✓ Met 1 of 1 met", "— not followed up here"]
    assert goal[0].startswith("Goal:") and goal[1:] == theme[1:]
    assert total[0] == "Whole programme" and total[1:] == theme[1:]
    # And the rule is said in words
    assert "No data and not due are left out" in response.content.decode()


def test_a_milestone_never_done_is_not_due_in_the_first_years(
    client_for, coordinator_region, indicator_of, municipality_a1
):
    # Given a milestone every 4 years, never done, in a programme from 2023
    indicator_of("milestone", target_type="every_n_years", target_years=4)
    # When the dashboard of 2024 is opened (nothing recorded anywhere)
    html = client_for(coordinator_region).get(url(municipality_a1.programmes.get())).content
    # Then the milestone is not due, and so nothing is judged: the meetings have no data
    rows = table_rows(html.decode(), "fu-matrix")
    assert [c.split(" (values of")[0] for c in rows[1][1:]] == [
        "– No data",
        "– No data",
        "— not followed up here",  # the region has no value of a municipality's indicator
    ]
    missing = text_of(html.decode().split('id="fu-missing-heading"')[1])
    assert "A-stad: 2 values missing" in missing
    assert "Gemensamma möten (○ Not due)" in missing


def test_the_cells_link_to_the_grid_of_their_place(client_for, viewer, programme_a):
    grid = reverse(
        "followup:grid", kwargs={"slug": programme_a.slug, "period": "2024", "place": "101"}
    )
    region = reverse(
        "followup:grid", kwargs={"slug": programme_a.slug, "period": "2024", "place": "region"}
    )
    html = client_for(viewer).get(url(programme_a)).content.decode()
    assert f'href="{grid}"' in html and f'href="{region}"' in html


def test_what_changed_since_the_period_before(
    client_for, viewer, band_indicator, municipality_a1, municipality_a2
):
    # Given A-stad went from 1 meeting (not met) to 3 (met); A-by reported for the first time;
    # the region is the same (no data) both years
    record(band_indicator, municipality_a1, "2023", number=Decimal(1))
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))
    record(band_indicator, municipality_a2, "2024", number=Decimal(2))
    # When the dashboard of 2024 is opened
    html = client_for(viewer).get(url(band_indicator.action.programme)).content.decode()
    # Then both changes show old → new, and the unchanged region is not listed
    rows = table_rows(html, "fu-changes")
    assert rows[0] == ["Indicator", "Municipality", "Before (2023)", "Now (2024)"]
    assert rows[1:] == [
        ["Gemensamma möten", "A-stad", "1 ✗ Not met", "changed to 3 ✓ Met"],
        ["Gemensamma möten new value", "A-by", "– No data", "changed to 2 ✓ Met"],
    ]


def test_what_is_missing_in_a_round_per_reporter(
    client_for, viewer, band_indicator, second_indicator, municipality_a1, municipality_a2
):
    # Given a round for 2024 due in 10 days: A-stad's unit reports both actions and entered
    # one value; A-by's reports the meetings, entered nothing, but is marked ready
    programme = band_indicator.action.programme
    round_ = Round.objects.create(
        programme=programme,
        period="2024",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    a1 = Assignment.objects.create(round=round_, municipality=municipality_a1, name="A-stad unit")
    a1.actions.set([band_indicator.action, second_indicator.action])
    a2 = Assignment.objects.create(
        round=round_, municipality=municipality_a2, name="A-by unit", ready_at=timezone.now()
    )
    a2.actions.set([band_indicator.action])
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))
    # When the dashboard of 2024 is opened
    html = client_for(viewer).get(url(programme)).content.decode()
    # Then the deadline and the days left show, and each reporter's missing values
    assert "10 days left" in html
    rows = table_rows(html, "fu-assignments")
    actions = "Åtgärd joint-meetingsMeeting places"
    assert rows[1] == ["A-stad unit", "A-stad", actions, "1 of 2", "Not yet"]
    assert rows[2] == ["A-by unit", "A-by", "Åtgärd joint-meetings", "1 of 1", "✓ Ready"]


def test_without_a_round_the_missing_values_are_listed_per_municipality(
    client_for, viewer, band_indicator, municipality_a1
):
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))

    html = client_for(viewer).get(url(band_indicator.action.programme)).content.decode()

    assert "No reporting round is open for 2024" in html
    assert "A-stad: nothing missing" in html
    assert "A-by: 1 value missing" in html
    # A municipality's indicator is no one's duty for the region as a whole.
    assert "Region as a whole: nothing missing" in html


def test_demo_values_are_said_to_be_demo_data(client_for, viewer, band_indicator, municipality_a1):
    client = client_for(viewer)
    programme = band_indicator.action.programme
    assert "demo data" not in client.get(url(programme)).content.decode()

    record(band_indicator, municipality_a1, "2024", number=Decimal(3), source="demo")

    assert "demo data" in client.get(url(programme)).content.decode()


def test_the_start_goes_to_the_latest_period_with_values(
    client_for, viewer, band_indicator, municipality_a1
):
    record(band_indicator, municipality_a1, "2023", number=Decimal(3))
    record(band_indicator, municipality_a1, "2024", number=Decimal(3))
    client = client_for(viewer)

    response = client.get("/en/programmes/programme-a/follow-up/")
    picked = client.get("/en/programmes/programme-a/follow-up/?period=2023")

    assert response.status_code == 302
    assert response["Location"] == "/en/programmes/programme-a/follow-up/2024/"
    assert picked["Location"] == "/en/programmes/programme-a/follow-up/2023/"


def test_the_period_picker_offers_the_programme_years(client_for, viewer, programme_a):
    html = client_for(viewer).get(url(programme_a)).content.decode()

    assert '<label for="fu-period">Period</label>' in html
    for year in ("2023", "2024", "2025"):
        assert f'<option value="{year}"' in html
    assert '<option value="2024" selected>' in html


def test_a_period_that_is_no_period_is_not_found(client_for, viewer, programme_a):
    assert client_for(viewer).get(url(programme_a, "twenty")).status_code == 404


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator_region", "coordinator_a", "viewer"])
def test_everyone_who_reads_the_programme_sees_its_dashboard(request, client_for, who, programme_a):
    client = client_for(request.getfixturevalue(who))

    assert client.get(url(programme_a)).status_code == 200
    assert client.get(f"/en/programmes/{programme_a.slug}/follow-up/").status_code == 302


def test_another_regions_programme_is_not_found(client_for, coordinator_b, programme_a):
    client = client_for(coordinator_b)

    assert client.get(url(programme_a)).status_code == 404
    assert client.get(f"/en/programmes/{programme_a.slug}/follow-up/").status_code == 404


def test_anonymous_is_sent_to_log_in(client, programme_a):
    response = client.get(url(programme_a))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_is_private(client_for, viewer, programme_a):
    response = client_for(viewer).get(url(programme_a))

    assert "private" in response["Cache-Control"]


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_the_dashboard_reads_in_a_fixed_number_of_queries(
    client_for, coordinator_region, programme_a, django_assert_max_num_queries, size
):
    # Given more municipalities, years, indicators and a round with a reporter
    grow(programme_a, municipalities=size, years=size + 1, indicators=2 * size)
    client = client_for(coordinator_region)
    client.get(url(programme_a))  # the session and the user's roles, read once
    # Then the page reads the same number of queries at both sizes (18: one is the manual
    # assessments')
    with django_assert_max_num_queries(18):
        response = client.get(url(programme_a))
    assert response.status_code == 200
    assert "demo data" in response.content.decode()


# -- manual assessments ----------------------------------------------------------------------


def test_manual_assessments_are_shown_beside_the_computed_status(
    client_for, viewer, coordinator_region, band_indicator, municipality_a1
):
    # Given A-stad met the meetings in 2024 (3), and the coordinator judged it not met
    from hemma.followup.services import assessment_record

    record(band_indicator, municipality_a1, "2024", number=Decimal(3))
    assessment_record(
        actor=coordinator_region,
        action=band_indicator.action,
        municipality=municipality_a1,
        period="2024",
        status="not_met",
        justification="Two of the meetings had no one from the parish",
    )
    # When the viewer opens the dashboard of 2024
    html = client_for(viewer).get(url(band_indicator.action.programme)).content.decode()
    # Then the matrix keeps the computed status and marks the cell with the assessment
    rows = table_rows(html, "fu-matrix")
    a_stad = [row[1].split(" (values of")[0] for row in rows[1:4]]
    assert a_stad == ["✓ Met 1 of 1 met 1 manual assessment"] * 3
    assert rows[1][2].split(" (values of")[0] == "– No data"
    # And the assessment is listed beside the computed status, with who and why
    assert "Manual assessments for 2024" in html
    listed = table_rows(html, "fu-assessments")
    assert listed[0] == [
        "Action",
        "Municipality",
        "Computed",
        "Manual assessment",
        "Justification",
        "Assessed by",
    ]
    action, place, computed, assessed, why, who = listed[1]
    assert (place, computed, assessed) == ("A-stad", "✓ Met 1 of 1 met", "✗ Not met")
    assert action == band_indicator.action.title["sv"]
    assert 'href="/en/programmes/programme-a/values/2024/101/#summary-joint-meetings"' in html
    assert why == "Two of the meetings had no one from the parish"
    assert who.startswith("coordinator_region, ")
    assert len(listed) == 2


def test_without_manual_assessments_the_dashboard_says_so(client_for, viewer, programme_a):
    html = client_for(viewer).get(url(programme_a)).content.decode()

    assert "No action has a manual assessment for 2024." in html
    assert "manual assessment</span>" not in html


@pytest.mark.parametrize("size", [1, 4])
def test_the_dashboard_with_manual_assessments_reads_in_a_fixed_number_of_queries(
    client_for, coordinator_region, programme_a, django_assert_max_num_queries, size
):
    from hemma.followup.models import Assessment

    # Given more of everything, and a manual assessment of every action in every place
    grow(programme_a, municipalities=size, years=size + 1, indicators=2 * size)
    Assessment.objects.bulk_create(
        Assessment(
            action=action,
            municipality=place,
            period="2024",
            status=Status.MET,
            justification="Judged",
            assessed_by=coordinator_region,
        )
        for action in programme_a.actions.all()
        for place in [*programme_a.municipalities.all(), None]
    )
    client = client_for(coordinator_region)
    client.get(url(programme_a))
    # Then the page reads as many queries as without them
    with django_assert_max_num_queries(18):
        response = client.get(url(programme_a))
    assert response.status_code == 200
    assert "manual assessments" in response.content.decode()


def test_a_value_not_reported_yet_is_missing_not_a_change(
    client_for, viewer, band_indicator, municipality_a1
):
    # Given A-stad reported 2023 but not yet 2024
    record(band_indicator, municipality_a1, "2023", number=Decimal(3))

    html = client_for(viewer).get(url(band_indicator.action.programme)).content.decode()

    # Then 2024's dashboard lists no change for it ("met → no data" would be noise)
    assert table_rows(html, "fu-changes") == []


def test_reporters_are_named_in_the_pages_language(
    client_for, viewer, band_indicator, municipality_a1
):
    # Given a reporter named after its organisation, in the programme's language (Swedish)
    programme = band_indicator.action.programme
    unit = f.OrganisationFactory(region=programme.region, name={"sv": "Kommunen", "fi": "Kunta"})
    round_ = Round.objects.create(programme=programme, period="2024", deadline=timezone.localdate())
    Assignment.objects.create(
        round=round_, municipality=municipality_a1, organisation=unit, name="Kommunen"
    ).actions.set([band_indicator.action])

    html = client_for(viewer).get(url(programme, language="fi")).content.decode()

    assert table_rows(html, "fu-assignments")[1][0] == "Kunta"
