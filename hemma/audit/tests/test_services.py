from decimal import Decimal

import pytest

from hemma.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_numbers_are_kept_as_a_person_wrote_them(action_a, coordinator_region):
    event = audit_record(
        actor=coordinator_region,
        verb="update",
        target=action_a,
        changes={"target_max": (Decimal("3.00"), Decimal("4.50"))},
    )
    event.refresh_from_db()
    assert event.changes == {"target_max": [3, 4.5]}
    assert event.actor_name == "coordinator_region"


def test_an_anonymous_actor_is_recorded_as_nobody(action_a):
    event = audit_record(actor=None, verb="create", target=action_a)
    assert event.actor is None
    assert event.actor_name == ""
    assert event.target_type == "programmes.action"
