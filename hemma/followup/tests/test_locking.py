"""Approving a round locks its period; only a region coordinator unlocks it, with a reason."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from hemma.accounts.services import token_create
from hemma.audit.models import AuditEvent
from hemma.followup import rounds
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Measurement, Round
from hemma.followup.services import ValueItem, measurement_record, measurement_record_many
from hemma.lib.problems import ProblemsFound

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)


@pytest.fixture
def round_a(programme_a):
    return rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)


@pytest.fixture
def approved(round_a, coordinator_region):
    return rounds.round_approve(actor=coordinator_region, round=round_a)


def url(name: str, round) -> str:
    return reverse(f"followup:{name}", args=[round.programme.slug, round.period])


def record(actor, indicator, period="2024", number=3):
    return measurement_record(
        actor=actor,
        indicator=indicator,
        municipality="101",
        period=period,
        values={"number": number},
        version=None,
        source=Measurement.Source.WEB,
    )


# -- approving -------------------------------------------------------------------------------


def test_approving_locks_the_period_for_values(approved, coordinator_region, band_indicator):
    assert approved.state == Round.State.APPROVED
    assert approved.approved_by == coordinator_region
    with pytest.raises(PeriodLocked):
        record(coordinator_region, band_indicator)
    assert not Measurement.objects.exists()
    # Another period stays open.
    assert record(coordinator_region, band_indicator, period="2025").number == 3


def test_approving_is_in_the_audit_trail(approved, coordinator_region):
    event = AuditEvent.objects.get(verb="approve")
    assert (event.actor, event.target_id, event.changes["state"]) == (
        coordinator_region,
        str(approved.pk),
        ["open", "approved"],
    )


def test_a_locked_period_is_refused_by_the_api(approved, coordinator_region, value):
    _token, secret = token_create(user=coordinator_region, name="test")
    api = Client(headers={"Accept-Language": "en", "Authorization": f"Bearer {secret}"})
    body = value()

    one = api.post("/api/v1/values", data=json.dumps(body), content_type="application/json")
    many = api.post(
        "/api/v1/values/bulk", data=json.dumps({"items": [body]}), content_type="application/json"
    )

    assert one.status_code == 409
    assert "approved and locked" in one.json()["detail"]
    assert many.status_code == 400
    assert [p["path"] for p in many.json()["problems"]] == ["items[0].period"]
    assert not Measurement.objects.exists()


def test_a_locked_period_is_a_problem_of_the_bulk_item(
    approved, coordinator_region, band_indicator
):
    item = ValueItem(
        indicator=band_indicator, municipality="101", period="2024", values={"number": 2}
    )
    with pytest.raises(ProblemsFound) as found:
        measurement_record_many(actor=coordinator_region, items=[item], source="web")
    assert [p.path for p in found.value.problems] == ["items[0].period"]


def test_a_link_of_an_approved_round_refuses(client, round_a, coordinator_region, band_indicator):
    assignment = round_a.assignments.get(municipality__code="101")
    _link, path = rounds.link_create(
        actor=coordinator_region, assignment=assignment, recipient_name="Maja"
    )
    rounds.round_approve(actor=coordinator_region, round=round_a)
    path = path.replace("/sv/", "/en/", 1)

    page = client.get(path)
    posted = client.post(path, {f"i{band_indicator.pk}-2024-number": "3"})

    assert page.status_code == posted.status_code == 403
    assert "approved and locked" in page.content.decode()
    assert rounds.link_from_token(path.rstrip("/").split("/")[-1]) is None
    assert not Measurement.objects.exists()


def test_ready_marks_cannot_change_in_an_approved_round(approved, coordinator_region):
    with pytest.raises(PeriodLocked):
        rounds.assignment_ready_set(
            actor_or_link=coordinator_region, assignment=approved.assignments.first(), ready=True
        )


def test_region_coordinator_approves_on_the_overview(client_for, coordinator_region, round_a):
    response = client_for(coordinator_region).post(url("round_approve", round_a), {"confirm": "1"})

    round_a.refresh_from_db()
    assert response.status_code == 302
    assert round_a.locked
    page = client_for(coordinator_region).get(url("round", round_a)).content.decode()
    assert "Approved and locked" in page
    assert "Unlock the period" in page


@pytest.mark.parametrize(
    "user, status", [("coordinator_a", 403), ("viewer", 403), ("coordinator_b", 404)]
)
def test_who_may_not_approve(request, client_for, round_a, user, status):
    response = client_for(request.getfixturevalue(user)).post(url("round_approve", round_a))
    assert response.status_code == status
    round_a.refresh_from_db()
    assert not round_a.locked


def test_approving_needs_a_login(client, round_a):
    assert client.post(url("round_approve", round_a)).status_code == 302
    round_a.refresh_from_db()
    assert not round_a.locked


def test_an_approved_round_cannot_be_approved_again(approved, coordinator_region):
    with pytest.raises(ValidationError):
        rounds.round_approve(actor=coordinator_region, round=approved)


# -- unlocking -------------------------------------------------------------------------------


def test_unlocking_needs_the_region_coordinator(approved, coordinator_a, viewer):
    for user in (coordinator_a, viewer, None):
        with pytest.raises(PermissionDenied):
            rounds.round_unlock(actor=user, round=approved, reason="A correction")
    approved.refresh_from_db()
    assert approved.locked


def test_unlocking_needs_a_reason(approved, coordinator_region):
    with pytest.raises(ValidationError) as error:
        rounds.round_unlock(actor=coordinator_region, round=approved, reason="  ")
    assert "reason" in error.value.message_dict
    approved.refresh_from_db()
    assert approved.locked


def test_region_coordinator_unlocks_with_a_reason_kept_in_the_trail(
    approved, coordinator_region, band_indicator
):
    rounds.round_unlock(
        actor=coordinator_region, round=approved, reason="Larsmo's figures were wrong"
    )

    approved.refresh_from_db()
    assert approved.state == Round.State.OPEN
    event = AuditEvent.objects.get(verb="unlock")
    assert event.actor == coordinator_region
    assert event.changes["reason"] == [None, "Larsmo's figures were wrong"]
    assert record(coordinator_region, band_indicator).number == 3


def test_unlocking_on_the_overview(client_for, coordinator_region, approved):
    client = client_for(coordinator_region)

    without = client.post(url("round_unlock", approved), {"reason": ""})
    approved.refresh_from_db()
    assert without.status_code == 200
    assert "This field is required." in without.content.decode()
    assert approved.locked

    response = client.post(url("round_unlock", approved), {"reason": "Corrections"})
    approved.refresh_from_db()
    assert response.status_code == 302
    assert not approved.locked
    assert AuditEvent.objects.get(verb="unlock").changes["reason"] == [None, "Corrections"]


@pytest.mark.parametrize(
    "user, status", [("coordinator_a", 403), ("viewer", 403), ("coordinator_b", 404)]
)
def test_who_may_not_unlock(request, client_for, approved, user, status):
    response = client_for(request.getfixturevalue(user)).post(
        url("round_unlock", approved), {"reason": "Because"}
    )
    assert response.status_code == status
    approved.refresh_from_db()
    assert approved.locked


def test_unlocking_needs_a_login(client, approved):
    assert client.post(url("round_unlock", approved), {"reason": "Because"}).status_code == 302
    approved.refresh_from_db()
    assert approved.locked
