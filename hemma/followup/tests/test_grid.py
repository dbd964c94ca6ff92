"""The grid of values: a programme's actions for one municipality and period, saved in place."""

import datetime

import pytest
from django.urls import reverse

from hemma.audit.models import AuditEvent
from hemma.followup.grid import grid_default, grid_programme
from hemma.followup.models import Assessment, Measurement, Round
from hemma.followup.services import measurement_record
from hemma.programmes.models import Action, Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def grid_url(period="2024", place="101", slug="programme-a"):
    return reverse("followup:grid", args=[slug, period, place])


def value_url(indicator, period="2024", place="101"):
    return reverse(
        "followup:grid_value",
        args=["programme-a", period, place, indicator.action.key, indicator.key],
    )


def history_url(indicator, period="2024", place="101"):
    return reverse(
        "followup:value_history",
        args=["programme-a", period, place, indicator.action.key, indicator.key],
    )


def stored(indicator, code="101", period="2024") -> Measurement | None:
    values = Measurement.objects.filter(indicator=indicator, period=period)
    if code is None:
        return values.filter(municipality__isnull=True).first()
    return values.filter(municipality__code=code).first()


def record(indicator, number, *, code="101", period="2024", version=None, actor=None):
    return measurement_record(
        actor=actor,
        indicator=indicator,
        municipality=code,
        period=period,
        values={"number": number},
        version=version,
        source=Measurement.Source.WEB,
    )


def approve(programme, period="2024"):
    Round.objects.create(
        programme=programme,
        period=period,
        deadline=datetime.date(2025, 3, 1),
        state=Round.State.APPROVED,
    )


# -- the page: who sees what ------------------------------------------------------------------


def test_region_coordinator_sees_every_action_with_its_indicator_target_and_inputs(
    client_for, coordinator_region, band_indicator
):
    response = client_for(coordinator_region).get(grid_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Values of A-stad, 2024" in html
    assert "Åtgärd joint-meetings" in html
    assert "2–4 per year" in html
    assert 'name="number"' in html
    assert "No data" in html


def test_grid_of_another_regions_programme_does_not_exist(client_for, coordinator_b, programme_a):
    response = client_for(coordinator_b).get(grid_url())

    assert response.status_code == 404


def test_grid_asks_an_anonymous_visitor_to_log_in(client, programme_a):
    response = client.get(grid_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_viewer_sees_the_values_read_only(client_for, viewer, band_indicator):
    record(band_indicator, 3)

    response = client_for(viewer).get(grid_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "You may read these values but not change them" in html
    assert 'name="number"' not in html
    assert "Met" in html


def test_unknown_municipality_or_period_outside_the_programme_is_not_found(
    client_for, coordinator_region, programme_a, municipality_b1
):
    client = client_for(coordinator_region)

    assert client.get(grid_url(place="201")).status_code == 404
    assert client.get(grid_url(period="2030")).status_code == 404
    assert client.get(grid_url(period="next-year")).status_code == 404


def test_municipal_coordinator_records_only_for_their_own_municipality(
    client_for, coordinator_a, band_indicator
):
    client = client_for(coordinator_a)

    own = client.get(grid_url(place="101")).content.decode()
    other = client.get(grid_url(place="102")).content.decode()
    region = client.get(grid_url(place="region")).content.decode()

    assert 'name="number"' in own
    assert 'name="number"' not in other
    assert "you record values for your own municipality only" in other
    assert 'name="number"' not in region
    assert "only a region coordinator records the values of the region" in region


def test_demo_values_are_marked_as_demo_data(client_for, coordinator_region, band_indicator):
    measurement_record(
        actor=None,
        indicator=band_indicator,
        municipality="101",
        period="2024",
        values={"number": 3},
        version=None,
        source=Measurement.Source.DEMO,
    )

    html = client_for(coordinator_region).get(grid_url()).content.decode()
    other_year = client_for(coordinator_region).get(grid_url(period="2023")).content.decode()

    assert "Demo data:" in html
    assert "Demo data:" not in other_year


def test_action_shows_its_rolled_up_status_as_met_of_judged(
    client_for, coordinator_region, band_indicator, indicator_of
):
    second = indicator_of(Indicator.Kind.COUNT, target_type="band", target_min=10)
    record(band_indicator, 3)  # met
    record(second, 2)  # not met

    html = client_for(coordinator_region).get(grid_url()).content.decode()

    assert "Partly met</span> (1 of 2 met)" in html


def test_period_and_municipality_picker_leads_to_the_chosen_grid(
    client_for, coordinator_region, programme_a
):
    start = reverse("followup:grid_start", args=["programme-a"])

    response = client_for(coordinator_region).get(start, {"period": "2023", "place": "102"})

    assert response.status_code == 302
    assert response["Location"] == grid_url(period="2023", place="102")


# -- where the grid opens ---------------------------------------------------------------------


def test_grid_opens_at_the_latest_open_round(client_for, coordinator_region, programme_a):
    for period in ("2023", "2024"):
        Round.objects.create(
            programme=programme_a, period=period, deadline=datetime.date(2025, 3, 1)
        )

    response = client_for(coordinator_region).get(
        reverse("followup:grid_start", args=["programme-a"])
    )

    assert response["Location"] == grid_url(period="2024", place="101")


def test_grid_opens_at_the_coordinators_own_municipality(client_for, programme_a, municipality_a2):
    from hemma.accounts.models import Membership

    coordinator = f.member(
        f.UserFactory(), Membership.Role.MUNICIPAL_COORDINATOR, municipality=municipality_a2
    )

    response = client_for(coordinator).get(reverse("followup:grid_start", args=["programme-a"]))

    assert response["Location"].endswith("/102/")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 5, 1), "2025"),  # after the programme: its last year
        (datetime.date(2024, 5, 1), "2023"),  # within it: the last year that has ended
        (datetime.date(2023, 5, 1), "2023"),  # in its first year: no year has ended yet
        (datetime.date(2021, 5, 1), "2023"),  # before it: its first year
    ],
)
def test_without_an_open_round_the_grid_opens_at_the_last_year_that_has_ended(
    coordinator_region, programme_a, today, expected
):
    programme = grid_programme(user=coordinator_region, slug="programme-a")

    period, place = grid_default(user=coordinator_region, programme=programme, today=today)

    assert (period, place) == (expected, "101")


# -- saving a value ---------------------------------------------------------------------------


def test_saving_in_place_answers_with_the_row_its_status_and_version(
    client_for, coordinator_region, band_indicator
):
    response = client_for(coordinator_region).post(
        value_url(band_indicator),
        {"number": "3", "comment": "Two in spring", "version": ""},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "<html" not in html
    assert "Saved (version 1)." in html
    assert "Met" in html
    # The action's summary comes along, out of band.
    assert 'id="summary-joint-meetings" hx-swap-oob="true"' in html
    value = stored(band_indicator)
    assert value.number == 3
    assert value.comment == "Two in spring"
    assert value.entered_by_name == "coordinator_region"
    assert AuditEvent.objects.filter(target_type="followup.measurement").count() == 1


def test_saving_without_javascript_goes_back_to_the_row_with_a_message(
    client_for, coordinator_region, band_indicator
):
    client = client_for(coordinator_region)

    response = client.post(value_url(band_indicator), {"number": "5", "version": ""})

    assert response.status_code == 302
    assert response["Location"] == grid_url() + "#value-joint-meetings-" + band_indicator.key
    page = client.get(response["Location"]).content.decode()
    assert "The value was saved." in page
    assert "Exceeded" in page
    assert stored(band_indicator).number == 5


def test_the_row_carries_the_version_it_was_read_at(client_for, coordinator_region, band_indicator):
    record(band_indicator, 3)
    record(band_indicator, 4, version=1)

    html = client_for(coordinator_region).get(grid_url()).content.decode()

    assert 'name="version" value="2"' in html


def test_a_value_that_does_not_fit_comes_back_in_place_with_its_error(
    client_for, coordinator_region, band_indicator
):
    response = client_for(coordinator_region).post(
        value_url(band_indicator), {"number": "three", "version": ""}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a number, such as 12 or 12,5." in html
    assert 'aria-invalid="true"' in html
    assert 'value="three"' in html
    assert stored(band_indicator) is None


def test_a_value_that_does_not_fit_without_javascript_shows_the_page_with_the_error_in_place(
    client_for, coordinator_region, band_indicator
):
    response = client_for(coordinator_region).post(
        value_url(band_indicator), {"number": "-2", "version": ""}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "The value cannot be below zero." in html
    assert 'value="-2"' in html


def test_a_milestone_takes_done_and_a_date(client_for, coordinator_region, indicator_of):
    milestone = indicator_of(Indicator.Kind.MILESTONE)

    response = client_for(coordinator_region).post(
        value_url(milestone), {"done": "yes", "done_on": "2024-05-02", "version": ""}, **HTMX
    )

    assert "Saved (version 1)." in response.content.decode()
    value = stored(milestone)
    assert (value.done, value.done_on) == (True, datetime.date(2024, 5, 2))


def test_a_deliverable_takes_the_languages_delivered(client_for, coordinator_region, indicator_of):
    deliverable = indicator_of(Indicator.Kind.DELIVERABLE_LANGUAGES)

    client_for(coordinator_region).post(
        value_url(deliverable), {"languages": ["sv", "ar"], "version": ""}, **HTMX
    )

    assert stored(deliverable).languages == ["sv", "ar"]


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_the_first_kept(
    client_for, coordinator_region, band_indicator
):
    from hemma.accounts.models import Membership

    record(band_indicator, 2)
    colleague = f.member(
        f.UserFactory(username="colleague"),
        Membership.Role.REGION_COORDINATOR,
        region=band_indicator.action.programme.region,
    )
    first = client_for(colleague).post(
        value_url(band_indicator), {"number": "3", "version": "1"}, **HTMX
    )

    second = client_for(coordinator_region).post(
        value_url(band_indicator), {"number": "4", "comment": "mine", "version": "1"}, **HTMX
    )

    assert "Saved (version 2)." in first.content.decode()
    html = second.content.decode()
    assert "Someone else saved this value meanwhile (it is now version 2)" in html
    assert "Now stored: 3 (by colleague)" in html
    # What the second person typed is still there, and the form now carries version 2.
    assert 'value="4"' in html
    assert 'value="mine"' in html
    assert 'name="version" value="2"' in html
    assert stored(band_indicator).number == 3
    assert stored(band_indicator).version == 2


def test_viewer_may_not_save_a_value(client_for, viewer, band_indicator):
    response = client_for(viewer).post(value_url(band_indicator), {"number": "3", "version": ""})

    assert response.status_code == 403
    assert stored(band_indicator) is None


def test_saving_in_another_regions_programme_is_not_found(
    client_for, coordinator_b, band_indicator
):
    response = client_for(coordinator_b).post(
        value_url(band_indicator), {"number": "3", "version": ""}
    )

    assert response.status_code == 404


def test_saving_asks_an_anonymous_visitor_to_log_in(client, band_indicator):
    response = client.post(value_url(band_indicator), {"number": "3", "version": ""})

    assert response.status_code == 302
    assert stored(band_indicator) is None


def test_municipal_coordinator_may_not_save_for_a_neighbour_or_the_region(
    client_for, coordinator_a, band_indicator
):
    client = client_for(coordinator_a)

    own = client.post(value_url(band_indicator), {"number": "3", "version": ""}, **HTMX)
    neighbour = client.post(value_url(band_indicator, place="102"), {"number": "3"}, **HTMX)
    region = client.post(value_url(band_indicator, place="region"), {"number": "3"}, **HTMX)

    assert own.status_code == 200
    assert (neighbour.status_code, region.status_code) == (403, 403)
    assert stored(band_indicator, code="102") is None
    assert stored(band_indicator, code=None) is None


def test_region_coordinator_records_for_the_region_as_a_whole(
    client_for, coordinator_region, band_indicator
):
    response = client_for(coordinator_region).post(
        value_url(band_indicator, place="region"), {"number": "2", "version": ""}, **HTMX
    )

    assert response.status_code == 200
    assert stored(band_indicator, code=None).number == 2


def test_getting_a_row_gives_the_partial_to_htmx_and_the_page_to_a_browser(
    client_for, coordinator_region, band_indicator
):
    client = client_for(coordinator_region)

    partial = client.get(value_url(band_indicator), **HTMX)
    page = client.get(value_url(band_indicator))

    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith("<tr")
    assert page.status_code == 302
    assert page["Location"].startswith(grid_url())


# -- a locked period --------------------------------------------------------------------------


def test_a_locked_period_is_shown_read_only_with_a_notice(
    client_for, coordinator_region, programme_a, band_indicator
):
    approve(programme_a)

    html = client_for(coordinator_region).get(grid_url()).content.decode()

    assert "approved and locked" in html
    assert 'name="number"' not in html
    assert "Assess<" not in html


def test_a_locked_period_refuses_a_save(
    client_for, coordinator_region, programme_a, band_indicator
):
    record(band_indicator, 2)
    approve(programme_a)
    client = client_for(coordinator_region)

    in_place = client.post(value_url(band_indicator), {"number": "4", "version": "1"}, **HTMX)
    plain = client.post(value_url(band_indicator), {"number": "4", "version": "1"})

    assert "The follow-up of 2024 is approved and locked." in in_place.content.decode()
    assert plain.status_code == 302
    assert "approved and locked" in client.get(plain["Location"]).content.decode()
    assert stored(band_indicator).number == 2


# -- a value's history ------------------------------------------------------------------------


def test_history_says_who_changed_what_from_what(client_for, coordinator_region, band_indicator):
    client = client_for(coordinator_region)
    client.post(value_url(band_indicator), {"number": "2", "version": ""})
    client.post(value_url(band_indicator), {"number": "5", "comment": "More", "version": "1"})

    response = client.get(history_url(band_indicator))

    assert response.status_code == 200
    html = response.content.decode()
    assert "History of the value" in html
    assert "Changed" in html and "Created" in html
    assert "coordinator_region" in html
    assert (
        '<th scope="row">Value</th><td class="as-written">2</td><td class="as-written">5</td>'
        in html
    )
    assert '<td class="as-written">Met</td><td class="as-written">Exceeded</td>' in html


def test_history_of_a_value_never_recorded_says_so(client_for, viewer, band_indicator):
    response = client_for(viewer).get(history_url(band_indicator), **HTMX)

    assert response.status_code == 200
    assert "No value is recorded yet" in response.content.decode()


def test_history_of_a_counted_value_points_to_its_records(
    client_for, viewer, band_indicator, municipality_a1
):
    # A value counted from the registries has no audit rows of its own (its records do).
    band_indicator.source, band_indicator.query = "registry", "activities"
    band_indicator.save()
    Measurement.objects.create(
        indicator=band_indicator,
        municipality=municipality_a1,
        period="2024",
        number=3,
        computed_number=3,
        source=Measurement.Source.COMPUTED,
        version=1,
    )

    html = client_for(viewer).get(history_url(band_indicator), **HTMX).content.decode()

    assert "counted from the registries" in html
    assert "No value is recorded yet" not in html


def test_history_of_another_regions_value_is_not_found(client_for, coordinator_b, band_indicator):
    assert client_for(coordinator_b).get(history_url(band_indicator)).status_code == 404


def test_history_asks_an_anonymous_visitor_to_log_in(client, band_indicator):
    assert client.get(history_url(band_indicator)).status_code == 302


def test_history_is_read_only(client_for, coordinator_region, band_indicator):
    response = client_for(coordinator_region).post(history_url(band_indicator))

    assert response.status_code == 405


# -- queries ----------------------------------------------------------------------------------


def grow(programme, *, actions: int) -> None:
    """Add `actions` actions in new themes and goals, each with three indicators of different
    kinds, values for A1 in 2024 and 2023, and an assessment."""
    municipality = programme.municipalities.get(code="101")
    for n in range(actions):
        goal = f.GoalFactory(theme=f.ThemeFactory(programme=programme))
        action: Action = f.ActionFactory(goal=goal)  # type: ignore[assignment]
        band: Indicator = f.IndicatorFactory(action=action)  # type: ignore[assignment]
        milestone: Indicator = f.IndicatorFactory(  # type: ignore[assignment]
            action=action,
            kind=Indicator.Kind.MILESTONE,
            target_type=Indicator.TargetType.EVERY_N_YEARS,
            target_years=4,
            target_min=None,
            target_max=None,
        )
        f.IndicatorFactory(
            action=action,
            kind=Indicator.Kind.DELIVERABLE_LANGUAGES,
            target_type="",
            target_min=None,
            target_max=None,
        )
        for period in ("2023", "2024"):
            Measurement.objects.create(
                indicator=band, municipality=municipality, period=period, number=n
            )
        Measurement.objects.create(
            indicator=milestone, municipality=municipality, period="2023", done=True
        )
        Assessment.objects.create(
            action=action,
            municipality=municipality,
            period="2024",
            status="met",
            justification="Seen",
        )


@pytest.mark.parametrize("actions", [2, 12])
def test_the_grid_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, programme_a, django_assert_max_num_queries, actions
):
    grow(programme_a, actions=actions)
    client = client_for(coordinator_region)

    with django_assert_max_num_queries(13):
        response = client.get(grid_url())

    assert response.status_code == 200
    assert response.content.decode().count('class="grid-value') == 1 + 3 * actions


def test_a_milestone_done_within_its_years_shows_met_without_a_new_value(
    client_for, coordinator_region, indicator_of
):
    milestone = indicator_of(Indicator.Kind.MILESTONE, target_type="every_n_years", target_years=4)
    measurement_record(
        actor=None,
        indicator=milestone,
        municipality="101",
        period="2023",
        values={"done": True, "done_on": "2023-06-01"},
        version=None,
        source=Measurement.Source.WEB,
    )

    html = client_for(coordinator_region).get(grid_url()).content.decode()

    row = html.split(f'id="value-joint-meetings-{milestone.key}"')[1].split("</tr>")[0]
    assert "grid-status-met" in row


# -- read-only notices, the status column, the indicator's kind ---------------------------------


def test_a_viewer_is_told_they_can_only_read(client_for, viewer, band_indicator):
    html = client_for(viewer).get(grid_url()).content.decode()

    assert "your account can read the follow-up of this programme only" in html
    assert "you record values for your own municipality" not in html


def test_a_municipal_coordinator_on_a_neighbours_grid_is_told_they_record_their_own(
    client_for, coordinator_a, band_indicator
):
    html = client_for(coordinator_a).get(grid_url(place="102")).content.decode()

    assert "you record values for your own municipality only" in html
    assert "your account can read the follow-up of this programme only" not in html


def test_the_status_word_may_wrap_in_its_column_so_it_never_runs_into_the_next():
    # Given the stylesheet, the last white-space said of a status in the status column wins
    import re
    from pathlib import Path

    import hemma

    css = (Path(hemma.__file__).parent / "static" / "hemma" / "hemma.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    said = [
        declaration.group(1)
        for rule in re.finditer(r"([^{}]+)\{([^{}]*)\}", css)
        if any(
            selector.strip() in (".grid-status", ".grid-status-cell .grid-status")
            for selector in rule.group(1).split(",")
        )
        for declaration in re.finditer(r"white-space:\s*([\w-]+)", rule.group(2))
    ]
    # Then a long word ("Ei vielä ajankohtainen", Finnish) wraps instead of overflowing
    assert said and said[-1] != "nowrap"


@pytest.mark.parametrize(
    "language, name, shown",
    [
        ("sv", {"sv": "Sysselsättningsgrad bland unga (statistik)"}, ""),
        ("en", {"sv": "x", "en": "Youth employment rate (Statistics)"}, ""),
        ("sv", {"sv": "Sysselsättningsgrad bland unga"}, " (statistik)"),
        ("en", {"sv": "Sysselsättningsgrad bland unga (statistik)"}, " (statistics)"),
    ],
)
def test_the_kind_follows_the_name_unless_the_name_ends_with_it(programme_a, language, name, shown):
    from django.template import Context, Template
    from django.utils import translation

    indicator = f.IndicatorFactory(
        action=programme_a.actions.get(key="joint-meetings"), kind="statistics", name=name
    )
    template = Template("{% load followup %}{% indicator_kind indicator 'sv' %}")
    with translation.override(language):
        html = template.render(Context({"indicator": indicator}))

    assert html.replace('<span class="indicator-kind">', "").replace("</span>", "") == shown
