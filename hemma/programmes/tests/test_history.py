"""An action's page with its history, and the programme's history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemma.audit.models import AuditEvent
from hemma.programmes import services
from hemma.programmes.models import ActionParty, Organisation
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

ACTION = "/en/programmes/programme-a/actions/joint-meetings/"
HISTORY = "/en/programmes/programme-a/history/"


def edit_title(user, action, **title):
    services.action_update(
        actor=user,
        action=action,
        title=title,
        responsible_text={},
        partners_text={},
        followup={},
        responsible_per_municipality=action.responsible_per_municipality,
        responsible=[],
        partners=[],
    )


# -- the action's page -------------------------------------------------------------------------


def test_the_action_page_shows_its_texts_parties_and_indicators(
    client_for, viewer, programme_a, action_a
):
    # Given an action with texts in three languages, a responsible party and a partner
    action_a.title = {"sv": "Gemensamma möten", "fi": "Yhteiset kokoukset", "en": "Joint meetings"}
    action_a.save()
    kommunen = Organisation.objects.get(key="kommunen")
    ngo = f.OrganisationFactory(region=programme_a.region, name={"sv": "Föreningen"})
    ActionParty.objects.create(action=action_a, organisation=kommunen, role="responsible")
    ActionParty.objects.create(action=action_a, organisation=ngo, role="partner")
    # When a viewer opens its page
    response = client_for(viewer).get(ACTION)
    html = response.content.decode()
    # Then it shows every language's text, marked with its language
    assert response.status_code == 200
    assert '<td lang="sv" class="as-written">Gemensamma möten</td>' in html
    assert '<td lang="fi" class="as-written">Yhteiset kokoukset</td>' in html
    assert '<th scope="col">Finnish</th>' in html
    # And the parties and the indicator with its target in words
    assert "Kommunen" in html and "Föreningen" in html
    assert "Frequency band" in html and "2–4 per year" in html
    # And nothing to edit for a viewer
    assert "/indicators/add/" not in html and "/edit/" not in html


def test_a_coordinator_can_add_and_edit_indicators_from_the_action_page(
    client_for, coordinator_region, action_a
):
    html = client_for(coordinator_region).get(ACTION).content.decode()
    indicator = action_a.indicators.get()
    assert "/actions/joint-meetings/indicators/add/" in html
    assert f"/actions/joint-meetings/indicators/{indicator.key}/edit/" in html
    assert f"/actions/joint-meetings/indicators/{indicator.key}/delete/" in html


def test_the_history_says_who_when_and_what_changed_newest_first(
    client_for, coordinator_region, viewer, action_a
):
    # Given two edits of the title, the second only in Finnish
    edit_title(coordinator_region, action_a, sv="Möten", fi="")
    edit_title(coordinator_region, action_a, fi="Kokoukset")
    AuditEvent.objects.update(created_at=datetime.datetime(2025, 3, 1, 12, 5, tzinfo=datetime.UTC))
    # When the viewer reads the action's page
    html = client_for(viewer).get(ACTION).content.decode()
    history = html[html.index('<h2 id="history">') :]
    # Then each change names who and when (in Helsinki time) and the field per language
    assert history.count('<li class="history-entry">') == 2
    assert "coordinator_region" in history
    assert "March 1, 2025, 2:05 p.m." in history
    assert '<th scope="row">Action (Finnish)</th><td class="as-written">—</td>' in history
    assert "Action (Swedish)</th><td" in history
    # And the newest comes first: the Finnish change before the Swedish one
    assert history.index("Action (Finnish)") < history.index("Action (Swedish)")


def test_the_time_is_written_the_pages_way(client_for, viewer, coordinator_region, action_a):
    edit_title(coordinator_region, action_a, sv="Möten")
    AuditEvent.objects.update(created_at=datetime.datetime(2025, 3, 1, 12, 5, tzinfo=datetime.UTC))
    html = client_for(viewer).get(ACTION.replace("/en/", "/sv/")).content.decode()
    assert "1 mars 2025 14:05" in html


def test_the_history_keeps_a_removed_indicator(client_for, coordinator_region, action_a):
    # Given an indicator that was added, changed and removed
    indicator = services.indicator_create(
        actor=coordinator_region, action=action_a, name={"sv": "Antal kurser"}, kind="count"
    )
    services.indicator_update(
        actor=coordinator_region,
        indicator=indicator,
        name={"sv": "Antal ordnade kurser"},
        kind="count",
        unit={},
        period="year",
        target_type="",
        target_min=None,
        target_max=None,
        target_direction="",
        target_years=None,
    )
    services.indicator_delete(actor=coordinator_region, indicator=indicator)
    # Then the action's history still tells all three
    html = client_for(coordinator_region).get(ACTION).content.decode()
    history = html[html.index('<h2 id="history">') :]
    assert history.count('<li class="history-entry">') == 3
    assert "Removed" in history and "Created" in history and "Changed" in history
    assert "Antal ordnade kurser" in history


def test_another_actions_changes_are_not_in_its_history(
    client_for, coordinator_region, programme_a, action_a
):
    other = f.ActionFactory(key="other", goal=action_a.goal)
    other.programme = programme_a
    edit_title(coordinator_region, other, sv="Annan åtgärd")
    html = client_for(coordinator_region).get(ACTION).content.decode()
    assert "No changes are recorded yet." in html


def test_the_action_pages_query_count_does_not_grow_with_its_history(
    client_for, coordinator_region, action_a, django_assert_max_num_queries
):
    # Given a short history, of the action and of an indicator
    client = client_for(coordinator_region)
    edit_title(coordinator_region, action_a, sv="Möten 0")
    services.indicator_create(
        actor=coordinator_region, action=action_a, name={"sv": "Mätare 0"}, kind="count"
    )
    client.get(ACTION)
    with CaptureQueriesContext(connection) as few:
        client.get(ACTION)
    # When it grows long
    for n in range(1, 30):
        edit_title(coordinator_region, action_a, sv=f"Möten {n}")
        services.indicator_create(
            actor=coordinator_region, action=action_a, name={"sv": f"Mätare {n}"}, kind="count"
        )
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as many:
        html = client.get(ACTION).content.decode()
    # Then the page reads it in as many queries
    assert html.count('<li class="history-entry">') == 60
    assert len(many) == len(few)


# -- the programme's history ---------------------------------------------------------------------


def test_the_programme_history_includes_imports(
    client_for, coordinator_region, seed_programme, django_assert_max_num_queries
):
    coordinator_region.memberships.update(region=seed_programme.region)
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(12):
        response = client.get(f"/en/programmes/{seed_programme.slug}/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Imported" in html
    assert "integrationsprogram-2023-2025.yaml" in html  # the file, as the import recorded it


def test_the_programme_history_has_50_entries_a_page(
    client_for, coordinator_region, action_a, django_assert_max_num_queries
):
    for n in range(60):
        edit_title(coordinator_region, action_a, sv=f"Titel {n}")
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(12):
        first = client.get(HISTORY).content.decode()
    second = client.get(HISTORY + "?page=2").content.decode()
    assert first.count('<li class="history-entry">') == 50
    assert second.count('<li class="history-entry">') == 10
    assert "Titel 59" in first and "Titel 0" in second
    assert 'href="?page=2" rel="next"' in first
    # And each action's entry links to its page
    assert f'href="{ACTION}"' in first


# -- who may read them -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ACTION, HISTORY])
@pytest.mark.parametrize("user", ["coordinator_region", "coordinator_a", "viewer"])
def test_everyone_who_sees_the_programme_reads_its_history(
    client_for, request, action_a, user, url
):
    assert client_for(request.getfixturevalue(user)).get(url).status_code == 200


@pytest.mark.parametrize("url", [ACTION, HISTORY])
def test_another_regions_coordinator_gets_404(client_for, coordinator_b, action_a, url):
    assert client_for(coordinator_b).get(url).status_code == 404


@pytest.mark.parametrize("url", [ACTION, HISTORY])
def test_the_history_pages_are_read_only(client_for, viewer, action_a, url):
    # They take no POST: reading changes nothing.
    assert client_for(viewer).post(url).status_code == 405


@pytest.mark.parametrize("url", [ACTION, HISTORY])
def test_anonymous_is_sent_to_log_in(client, action_a, url):
    assert "/accounts/login/" in client.get(url)["Location"]


def test_an_unknown_action_is_404(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).get("/en/programmes/programme-a/actions/nope/")
    assert response.status_code == 404
