"""The programme as the seed's table: facts, themes, rows, indicators, export links, access."""

import copy
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import ActionParty, CouncilDecision
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def page(client, programme, language="en"):
    return client.get(f"/{language}/programmes/{programme.slug}/")


def test_the_seed_reads_as_its_table_theme_by_theme(client_for, viewer, seed_programme):
    # Given the seed programme in a region the viewer reads
    viewer.memberships.update(region=seed_programme.region)
    # When they open it
    response = page(client_for(viewer), seed_programme)
    # Then every theme is a heading, each with the five columns, and all 24 actions are rows
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<h2 id="theme-') == 6
    assert "Foundations for inclusion and integration" in html
    assert html.count('<th scope="col">Goal</th>') == 6
    for heading in ("Action", "Responsible", "Partners", "Follow-up"):
        assert f'<th scope="col">{heading}</th>' in html
    assert html.count('<tr id="action-') == 24
    # And the frequency band is under its follow-up in words
    assert "Frequency band</span>: 2–4 per year" in html


def test_the_programme_facts_are_at_the_top(client_for, coordinator_region, programme_a):
    # Given a programme with a legal basis, a review date and a council decision
    programme_a.legal_basis = "681/2023 §45"
    programme_a.next_review = datetime.date(2026, 12, 31)
    programme_a.save()
    CouncilDecision.objects.create(
        programme=programme_a,
        municipality=programme_a.municipalities.get(code="101"),
        body={"sv": "Stadsfullmäktige", "en": "City Council"},
        date=datetime.date(2023, 3, 20),
        section="§ 25",
    )
    # When the coordinator opens it
    html = page(client_for(coordinator_region), programme_a).content.decode()
    # Then period, status, kind and basis, municipalities, decisions and the review show
    assert "2023–2025" in html
    assert "Approved" in html
    assert "Programme for promoting integration (681/2023 §45)" in html
    assert "A-stad" in html and "A-by" in html
    assert "City Council, March 20, 2023, § 25" in html
    assert "Dec. 31, 2026" in html


def test_a_translation_note_shows_only_on_a_translated_page(
    client_for, coordinator_region, programme_a
):
    # Given a programme in Swedish with a note on its English translation
    programme_a.translation_notes = {"en": "Unofficial translation."}
    programme_a.save()
    client = client_for(coordinator_region)
    # Then the English page shows the note and the Swedish one does not
    assert "Unofficial translation." in page(client, programme_a, "en").content.decode()
    assert "Unofficial translation." not in page(client, programme_a, "sv").content.decode()


def test_export_links_for_every_format(client_for, viewer, programme_a):
    html = page(client_for(viewer), programme_a).content.decode()
    for fmt in ("json", "yaml", "xlsx", "csv"):
        assert f'href="/en/programmes/programme-a/export.{fmt}"' in html


def test_the_downloads_are_a_group_of_their_own(client_for, coordinator_region, programme_a):
    # When the coordinator reads the toolbar
    html = page(client_for(coordinator_region), programme_a).content.decode()
    # Then "Download" names a group that holds the four formats and nothing else
    group = re.search(
        r'<div [^>]*role="group" aria-labelledby="([^"]+)"[^>]*>(.*?)</div>', html, re.S
    )
    label_id, inside = group.groups()
    assert re.search(rf'id="{label_id}">Download</span>', inside)
    assert re.findall(r"export\.(\w+)", inside) == ["json", "yaml", "xlsx", "csv"]
    assert "/history/" not in inside and "/import/" not in inside
    # And History and Import are still there, apart
    assert "/programmes/programme-a/history/" in html
    assert "/programmes/programme-a/import/" in html
    assert "Download:" not in html


def test_every_themes_table_has_the_same_columns(client_for, viewer, seed_programme):
    viewer.memberships.update(region=seed_programme.region)
    html = page(client_for(viewer), seed_programme).content.decode()
    colgroups = re.findall(r"<colgroup>.*?</colgroup>", html)
    assert len(colgroups) == 6 and len(set(colgroups)) == 1
    assert colgroups[0].count("<col ") == 5


def row_of(html: str, key: str) -> str:
    start = html.index(f'<tr id="action-{key}">')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize(
    ("language", "label"),
    [("sv", "Kommunspecifikt"), ("fi", "Kuntakohtainen"), ("en", "Set per municipality")],
)
def test_set_per_municipality_is_not_said_twice(
    client_for, viewer, seed_programme, language, label
):
    # Given the seed's action whose responsible text begins "Kommunspecifikt (…)"
    viewer.memberships.update(region=seed_programme.region)
    # When the table is read in Swedish, Finnish or English
    html = page(client_for(viewer), seed_programme, language).content.decode()
    # Then its row says it once, in the text as written
    row = row_of(html, "delta-i-befintlig-undervisning")
    assert row.count(label) == 1, row


def test_set_per_municipality_is_said_when_the_text_does_not_say_it(
    client_for, viewer, programme_a, action_a
):
    # Given an action set per municipality whose text names the units, not the rule
    action_a.responsible_per_municipality = True
    action_a.responsible_text = {"sv": "Grundläggande utbildning"}
    action_a.save()
    html = page(client_for(viewer), programme_a, "sv").content.decode()
    row = row_of(html, "joint-meetings")
    assert "Grundläggande utbildning" in row
    with translation.override("sv"):
        label = gettext("Set per municipality")
    assert f'<p class="per-municipality">{label}</p>' in row


def test_each_indicator_is_named_in_the_follow_up(client_for, viewer, programme_a, action_a):
    # Given an action with two indicators of the same kind
    f.IndicatorFactory(
        action=action_a,
        name={"sv": "Integrationsplaner", "en": "Integration plans"},
        kind="count",
        target_type="direction",
        target_direction="maintain",
        target_min=None,
        target_max=None,
    )
    f.IndicatorFactory(
        action=action_a,
        name={"sv": "Mötesplatser"},
        kind="count",
        target_type="direction",
        target_direction="increase",
        target_min=None,
        target_max=None,
    )
    # When the table is read in English
    row = row_of(page(client_for(viewer), programme_a).content.decode(), "joint-meetings")
    # Then each indicator has its name (in English, else in Swedish), its kind and target
    assert (
        '<span class="indicator-name">Integration plans</span> — '
        '<span class="indicator-kind">Count</span>: Maintain'
    ) in row
    assert (
        '<span class="indicator-name"><span lang="sv" dir="ltr">Mötesplatser</span></span> — '
        '<span class="indicator-kind">Count</span>: Increase'
    ) in row


def test_set_per_municipality_shows_the_units_each_municipality_named(
    client_for, viewer, programme_a, action_a, municipality_a1
):
    # Given an action set per municipality, for which A1 named two units
    action_a.responsible_per_municipality = True
    action_a.save()
    for position, name in enumerate(["Fritid", "Skola"]):
        unit = f.OrganisationFactory(
            region=programme_a.region, municipality=municipality_a1, name={"sv": name}
        )
        ActionParty.objects.create(
            action=action_a,
            organisation=unit,
            role="responsible",
            municipality=municipality_a1,
            position=position,
        )
    # When the table is read
    html = page(client_for(viewer), programme_a).content.decode()
    # Then the cell says so, and lists A1's units after its name
    assert "Set per municipality" in html
    assert 'A-stad</span>: <span lang="sv" dir="ltr">Fritid</span>, ' in html
    assert "Skola" in html


def _doubled(document):
    """The document with a copy of every action (new keys), so twice the rows."""
    document = copy.deepcopy(document)
    for theme in document["programme"]["themes"]:
        for goal in theme["goals"]:
            copies = copy.deepcopy(goal["actions"])
            for action in copies:
                action["key"] += "-copy"
            goal["actions"] += copies
    return document


def test_the_query_count_does_not_grow_with_the_programme(
    client_for, coordinator_region, seed_programme, seed_document, django_assert_max_num_queries
):
    # Given the seed, read by its region's coordinator
    coordinator_region.memberships.update(region=seed_programme.region)
    client = client_for(coordinator_region)
    page(client, seed_programme)  # the session and the like, once
    with CaptureQueriesContext(connection) as seed_queries:
        assert page(client, seed_programme).status_code == 200
    # When the programme has twice the actions
    programme_import(actor=None, document=_doubled(seed_document))
    assert seed_programme.actions.count() == 48
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as doubled_queries:
        response = page(client, seed_programme)
    # Then the page reads it in as many queries
    assert response.content.decode().count('<tr id="action-') == 48
    assert len(doubled_queries) == len(seed_queries)


# -- who sees what -----------------------------------------------------------------------------


def test_a_region_coordinator_sees_edit_buttons(client_for, coordinator_region, programme_a):
    html = page(client_for(coordinator_region), programme_a).content.decode()
    assert "/actions/joint-meetings/edit/" in html
    assert "/themes/foundation/edit/" in html
    assert "/themes/foundation/goals/cooperation/edit/" in html
    assert "/programmes/programme-a/import/" in html


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_readers_see_the_table_without_edit_buttons(client_for, request, user, programme_a):
    response = page(client_for(request.getfixturevalue(user)), programme_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mål cooperation" in html
    assert "/edit/" not in html
    assert "/import/" not in html


def test_a_municipal_coordinator_gets_a_link_to_name_their_units(
    client_for, coordinator_a, programme_a, action_a
):
    action_a.responsible_per_municipality = True
    action_a.save()
    html = page(client_for(coordinator_a), programme_a).content.decode()
    assert "/actions/joint-meetings/units/101/" in html
    assert "/units/102/" not in html


def test_another_regions_coordinator_gets_404(client_for, coordinator_b, programme_a):
    assert page(client_for(coordinator_b), programme_a).status_code == 404


def test_anonymous_is_sent_to_log_in(client, programme_a):
    response = page(client, programme_a)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
