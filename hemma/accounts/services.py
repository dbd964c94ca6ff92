from django.db import transaction

from hemma.accounts.models import ApiToken
from hemma.audit.services import audit_record


@transaction.atomic
def token_create(*, user, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new personal access token; the secret is returned once and never stored."""
    name = name.strip()
    if not name:
        # Forms check this first; the service holds the rule for every caller (the command too).
        raise ValueError("A token needs a name.")
    secret, lookup, digest = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, lookup=lookup, digest=digest)
    audit_record(actor=actor or user, verb="create", target=token)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> None:
    """Delete the token: a client that still sends it gets 401 from now on."""
    audit_record(actor=actor, verb="delete", target=token)
    token.delete()
