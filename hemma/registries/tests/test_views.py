"""The activity registry's pages: list, record form, an activity's page, removal; and a
computed indicator's row in the grid of values."""

import datetime
import uuid

import pytest
from django.urls import reverse

from hemma.followup.models import Measurement
from hemma.registries import services
from hemma.registries.computing import computed_values_refresh
from hemma.registries.models import Activity
from hemma.registries.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

LIST = "/en/activities/"
NEW = "/en/activities/new/"


def _url(activity, what=""):
    return f"/en/activities/{activity.code}/{what + '/' if what else ''}"


@pytest.fixture
def activity(region_a, municipality_a1, action_a):
    return ActivityFactory(
        region=region_a,
        title="Language café",
        kind=Activity.Kind.MEETING_PLACE,
        municipalities=[municipality_a1],
        actions=[action_a],
        participants=12,
    )


def _post_data(**changes):
    data = {
        "title": "Welcome evening",
        "kind": Activity.Kind.EVENT,
        "starts_on": "2024-05-02",
        "recurrence": Activity.Recurrence.ONCE,
        "municipalities": ["101"],
        "participants": "30",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# -- the list --------------------------------------------------------------------------------


def test_the_list_shows_the_regions_activities_with_their_count(
    client_for, coordinator_region, activity
):
    response = client_for(coordinator_region).get(LIST)
    assert response.status_code == 200
    assert "Language café" in response.text
    assert "1 activity" in response.text


def test_another_regions_coordinator_does_not_see_the_activity(client_for, coordinator_b, activity):
    response = client_for(coordinator_b).get(LIST)
    assert response.status_code == 200
    assert "Language café" not in response.text
    assert "0 activities" in response.text


def test_a_viewer_reads_the_list_but_is_offered_no_record_button(client_for, viewer, activity):
    response = client_for(viewer).get(LIST)
    assert "Language café" in response.text
    assert "Record an activity" not in response.text


def test_anonymous_is_sent_to_log_in(client, activity):
    for url in (LIST, NEW, _url(activity), _url(activity, "edit"), _url(activity, "delete")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    response = client.post(_url(activity, "delete"))
    assert response.status_code == 302
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_filters_narrow_the_list(
    client_for, coordinator_region, region_a, municipality_a2, activity
):
    ActivityFactory(
        region=region_a,
        title="Course in Swedish",
        kind=Activity.Kind.COURSE,
        municipalities=[municipality_a2],
        starts_on=datetime.date(2025, 2, 1),
    )
    client = client_for(coordinator_region)
    by_kind = client.get(LIST, {"kind": "course"})
    assert "Course in Swedish" in by_kind.text and "Language café" not in by_kind.text
    by_place = client.get(LIST, {"municipality": "101"})
    assert "Language café" in by_place.text and "Course in Swedish" not in by_place.text
    by_year = client.get(LIST, {"period": "2025"})
    assert "Course in Swedish" in by_year.text and "Language café" not in by_year.text
    by_action = client.get(LIST, {"action": "programme-a/joint-meetings"})
    assert "Language café" in by_action.text and "Course in Swedish" not in by_action.text
    two_kinds = client.get(LIST, {"kind": ["course", "meeting_place"]})
    assert "2 activities" in two_kinds.text


def test_the_list_is_newest_first_and_paginated(client_for, coordinator_region, region_a):
    for day in range(1, 53):
        ActivityFactory(
            region=region_a,
            title=f"Evening {day:02}",
            starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
        )
    response = client_for(coordinator_region).get(LIST)
    assert "52 activities" in response.text
    assert response.text.index("Evening 52") < response.text.index("Evening 51")
    assert "Evening 01" not in response.text
    second = client_for(coordinator_region).get(LIST, {"page": 2})
    assert "Evening 01" in second.text


@pytest.mark.parametrize("size", [1, 20])
def test_the_list_reads_in_a_fixed_number_of_queries(
    size,
    client_for,
    coordinator_region,
    region_a,
    municipality_a1,
    municipality_a2,
    action_a,
    django_assert_max_num_queries,
):
    for _n in range(size):
        ActivityFactory(
            region=region_a, municipalities=[municipality_a1, municipality_a2], actions=[action_a]
        )
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert response.status_code == 200


# -- the record form -------------------------------------------------------------------------


def test_a_region_coordinator_records_an_activity(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).post(
        NEW, _post_data(actions=[str(action_a.pk)], languages=["sv", "ar"], **{"age_0-17": "10"})
    )
    activity = Activity.objects.get(title="Welcome evening")
    assert response.status_code == 302
    assert response["Location"] == reverse("registries:detail", args=[activity.code])
    assert [m.code for m in activity.municipalities.all()] == ["101"]
    assert list(activity.actions.all()) == [action_a]
    assert activity.participants_by_age == {"0-17": 10}
    assert activity.languages == ["sv", "ar"]


def test_the_form_ticks_a_municipal_coordinators_own_municipality(
    client_for, coordinator_a, programme_a
):
    response = client_for(coordinator_a).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert [m.code for m in form.initial["municipalities"]] == ["101"]
    # Only its own municipality is offered.
    assert [m.code for m in form.fields["municipalities"].queryset] == ["101"]


def test_a_municipal_coordinator_records_for_its_own_municipality(
    client_for, coordinator_a, programme_a
):
    response = client_for(coordinator_a).post(NEW, _post_data())
    assert response.status_code == 302
    assert Activity.objects.get(title="Welcome evening").municipalities.get().code == "101"


def test_a_viewer_may_not_record(client_for, viewer, programme_a):
    assert client_for(viewer).get(NEW).status_code == 403
    assert client_for(viewer).post(NEW, _post_data()).status_code == 403
    assert not Activity.objects.exists()


def test_another_regions_coordinator_cannot_record_in_this_region(
    client_for, coordinator_b, region_a, programme_a
):
    response = client_for(coordinator_b).post(NEW, _post_data(region="region-a"))
    assert response.status_code == 404
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"kind": ""}, "kind", "This field is required."),
        ({"starts_on": "yesterday"}, "starts_on", "Enter a valid date."),
        ({"ends_on": "2024-05-01"}, "ends_on", "The last date is before the first."),
        ({"recurrence": "weekly"}, "ends_on", "A recurring activity needs its last date."),
        ({"age_0-17": "40"}, "age_0-17", "The age groups add up to more than the participants."),
        (
            {"participants": "-1"},
            "participants",
            "Ensure this value is greater than or equal to 0.",
        ),
    ],
)
def test_the_form_says_what_to_fix_by_field(
    client_for, coordinator_region, programme_a, changes, field, message
):
    response = client_for(coordinator_region).post(NEW, _post_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.text
    assert not Activity.objects.exists()


def test_the_recurring_group_is_there_without_javascript(
    client_for, coordinator_region, programme_a
):
    response = client_for(coordinator_region).get(NEW)
    assert 'name="ends_on"' in response.text
    assert "data-recurring" in response.text
    assert "<script>" not in response.text and "style=" not in response.text


# -- an activity's page, editing, removal ----------------------------------------------------


def test_the_activitys_page_shows_it_and_its_history(client_for, coordinator_region, activity):
    services.activity_update(
        actor=coordinator_region, activity=activity, fields={"title": "Language café for all"}
    )
    response = client_for(coordinator_region).get(_url(activity))
    assert response.status_code == 200
    assert "Language café for all" in response.text
    assert "Language café" in response.text  # the old title, in the history
    assert "coordinator_region" in response.text


def test_the_activitys_page_names_its_own_languages(client_for, coordinator_region, activity):
    activity.languages = ["ar", "uk"]
    activity.save(update_fields=["languages"])

    html = client_for(coordinator_region).get(_url(activity)).content.decode()

    # Not the site's own languages (the page's language switcher has a list of that name)
    assert "'bidi'" not in html
    assert "Arabic, Ukrainian" in html


def test_another_regions_activity_does_not_exist(client_for, coordinator_b, activity):
    client = client_for(coordinator_b)
    for url in (_url(activity), _url(activity, "edit"), _url(activity, "delete")):
        assert client.get(url).status_code == 404
    assert client.post(_url(activity, "edit"), _post_data()).status_code == 404
    assert client.post(_url(activity, "delete")).status_code == 404
    assert client.get(f"/en/activities/{uuid.uuid4()}/").status_code == 404
    assert Activity.objects.get(pk=activity.pk).title == "Language café"


def test_a_viewer_reads_but_does_not_change(client_for, viewer, activity):
    client = client_for(viewer)
    assert client.get(_url(activity)).status_code == 200
    assert client.get(_url(activity, "edit")).status_code == 403
    assert client.post(_url(activity, "edit"), _post_data()).status_code == 403
    assert client.post(_url(activity, "delete")).status_code == 403
    assert Activity.objects.get(pk=activity.pk).title == "Language café"


def test_a_municipal_coordinator_does_not_see_a_neighbours_activity(
    client_for, coordinator_a, region_a, municipality_a2
):
    theirs = ActivityFactory(region=region_a, municipalities=[municipality_a2])
    assert client_for(coordinator_a).get(_url(theirs)).status_code == 404
    assert client_for(coordinator_a).post(_url(theirs, "delete")).status_code == 404


def test_a_municipal_coordinator_may_not_change_an_activity_shared_with_a_neighbour(
    client_for, coordinator_a, region_a, municipality_a1, municipality_a2
):
    shared = ActivityFactory(region=region_a, municipalities=[municipality_a1, municipality_a2])
    assert client_for(coordinator_a).get(_url(shared)).status_code == 200
    assert client_for(coordinator_a).post(_url(shared, "delete")).status_code == 403


def test_editing_saves_the_changes(client_for, coordinator_region, activity, action_a):
    response = client_for(coordinator_region).post(
        _url(activity, "edit"),
        _post_data(
            title="Language café, spring",
            kind="meeting_place",
            recurrence="weekly",
            ends_on="2024-06-30",
            actions=[str(action_a.pk)],
        ),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Language café, spring"
    assert activity.ends_on == datetime.date(2024, 6, 30)


def test_removal_asks_first_then_removes(client_for, coordinator_region, activity):
    client = client_for(coordinator_region)
    page = client.get(_url(activity, "delete"))
    assert "Remove the activity?" in page.text
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = client.post(_url(activity, "delete"))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize("size", [1, 15])
def test_the_activitys_page_reads_in_a_fixed_number_of_queries(
    size, client_for, coordinator_region, region_a, action_a, django_assert_max_num_queries
):
    from hemma.tests import factories as f

    municipalities = [
        f.MunicipalityFactory(code=f"{300 + n}", region=region_a) for n in range(size)
    ]
    activity = ActivityFactory(region=region_a, municipalities=municipalities, actions=[action_a])
    for n in range(size):
        services.activity_update(
            actor=coordinator_region, activity=activity, fields={"title": f"Title {n}"}
        )
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(14):
        response = client.get(_url(activity))
    assert response.status_code == 200


# -- a computed indicator in the grid --------------------------------------------------------


def _grid(place="101", period="2024"):
    return f"/en/programmes/programme-a/values/{period}/{place}/"


def _override_url(indicator, place="101"):
    return f"{_grid(place)}joint-meetings/{indicator.key}/override/"


def test_a_computed_row_shows_its_count_and_links_to_the_records(
    client_for, coordinator_region, counted, activity, region_a, municipality_a1, action_a
):
    ActivityFactory(
        region=region_a,
        municipalities=[municipality_a1],
        actions=[action_a],
        starts_on=datetime.date(2024, 9, 1),
    )
    computed_values_refresh(indicators=[counted])
    response = client_for(coordinator_region).get(_grid())
    assert "counted from 2 activities" in response.text
    link = (
        "/en/activities/?municipality=101&amp;period=2024&amp;action=programme-a%2Fjoint-meetings"
    )
    assert link in response.text
    listed = client_for(coordinator_region).get(
        LIST, {"municipality": "101", "period": "2024", "action": "programme-a/joint-meetings"}
    )
    assert "2 activities" in listed.text
    # No form to type the count in: an override instead.
    assert "Override" in response.text
    assert f'name="override-value-joint-meetings-{counted.key}-justification"' in response.text


def test_an_override_needs_a_justification_and_shows_beside_the_count(
    client_for, coordinator_region, counted, activity
):
    computed_values_refresh(indicators=[counted])
    client = client_for(coordinator_region)
    prefix = f"override-value-joint-meetings-{counted.key}"
    refused = client.post(_override_url(counted), {f"{prefix}-number": "5"})
    assert refused.status_code == 200
    assert "This field is required." in refused.text
    response = client.post(
        _override_url(counted),
        {f"{prefix}-number": "5", f"{prefix}-justification": "Records came in late."},
    )
    assert response.status_code == 302
    value = Measurement.objects.get(indicator=counted, municipality__code="101", period="2024")
    assert (value.number, value.computed_number, value.override) == (5, 1, "Records came in late.")
    page = client.get(_grid())
    assert "Overridden: 5" in page.text and "Return to the count" in page.text
    # Who entered it says it is an override, not the count.
    assert "(the count overridden)" in page.text
    client.post(_override_url(counted), {"clear": "1"})
    value.refresh_from_db()
    assert (value.number, value.override) == (1, "")


def test_an_override_saved_in_place_gives_the_keyboard_back_to_its_button(
    client_for, coordinator_region, counted, activity
):
    computed_values_refresh(indicators=[counted])
    client = client_for(coordinator_region)
    prefix = f"override-value-joint-meetings-{counted.key}"
    page = client.get(_grid())
    assert "data-focus-after-swap" not in page.text

    swapped = client.post(
        _override_url(counted),
        {f"{prefix}-number": "5", f"{prefix}-justification": "Records came in late."},
        headers={"HX-Request": "true"},
    )

    assert swapped.status_code == 200
    assert 'class="small" data-focus-after-swap>Override' in swapped.text
    cleared = client.post(_override_url(counted), {"clear": "1"}, headers={"HX-Request": "true"})
    assert 'class="small" data-focus-after-swap>Override' in cleared.text


def test_the_override_is_refused_to_a_viewer_another_region_and_anonymous(
    client, client_for, viewer, coordinator_b, counted, activity
):
    prefix = f"override-value-joint-meetings-{counted.key}"
    data = {f"{prefix}-number": "5", f"{prefix}-justification": "Late."}
    assert client_for(viewer).post(_override_url(counted), data).status_code == 403
    assert client_for(coordinator_b).post(_override_url(counted), data).status_code == 404
    response = client.post(_override_url(counted), data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Measurement.objects.filter(indicator=counted).exclude(override="").exists()


def test_the_regions_grid_has_no_override_for_what_each_municipality_counts(
    client_for, coordinator_region, counted
):
    # A count of each municipality's activities has no regional total to correct.
    response = client_for(coordinator_region).get(_grid("region"))

    assert "Counted in each municipality: see the municipalities' grids." in response.text
    assert f"override-value-joint-meetings-{counted.key}-justification" not in response.text
    posted = client_for(coordinator_region).post(
        _override_url(counted, "region"),
        {f"override-value-joint-meetings-{counted.key}-number": "5"},
    )
    assert posted.status_code == 404
