"""The follow-up in the programme's history: every event read as a person would, translated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from hemma.followup import rounds
from hemma.followup.models import Round
from hemma.followup.services import assessment_delete, assessment_record, measurement_record

pytestmark = pytest.mark.django_db

HISTORY = "/en/programmes/programme-a/history/"
DEADLINE = datetime.date(2025, 3, 31)


def read(client, url=HISTORY) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def entry(html: str, what: str) -> str:
    """The one history entry whose heading says `what` (e.g. "Changed</span>: Value of …")."""
    found = [e for e in html.split('<li class="history-entry">')[1:] if what in e]
    assert len(found) == 1, f"{len(found)} entries say {what!r}"
    return found[0].split("</li>")[0]


def line(label: str, old: str, new: str) -> str:
    return (
        f'<th scope="row">{label}</th><td class="as-written">{old}</td>'
        f'<td class="as-written">{new}</td>'
    )


def record(user, indicator, number, version=None, municipality="101", source="web"):
    return measurement_record(
        actor=user,
        indicator=indicator,
        municipality=municipality,
        period="2024",
        values={"number": number},
        version=version,
        source=source,
    )


@pytest.fixture
def round_a(programme_a, coordinator_region):
    return rounds.round_open(
        actor=coordinator_region, programme=programme_a, period="2024", deadline=DEADLINE
    )


# -- each kind of event ------------------------------------------------------------------------


def test_a_value_reads_as_the_indicator_place_and_period(
    client_for, coordinator_region, band_indicator
):
    # Given a value recorded on the web, then changed by a file
    record(coordinator_region, band_indicator, 3)
    record(coordinator_region, band_indicator, "5.00", version=1, source="file")
    # When the programme's history is read
    html = read(client_for(coordinator_region))
    # Then each says which value, and each field by its label, each value in words
    created = entry(html, "Created</span>: Value of Gemensamma möten, A-stad, 2024")
    assert line("Municipality", "—", "A-stad") in created
    assert line("Value", "—", "3") in created
    assert line("Status", "—", "Met") in created
    changed = entry(html, "Changed</span>: Value of Gemensamma möten, A-stad, 2024")
    assert line("Value", "3", "5") in changed
    assert line("Status", "Met", "Exceeded") in changed
    assert line("Source", "Entered on the web", "Imported from a file") in changed


def test_a_value_for_the_region_as_a_whole_says_so(client_for, coordinator_region, band_indicator):
    record(coordinator_region, band_indicator, 2, municipality=None)
    html = read(client_for(coordinator_region))
    assert "Value of Gemensamma möten, the region as a whole, 2024" in html


def test_a_round_reads_as_its_period_with_its_state_reason_and_deadline(
    client_for, coordinator_region, round_a
):
    # Given a round opened, approved and unlocked again with a reason
    rounds.round_approve(actor=coordinator_region, round=round_a)
    rounds.round_unlock(actor=coordinator_region, round=round_a, reason="A figure was wrong")
    # When the history is read
    html = read(client_for(coordinator_region))
    # Then each step names the round, the state by its label and the reason by its name
    opened = entry(html, "Created</span>: Reporting round 2024")
    assert line("Deadline", "—", "March 31, 2025") in opened
    assert line("Reporters", "—", "2") in opened
    assert line("Reminders, days before the deadline", "—", "14, 3") in opened
    approved = entry(html, "Approved</span>: Reporting round 2024")
    assert line("State", "Open", "Approved and locked") in approved
    unlocked = entry(html, "Unlocked</span>: Reporting round 2024")
    assert line("State", "Approved and locked", "Open") in unlocked
    assert line("Reason", "—", "A figure was wrong") in unlocked


def test_a_reporter_reads_as_its_name_place_and_period(client_for, coordinator_region, round_a):
    # Given a reporter renamed, then marked ready
    assignment = round_a.assignments.get(municipality__code="101")
    rounds.assignment_update(
        actor=coordinator_region, assignment=assignment, name="Kommunen", email="k@example.org"
    )
    rounds.assignment_ready_set(actor_or_link=coordinator_region, assignment=assignment, ready=True)
    # When the history is read
    html = read(client_for(coordinator_region))
    # Then both name the reporter with its municipality and period; ready reads yes/no
    heading = "Changed</span>: Reporter Kommunen (A-stad), 2024 </p>"
    both = "".join(e for e in html.split('<li class="history-entry">') if heading in e)
    assert both.count(heading) == 2
    assert line("E-mail", "—", "k@example.org") in both
    assert line("Ready", "No", "Yes") in both


def test_a_reporting_link_reads_as_its_recipient_with_times_in_the_pages_format(
    client_for, coordinator_region, round_a
):
    # Given a link made for Anna, then revoked
    assignment = round_a.assignments.get(municipality__code="101")
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=assignment, recipient_name="Anna Svensson"
    )
    rounds.link_revoke(actor=coordinator_region, link=link)
    link.refresh_from_db()
    # When the history is read
    html = read(client_for(coordinator_region))
    # Then the link is named by its recipient, and the times are Helsinki times in words
    created = entry(html, "Created</span>: Reporting link for Anna Svensson")
    expires = formats.date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT")
    assert line("Expires", "—", expires) in created
    assert line("Recipient", "—", "Anna Svensson") in created
    revoked = entry(html, "Changed</span>: Reporting link for Anna Svensson")
    assert (
        line(
            "Revoked",
            "—",
            formats.date_format(timezone.localtime(link.revoked_at), "DATETIME_FORMAT"),
        )
        in revoked
    )
    assert "+00:00" not in html


def test_an_assessment_reads_as_its_action_place_and_period_even_once_removed(
    client_for, coordinator_region, action_a, municipality_a1
):
    # Given an assessment recorded, then removed
    assessment_record(
        actor=coordinator_region,
        action=action_a,
        municipality=municipality_a1,
        period="2024",
        status="partly_met",
        justification="Two meetings of four",
    )
    assessment_delete(
        actor=coordinator_region, action=action_a, municipality=municipality_a1, period="2024"
    )
    # When the history is read
    html = read(client_for(coordinator_region))
    # Then both name the action, the municipality and the period; the status by its label
    created = entry(html, "Created</span>: Assessment of Åtgärd joint-meetings, A-stad, 2024")
    assert line("Assessment", "—", "Partly met") in created
    assert line("Justification", "—", "Two meetings of four") in created
    removed = entry(html, "Removed</span>: Assessment of Åtgärd joint-meetings, A-stad, 2024")
    assert line("Assessment", "Partly met", "—") in removed


def test_the_swedish_page_shows_no_field_or_value_as_stored(
    client_for, coordinator_region, band_indicator, action_a, municipality_a1, round_a
):
    # Given one event of every kind
    record(coordinator_region, band_indicator, 3)
    assessment_record(
        actor=coordinator_region,
        action=action_a,
        municipality=municipality_a1,
        period="2024",
        status="partly_met",
        justification="Två möten av fyra",
    )
    assignment = round_a.assignments.get(municipality__code="101")
    rounds.assignment_ready_set(actor_or_link=coordinator_region, assignment=assignment, ready=True)
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=assignment, recipient_name="Anna Svensson"
    )
    rounds.link_revoke(actor=coordinator_region, link=link)
    rounds.round_approve(actor=coordinator_region, round=round_a)
    rounds.round_unlock(actor=coordinator_region, round=round_a, reason="Fel siffra")
    # When it is read in Swedish
    html = read(client_for(coordinator_region), HISTORY.replace("/en/", "/sv/"))
    # Then no stored name or value shows through
    history = html[html.index('<ol class="history">') :]
    for raw in ("state", "revoked_at", "partly_met", "reason", "reporters", "+00:00", "None"):
        assert raw not in history, raw


# -- the page's queries ------------------------------------------------------------------------


def _follow_up(user, programme, indicator, action, municipality, year: int) -> None:
    """One event of every kind for one year."""
    period = str(year)
    round = rounds.round_open(
        actor=user, programme=programme, period=period, deadline=datetime.date(year + 1, 3, 31)
    )
    measurement_record(
        actor=user,
        indicator=indicator,
        municipality="101",
        period=period,
        values={"number": 3},
        version=None,
        source="web",
    )
    assessment_record(
        actor=user,
        action=action,
        municipality=municipality,
        period=period,
        status="met",
        justification="Done",
    )
    # And one for the region as a whole, removed again: said from what its creation recorded
    assessment_record(
        actor=user, action=action, municipality=None, period=period, status="met", justification="X"
    )
    assessment_delete(actor=user, action=action, municipality=None, period=period)
    assignment = round.assignments.get(municipality__code="101")
    rounds.assignment_ready_set(actor_or_link=user, assignment=assignment, ready=True)
    link, _path = rounds.link_create(actor=user, assignment=assignment, recipient_name="Anna")
    rounds.link_revoke(actor=user, link=link)
    rounds.round_approve(actor=user, round=Round.objects.get(pk=round.pk))


def test_the_history_reads_follow_up_events_in_as_many_queries_however_many(
    client_for,
    coordinator_region,
    programme_a,
    band_indicator,
    action_a,
    municipality_a1,
    django_assert_max_num_queries,
):
    # Given the follow-up of one year
    client = client_for(coordinator_region)
    _follow_up(coordinator_region, programme_a, band_indicator, action_a, municipality_a1, 2023)
    client.get(HISTORY)
    with CaptureQueriesContext(connection) as few:
        client.get(HISTORY)
    # When there are three years of it
    for year in (2024, 2025):
        _follow_up(coordinator_region, programme_a, band_indicator, action_a, municipality_a1, year)
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as many:
        html = read(client)
    # Then the page reads them in as many queries
    assert "Reporting round 2025" in html and "Reporting round 2023" in html
    assert (
        "Removed</span>: Assessment of Åtgärd joint-meetings, the region as a whole, 2024" in html
    )
    assert len(many) == len(few)
