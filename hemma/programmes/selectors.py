"""Reads of programmes, always for a user and scoped by hemma.programmes.policies."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from hemma.programmes import policies
from hemma.programmes.interchange.exporting import programme_tree
from hemma.programmes.models import Action, Programme


def programme_list(*, user) -> QuerySet[Programme]:
    return (
        policies.programmes_visible(user)
        .select_related("region")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("-period_start", "slug")
    )


def programme_get(*, user, slug: str, write: bool = False) -> Programme:
    """The programme if the user may see it (else 404) and, with `write`, change it (else 403)."""
    programme = policies.programmes_visible(user).select_related("region").filter(slug=slug).first()
    if programme is None:
        raise Http404
    if write and not policies.can_edit_programme(user, programme):
        raise PermissionDenied
    return programme


def programme_table(*, user, slug: str) -> Programme:
    """The programme with its whole tree, read in a fixed number of queries."""
    return programme_tree(programme_get(user=user, slug=slug))


def action_get(*, user, slug: str, key: str, write: bool = False) -> Action:
    programme = programme_get(user=user, slug=slug, write=write)
    action = (
        Action.objects.filter(programme=programme, key=key)
        .select_related("goal__theme", "programme__region")
        .first()
    )
    if action is None:
        raise Http404
    return action
