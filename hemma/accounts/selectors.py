from allauth.mfa.utils import is_mfa_enabled
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hemma.accounts.models import ApiToken, Membership


def token_user(secret: str):
    """The active user a bearer token belongs to, or None."""
    prefix = ApiToken.PREFIX
    if not secret.startswith(prefix) or secret.count("_") < 2:
        return None
    lookup = secret[len(prefix) :].split("_", 1)[0]
    try:
        # `get`, not `first`: the lookup is unique, so the query needs no ordering.
        token = ApiToken.objects.select_related("user").get(lookup=lookup)
    except ApiToken.DoesNotExist:
        return None
    if token.digest != ApiToken.hash(secret) or not token.user.is_active:
        return None
    # Touch at most once a minute: a busy client must not write on every request.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first. Nobody lists another person's tokens."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get(*, user, lookup: str) -> ApiToken:
    """One of the user's own tokens by its visible `lookup`; anyone else's does not exist (404)."""
    token = token_list(user=user).filter(lookup=lookup).first()
    if token is None:
        raise Http404
    return token


def membership_list(*, user) -> QuerySet[Membership]:
    """The user's roles with the region or municipality each is in, for their own page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("region", "municipality__region")
        .order_by("role", "region__key", "municipality__code")
    )


def mfa_enabled(*, user) -> bool:
    """Whether signing in asks this user for a second factor (an authenticator app)."""
    return is_mfa_enabled(user)
