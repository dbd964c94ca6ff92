"""Indicators counted from the information pages: "information material published" and
"information material used". (To be written: see issue 7.)"""

import datetime
from collections.abc import Iterable

from hemma.information.models import Site


def material_changed(*, site: Site, when: Iterable[datetime.date]) -> int:
    """Count again, in the caller's transaction, the values of the indicators counted from
    the information pages that a change of `site`'s pages on the days `when` can touch; how
    many values changed."""
    return 0


def uses_changed(*, site: Site, day: datetime.date) -> None:
    """The views or downloads of `site`'s pages on `day` changed: have the indicators of
    information material used counted again soon (at most once per site in
    HEMMA_INFO_RECOUNT_SECONDS)."""
