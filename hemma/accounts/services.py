from django.db import transaction

from hemma.accounts.models import ApiToken
from hemma.audit.services import audit_record


@transaction.atomic
def token_create(*, user, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new personal access token; the secret is returned once and never stored."""
    secret, lookup, digest = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, lookup=lookup, digest=digest)
    audit_record(actor=actor or user, verb="create", target=token)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> None:
    audit_record(actor=actor, verb="delete", target=token)
    token.delete()
