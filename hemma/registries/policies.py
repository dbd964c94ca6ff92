"""Who may see, add and change the activities of a region: one policy for lists and objects.

- A region coordinator sees, adds and changes every activity of their region, also those of
  the region as a whole (no municipality named).
- A municipal coordinator sees the activities that name their own municipality (the issue:
  "a municipal coordinator sees and edits only its own municipality's records"), and adds and
  changes only activities that name their own municipality and no other: an activity shared
  with a neighbour, or of the region as a whole, is the region coordinator's. The counts the
  follow-up takes from the neighbours' records stay visible there, as every value does.
- A viewer (of a region or a municipality) sees the same activities as a coordinator there.
- A superuser sees and changes everything.

An activity of a region the user may not see does not exist for them (404); one they may see
but not change is forbidden (403).
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from hemma.accounts.roles import roles_of
from hemma.organisations.models import Municipality, Region
from hemma.registries.models import Activity, ServiceStatistic


def regions_visible(user) -> QuerySet[Region]:
    """The regions whose activities the user sees."""
    if user is None or not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    roles = roles_of(user)
    return Region.objects.filter(
        Q(id__in=roles.regions)
        | Q(id__in=Municipality.objects.filter(id__in=roles.municipalities).values("region_id"))
    )


def activities_visible(user) -> QuerySet[Activity]:
    if user is None or not user.is_authenticated:
        return Activity.objects.none()
    if user.is_superuser:
        return Activity.objects.all()
    roles = roles_of(user)
    # A subquery, not a join: an activity of several of the user's municipalities is listed
    # once.
    named = Activity.municipalities.through.objects.filter(
        municipality_id__in=roles.municipalities
    ).values("activity_id")
    return Activity.objects.filter(Q(region_id__in=roles.regions) | Q(id__in=named))


def can_view_region(user, region: Region) -> bool:
    return regions_visible(user).filter(pk=region.pk).exists()


def can_add_activity(user, region: Region) -> bool:
    """May `user` add activities in `region` at all (a municipal coordinator: of their own
    municipality only, see `may_name_municipalities`)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if region.pk in roles.coordinated_regions:
        return True
    return Municipality.objects.filter(
        region=region, id__in=roles.coordinated_municipalities
    ).exists()


def may_name_municipalities(user, region: Region | int, municipality_ids: Iterable[int]) -> bool:
    """May `user` record an activity of `region` (or its id) that names these municipalities
    (none: the region as a whole)? The rule for both adding and changing."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    region_id = region if isinstance(region, int) else region.pk
    if region_id in roles.coordinated_regions:
        return True
    ids = set(municipality_ids)
    return bool(ids) and ids <= roles.coordinated_municipalities


def can_change_activity(user, activity: Activity) -> bool:
    """May `user` change or delete `activity` (as it is stored now)?

    Reads the activity's municipalities (prefetched by the selectors: no query then).
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or activity.region_id in roles_of(user).coordinated_regions:
        return True
    return may_name_municipalities(
        user, activity.region_id, [m.pk for m in activity.municipalities.all()]
    )


def municipalities_user_records_for(user, region: Region) -> QuerySet[Municipality]:
    """The municipalities of `region` this user may name in an activity (for the forms)."""
    municipalities = Municipality.objects.filter(region=region)
    if user is None or not user.is_authenticated:
        return municipalities.none()
    if user.is_superuser or region.pk in roles_of(user).coordinated_regions:
        return municipalities
    return municipalities.filter(id__in=roles_of(user).coordinated_municipalities)


# -- service statistics ------------------------------------------------------------------------
#
# A statistic always belongs to one municipality. A region coordinator or viewer sees the
# region's; a municipal coordinator or viewer sees their municipality's (not the neighbours').
# A region coordinator records for any municipality of the region, a municipal coordinator
# for their own only; viewers record nothing. Unseen is 404, seen but not recordable 403.


def statistics_visible(user) -> QuerySet[ServiceStatistic]:
    if user is None or not user.is_authenticated:
        return ServiceStatistic.objects.none()
    if user.is_superuser:
        return ServiceStatistic.objects.all()
    roles = roles_of(user)
    return ServiceStatistic.objects.filter(
        Q(region_id__in=roles.regions) | Q(municipality_id__in=roles.municipalities)
    )


def can_record_statistic(user, region: Region, municipality: Municipality | None) -> bool:
    """May `user` record (create, replace, delete) `municipality`'s statistics in `region`?
    `municipality` None asks whether they may record any of the region's at all."""
    if user is None or not user.is_authenticated:
        return False
    if municipality is not None and municipality.region_id != region.pk:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if region.pk in roles.coordinated_regions:
        return True
    if municipality is None:
        return Municipality.objects.filter(
            region=region, id__in=roles.coordinated_municipalities
        ).exists()
    return municipality.pk in roles.coordinated_municipalities


def can_change_statistic(user, statistic: ServiceStatistic) -> bool:
    return can_record_statistic(user, statistic.region, statistic.municipality)


def statistic_municipalities_recordable(user, region: Region) -> QuerySet[Municipality]:
    """The municipalities of `region` whose statistics `user` records (for the forms)."""
    return municipalities_user_records_for(user, region)
