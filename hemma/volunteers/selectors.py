"""Reads of friend persons, always for a user and scoped by hemma.volunteers.policies.

These only read; writing the read log of what is shown is the caller's (the view or the API
knows what it shows): `hemma.volunteers.services.volunteer_reads_record`.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from hemma.audit.models import AuditEvent
from hemma.lib import periods
from hemma.lib.periods import Period
from hemma.lib.records import by_code
from hemma.organisations.models import Municipality, Region
from hemma.volunteers import policies
from hemma.volunteers.models import ActivePeriod, Volunteer, VolunteerRead

# How many reads a record's page shows (the export has them all).
READS_SHOWN = 100


def volunteer_list(
    *,
    user,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
    period: Period | str | None = None,
    language: str | None = None,
    trained: bool | None = None,
    anonymised: bool | None = False,
) -> QuerySet[Volunteer]:
    """The friend persons the user may see, by municipality and name; one query for the rows
    and one for each of their periods and matches, whatever their number. PermissionDenied
    for a user who may see none (a viewer, an organisation reporter).

    `region` is a region or its key; `municipality` one or its official code; `period` a
    period or its code: those with an active period overlapping it (both ends counted, an open
    end still active; a code that names no period finds nothing); `language` a language code
    they speak; `trained` whether their training is completed; `anonymised` False (default)
    for the records that still hold personal data, True for those made anonymous, None for all.
    """
    if not policies.may_list_volunteers(user):
        raise PermissionDenied
    found = policies.volunteers_visible(user)
    if isinstance(region, Region):
        found = found.filter(region=region)
    elif region:
        found = found.filter(region__key=region)
    if isinstance(municipality, Municipality):
        found = found.filter(municipality=municipality)
    elif municipality:
        found = found.filter(municipality__code=municipality)
    if period:
        if not isinstance(period, Period):
            try:
                period = periods.parse(period)
            except periods.InvalidPeriod:
                return Volunteer.objects.none()
        found = found.filter(active_in(period))
    if language:
        # A JSON list holds the code as "xx" with its quotes: a containment test that works
        # on SQLite and PostgreSQL alike (codes are letters only).
        found = found.filter(languages__icontains=f'"{language}"')
    if trained is True:
        found = found.filter(training_completed_on__isnull=False)
    elif trained is False:
        found = found.filter(training_completed_on__isnull=True)
    if anonymised is True:
        found = found.filter(anonymised_at__isnull=False)
    elif anonymised is False:
        found = found.filter(anonymised_at__isnull=True)
    return found.select_related("region", "municipality").prefetch_related("periods", "matches")


def active_in(period: Period) -> Exists:
    """Has an active period overlapping `period` (both ends counted; no end: still active)."""
    return Exists(
        ActivePeriod.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
            volunteer=OuterRef("pk"),
            starts_on__lte=period.end,
        )
    )


def volunteer_get(*, user, code: uuid.UUID | str) -> Volunteer:
    """The friend person by their code with periods and matches, if the user may read the
    record; Http404 if it is out of their sight, PermissionDenied if they may not read it."""
    found = by_code(
        Volunteer.objects.select_related("region", "municipality", "created_by").prefetch_related(
            "periods", "matches"
        ),
        code,
    )
    policies.check_view(user, found)
    return found


def volunteer_history(volunteer: Volunteer) -> list[AuditEvent]:
    """The audit trail of the record (its periods and matches included), newest first."""
    return list(
        AuditEvent.objects.filter(
            target_type=Volunteer._meta.label_lower, target_id=str(volunteer.pk)
        ).order_by("-created_at", "-id")
    )


def volunteer_reads(volunteer: Volunteer, *, limit: int | None = None) -> list[VolunteerRead]:
    """Who read the record and how, newest first (`limit`: the newest so many)."""
    found = volunteer.reads.order_by("-read_at", "-id")
    return list(found[:limit] if limit else found)


def volunteer_read_count(volunteer: Volunteer) -> int:
    return volunteer.reads.count()
