"""Who may see, add and change the activities of a region: one policy for lists and objects.

- A region coordinator sees, adds and changes every activity of their region, also those of
  the region as a whole (no municipality named).
- A municipal coordinator sees the activities that name their own municipality (the issue:
  "a municipal coordinator sees and edits only its own municipality's records"), and adds and
  changes only activities that name their own municipality and no other: an activity shared
  with a neighbour, or of the region as a whole, is the region coordinator's. The counts the
  follow-up takes from the neighbours' records stay visible there, as every value does.
- A viewer (of a region or a municipality) sees the same activities as a coordinator there.
- An organisation reporter (an NGO, a parish, a unit: the issue's "an NGO reporter can add
  activities it organises") sees the activities their organisation organises, adds activities
  of the organisation's region whose organiser is their organisation (naming any of the
  region's municipalities, or none), and changes and deletes only those. The region's other
  records, its statistics and its programmes' pages are not theirs: a reporter is no viewer.
- A superuser sees and changes everything.

An activity of a region the user may not see does not exist for them (404); one they may see
but not change is forbidden (403). A reporter knows their organisation's region (an activity
of another organiser there is refused with 403, one of another region is a 404).
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from hemma.accounts.roles import is_reporter_only, roles_of
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.registries.models import Activity, Placement, ServiceStatistic


def regions_visible(user) -> QuerySet[Region]:
    """The regions the user sees as a coordinator or viewer there (of the region, or of some
    of its municipalities); not a reporter's (`regions_of_activities`)."""
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
    # A reporter's: an organiser is always of the activity's region (the services check it).
    return Activity.objects.filter(
        Q(region_id__in=roles.regions)
        | Q(id__in=named)
        | Q(organiser_id__in=roles.reported_organisations)
    )


def reports_only(user) -> bool:
    """Is `user` an organisation reporter and nothing else? The registries' pages other than
    the activities' (statistics, placements) are closed to them (403)."""
    return is_reporter_only(user)


def regions_reported(user) -> QuerySet[Region]:
    """The regions of the organisations whose activities `user` reports (none: no reporter)."""
    if user is None or not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(
        id__in=Organisation.objects.filter(id__in=roles_of(user).reported_organisations).values(
            "region_id"
        )
    )


def regions_of_activities(user) -> QuerySet[Region]:
    """The regions in which `user` sees or records some activities: those they see as a whole
    or in part (`regions_visible`), and a reporter's organisation's region."""
    if (
        user is not None
        and user.is_authenticated
        and not user.is_superuser
        and roles_of(user).reported_organisations
    ):
        return Region.objects.filter(
            Q(pk__in=regions_visible(user).values("pk"))
            | Q(pk__in=regions_reported(user).values("pk"))
        )
    return regions_visible(user)


def can_view_region(user, region: Region) -> bool:
    """Does `region` exist for `user` (else 404): they see some of its records, or report an
    organisation's activities there?"""
    return regions_of_activities(user).filter(pk=region.pk).exists()


def organisations_reported_in(user, region: Region | int) -> QuerySet[Organisation]:
    """The organisations of `region` whose activities `user` reports."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    reported = roles_of(user).reported_organisations
    if not reported:
        return Organisation.objects.none()
    region_id = region if isinstance(region, int) else region.pk
    return Organisation.objects.filter(region_id=region_id, id__in=reported)


def can_add_activity(user, region: Region) -> bool:
    """May `user` add activities in `region` at all (a municipal coordinator: of their own
    municipality only, see `may_name_municipalities`; a reporter: organised by their own
    organisation, see `may_record_activity`)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if region.pk in roles.coordinated_regions:
        return True
    if Municipality.objects.filter(region=region, id__in=roles.coordinated_municipalities).exists():
        return True
    return organisations_reported_in(user, region).exists()


def records_as_reporter_only(user, region: Region) -> bool:
    """Does `user` record activities in `region` only as an organisation reporter (not as a
    coordinator there)? Their form fixes the organiser to their organisation."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    roles = roles_of(user)
    if not roles.reported_organisations or region.pk in roles.coordinated_regions:
        return False
    if Municipality.objects.filter(region=region, id__in=roles.coordinated_municipalities).exists():
        return False
    return organisations_reported_in(user, region).exists()


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


def may_record_activity(
    user, region: Region | int, *, municipality_ids: Iterable[int], organiser_id: int | None
) -> bool:
    """May `user` record an activity of `region` that names these municipalities and this
    organiser (an organisation of the region, or None)? The rule for adding and changing:
    the places a coordinator may name, or a reporter's own organisation as the organiser
    (with any of the region's municipalities, or none)."""
    if may_name_municipalities(user, region, municipality_ids):
        return True
    return organiser_id is not None and organiser_id in roles_of(user).reported_organisations


def can_change_activity(user, activity: Activity) -> bool:
    """May `user` change or delete `activity` (as it is stored now)?

    Reads the activity's municipalities (prefetched by the selectors: no query then).
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or activity.region_id in roles_of(user).coordinated_regions:
        return True
    if activity.organiser_id is not None and (
        activity.organiser_id in roles_of(user).reported_organisations
    ):
        return True
    return may_name_municipalities(
        user, activity.region_id, [m.pk for m in activity.municipalities.all()]
    )


def municipalities_user_records_for(user, region: Region) -> QuerySet[Municipality]:
    """The municipalities of `region` this user records for as a coordinator (the forms)."""
    municipalities = Municipality.objects.filter(region=region)
    if user is None or not user.is_authenticated:
        return municipalities.none()
    if user.is_superuser or region.pk in roles_of(user).coordinated_regions:
        return municipalities
    return municipalities.filter(id__in=roles_of(user).coordinated_municipalities)


def activity_municipalities_for(user, region: Region) -> QuerySet[Municipality]:
    """The municipalities of `region` this user may name in an activity (the record form): a
    reporter names any of the region's (their organisation works anywhere in it)."""
    if organisations_reported_in(user, region).exists():
        return Municipality.objects.filter(region=region)
    return municipalities_user_records_for(user, region)


def organisers_user_records_for(user, region: Region) -> QuerySet[Organisation]:
    """The organisations of `region` this user may name as an activity's organiser (for the
    forms): every one for a coordinator, their own for someone who records only as a
    reporter there."""
    if records_as_reporter_only(user, region):
        return organisations_reported_in(user, region)
    return Organisation.objects.filter(region=region)


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


# -- placements --------------------------------------------------------------------------------
#
# The statistics' rule: a placement always belongs to one municipality. A region coordinator
# or viewer sees the region's; a municipal coordinator or viewer sees their municipality's. A
# region coordinator records for any municipality of the region, a municipal coordinator for
# their own only; viewers record nothing; an organisation reporter neither sees nor records
# placements. Unseen is 404, seen but not recordable 403.


def placements_visible(user) -> QuerySet[Placement]:
    if user is None or not user.is_authenticated:
        return Placement.objects.none()
    if user.is_superuser:
        return Placement.objects.all()
    roles = roles_of(user)
    return Placement.objects.filter(
        Q(region_id__in=roles.regions) | Q(municipality_id__in=roles.municipalities)
    )


def placement_regions_visible(user) -> QuerySet[Region]:
    """The regions whose placements the user sees some of: as a coordinator or viewer of the
    region or of one of its municipalities (never as an organisation reporter)."""
    if user is None or not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    roles = roles_of(user)
    return Region.objects.filter(
        Q(id__in=roles.regions)
        | Q(id__in=Municipality.objects.filter(id__in=roles.municipalities).values("region_id"))
    )


def can_record_placement(user, region: Region, municipality: Municipality | None) -> bool:
    """May `user` record (create, replace, delete) `municipality`'s placements in `region`?
    `municipality` None asks whether they may record any of the region's at all. The same
    rule as the statistics'."""
    return can_record_statistic(user, region, municipality)


def can_change_placement(user, placement) -> bool:
    """May `user` change or delete `placement` (reads its region and municipality)."""
    return can_record_placement(user, placement.region, placement.municipality)


def placement_municipalities_recordable(user, region: Region) -> QuerySet[Municipality]:
    """The municipalities of `region` whose placements `user` records (for the forms)."""
    return statistic_municipalities_recordable(user, region)
