"""Who may see and change a programme: one policy for the list and for each object.

- A region coordinator sees and changes every programme of their region.
- A municipal coordinator sees the programmes that cover their municipality and names that
  municipality's responsible units; they change nothing else of the programme.
- A viewer (of a region or a municipality) sees the same programmes as a coordinator there.
- A superuser sees and changes everything.

A programme the user may not see does not exist for them (404); one they may see but not
change is forbidden (403).
"""

from django.db.models import Q, QuerySet

from hemma.accounts.roles import roles_of
from hemma.organisations.models import Municipality, Region
from hemma.programmes.models import Programme


class Reader:
    """A reader that is no user, passed where a user is asked for; it changes nothing and is
    never logged in anywhere. It sees everything as a superuser does, or nothing a user's
    roles would give (the public, whose own policy is asked for by name: `user is PUBLIC`)."""

    pk = None

    def __init__(self, name: str, *, sees_everything: bool):
        self.name = name
        self.is_authenticated = self.is_superuser = self.is_active = sees_everything
        self.is_anonymous = not sees_everything

    def __repr__(self) -> str:
        return self.name


# The public, reading without logging in (hemma/followup/publishing.py): it sees the approved
# and archived programmes, and of their follow-up only the approved periods.
PUBLIC = Reader("PUBLIC", sees_everything=False)
# Whoever runs `hemma` on the server (the command line's reports): sees every programme.
EVERYTHING = Reader("EVERYTHING", sees_everything=True)

# A programme the council approved is public, and stays so when a newer one replaces it.
PUBLISHED_STATES = (Programme.Status.APPROVED, Programme.Status.ARCHIVED)


def programmes_visible(user) -> QuerySet[Programme]:
    if user is PUBLIC:
        return Programme.objects.filter(status__in=PUBLISHED_STATES)
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    roles = roles_of(user)
    return Programme.objects.filter(
        Q(region_id__in=roles.regions) | Q(municipalities__id__in=roles.municipalities)
    ).distinct()


def can_view_programme(user, programme: Programme) -> bool:
    # The roles alone answer for a superuser and for the programme's own region's people, as
    # programmes_visible would, without its query (every value recorded asks this).
    if (
        user is not PUBLIC
        and user.is_authenticated
        and (user.is_superuser or programme.region_id in roles_of(user).regions)
    ):
        return True
    return programmes_visible(user).filter(pk=programme.pk).exists()


def can_edit_programme(user, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or programme.region_id in roles_of(user).coordinated_regions


def municipalities_user_names_units_for(user, programme: Programme) -> QuerySet[Municipality]:
    """The municipalities of `programme` whose responsible units this user may name."""
    municipalities = programme.municipalities.all()
    if can_edit_programme(user, programme):
        return municipalities
    return municipalities.filter(id__in=roles_of(user).coordinated_municipalities)


def regions_user_imports_into(user) -> QuerySet[Region]:
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(id__in=roles_of(user).coordinated_regions)
