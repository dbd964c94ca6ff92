"""Counting how often information is read, without tracking anyone.

Each view of a public page (hemma/information/public_views.py `page`) and each download of
one of its files (`file`) adds one to the page's `Use` for that language and today
(timezone.localdate()). That number is all that is kept: no cookie is read or set, and
nothing of the request (address, agent, referrer, time beyond the day) is stored or logged
here. The counts feed the indicators of "information material used"
(hemma/information/counting.py `uses_changed`, called once the count is committed).

Not counted:

- a robot, by its user agent (hemma/lib/bots.py; no agent at all is a robot);
- a HEAD request (nothing is read);
- a prefetch or prerender (`Sec-Purpose`/`Purpose`/`X-Purpose`/`X-Moz` naming it): the
  browser fetched the page in case it is read, and it may never be;
- a signed-in user (a coordinator or a translator checking the page): only when the request
  carries a session cookie is the session read, so that the public's requests never touch
  it. The staff's preview of an unpublished page is a view of its own and never counts.

Counting and caching. Counting on the server means the server must see each view, so a
page that counts is never served from a cache without asking: it is sent with
`Cache-Control: public, no-cache` and an ETag of its content. A browser or a shared cache may
keep the page, but asks again each time it is read; the server counts the view and answers
"304 Not Modified" (no body) if the page is unchanged. A file's download works the same way.
The pages that count nothing (the site's languages, a language's index, the images) are
cached for a few minutes (`max-age`). So a view is counted once per time a page is opened or
reloaded; going back to a page the browser still holds in memory (the back button) is not a
new view. No beacon or script is needed, and a reader without JavaScript is counted too.
"""

from typing import Final, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from hemma.information import counting
from hemma.information.models import Page, Use
from hemma.lib.bots import is_bot

VIEW: Final = "view"
DOWNLOAD: Final = "download"
_FIELDS = {VIEW: "views", DOWNLOAD: "downloads"}

# The headers a browser marks a speculative fetch with, and the words it marks it with.
_PURPOSE_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
_PURPOSE_WORDS = ("prefetch", "prerender", "preview")


def is_counted(request: HttpRequest) -> bool:
    """Whether the request is a reader's: not a robot's, a HEAD, a prefetch or a signed-in
    user's (see the module's docstring)."""
    if request.method != "GET":
        return False
    if is_bot(request.headers.get("User-Agent")):
        return False
    for header in _PURPOSE_HEADERS:
        value = request.headers.get(header, "").lower()
        if any(word in value for word in _PURPOSE_WORDS):
            return False
    # Only a request with a session cookie reads the session: the public's never do, so their
    # pages do not vary by cookie.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
    return True


def _add(page: Page, language: str, day, field: str) -> int:
    """Add one to the day's row; how many rows there were (0 or 1)."""
    return Use.objects.filter(page=page, language=language, day=day).update(**{field: F(field) + 1})


def use_record(
    *, page: Page, language: str, kind: Literal["view", "download"], request: HttpRequest
) -> bool:
    """Count one view or download of `page` in `language` today, unless the request is not a
    reader's (`is_counted`); whether it was counted.

    The count is an atomic increment in the database (UPDATE … SET views = views + 1), so two
    readers at once both count. The day's first reader creates the row; if another created
    it in between, the unique constraint refuses the second row and the increment is made
    again, on SQLite and PostgreSQL alike (the failed insert is in its own savepoint).
    """
    field = _FIELDS[kind]
    if not is_counted(request):
        return False
    day = timezone.localdate()
    with transaction.atomic():
        if not _add(page, language, day, field):
            try:
                with transaction.atomic():
                    Use.objects.create(page=page, language=language, day=day, **{field: 1})
            except IntegrityError:
                _add(page, language, day, field)
        site = page.site
        transaction.on_commit(lambda: counting.uses_changed(site=site, day=day))
    return True
