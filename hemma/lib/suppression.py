"""Small-cell suppression: a count of people below the threshold is never shown outside the
coordinators' own screens (public pages, open data, reports), so that nobody can be picked
out. Used by every place that publishes a count; the threshold is HEMMA_SUPPRESSION_THRESHOLD
(default 5)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from django.conf import settings

SUPPRESSED = "< %(threshold)s"

K = TypeVar("K")


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


def hidden_in_group(
    counts: Mapping[K, int | Decimal | None], *, total: K | None = None, limit: int | None = None
) -> set[K]:
    """Which counts of one additive group to hide, `total` (a key of `counts`) being the sum
    of the others where it is given.

    The small ones are hidden (primary suppression). Where a total is published and exactly
    one part is hidden, the total less the others would give it back, so the smallest other
    part is hidden too, or, with no other part to hide, the total (complementary suppression).
    The answer depends on the group's counts only, never on which of them a page shows.
    """
    limit = threshold() if limit is None else limit
    hidden = {key for key, count in counts.items() if is_suppressed(count, limit=limit)}
    if total is None or counts.get(total) is None or total in hidden:
        return hidden
    parts_hidden = [key for key in hidden if key != total]
    if len(parts_hidden) != 1:
        return hidden
    others = sorted(
        (
            (count, str(key), key)
            for key, count in counts.items()
            if key != total and key not in hidden and count  # 0 and None tell nothing
        ),
        key=lambda found: (found[0], found[1]),
    )
    hidden.add(others[0][2] if others else total)
    return hidden
