from decimal import Decimal

import pytest

from hemma.lib.suppression import is_suppressed, published


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (120, "120"), (Decimal("3"), "< 5"), (None, "")],
)
def test_a_count_below_the_threshold_is_shown_as_less_than_it(count, shown):
    assert published(count, limit=5) == shown


def test_the_threshold_comes_from_the_settings(settings):
    settings.HEMMA_SUPPRESSION_THRESHOLD = 10

    assert is_suppressed(7)
    assert published(10) == "10"
