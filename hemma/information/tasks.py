"""Counting the reads of the information pages in the background (django-tasks).

hemma.information.counting.uses_changed enqueues `count_information_used` at most once per
site and day in HEMMA_INFO_RECOUNT_SECONDS, to run after that window: a worker (`hemma
db_worker`) runs it with the database backend, the request itself with the immediate one.
"""

import datetime

from django.db import transaction
from django_tasks import task

from hemma.information.models import Site
from hemma.programmes.models import Indicator
from hemma.registries.computing import InformationChange, information_changed


@task()
def count_information_used(site_id: int, day: str) -> int:
    """Count again the values of the indicators "information material used" that the reads of
    the site's pages on `day` (ISO date) count in; how many values changed. A site removed
    since counts nothing."""
    site = Site.objects.filter(pk=site_id).only("pk", "region_id", "municipality_id").first()
    if site is None:
        return 0
    # Its own transaction (a savepoint when the immediate backend runs it inside the
    # request's): the values are locked while they are counted, and a failure undoes only
    # the count.
    with transaction.atomic():
        return information_changed(
            [
                InformationChange(
                    region_id=site.region_id,
                    municipality_id=site.municipality_id,
                    days=frozenset([datetime.date.fromisoformat(day)]),
                    queries=frozenset([Indicator.Query.INFORMATION_USED]),
                )
            ]
        )
