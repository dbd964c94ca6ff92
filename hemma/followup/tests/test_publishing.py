"""What of the follow-up is public (PUBLIC) and how small counts of people are hidden."""

import datetime

import pytest
from django.http import Http404

from hemma.followup import publishing, rounds, statuses
from hemma.followup.models import Measurement
from hemma.followup.services import measurement_record
from hemma.lib import periods
from hemma.programmes.models import Indicator, Programme

pytestmark = pytest.mark.django_db

PUBLIC = publishing.PUBLIC
DEADLINE = datetime.date(2025, 3, 31)


def record(indicator, place, period, number, participants=None):
    values = {"number": number}
    if participants is not None:
        values["participants"] = participants
    return measurement_record(
        actor=None,
        indicator=indicator,
        municipality=place,
        period=period,
        values=values,
        version=None,
        source=Measurement.Source.WEB,
    )


def approve(programme, period):
    found = rounds.round_open(actor=None, programme=programme, period=period, deadline=DEADLINE)
    return rounds.round_approve(actor=None, round=found)


@pytest.fixture
def plans(indicator_of):
    """A yearly count of people (integration plans), followed up in each municipality."""
    return indicator_of(Indicator.Kind.COUNT, key="plans", counts_people=True)


# -- which values are public -----------------------------------------------------------------


def test_only_values_of_approved_periods_are_public(programme_a, plans, indicator_of):
    quarterly = indicator_of(Indicator.Kind.COUNT, key="quarterly", period="quarter")
    approved = record(plans, "101", "2023", 12)
    quarter = record(quarterly, "101", "2023Q2", 6)
    open_year = record(plans, "101", "2024", 14)
    approve(programme_a, "2023")
    rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)

    public = set(publishing.measurements_published())

    assert {approved, quarter} <= public
    assert open_year not in public


def test_a_draft_programme_publishes_nothing(programme_a, plans):
    record(plans, "101", "2023", 12)
    approve(programme_a, "2023")
    Programme.objects.filter(pk=programme_a.pk).update(status=Programme.Status.DRAFT)

    assert not publishing.measurements_published().exists()
    with pytest.raises(Http404):
        statuses.dashboard(user=PUBLIC, slug=programme_a.slug, period_code="2023")


def test_the_public_dashboard_of_a_period_not_approved_is_404(programme_a, plans):
    record(plans, "101", "2024", 14)
    approve(programme_a, "2023")

    statuses.dashboard(user=PUBLIC, slug=programme_a.slug, period_code="2023")
    with pytest.raises(Http404):
        statuses.dashboard(user=PUBLIC, slug=programme_a.slug, period_code="2024")


def test_the_public_sees_an_indicators_approved_periods_only(programme_a, plans):
    record(plans, "101", "2023", 12)
    record(plans, "101", "2024", 14)
    approve(programme_a, "2023")

    history = statuses.indicator_history(
        user=PUBLIC, slug=programme_a.slug, action_key="joint-meetings", indicator_key="plans"
    )

    assert [p.code for p in history.periods] == ["2023"]
    shown = [c.measurement.number for row in history.rows for c in row.cells if c and c.measurement]
    assert shown == [12]
    assert statuses.period_choices(user=PUBLIC, programme=programme_a) == [periods.parse("2023")]


# -- small counts of people ------------------------------------------------------------------


def test_a_small_count_of_people_is_published_as_less_than_five(programme_a, plans):
    record(plans, "101", "2023", 3)
    record(plans, "102", "2023", 12)
    approve(programme_a, "2023")

    board_cells = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[plans],
        places=statuses.places_of(programme_a),
    )

    small, large = board_cells[(plans.pk, "101")], board_cells[(plans.pk, "102")]
    assert (small.published, small.published_number) == ("< 5", None)
    assert (large.published, large.published_number) == ("12", 12.0)
    assert small.value == "3", "the coordinators' own pages show every figure"


def test_beside_a_regional_total_one_more_municipality_is_hidden(programme_a, plans):
    record(plans, "101", "2023", 3)
    record(plans, "102", "2023", 12)
    record(plans, None, "2023", 15)
    approve(programme_a, "2023")

    cells = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[plans],
        places=statuses.places_of(programme_a),
    )

    assert [cells[(plans.pk, code)].published for code in ("101", "102", "region")] == [
        "< 5",
        "< 5",
        "15",
    ]


def test_what_is_hidden_does_not_depend_on_the_places_a_page_shows(programme_a, plans):
    """A page of one municipality must hide its complementary cell too, or it and the matrix
    together would give the small one away."""
    record(plans, "101", "2023", 3)
    record(plans, "102", "2023", 12)
    record(plans, None, "2023", 15)
    approve(programme_a, "2023")
    a2 = next(p for p in statuses.places_of(programme_a) if p.code == "102")

    alone = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[plans],
        places=[a2],
    )

    assert alone[(plans.pk, "102")].published == "< 5"


def test_participants_are_people_whatever_the_indicator_counts(programme_a, indicator_of):
    courses = indicator_of(Indicator.Kind.COUNT_WITH_PARTICIPANTS, key="courses")
    record(courses, "101", "2023", 2, participants=4)
    approve(programme_a, "2023")

    cell = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[courses],
        places=statuses.places_of(programme_a),
    )[(courses.pk, "101")]

    assert cell.published == "2; < 5 participants"


def test_a_count_of_events_is_never_hidden(programme_a, band_indicator):
    record(band_indicator, "101", "2023", 2)
    approve(programme_a, "2023")

    cell = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[band_indicator],
        places=statuses.places_of(programme_a),
    )[(band_indicator.pk, "101")]

    assert cell.published == "2"


def test_the_comment_of_a_hidden_figure_is_not_published(programme_a, plans):
    small = record(plans, "101", "2023", 3)
    Measurement.objects.filter(pk=small.pk).update(comment="Three plans, all in May")
    record(plans, "102", "2023", 12)
    Measurement.objects.filter(indicator=plans, municipality__code="102").update(comment="Good")
    approve(programme_a, "2023")

    cells = statuses.indicator_cells(
        user=PUBLIC,
        programme=programme_a,
        period=periods.parse("2023"),
        indicators=[plans],
        places=statuses.places_of(programme_a),
    )

    assert cells[(plans.pk, "101")].published_comment == ""
    assert cells[(plans.pk, "102")].published_comment == "Good"
