"""Small-cell suppression: a count of people below the threshold is never shown outside the
coordinators' own screens (public pages, open data, reports), so that nobody can be picked
out. Used by every place that publishes a count; the threshold is HEMMA_SUPPRESSION_THRESHOLD
(default 5)."""

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

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


# -- a table: rows × columns with row, column and grand totals --------------------------------

R = TypeVar("R")
C = TypeVar("C")
_GROUND = ("ground",)
_TOTALS_COLUMN = ("totals", "column")  # the line of the row totals, summing to the grand total
_TOTALS_ROW = ("totals", "row")  # the line of the column totals


@dataclass(frozen=True)
class HiddenTable(Generic[R, C]):
    """What of a table to hide: cells by (row, column), row and column totals by their key,
    and whether the grand total. Which of them are small (shown as "< 5") and which are
    hidden only to protect a small one, the caller tells by `is_suppressed`."""

    cells: frozenset[tuple[R, C]] = frozenset()
    rows: frozenset[R] = frozenset()
    columns: frozenset[C] = frozenset()
    grand: bool = False


def hidden_in_table(
    cells: Mapping[tuple[R, C], int],
    row_totals: Mapping[R, int | None] | None = None,
    column_totals: Mapping[C, int | None] | None = None,
    grand_total: int | None = None,
    *,
    hide: HiddenTable[R, C] | None = None,
    limit: int | None = None,
) -> HiddenTable[R, C]:
    """Which counts of a two-way table to hide so that no small one can be worked back from
    what is published: neither read nor computed from the totals, however combined.

    `cells` holds every cell (a missing one is a published 0). A row's total, where given, is
    the sum of its cells; a column's likewise (a multiple-choice question's columns are not
    sums of their choices: pass no column totals, and suppress its respondents as a group of
    their own). The grand total is the sum of the row totals and of the column totals given.
    `hide` names counts hidden already, because another table hides the same count.

    Each published total is an equation over its line. A hidden count is fixed by them
    exactly when it lies on no cycle of hidden counts: in the graph whose nodes are the
    lines with a total (and one node for "no equation") and whose edges are the counts, each
    joining its row and its column, a count is determined exactly when its edge is a bridge.
    So the small counts are hidden first (primary suppression) and then, while some hidden
    count is a bridge, the counts of the cheapest path that closes a cycle through it are
    hidden too: cells before totals, the grand total last, small counts before large ones, so
    that as much as possible stays readable (complementary suppression). The answer depends
    on the table's counts only.
    """
    limit = threshold() if limit is None else limit
    row_totals = row_totals or {}
    column_totals = column_totals or {}
    rows = list(dict.fromkeys([r for r, _c in cells] + list(row_totals)))
    columns = list(dict.fromkeys([c for _r, c in cells] + list(column_totals)))
    with_row_total = {r for r in rows if row_totals.get(r) is not None}
    with_column_total = {c for c in columns if column_totals.get(c) is not None}
    totals_column = grand_total is not None and bool(rows) and len(with_row_total) == len(rows)
    totals_row = (
        grand_total is not None and bool(columns) and len(with_column_total) == len(columns)
    )

    def row_line(r) -> tuple:
        return ("row", r) if r in with_row_total else _GROUND

    def column_line(c) -> tuple:
        return ("column", c) if c in with_column_total else _GROUND

    # Every count published, as (kind, key) → (its value, the two lines it is an edge of).
    entries: dict[tuple, tuple[int, tuple, tuple]] = {}
    for r in rows:
        for c in columns:
            entries[("cell", (r, c))] = (int(cells.get((r, c)) or 0), row_line(r), column_line(c))
    for r in with_row_total:
        value = int(row_totals[r] or 0)
        entries[("row", r)] = (value, ("row", r), _TOTALS_COLUMN if totals_column else _GROUND)
    for c in with_column_total:
        value = int(column_totals[c] or 0)
        entries[("column", c)] = (value, ("column", c), _TOTALS_ROW if totals_row else _GROUND)
    if grand_total is not None:
        entries[("grand", None)] = (
            int(grand_total),
            _TOTALS_COLUMN if totals_column else _GROUND,
            _TOTALS_ROW if totals_row else _GROUND,
        )
    order = {key: index for index, key in enumerate(entries)}

    hidden = {key for key, (value, _a, _b) in entries.items() if 0 < value < limit}
    if hide is not None:
        hidden |= {("cell", key) for key in hide.cells} | {("row", r) for r in hide.rows}
        hidden |= {("column", c) for c in hide.columns}
        if hide.grand:
            hidden.add(("grand", None))
        hidden &= set(entries)
    unfixable: set[tuple] = set()
    while True:
        bridge = next(
            (
                key
                for key in sorted(hidden, key=order.__getitem__)
                if key not in unfixable and _is_bridge(key, hidden, entries)
            ),
            None,
        )
        if bridge is None:
            break
        path = _cheapest_path(bridge, hidden, entries, order)
        if path is None:
            unfixable.add(bridge)  # the table's own shape fixes it: nothing to hide helps
            continue
        hidden |= path

    return HiddenTable(
        cells=frozenset(key for kind, key in hidden if kind == "cell"),
        rows=frozenset(key for kind, key in hidden if kind == "row"),
        columns=frozenset(key for kind, key in hidden if kind == "column"),
        grand=("grand", None) in hidden,
    )


def _cost(key: tuple, value: int) -> int:
    """What hiding a count costs the reader: a cell less than a total, the grand total most;
    a small cell less than a large one; a 0 (which tells nothing to hide) after the others."""
    kind = key[0]
    weight = 10**9 if kind == "grand" else 10**6 if kind != "cell" else 10**3
    return weight + (value if value else 999)


def _cheapest_path(bridge: tuple, hidden: set[tuple], entries: dict, order: dict) -> set | None:
    """The counts to hide so that `bridge` lies on a cycle: the cheapest path between its two
    lines that avoids it (hidden counts cost nothing), as the counts not yet hidden on it."""
    _value, start, goal = entries[bridge]
    edges: dict[tuple, list[tuple[int, int, tuple, tuple]]] = {}
    for key, (value, one, other) in entries.items():
        if key == bridge or one == other:
            continue
        cost = 0 if key in hidden else _cost(key, value)
        edges.setdefault(one, []).append((cost, order[key], key, other))
        edges.setdefault(other, []).append((cost, order[key], key, one))
    best: dict[tuple, int] = {start: 0}
    came: dict[tuple, tuple[tuple, tuple]] = {}
    queue: list[tuple[int, int, tuple]] = [(0, 0, start)]
    counter = 0
    while queue:
        cost, _n, node = heapq.heappop(queue)
        if node == goal:
            found = set()
            while node != start:
                key, node = came[node]
                if key not in hidden:
                    found.add(key)
            return found
        if cost > best[node]:
            continue
        for step, _order, key, other in sorted(edges.get(node, [])):
            if other not in best or cost + step < best[other]:
                best[other] = cost + step
                came[other] = (key, node)
                counter += 1
                heapq.heappush(queue, (cost + step, counter, other))
    return None


def _reachable(start: tuple, edges: set[tuple], entries: dict) -> set[tuple]:
    """The lines reachable from `start` over the counts `edges`."""
    neighbours: dict[tuple, list[tuple]] = {}
    for key in edges:
        _value, one, other = entries[key]
        neighbours.setdefault(one, []).append(other)
        neighbours.setdefault(other, []).append(one)
    seen, stack = {start}, [start]
    while stack:
        for each in neighbours.get(stack.pop(), []):
            if each not in seen:
                seen.add(each)
                stack.append(each)
    return seen


def _is_bridge(key: tuple, hidden: set[tuple], entries: dict) -> bool:
    _value, one, other = entries[key]
    return one != other and other not in _reachable(one, hidden - {key}, entries)
