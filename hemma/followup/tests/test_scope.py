"""Indicators followed up for the region as a whole (joint actions) or in each municipality.

The format carries the scope; a region-scope indicator takes the region's value only, is
reported once in the round (by the region's reporter), is never missing in a municipality,
and is read-only in a municipality's grid.
"""

import datetime
import io
from decimal import Decimal

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hemma.followup import rounds
from hemma.followup.demo import YEARS, demo_values_load
from hemma.followup.models import Measurement, Round
from hemma.followup.round_selectors import link_page, round_overview
from hemma.followup.services import measurement_record
from hemma.followup.statuses import action_statuses, places_of
from hemma.followup.tests.test_dashboard import record as stored_value
from hemma.followup.tests.test_dashboard import table_rows, text_of
from hemma.lib import periods
from hemma.lib.problems import ProblemsFound
from hemma.programmes.interchange.exporting import programme_document, to_yaml
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

REGION = Indicator.Scope.REGION
DEADLINE = datetime.date(2025, 3, 31)


def scope_of(programme, key: str) -> str:
    return Indicator.objects.get(action__programme=programme, key=key).scope


@pytest.fixture
def joint(band_indicator):
    """programme_a's joint meetings, followed up for the region as a whole."""
    band_indicator.scope = REGION
    band_indicator.save(update_fields=["scope"])
    return band_indicator


def _indicators(document: dict) -> dict[str, dict]:
    return {
        indicator["key"]: indicator
        for theme in document["programme"]["themes"]
        for goal in theme["goals"]
        for action in goal["actions"]
        for indicator in action.get("indicators", [])
    }


# -- the format ------------------------------------------------------------------------------


def test_the_seed_marks_the_joint_actions_indicators_for_the_region(seed_programme):
    assert scope_of(seed_programme, "gemensamma-moten") == REGION
    assert scope_of(seed_programme, "uppdatering") == REGION
    assert scope_of(seed_programme, "integrationsplaner") == Indicator.Scope.MUNICIPALITY
    assert Indicator.objects.filter(action__programme=seed_programme, scope=REGION).count() == 2


def test_the_export_writes_the_scope_only_where_it_is_the_region(seed_programme):
    exported = _indicators(programme_document(seed_programme))

    assert exported["gemensamma-moten"]["scope"] == "region"
    assert "scope" not in exported["integrationsplaner"]


def test_an_exported_document_imports_back_unchanged(seed_programme):
    text = to_yaml(programme_document(seed_programme))

    result = programme_import(actor=None, document=yaml.safe_load(text))

    assert result.changes == []
    assert scope_of(seed_programme, "gemensamma-moten") == REGION


def test_a_re_import_changes_the_scope(seed_programme, seed_document):
    indicators = _indicators(seed_document)
    indicators["gemensamma-moten"].pop("scope")  # back to each municipality
    indicators["antal-forelasningar"]["scope"] = "region"

    programme_import(actor=None, document=seed_document)

    assert scope_of(seed_programme, "gemensamma-moten") == Indicator.Scope.MUNICIPALITY
    assert scope_of(seed_programme, "antal-forelasningar") == REGION


def test_an_unknown_scope_is_a_problem_at_its_place(seed_document):
    _indicators(seed_document)["uppdatering"]["scope"] = "county"

    with pytest.raises(ProblemsFound) as found:
        programme_import(actor=None, document=seed_document, dry_run=True)

    (problem,) = found.value.problems
    assert problem.path.endswith(".indicators[0].scope")
    assert "“county” is not allowed; use one of: municipality, region" in problem.message


def edit_url(indicator) -> str:
    return reverse(
        "programmes:indicator_edit", args=["programme-a", "joint-meetings", indicator.key]
    )


def test_the_coordinator_sets_on_the_web_whom_an_indicator_is_followed_up_for(
    client_for, coordinator_region, band_indicator
):
    client = client_for(coordinator_region)
    form = client.get(edit_url(band_indicator)).content.decode()
    assert "Followed up for" in form and "The region as a whole" in form

    client.post(
        edit_url(band_indicator),
        {"name_sv": "Möten", "kind": "frequency_band", "period": "year", "scope": "region"},
    )

    band_indicator.refresh_from_db()
    assert band_indicator.scope == REGION


# -- recording -------------------------------------------------------------------------------


def test_a_municipalitys_value_of_a_region_indicator_is_refused(joint, municipality_a1):
    with pytest.raises(ValidationError) as refused:
        measurement_record(
            actor=None,
            indicator=joint,
            municipality=municipality_a1,
            period="2024",
            values={"number": 3},
            version=None,
            source=Measurement.Source.WEB,
        )

    assert "followed up for the region as a whole" in refused.value.message_dict["municipality"][0]
    assert not Measurement.objects.exists()


def test_the_regions_value_of_a_region_indicator_is_recorded(joint):
    value = measurement_record(
        actor=None,
        indicator=joint,
        municipality=None,
        period="2024",
        values={"number": 3},
        version=None,
        source=Measurement.Source.WEB,
    )

    assert (value.municipality, value.status) == (None, "met")


def test_the_api_refuses_a_municipalitys_value_of_a_region_indicator(
    api_for, post_json, coordinator_region, joint
):
    body = {
        "programme": "programme-a",
        "action": "joint-meetings",
        "indicator": joint.key,
        "municipality": "101",
        "period": "2024",
        "number": 3,
    }

    response = post_json(api_for(coordinator_region), "/api/v1/values", body)

    assert response.status_code == 400
    (problem,) = response.json()["problems"]
    assert problem["field"] == "municipality"
    assert "for the region as a whole" in problem["message"]
    assert not Measurement.objects.exists()


# -- the round -------------------------------------------------------------------------------


def test_the_seed_round_asks_the_joint_meetings_once_for_the_region(seed_programme):
    round = rounds.round_open(
        actor=None, programme=seed_programme, period="2024", deadline=DEADLINE
    )

    asked = {
        (a.municipality.code if a.municipality else None, a.name): {x.key for x in a.actions.all()}
        for a in round.assignments.prefetch_related("actions").select_related("municipality")
    }
    assert asked[(None, "Kommunerna")] == {"regelbundna-traffar", "utvardering-och-uppdatering"}
    per_municipality = {key for (code, _n), keys in asked.items() if code for key in keys}
    assert "regelbundna-traffar" not in per_municipality
    assert "utvardering-och-uppdatering" not in per_municipality


def test_an_action_with_both_scopes_is_asked_of_each_reporter_for_their_own(
    programme_a, band_indicator, coordinator_region
):
    # Given the joint meetings also count the region's joint events
    events = f.IndicatorFactory(action=band_indicator.action, key="events", scope=REGION)
    # When a round is opened
    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)
    # Then the region's reporter (named for the region) is asked the joint events only, and
    # each municipality's reporter the meetings only
    overview = round_overview(user=coordinator_region, round=round)
    expected = {
        (row.assignment.municipality.code if row.assignment.municipality else None): (
            row.assignment.name,
            row.expected,
        )
        for row in overview.rows
    }
    assert expected == {None: ("Region A", 1), "101": ("A-stad", 1), "102": ("A-by", 1)}
    # And the pages of their links show what they are asked
    for assignment in round.assignments.all():
        link, _path = rounds.link_create(
            actor=coordinator_region, assignment=assignment, recipient_name="R", days=5
        )
        shown = [slot.indicator for action in link_page(link=link) for slot in action.slots]
        assert shown == ([events] if assignment.municipality is None else [band_indicator])


def test_a_regional_party_reports_a_municipalitys_indicator_for_each_municipality(
    programme_a, action_a, band_indicator, coordinator_region
):
    # The matrix counts the indicator in each municipality, so the round asks it there too.
    county = f.OrganisationFactory(region=programme_a.region, kind="wellbeing_county")
    action_a.party_links.create(organisation=county, role="responsible")

    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)

    rows = round_overview(user=coordinator_region, round=round).rows
    assert {row.assignment.municipality.code for row in rows} == {"101", "102"}
    assert all(row.assignment.organisation == county and row.expected == 1 for row in rows)


# -- seeing it -------------------------------------------------------------------------------


def dashboard_url(programme, period="2024") -> str:
    return reverse("followup:dashboard", args=[programme.slug, period])


def test_the_dashboard_does_not_miss_a_joint_indicator_in_each_municipality(
    client_for, viewer, joint
):
    html = client_for(viewer).get(dashboard_url(joint.action.programme)).content.decode()

    missing = text_of(html.split('id="fu-missing-heading"')[1])
    assert "A-stad: nothing missing" in missing
    assert "A-by: nothing missing" in missing
    assert "Region as a whole: 1 value missing" in missing
    # And the matrix says the municipalities have nothing to judge, not "no data"
    rows = table_rows(html, "fu-matrix")
    assert [c.split(" (values of")[0] for c in rows[1][1:]] == [
        "— not followed up here",
        "— not followed up here",
        "– No data",
    ]


def test_the_matrix_judges_the_regions_value_of_a_joint_indicator(client_for, viewer, joint):
    stored_value(joint, None, "2024", number=Decimal(3))

    html = client_for(viewer).get(dashboard_url(joint.action.programme)).content.decode()

    rows = table_rows(html, "fu-matrix")
    assert rows[1][3].startswith("✓ Met 1 of 1 met")


def test_in_a_round_the_joint_indicator_is_missing_for_the_region_only(
    client_for, viewer, joint, programme_a
):
    rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)

    html = client_for(viewer).get(dashboard_url(programme_a)).content.decode()

    rows = table_rows(html, "fu-assignments")
    assert [(row[1], row[3]) for row in rows[1:]] == [("Region as a whole", "1 of 1")]


def test_the_status_column_says_a_joint_action_is_not_followed_up_in_a_municipality(
    viewer, joint, programme_a
):
    places = places_of(programme_a)
    actions = list(programme_a.actions.prefetch_related("indicators"))

    found = [
        action_statuses(
            user=viewer,
            programme=programme_a,
            actions=actions,
            period=periods.parse("2024"),
            place=place,
        )[joint.action_id].rolled.followed_up
        for place in places
    ]

    assert found == [False, False, True]


def grid_url(place: str) -> str:
    return reverse("followup:grid", args=["programme-a", "2024", place])


def test_a_joint_indicator_is_read_only_in_a_municipalitys_grid(
    client_for, coordinator_region, joint
):
    html = client_for(coordinator_region).get(grid_url("101")).content.decode()

    row = html.split('id="value-joint-meetings-')[1].split("</tr>")[0]
    assert "Followed up for the region as a whole." in row
    assert f'href="{grid_url("region")}#value-joint-meetings-{joint.key}"' in row
    assert "<input" not in row and "<form" not in row


def test_a_joint_indicator_takes_its_value_in_the_regions_grid(
    client_for, coordinator_region, joint
):
    html = client_for(coordinator_region).get(grid_url("region")).content.decode()

    row = html.split('id="value-joint-meetings-')[1].split("</tr>")[0]
    assert "Followed up for the region" not in row
    assert "<form" in row


def test_a_joint_indicators_value_cannot_be_saved_in_a_municipalitys_grid(
    client_for, coordinator_region, joint
):
    url = reverse(
        "followup:grid_value", args=["programme-a", "2024", "101", "joint-meetings", joint.key]
    )

    response = client_for(coordinator_region).post(url, {"number": "3", "version": "0"})

    assert response.status_code == 404
    assert not Measurement.objects.exists()


def test_a_joint_indicator_is_not_in_the_actions_roll_up_in_a_municipalitys_grid(
    client_for, coordinator_region, joint, programme_a
):
    # Given the action also has a municipality's indicator, met in A-stad
    own = f.IndicatorFactory(
        action=joint.action, key="own", kind=Indicator.Kind.ONGOING, target_type="", target_min=None
    )
    a1 = programme_a.municipalities.get(code="101")
    stored_value(own, a1, "2024", done=True)
    # (and a value A-stad had before the meetings were made the region's: not met)
    stored_value(joint, a1, "2024", number=Decimal(0))

    html = client_for(coordinator_region).get(grid_url("101")).content.decode()

    summary = html.split('id="summary-joint-meetings"')[1].split("</p>")[0]
    assert "1 of 1 met" in text_of(summary)


# -- the demo --------------------------------------------------------------------------------


def test_the_demos_reporters_for_the_region_get_the_regions_address(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    call_command("demo", stdout=io.StringIO())

    region = Round.objects.get(period="2025").assignments.filter(municipality__isnull=True)
    municipal = Round.objects.get(period="2025").assignments.filter(municipality__isnull=False)

    assert set(region.values_list("email", flat=True)) == {"rapportor.region@example.org"}
    assert "rapportor.region@example.org" not in set(municipal.values_list("email", flat=True))


def test_the_demo_values_look_entered_in_the_round_after_their_year(seed_programme):
    today = datetime.date(2026, 3, 15)

    demo_values_load(programme=seed_programme, today=today)

    values = Measurement.objects.all()
    assert set(values.values_list("entered_by_name", flat=True)) == {"Demodata"}
    for value in values:
        entered = timezone.localtime(value.updated_at).date()
        year = int(value.period)
        assert value.created_at == value.updated_at
        if year < YEARS[-1]:
            assert datetime.date(year + 1, 1, 1) <= entered <= datetime.date(year + 1, 2, 28)
        else:
            assert today - datetime.timedelta(days=21) <= entered < today
