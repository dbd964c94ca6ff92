"""Each kind of recorded value as a person reads it (hemma.audit.labels)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from hemma.audit.labels import change_lines, field_label, value_text
from hemma.followup.models import Assessment, Measurement, ReportingLink, Round
from hemma.tests import factories as f


def test_fields_read_by_their_verbose_name_or_the_explicit_label():
    assert field_label(Round, "state") == "State"
    assert field_label(ReportingLink, "revoked_at") == "Revoked"
    assert field_label(Measurement, "number") == "Value"
    # Not a field, or a field without a translated name: the explicit map
    assert field_label(Round, "reason") == "Reason"
    assert field_label(Assessment, "municipality") == "Municipality"


def test_values_read_by_their_kind():
    number = Measurement._meta.get_field("number")
    done_on = Measurement._meta.get_field("done_on")
    revoked = ReportingLink._meta.get_field("revoked_at")
    assert value_text("3.00", number) == "3"
    assert value_text(2.5, number) == "2.5"
    assert value_text(Decimal("12.50")) == "12.5"
    assert value_text(True) == "Yes" and value_text(False) == "No"
    assert value_text("approved", Round._meta.get_field("state")) == "Approved and locked"
    assert value_text("2024-05-02", done_on) == "May 2, 2024"
    # Stored in UTC, read in Helsinki time
    assert value_text("2026-11-28 01:37:10.012830+00:00", revoked) == "Nov. 28, 2026, 3:37 a.m."
    assert value_text(["sv", "ar"], name="languages") == "Swedish, Arabic"
    assert value_text("598", name="municipality", municipalities={"598": "Jakobstad"}) == (
        "Jakobstad"
    )
    assert value_text(None) == value_text("") == value_text([]) == "—"


def test_choices_read_in_the_active_language():
    with translation.override("sv"):
        lines = change_lines(
            Measurement,
            {"status": ["met", "partly_met"], "source": [None, "file"]},
            language="sv",
        )
    assert [(line.label, line.old, line.new) for line in lines] == [
        ("Status", "Uppfyllt", "Delvis uppfyllt"),
        ("Källa", "—", "Importerat från en fil"),
    ]


# -- an activity's history: organisations, the region and actions by name -------------------


def _activity_with_history(region, action, organisations, updates: int):
    """An activity of `region` created with `action`, then its organiser and partners changed
    `updates` times (one event each), cycling through `organisations`."""
    from hemma.registries.services import activity_create, activity_update

    activity = activity_create(
        actor=None,
        region=region,
        fields={
            "kind": "event",
            "title": "Café",
            "starts_on": datetime.date(2024, 3, 1),
            "actions": [action],
        },
    )
    for number in range(updates):
        organiser = organisations[number % len(organisations)]
        partner = organisations[(number + 1) % len(organisations)]
        activity_update(
            actor=None,
            activity=activity,
            fields={"organiser": organiser.key, "partners": [partner.key]},
        )
    return activity


@pytest.mark.django_db
def test_an_activitys_history_names_organisations_the_region_and_actions(
    client_for, coordinator_region, region_a, action_a
):
    # Given organisations with Swedish and Finnish names, and an action titled in Swedish
    culture = f.OrganisationFactory(
        region=region_a,
        key="fritid-och-kultur",
        name={"sv": "Fritid och kultur", "fi": "Vapaa-aika ja kulttuuri"},
    )
    school = f.OrganisationFactory(
        region=region_a, key="skolan", name={"sv": "Skolan", "fi": "Koulu"}
    )
    action_a.title = {"sv": "Kulturella aktiviteter"}
    action_a.save(update_fields=["title"])
    activity = _activity_with_history(region_a, action_a, [culture, school], updates=2)
    url = f"/fi/activities/{activity.code}/"

    # When a coordinator reads its page in Finnish
    html = client_for(coordinator_region).get(url).content.decode()

    # Then the history names them, not their keys
    assert "Vapaa-aika ja kulttuuri" in html and "Koulu" in html
    assert "Seutu A" in html  # the region, in Finnish
    assert "Kulturella aktiviteter" in html  # the action, in its programme's language
    assert "fritid-och-kultur" not in html
    assert "region-a" not in html.split('class="history"', 1)[1]
    assert f"{action_a.programme.slug}/{action_a.key}" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("updates", [2, 12])
def test_an_activitys_history_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, region_a, action_a, updates, django_assert_max_num_queries
):
    # Given an activity whose organiser and partners changed 2 or 12 times
    organisations = [
        f.OrganisationFactory(region=region_a, name={"sv": f"Förening {n}"}) for n in range(4)
    ]
    activity = _activity_with_history(region_a, action_a, organisations, updates=updates)
    client = client_for(coordinator_region)
    # When its page is read, then the queries do not grow with the history
    with django_assert_max_num_queries(13):
        response = client.get(f"/en/activities/{activity.code}/")
    assert response.status_code == 200
    history = response.text.split('class="history"', 1)[1]
    assert "Förening 0" in history
    assert not any(o.key in history for o in organisations)
