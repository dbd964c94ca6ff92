from decimal import Decimal
from typing import Any

from django.db import models

from hemma.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: numbers as a person wrote them (3, not "3.00"), dates as
    text."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def audit_event(
    *,
    actor,
    verb: str,
    target: models.Model,
    programme_id: int | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """One audit row, not yet saved: for a service that writes many at once with
    `AuditEvent.objects.bulk_create` (set `target_id` first if the target is new).

    `actor_name` names who made a change without an account (a reporting link's recipient).
    """
    signed_in = actor is not None and actor.is_authenticated
    return AuditEvent(
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else actor_name[:150],
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk) if target.pk is not None else "",
        target_repr=str(target)[:300],
        programme_id=programme_id,
        changes={
            field: [_plain(old), _plain(new)] for field, (old, new) in (changes or {}).items()
        },
    )


def audit_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    programme_id: int | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Write one audit row. Call it inside the transaction that made the change."""
    event = audit_event(
        actor=actor,
        verb=verb,
        target=target,
        programme_id=programme_id,
        changes=changes,
        actor_name=actor_name,
    )
    event.save()
    return event


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of `new_values` that differ from `instance`, as field → (old, new)."""
    return {
        field: (getattr(instance, field), value)
        for field, value in new_values.items()
        if getattr(instance, field) != value
    }
