"""Indicators counted from the information pages: "information material created" and
"information material used" (the seed's "Årlig uppföljning av skapat och använt
informationsmaterial"). docs/registries.md says the same in words.

The rule. A computed indicator (source "registry") with the query "information_created" or
"information_used" counts the pages of the information sites of its programme's region, not
tied to the indicator's action (like the friend persons):

- for a municipality, the pages of that municipality's site (`Site.municipality`);
- for the region as a whole (scope "region"), the pages of the region's own site and of the
  sites of the programme's municipalities;
- `query_kinds` are language codes (hemma.lib.languages.CONTENT_LANGUAGES): none named is
  every language; some, only the versions and uses in those languages.

"information_created" is the number of language versions (`Version`) first published
(`first_published_at`) within the period, in local dates: a page published in Swedish and
Arabic in 2025 is 2 for 2025. A version withdrawn since still counts in the period it was
first published in; publishing it again counts nothing more. Indicator kind count (or
frequency band).

"information_used" is the sum of the views and downloads (`Use`) of those pages on the days
within the period. Kind count. It counts reads, not people (`counts_people` stays false).

As the other computed values, a count of 0 is a value once the period has begun, a value
within an approved round is left as it was approved, and a coordinator may override a count.

Keeping the values current. Publishing (and withdrawing) a language calls `material_changed`
in its transaction: both queries' values for the site's municipality and the region, in the
periods containing the days, are counted again at once (hemma.registries.computing.
information_changed). Reads happen on every public page view, so `uses_changed` does not count
synchronously: it enqueues the task hemma.information.tasks.count_information_used, at most
once per site and day in settings.HEMMA_INFO_RECOUNT_SECONDS (the gate: `cache.add`), to run
a little after that window (`run_after`) so that it counts every read of the window. With the
immediate task backend (HEMMA_TASKS=immediate: the tests, a development server) there is no
later run, so there is no gate either: each call counts at once. A backend that cannot run a
task later runs it now, behind the gate: the reads of the rest of the window are then counted
by the next read's task. The gate lives in the default cache: with the local-memory cache it
is one per process (set REDIS_URL to share it).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from hemma.information.models import Site
from hemma.information.tasks import count_information_used
from hemma.registries.computing import InformationChange, information_changed

# How long after the gate's window the recount runs, so that a read still being written when
# the window ends is counted too.
RECOUNT_MARGIN = datetime.timedelta(seconds=5)


def material_changed(*, site: Site, when: Iterable[datetime.date]) -> int:
    """Count again, in the caller's transaction, the values of the indicators counted from
    the information pages that a change of `site`'s pages on the days `when` can touch; how
    many values changed."""
    days = frozenset(when)
    if not days:
        return 0
    return information_changed(
        [
            InformationChange(
                region_id=site.region_id, municipality_id=site.municipality_id, days=days
            )
        ]
    )


def recount_gate_key(site: Site, day: datetime.date) -> str:
    """The cache key that lets one recount of `site`'s reads of `day` through per window."""
    return f"hemma:information:recount:{site.pk}:{day.isoformat()}"


def uses_changed(*, site: Site, day: datetime.date) -> None:
    """The views or downloads of `site`'s pages on `day` changed: have the indicators of
    information material used counted again soon (at most once per site in
    HEMMA_INFO_RECOUNT_SECONDS)."""
    backend = count_information_used.get_backend()
    if isinstance(backend, ImmediateBackend):
        # Run now, in this request: nothing would count the window's later reads.
        count_information_used.enqueue(site.pk, day.isoformat())
        return
    window = settings.HEMMA_INFO_RECOUNT_SECONDS
    if not cache.add(recount_gate_key(site, day), 1, timeout=window):
        return  # a recount is already due after this read
    task = count_information_used
    if backend.supports_defer:
        task = task.using(
            run_after=timezone.now() + datetime.timedelta(seconds=window) + RECOUNT_MARGIN
        )
    task.enqueue(site.pk, day.isoformat())
