from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemma.lib.suppression import hidden_in_group, is_suppressed, published


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


# -- a group with a total: no hidden count can be worked back --------------------------------


def test_one_small_part_beside_a_total_takes_the_smallest_other_part_with_it():
    counts = {"a": 3, "b": 10, "c": 7, "total": 20}

    assert hidden_in_group(counts, total="total", limit=5) == {"a", "c"}


def test_with_no_other_part_to_hide_the_total_is_hidden():
    assert hidden_in_group({"a": 3, "b": 0, "total": 3}, total="total", limit=5) == {"a", "total"}


def test_two_small_parts_hide_each_other():
    assert hidden_in_group({"a": 3, "b": 4, "total": 20}, total="total", limit=5) == {"a", "b"}


def test_without_a_total_only_the_small_ones_are_hidden():
    assert hidden_in_group({"a": 3, "b": 9}, limit=5) == {"a"}


def test_a_total_not_published_hides_nothing_more():
    assert hidden_in_group({"a": 3, "b": 9, "total": None}, total="total", limit=5) == {"a"}


@given(
    parts=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=40)), max_size=8),
    with_total=st.booleans(),
)
def test_no_hidden_count_is_the_only_unknown_of_its_sum(parts, with_total):
    """Published: the shown parts and the total. A hidden part could be worked back only if
    it were the one unknown in total = sum(parts); so with a total, never exactly one hidden."""
    counts: dict[str, int | None] = {f"m{i}": count for i, count in enumerate(parts)}
    if with_total:
        counts["total"] = sum(c for c in parts if c is not None)
    hidden = hidden_in_group(counts, total="total" if with_total else None, limit=5)

    small = {key for key, count in counts.items() if count is not None and 0 < count < 5}
    assert small <= hidden
    if with_total:
        assert len(hidden) != 1
