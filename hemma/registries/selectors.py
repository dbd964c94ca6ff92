"""Reads of activities, always for a user and scoped by hemma.registries.policies."""

import uuid
from typing import TypeVar

from django.db.models import Q, QuerySet

from hemma.lib import periods
from hemma.lib.periods import Period
from hemma.lib.records import by_code
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action
from hemma.registries import policies
from hemma.registries.models import Activity, Placement, ServiceStatistic

# `municipality` that asks for the activities of the region as a whole (none named).
REGION = "region"

_R = TypeVar("_R", Activity, ServiceStatistic, Placement)
_Placed = TypeVar("_Placed", ServiceStatistic, Placement)  # of one municipality each


def _in_region(found: QuerySet[_R], region: Region | str | None) -> QuerySet[_R]:
    """`found` of the region (or the region's key); None: of every region."""
    if isinstance(region, Region):
        return found.filter(region=region)
    return found.filter(region__key=region) if region else found


def _in_place(
    found: QuerySet[_Placed],
    region: Region | str | None,
    municipality: Municipality | str | None,
) -> QuerySet[_Placed]:
    """`found` (of one municipality each) of the region and the municipality (or its
    official code); None: of any."""
    found = _in_region(found, region)
    if isinstance(municipality, Municipality):
        return found.filter(municipality=municipality)
    return found.filter(municipality__code=municipality) if municipality else found


def activity_list(
    *,
    user,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
    period: Period | str | None = None,
    kind: str | None = None,
    action: Action | tuple[str, str] | str | None = None,
    organiser: Organisation | str | None = None,
) -> QuerySet[Activity]:
    """The activities the user may see, newest first, filtered; one query for the rows and
    one for each of their relations (municipalities, partners, actions), whatever their number.

    `region` is a region or its key; `municipality` one or its official code (activities that
    name it), or "region" for those of the region as a whole; `period` a period or its code
    (activities whose dates overlap it; a code that names no period finds nothing); `kind` an
    Activity.Kind; `action` an Action, a (programme slug, action key) pair or "slug/key";
    `organiser` an organisation or its key.
    """
    found = policies.activities_visible(user)
    found = _in_region(found, region)
    if isinstance(municipality, Municipality):
        found = found.filter(municipalities=municipality)
    elif municipality == REGION:
        found = found.filter(municipalities__isnull=True)
    elif municipality:
        found = found.filter(municipalities__code=municipality)
    if period:
        if not isinstance(period, Period):
            try:
                period = periods.parse(period)
            except periods.InvalidPeriod:
                return Activity.objects.none()
        found = found.filter(
            Q(starts_on__lte=period.end)
            & (Q(ends_on__gte=period.start) | Q(ends_on__isnull=True, starts_on__gte=period.start))
        )
    if kind:
        found = found.filter(kind=kind)
    if isinstance(action, Action):
        found = found.filter(actions=action)
    elif action:
        if isinstance(action, str):
            slug, _sep, key = action.partition("/")
        else:
            slug, key = action
        found = found.filter(actions__programme__slug=slug, actions__key=key)
    if isinstance(organiser, Organisation):
        found = found.filter(organiser=organiser)
    elif organiser:
        found = found.filter(organiser__key=organiser)
    return found.select_related("region", "organiser", "created_by").prefetch_related(
        "municipalities", "partners", "actions__programme"
    )


def activity_get(*, user, code: uuid.UUID | str) -> Activity:
    """The activity by its code, if the user may see it (else 404), with its relations."""
    return by_code(activity_list(user=user), code)


# -- service statistics ------------------------------------------------------------------------


def statistic_list(
    *,
    user,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
    period: str | None = None,
    measure: str | None = None,
) -> QuerySet[ServiceStatistic]:
    """The statistics the user may see (hemma.registries.policies.statistics_visible), newest
    period first, then by municipality code and measure; one query whatever their number.

    `region` is a region or its key; `municipality` one or its official code; `period` a
    period code (the statistics of exactly that period); `measure` a ServiceStatistic.Measure.
    """
    found = policies.statistics_visible(user)
    found = _in_place(found, region, municipality)
    if period:
        found = found.filter(period=period.strip())
    if measure:
        found = found.filter(measure=measure)
    return found.select_related("region", "municipality", "entered_by")


def statistic_get(*, user, code: uuid.UUID | str) -> ServiceStatistic:
    """The statistic by its code, if the user may see it (else 404)."""
    return by_code(statistic_list(user=user), code)


# -- placements --------------------------------------------------------------------------------


def placement_periods_within(code: str) -> list[str] | None:
    """The codes of the years, half-years and quarters that lie within the period `code`
    names (itself included), or None when it names no period: the list's period filter, which
    shows a year's placements of its half-years and quarters too."""
    try:
        return periods.codes_within(periods.parse(code))
    except periods.InvalidPeriod:
        return None


def placement_list(
    *,
    user,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
    period: str | None = None,
    kind: str | None = None,
    unit: Organisation | str | None = None,
) -> QuerySet[Placement]:
    """The placements the user may see (hemma.registries.policies.placements_visible), newest
    period first, then by municipality code, unit key and kind; one query whatever their
    number.

    `region` is a region or its key; `municipality` one or its official code; `period` a
    period code: the placements of that period and of the half-years and quarters within it
    (a code that names no period finds nothing); `kind` a Placement.Kind; `unit` an
    organisation or its key.
    """
    found = policies.placements_visible(user)
    found = _in_place(found, region, municipality)
    if period:
        codes = placement_periods_within(period)
        if codes is None:
            return Placement.objects.none()
        found = found.filter(period__in=codes)
    if kind:
        found = found.filter(kind=kind)
    if isinstance(unit, Organisation):
        found = found.filter(unit=unit)
    elif unit:
        found = found.filter(unit__key=unit)
    return found.select_related("region", "municipality", "unit", "entered_by")


def placement_get(*, user, code: uuid.UUID | str) -> Placement:
    """The placement by its code, if the user may see it (else 404)."""
    return by_code(placement_list(user=user), code)
