from django.utils import timezone

from hemma.accounts.models import ApiToken


def token_user(secret: str):
    """The active user a bearer token belongs to, or None."""
    prefix = ApiToken.PREFIX
    if not secret.startswith(prefix) or secret.count("_") < 2:
        return None
    lookup = secret[len(prefix) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(lookup=lookup).first()
    if token is None or token.digest != ApiToken.hash(secret) or not token.user.is_active:
        return None
    # Touch at most once a minute: a busy client must not write on every request.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
