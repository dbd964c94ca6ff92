"""The API's authentication: a personal access token sent as `Authorization: Bearer hemma_…`.

Bearer only, on purpose: the API does not accept the browser's session cookie, not even for
GET. A cookie is sent by the browser on its own, so cookie-authenticated writes would need
CSRF tokens, and reads would make the API a second way into everything the session can see;
a token is sent only by a client that was given it, needs no CSRF check, and can be revoked
on its own. The web pages have their own export links for people in a browser.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from hemma.accounts.selectors import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is not None:
            # The token's user is the request's user for everything downstream (audit rows,
            # policies), whatever session cookie the client happens to send along.
            request.user = user
        return user


def request_user(request: HttpRequest):
    """The token's user: django-ninja puts what the auth class returned on request.auth."""
    return request.auth  # type: ignore[attr-defined]
