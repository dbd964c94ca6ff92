"""The organisation reporter (issue 4: "an NGO reporter can add activities it organises"):
the policy, the pages, the API, and the list's query count.

Region A has an NGO, "Red Cross", with a reporter, and another NGO, "Scouts". The reporter
sees, adds, changes and deletes the Red Cross's activities, anywhere in region A, and nothing
else of the registries or the programmes.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemma.accounts.models import Membership
from hemma.organisations.models import Organisation
from hemma.registries import policies, services
from hemma.registries.models import Activity, ServiceStatistic
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/en/activities/"
NEW = "/en/activities/new/"
API = "/api/v1/activities"


def _url(activity, what=""):
    return f"/en/activities/{activity.code}/{what + '/' if what else ''}"


@pytest.fixture
def red_cross(region_a):
    return f.OrganisationFactory(
        region=region_a, key="red-cross", name={"sv": "Röda korset"}, kind=Organisation.Kind.NGO
    )


@pytest.fixture
def scouts(region_a):
    return f.OrganisationFactory(
        region=region_a, key="scouts", name={"sv": "Scouterna"}, kind=Organisation.Kind.NGO
    )


@pytest.fixture
def reporter(region_a, red_cross):
    user = f.UserFactory(username="reporter")
    Membership.objects.create(
        user=user,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=red_cross,
    )
    return user


@pytest.fixture
def activities(
    region_a, region_b, municipality_a1, municipality_a2, municipality_b1, red_cross, scouts
):
    b_org = f.OrganisationFactory(region=region_b, key="red-cross")
    return {
        "ours_a1": ActivityFactory(
            region=region_a, organiser=red_cross, municipalities=[municipality_a1], title="Ours A1"
        ),
        "ours_shared": ActivityFactory(
            region=region_a,
            organiser=red_cross,
            municipalities=[municipality_a1, municipality_a2],
            title="Ours shared",
        ),
        "ours_region": ActivityFactory(region=region_a, organiser=red_cross, title="Ours region"),
        "scouts": ActivityFactory(
            region=region_a, organiser=scouts, municipalities=[municipality_a1], title="Scouts A1"
        ),
        "unorganised": ActivityFactory(region=region_a, title="Nobody at all"),
        "b": ActivityFactory(
            region=region_b, organiser=b_org, municipalities=[municipality_b1], title="In B"
        ),
    }


OURS = {"ours_a1", "ours_shared", "ours_region"}


def _post_data(**changes):
    data = {
        "title": "Homework club",
        "kind": Activity.Kind.CHILDREN_YOUTH,
        "starts_on": "2025-02-03",
        "recurrence": Activity.Recurrence.WEEKLY,
        "ends_on": "2025-05-26",
        "municipalities": ["101", "102"],
        "participants": "14",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# -- the policy ------------------------------------------------------------------------------


def test_a_reporter_sees_and_changes_their_organisations_activities_only(reporter, activities):
    seen = set(policies.activities_visible(reporter))
    assert {name for name, a in activities.items() if a in seen} == OURS
    changeable = {n for n, a in activities.items() if policies.can_change_activity(reporter, a)}
    assert changeable == OURS


def test_a_reporter_adds_in_their_organisations_region_only(reporter, region_a, region_b):
    assert policies.can_add_activity(reporter, region_a)
    assert not policies.can_add_activity(reporter, region_b)
    assert policies.can_view_region(reporter, region_a)
    assert not policies.can_view_region(reporter, region_b)


def test_a_reporter_is_no_viewer_of_the_region(reporter, region_a, municipality_a1):
    # The region is theirs to record in, not to read: its statistics and its whole list stay
    # closed.
    assert list(policies.regions_visible(reporter)) == []
    assert list(policies.regions_of_activities(reporter)) == [region_a]
    services.statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=ServiceStatistic.Measure.INTEGRATION_PLANS,
        value=12,
    )
    assert not policies.statistics_visible(reporter).exists()
    assert not policies.can_record_statistic(reporter, region_a, None)
    assert policies.reports_only(reporter)


def test_a_reporter_names_their_organisation_and_any_places_of_the_region(
    reporter, region_a, municipality_a1, municipality_a2, red_cross, scouts
):
    def may(ids, organiser):
        return policies.may_record_activity(
            reporter, region_a, municipality_ids=ids, organiser_id=organiser
        )

    assert may([municipality_a1.pk, municipality_a2.pk], red_cross.pk)
    assert may([], red_cross.pk)  # the region as a whole
    assert not may([municipality_a1.pk], scouts.pk)
    assert not may([municipality_a1.pk], None)
    assert set(policies.activity_municipalities_for(reporter, region_a)) == {
        municipality_a1,
        municipality_a2,
    }
    assert list(policies.organisers_user_records_for(reporter, region_a)) == [red_cross]


def test_a_coordinator_who_also_reports_keeps_the_coordinators_form(
    coordinator_a, region_a, red_cross, scouts, municipality_a1
):
    Membership.objects.create(
        user=coordinator_a,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=red_cross,
    )
    coordinator_a.refresh_from_db()  # the roles are read once per user object
    assert not policies.records_as_reporter_only(coordinator_a, region_a)
    assert not policies.reports_only(coordinator_a)
    assert set(policies.organisers_user_records_for(coordinator_a, region_a)) >= {
        red_cross,
        scouts,
    }
    # Either rule lets them record: their municipality, or their organisation anywhere.
    assert policies.may_record_activity(
        coordinator_a, region_a, municipality_ids=[municipality_a1.pk], organiser_id=scouts.pk
    )
    assert policies.may_record_activity(
        coordinator_a, region_a, municipality_ids=[], organiser_id=red_cross.pk
    )
    assert not policies.may_record_activity(
        coordinator_a, region_a, municipality_ids=[], organiser_id=scouts.pk
    )


# -- the services ----------------------------------------------------------------------------


def test_the_services_refuse_a_reporter_another_organiser(reporter, region_a, activities):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=reporter,
            region=region_a,
            fields={
                "kind": "event",
                "title": "x",
                "starts_on": "2025-01-01",
                "organiser": "scouts",
            },
        )
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=reporter, activity=activities["ours_a1"], fields={"organiser": "scouts"}
        )
    activities["ours_a1"].refresh_from_db()
    assert activities["ours_a1"].organiser.key == "red-cross"
    assert not Activity.objects.filter(title="x").exists()


# -- the pages -------------------------------------------------------------------------------


def test_the_list_shows_the_reporters_activities_and_offers_to_record(
    client_for, reporter, activities
):
    response = client_for(reporter).get(LIST)
    assert response.status_code == 200
    assert "3 activities" in response.text
    for title in ("Ours A1", "Ours shared", "Ours region"):
        assert title in response.text
    for title in ("Scouts A1", "Nobody at all", "In B"):
        assert title not in response.text
    assert "Record an activity" in response.text
    # The file upload is the coordinators' (a reporter's upload page is 403).
    assert "/en/activities/upload/" not in response.text


def test_the_nav_offers_a_reporter_activities_and_their_account_only(client_for, reporter):
    html = client_for(reporter).get(LIST).text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert ">Activities<" in nav and ">Your account<" in nav
    assert ">Programmes<" not in nav and ">Statistics<" not in nav
    assert ">Placements<" not in nav and ">Friend persons<" not in nav
    assert 'class="brand" href="/en/activities/"' in html


def test_the_nav_is_unchanged_for_a_coordinator(client_for, coordinator_region):
    html = client_for(coordinator_region).get(LIST).text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert ">Programmes<" in nav and ">Statistics<" in nav
    assert ">Placements<" in nav and ">Friend persons<" in nav


def test_the_nav_offers_a_viewer_no_friend_persons(client_for, viewer):
    html = client_for(viewer).get(LIST).text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert ">Placements<" in nav and ">Friend persons<" not in nav


def test_a_reporter_lands_on_the_activities_after_signing_in(client, reporter):
    reporter.set_password("a-long-password-1")
    reporter.save()
    response = client.post(
        "/en/accounts/login/", {"login": "reporter", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/activities/"


def test_the_form_shows_the_organiser_fixed_and_offers_the_regions_places_and_actions(
    client_for, reporter, action_a, municipality_a1, municipality_a2, scouts
):
    response = client_for(reporter).get(NEW)
    assert response.status_code == 200
    html = response.text
    select = html[
        html.index('name="organiser"') - 200 : html.index(
            "</select>", html.index('name="organiser"')
        )
    ]
    assert "disabled" in select
    assert "Röda korset" in select and "Scouterna" not in select
    assert 'value="101"' in html and 'value="102"' in html
    assert f'value="{action_a.pk}"' in html
    assert "None for the region as a whole." in html


def test_a_reporter_records_an_activity_of_their_organisation(
    client_for, reporter, action_a, red_cross
):
    # A forged organiser is ignored: the field is fixed to the reporter's organisation.
    response = client_for(reporter).post(
        NEW, _post_data(actions=[str(action_a.pk)], organiser="scouts")
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Homework club")
    assert activity.organiser == red_cross
    assert {m.code for m in activity.municipalities.all()} == {"101", "102"}
    assert list(activity.actions.all()) == [action_a]
    assert activity.created_by == reporter


def test_a_reporter_records_an_activity_of_the_region_as_a_whole(client_for, reporter, red_cross):
    response = client_for(reporter).post(NEW, _post_data(municipalities=None))
    assert response.status_code == 302
    activity = Activity.objects.get(title="Homework club")
    assert activity.organiser == red_cross and not activity.municipalities.exists()


def test_a_reporter_may_not_record_in_another_region(client_for, reporter, region_b):
    response = client_for(reporter).get(NEW, {"region": region_b.key})
    assert response.status_code == 404


def test_the_reporters_activity_page_names_the_actions_without_linking_the_programme(
    client_for, reporter, activities, action_a
):
    activity = activities["ours_a1"]
    activity.actions.set([action_a])
    response = client_for(reporter).get(_url(activity))
    assert response.status_code == 200
    assert _url(activity, "edit") in response.text
    assert "/programmes/programme-a/" not in response.text


@pytest.mark.parametrize("name", ["scouts", "unorganised", "b"])
def test_another_organisers_activity_does_not_exist_for_a_reporter(
    client_for, reporter, activities, name
):
    client = client_for(reporter)
    activity = activities[name]
    for what in ("", "edit", "delete"):
        assert client.get(_url(activity, what)).status_code == 404
    assert client.post(_url(activity, "delete")).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_reporter_edits_and_removes_their_organisations_activity(
    client_for, reporter, activities, red_cross
):
    client = client_for(reporter)
    activity = activities["ours_a1"]
    response = client.post(
        _url(activity, "edit"),
        _post_data(title="Ours, renamed", municipalities=["102"], recurrence="once", ends_on=""),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Ours, renamed" and activity.organiser == red_cross
    assert [m.code for m in activity.municipalities.all()] == ["102"]
    assert client.post(_url(activity, "delete")).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_the_reporters_activity_by_the_other_roles(
    client_for, activities, coordinator_region, coordinator_b, viewer
):
    # The region's coordinator changes it; another region's does not see it; a viewer reads.
    activity = activities["ours_a1"]
    assert client_for(coordinator_region).get(_url(activity, "edit")).status_code == 200
    assert client_for(coordinator_b).get(_url(activity)).status_code == 404
    assert client_for(viewer).get(_url(activity)).status_code == 200
    assert client_for(viewer).post(_url(activity, "delete")).status_code == 403


def test_anonymous_is_sent_to_log_in_from_the_reporters_activity(client, activities):
    for what in ("", "edit", "delete"):
        response = client.get(_url(activities["ours_a1"], what))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/en/statistics/",
        "/en/statistics/record/",
        "/en/statistics/upload/",
        "/en/statistics/export.csv",
        "/en/statistics/export.xlsx",
    ],
)
def test_the_statistics_pages_are_forbidden_to_a_reporter(client_for, reporter, url):
    assert client_for(reporter).get(url).status_code == 403


def test_a_statistic_does_not_exist_for_a_reporter(client_for, reporter, region_a, municipality_a1):
    statistic = services.statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=ServiceStatistic.Measure.INTEGRATION_PLANS,
        value=12,
    )
    response = client_for(reporter).post(f"/en/statistics/{statistic.code}/delete/")
    assert response.status_code == 404
    assert ServiceStatistic.objects.filter(pk=statistic.pk).exists()


def test_the_programmes_stay_closed_to_a_reporter(client_for, reporter, programme_a):
    client = client_for(reporter)
    assert client.get("/en/programmes/programme-a/").status_code == 404
    assert "/en/programmes/programme-a/" not in client.get("/en/").text


@pytest.mark.parametrize("size", [1, 20])
def test_the_reporters_list_reads_in_the_same_number_of_queries_at_any_size(
    size, client_for, reporter, region_a, red_cross, municipality_a1, municipality_a2, action_a
):
    def add(count):
        for _n in range(count):
            ActivityFactory(
                region=region_a,
                organiser=red_cross,
                municipalities=[municipality_a1, municipality_a2],
                actions=[action_a],
            )

    client = client_for(reporter)
    add(size)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    add(size * 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST)
    assert f"{size * 4} activities" in response.text
    assert len(large) == len(small)


# -- the API ---------------------------------------------------------------------------------


def test_the_api_lists_the_reporters_activities_only(api_for, reporter, activities):
    response = api_for(reporter).get(API)
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["items"]} == {
        "Ours A1",
        "Ours shared",
        "Ours region",
    }


def test_the_api_adds_with_the_reporters_organisation_as_organiser(
    api_for, send_json, reporter, programme_a, red_cross
):
    client = api_for(reporter)
    response = send_json(client, "post", API, body_of())
    assert response.status_code == 201, response.content
    assert response.json()["organiser"] == "red-cross"
    named = send_json(client, "post", API, body_of(title="Named", organiser="red-cross"))
    assert named.status_code == 201
    assert Activity.objects.get(title="Named").organiser == red_cross


def body_of(**fields):
    found = {
        "region": "region-a",
        "kind": "meeting_place",
        "title": "Language café",
        "municipalities": ["101", "102"],
        "actions": [{"programme": "programme-a", "action": "joint-meetings"}],
        "starts_on": "2025-01-08",
        "ends_on": "2025-06-11",
        "recurrence": "weekly",
    }
    found.update(fields)
    return found


@pytest.mark.parametrize("organiser", ["scouts", None])
def test_the_api_refuses_a_reporter_another_organiser(
    api_for, send_json, reporter, programme_a, scouts, organiser
):
    response = send_json(api_for(reporter), "post", API, body_of(organiser=organiser))
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_the_api_refuses_a_reporter_another_region(
    api_for, send_json, reporter, programme_b, region_b
):
    response = send_json(api_for(reporter), "post", API, body_of(region="region-b"))
    assert response.status_code == 404


def test_the_api_changes_and_deletes_the_reporters_activity(
    api_for, send_json, reporter, activities, programme_a
):
    client = api_for(reporter)
    ours = activities["ours_a1"]
    patched = send_json(client, "patch", f"{API}/{ours.code}", {"title": "Renamed"})
    assert patched.status_code == 200 and patched.json()["title"] == "Renamed"
    moved = send_json(client, "patch", f"{API}/{ours.code}", {"organiser": "scouts"})
    assert moved.status_code == 403
    replaced = send_json(
        client, "put", f"{API}/{ours.code}", body_of(title="Replaced", municipalities=[])
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["organiser"] == "red-cross"
    assert replaced.json()["municipalities"] == []
    assert client.delete(f"{API}/{ours.code}").status_code == 204
    assert not Activity.objects.filter(pk=ours.pk).exists()


@pytest.mark.parametrize("name", ["scouts", "unorganised", "b"])
def test_the_api_hides_other_organisers_activities_from_a_reporter(
    api_for, send_json, reporter, activities, name
):
    client = api_for(reporter)
    code = activities[name].code
    assert client.get(f"{API}/{code}").status_code == 404
    assert send_json(client, "patch", f"{API}/{code}", {"title": "x"}).status_code == 404
    assert client.delete(f"{API}/{code}").status_code == 404
    assert Activity.objects.filter(code=code).exists()


def test_the_api_keeps_the_statistics_from_a_reporter(
    api_for, send_json, reporter, region_a, municipality_a1
):
    services.statistic_record(
        actor=None,
        region=region_a,
        municipality=municipality_a1,
        period="2024",
        measure=ServiceStatistic.Measure.INTEGRATION_PLANS,
        value=12,
    )
    client = api_for(reporter)
    assert client.get("/api/v1/statistics").json()["items"] == []
    recorded = send_json(
        client,
        "post",
        "/api/v1/statistics",
        {
            "region": "region-a",
            "municipality": "101",
            "period": "2024",
            "measure": "integration_plans",
            "value": 99,
        },
    )
    assert recorded.status_code == 404
    assert ServiceStatistic.objects.get().value == 12


def test_the_api_asks_anonymous_for_a_token(api_for, activities):
    client = api_for(None)
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{activities['ours_a1'].code}").status_code == 401


@pytest.mark.parametrize("size", [1, 20])
def test_the_api_list_reads_in_the_same_number_of_queries_at_any_size(
    size, api_for, reporter, region_a, red_cross, municipality_a1, action_a
):
    client = api_for(reporter)

    def add(count):
        for _n in range(count):
            ActivityFactory(
                region=region_a,
                organiser=red_cross,
                municipalities=[municipality_a1],
                actions=[action_a],
                starts_on=datetime.date(2025, 3, 1),
            )

    add(size)
    client.get(API)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert client.get(API).status_code == 200
    add(size * 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(API)
    assert response.json()["count"] == size * 4
    assert len(large) == len(small)
