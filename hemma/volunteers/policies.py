"""Who may see and change friend persons: one policy for the lists and for each record.

A friend person's record is personal data, so it is shown only to those who work with the
friend persons:

- A region coordinator sees and changes every friend person of their region.
- A municipal coordinator sees and changes the friend persons of their own municipality; a
  neighbour's friend person does not exist for them (404), as a neighbour's activity.
- A viewer (of a region or a municipality) and an organisation reporter see no personal data:
  the list, a record and the forms are forbidden (403). They see the counts in the follow-up.
- A superuser sees and changes everything.
- Someone of another region: a friend person there does not exist (404).

A friend person made anonymous is still seen (the follow-up counts them) but never changed.
The read log of a record is shown to the region's coordinators only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from hemma.accounts.roles import roles_of
from hemma.organisations.models import Municipality, Organisation
from hemma.volunteers.models import Volunteer


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def volunteers_visible(user) -> QuerySet[Volunteer]:
    """The friend persons whose records `user` may read (and, unless anonymous, change)."""
    if not _signed_in(user):
        return Volunteer.objects.none()
    if user.is_superuser:
        return Volunteer.objects.all()
    roles = roles_of(user)
    return Volunteer.objects.filter(
        Q(region_id__in=roles.coordinated_regions)
        | Q(municipality_id__in=roles.coordinated_municipalities)
    )


def may_list_volunteers(user) -> bool:
    """May `user` open the list of friend persons at all (else 403)?"""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    return bool(roles.coordinated_regions or roles.coordinated_municipalities)


def can_view_volunteer(user, volunteer: Volunteer) -> bool:
    """The rule of `volunteers_visible` for one record, without a query."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    return (
        volunteer.region_id in roles.coordinated_regions
        or volunteer.municipality_id in roles.coordinated_municipalities
    )


def can_change_volunteer(user, volunteer: Volunteer) -> bool:
    """May `user` change the record, its periods and matches, or erase it? Never once it is
    anonymous: what is left is only counted."""
    return not volunteer.is_anonymous and can_view_volunteer(user, volunteer)


def can_see_read_log(user, volunteer: Volunteer) -> bool:
    """The read log of a record is for the region's coordinators (and superusers)."""
    if not _signed_in(user):
        return False
    return user.is_superuser or volunteer.region_id in roles_of(user).coordinated_regions


def _in_sight(user, volunteer: Volunteer) -> bool:
    """Is the friend person in a region or municipality the user has a role in? Then a record
    they may not read is forbidden (403) rather than missing (404)."""
    roles = roles_of(user)
    if (
        volunteer.region_id in roles.regions
        or volunteer.municipality_id in roles.viewed_municipalities
    ):
        return True
    if roles.reported_organisations:
        return Organisation.objects.filter(
            id__in=roles.reported_organisations, region_id=volunteer.region_id
        ).exists()
    return False


def check_view(user, volunteer: Volunteer) -> None:
    """Raise Http404 for a friend person out of the user's sight, PermissionDenied for one
    in sight whose personal data they may not read."""
    if can_view_volunteer(user, volunteer):
        return
    if _signed_in(user) and _in_sight(user, volunteer):
        raise PermissionDenied
    raise Http404


def check_change(user, volunteer: Volunteer) -> None:
    """`check_view`, then PermissionDenied if the record may not be changed (anonymous)."""
    check_view(user, volunteer)
    if not can_change_volunteer(user, volunteer):
        raise PermissionDenied


def municipalities_user_records_for(user) -> QuerySet[Municipality]:
    """The municipalities whose friend persons `user` may record (for the forms)."""
    municipalities = Municipality.objects.select_related("region")
    if not _signed_in(user):
        return municipalities.none()
    if user.is_superuser:
        return municipalities.all()
    roles = roles_of(user)
    return municipalities.filter(
        Q(region_id__in=roles.coordinated_regions) | Q(id__in=roles.coordinated_municipalities)
    )


def may_record_in(user, municipality: Municipality) -> bool:
    """May `user` record a friend person of `municipality` (add one, or move one there)?"""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    return (
        municipality.region_id in roles.coordinated_regions
        or municipality.pk in roles.coordinated_municipalities
    )
