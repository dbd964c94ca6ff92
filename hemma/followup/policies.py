"""Who may see and record the values of a programme's indicators.

Seeing follows the programme (hemma.programmes.policies.programmes_visible): whoever may see
a programme sees all of its values, for every municipality it covers and for the region as a
whole. A municipal coordinator or viewer therefore also sees the neighbouring municipalities'
values of a shared programme. That is on purpose: the follow-up of a shared programme is
shared in the region (the coordinators compare their municipalities in the yearly round, and
an approved programme's follow-up is a public document under the Openness Act).

Recording is narrower:

- a region coordinator records for every municipality of their region's programmes and for
  the region as a whole (joint actions such as the joint meetings);
- a municipal coordinator records for their own municipality only, and only in programmes
  that cover it; never for the region as a whole;
- a viewer never records;
- a superuser records everything;
- a reporting link (a reporter without an account) records only its assignment's actions,
  for its municipality (or the region as a whole), in periods within its round's period.

An indicator the user may not see does not exist for them (404); a municipality they may see
but not record for is forbidden (403).
"""

from django.db.models import QuerySet

from hemma.accounts.roles import roles_of
from hemma.followup.models import Measurement, ReportingLink
from hemma.lib import periods
from hemma.organisations.models import Municipality
from hemma.programmes.models import Indicator, Programme
from hemma.programmes.policies import PUBLIC, can_view_programme, programmes_visible


def indicators_visible(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(action__programme__in=programmes_visible(user))


def measurements_visible(user) -> QuerySet[Measurement]:
    if user is PUBLIC:
        from hemma.followup.publishing import measurements_published

        return measurements_published()
    return Measurement.objects.filter(indicator__action__programme__in=programmes_visible(user))


def can_view_values(user, programme: Programme) -> bool:
    """Whoever may see the programme sees its values."""
    return can_view_programme(user, programme)


def can_record_value(user, programme: Programme, municipality: Municipality | None) -> bool:
    """May `user` record a value of `programme` for `municipality` (None: the whole region)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if programme.region_id in roles.coordinated_regions:
        return True
    if municipality is None or municipality.pk not in roles.coordinated_municipalities:
        return False
    return programme.municipalities.filter(pk=municipality.pk).exists()


def can_record_any(user, programme: Programme) -> bool:
    """May `user` record a value of `programme` for at least one place (without a query for
    the region's coordinators)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    if programme.region_id in roles.coordinated_regions:
        return True
    return programme.municipalities.filter(pk__in=roles.coordinated_municipalities).exists()


def can_record_by_link(
    link: ReportingLink, indicator: Indicator, municipality: Municipality | None, period: str
) -> bool:
    """May a value of `indicator` for `municipality` and `period` be entered through `link`?

    Whether the link itself is still valid (signed, not expired or revoked, its round open)
    is the caller's check, made when the link is opened.
    """
    assignment = link.assignment
    if assignment.municipality_id != (municipality.pk if municipality else None):
        return False
    if not assignment.actions.filter(pk=indicator.action_id).exists():
        return False
    try:
        given, allowed = periods.parse(str(period)), periods.parse(assignment.round.period)
    except periods.InvalidPeriod:
        return False
    return allowed.start <= given.start and given.end <= allowed.end


# -- rounds
#
# The reporting round (hemma/followup/rounds.py): a region coordinator runs it (opens,
# approves, unlocks, names the reporters); whoever records for a reporter's municipality may
# mark that reporter ready; links are made by a region coordinator, or by a municipal
# coordinator for their own municipality's reporters; whoever sees the programme sees its
# rounds.


def can_view_round(user, programme: Programme) -> bool:
    return can_view_values(user, programme)


def can_manage_round(user, programme: Programme) -> bool:
    """Open, approve, unlock a round and name its reporters: the region's coordinator."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or programme.region_id in roles_of(user).coordinated_regions


def can_mark_ready(user, assignment) -> bool:
    return can_record_value(user, assignment.round.programme, assignment.municipality)


def can_manage_links(user, assignment) -> bool:
    programme = assignment.round.programme
    if can_manage_round(user, programme):
        return True
    if user is None or not user.is_authenticated or assignment.municipality_id is None:
        return False
    return assignment.municipality_id in roles_of(user).coordinated_municipalities and (
        programme.municipalities.filter(pk=assignment.municipality_id).exists()
    )
