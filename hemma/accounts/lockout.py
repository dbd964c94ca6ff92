"""The username django-axes locks on, for allauth's sign-in form.

allauth's form calls its field "login" but authenticates with `username=`; axes reads the
username from the credentials when it has them and from the POST otherwise, with one field name
(`AXES_USERNAME_FORM_FIELD`) for both. With "login" the failures were recorded under no username
while the check before the password looked up the real one, so a locked pair never matched and
nobody was locked out; with "username" the POST fallback would miss. This callable reads both.
"""

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username of a sign-in attempt, stripped and lower-cased.

    Lower-cased so that "Aino", "AINO" and "aino" share one counter: otherwise every spelling
    would get its own five tries.
    """
    sources = [credentials or {}, getattr(request, "POST", {})]
    for source in sources:
        for field in ("username", "login"):
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return None
