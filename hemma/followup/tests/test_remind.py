"""Reminders by e-mail before a round's deadline: each stage once, only to who is not ready."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from hemma.followup import rounds
from hemma.followup.models import Assignment

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)


def days_before(days: int) -> datetime.date:
    return DEADLINE - datetime.timedelta(days=days)


@pytest.fixture
def round_a(programme_a, coordinator_region):
    """The 2024 round with reminders 14 and 3 days before; A-stad's reporter has an e-mail."""
    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)
    rounds.assignment_update(
        actor=None, assignment=a1(round), name="A-stad", email="astad@example.org"
    )
    return round


def a1(round) -> Assignment:
    return round.assignments.get(municipality__code="101")


def test_a_stage_is_sent_once(round_a):
    assert rounds.reminders_send(today=days_before(20)) == 0
    assert rounds.reminders_send(today=days_before(14)) == 1
    assert rounds.reminders_send(today=days_before(14)) == 0
    assert rounds.reminders_send(today=days_before(10)) == 0
    assert rounds.reminders_send(today=days_before(3)) == 1
    assert rounds.reminders_send(today=days_before(1)) == 0

    assert [m.to for m in mail.outbox] == [["astad@example.org"]] * 2
    assert a1(round_a).reminders_sent == [14, 3]


def test_stages_missed_are_sent_as_one(round_a):
    assert rounds.reminders_send(today=days_before(2)) == 1
    assert a1(round_a).reminders_sent == [14, 3]
    assert len(mail.outbox) == 1


def test_the_reminder_says_what_when_and_where(round_a, band_indicator):
    rounds.reminders_send(today=days_before(3))

    message = mail.outbox[0]
    # In the programme's language (Swedish), whatever language the sender runs in.
    assert "2024" in message.subject and "om 3 dagar" in message.subject
    assert "31.3.2025" in message.body
    assert band_indicator.name["sv"] in message.body  # the indicator, in the programme's language
    assert "http://127.0.0.1:8000/sv/programmes/programme-a/" in message.body
    assert "/report/" not in message.body  # no reporting link in a reminder


def test_a_ready_reporter_gets_no_reminder(round_a, coordinator_region):
    rounds.assignment_ready_set(
        actor_or_link=coordinator_region, assignment=a1(round_a), ready=True
    )

    assert rounds.reminders_send(today=days_before(3)) == 0
    assert not mail.outbox


def test_a_reporter_without_an_e_mail_gets_no_reminder(round_a):
    rounds.assignment_update(actor=None, assignment=a1(round_a), name="A-stad", email="")
    assert rounds.reminders_send(today=days_before(3)) == 0


def test_no_reminder_after_the_deadline(round_a):
    assert rounds.reminders_send(today=DEADLINE + datetime.timedelta(days=1)) == 0
    assert not mail.outbox


def test_no_reminder_for_an_approved_round(round_a, coordinator_region):
    rounds.round_approve(actor=coordinator_region, round=round_a)
    assert rounds.reminders_send(today=days_before(3)) == 0
    assert not mail.outbox


def test_the_command_sends_what_is_due_and_is_idempotent(round_a, capsys):
    call_command("remind", "--today", days_before(14).isoformat())
    call_command("remind", "--today", days_before(14).isoformat())

    assert capsys.readouterr().out.splitlines() == ["1 reminder(s) sent.", "0 reminder(s) sent."]
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("remind", "--today", "31.3.2025")
