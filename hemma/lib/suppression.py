"""Small-cell suppression: a count of people below the threshold is never shown outside the
coordinators' own screens (public pages, open data, reports), so that nobody can be picked
out. Used by every place that publishes a count; the threshold is HEMMA_SUPPRESSION_THRESHOLD
(default 5)."""

from decimal import Decimal

from django.conf import settings

SUPPRESSED = "< %(threshold)s"


def threshold() -> int:
    return int(getattr(settings, "HEMMA_SUPPRESSION_THRESHOLD", 5))


def is_suppressed(count: int | Decimal | None, *, limit: int | None = None) -> bool:
    """Whether a count of people is too small to publish (0 is published: nobody to pick out)."""
    limit = threshold() if limit is None else limit
    return count is not None and 0 < count < limit


def published(count: int | Decimal | None, *, limit: int | None = None) -> str:
    """The count as it may be published: the number, or "< 5" when it is too small."""
    limit = threshold() if limit is None else limit
    if count is None:
        return ""
    if is_suppressed(count, limit=limit):
        return SUPPRESSED % {"threshold": limit}
    return f"{count:n}" if isinstance(count, int) else f"{count.normalize():f}"
