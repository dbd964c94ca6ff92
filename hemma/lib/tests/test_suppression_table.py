"""Suppression of a two-way table: no hidden count may be worked back from what is published.

The check is exact and independent of how `hidden_in_table` chooses: every published total is
a linear equation over its line; a hidden count leaks when those equations fix it to one
value, that is when its unit vector lies in the row space of the equations restricted to the
hidden counts (exact arithmetic with fractions)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from hemma.lib.suppression import HiddenTable, hidden_in_table

LIMIT = 5


def _equations(cells, row_totals, column_totals, grand):
    """Each published sum as (its terms, the total): terms are ("cell", (r, c)), ("row", r),
    ("column", c), ("grand", None)."""
    rows = sorted({r for r, _c in cells})
    columns = sorted({c for _r, c in cells})
    equations = []
    for r in row_totals:
        equations.append(([("cell", (r, c)) for c in columns], ("row", r)))
    for c in column_totals:
        equations.append(([("cell", (r, c)) for r in rows], ("column", c)))
    if grand is not None and row_totals and len(row_totals) == len(rows):
        equations.append(([("row", r) for r in rows], ("grand", None)))
    if grand is not None and column_totals and len(column_totals) == len(columns):
        equations.append(([("column", c) for c in columns], ("grand", None)))
    return equations


def _hidden_keys(hidden: HiddenTable) -> list:
    keys = [("cell", k) for k in hidden.cells] + [("row", r) for r in hidden.rows]
    keys += [("column", c) for c in hidden.columns]
    return keys + ([("grand", None)] if hidden.grand else [])


def derivable(cells, row_totals, column_totals, grand, hidden: HiddenTable) -> set:
    """The hidden counts that the published ones fix to a single value."""
    unknowns = sorted(_hidden_keys(hidden), key=repr)
    index = {key: i for i, key in enumerate(unknowns)}
    matrix = []
    for parts, total in _equations(cells, row_totals, column_totals, grand):
        row = [Fraction(0)] * len(unknowns)
        for key in parts:
            if key in index:
                row[index[key]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    basis = _echelon(matrix)
    found = set()
    for key, i in index.items():
        vector = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if not any(_reduce(vector, basis)):
            found.add(key)
    return found


def _echelon(matrix):
    basis: list[tuple[int, list[Fraction]]] = []
    for row in matrix:
        row = _reduce(row, basis)
        pivot = next((j for j, v in enumerate(row) if v), None)
        if pivot is not None:
            row = [v / row[pivot] for v in row]
            basis.append((pivot, row))
    return basis


def _reduce(row, basis):
    row = list(row)
    for pivot, base in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [v - factor * b for v, b in zip(row, base, strict=True)]
    return row


def _table(grid):
    cells = {(r, c): v for r, line in enumerate(grid) for c, v in enumerate(line)}
    row_totals = {r: sum(line) for r, line in enumerate(grid)}
    column_totals = {c: sum(line[c] for line in grid) for c in range(len(grid[0]))}
    return cells, row_totals, column_totals, sum(row_totals.values())


# -- examples --------------------------------------------------------------------------------


def test_a_small_cell_takes_a_cell_of_its_row_and_of_its_column_and_their_corner_with_it():
    cells, rows, columns, grand = _table([[3, 10, 20], [12, 15, 30], [40, 50, 60]])

    hidden = hidden_in_table(cells, rows, columns, grand, limit=LIMIT)

    assert hidden.cells == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert not hidden.rows and not hidden.columns and not hidden.grand
    assert not derivable(cells, rows, columns, grand, hidden)


def test_two_small_cells_of_one_row_still_need_a_partner_in_their_columns():
    """Each alone in its column: the column total less the others would give it."""
    cells, rows, columns, grand = _table([[3, 4, 20], [12, 15, 30]])

    hidden = hidden_in_table(cells, rows, columns, grand, limit=LIMIT)

    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= hidden.cells
    assert not derivable(cells, rows, columns, grand, hidden)


def test_blocks_joined_by_one_hidden_cell_are_joined_by_a_second():
    """Every line has two hidden counts, yet the cell joining two blocks is fixed by the sums
    of their rows less the sums of their columns: it must not stay a bridge."""
    grid = [
        [3, 3, 9, 50],
        [3, 3, 50, 50],
        [50, 50, 3, 3],
        [50, 50, 3, 3],
    ]
    cells, rows, columns, grand = _table(grid)
    forced = HiddenTable(cells=frozenset({(0, 2)}))

    hidden = hidden_in_table(cells, rows, columns, grand, hide=forced, limit=LIMIT)

    assert (0, 2) in hidden.cells
    assert not derivable(cells, rows, columns, grand, hidden)


def test_a_table_with_no_small_count_hides_nothing():
    cells, rows, columns, grand = _table([[0, 10], [5, 7]])

    assert hidden_in_table(cells, rows, columns, grand, limit=LIMIT) == HiddenTable()


def test_a_single_row_hides_the_total_when_nothing_else_can_cover_it():
    cells, rows, columns, grand = _table([[3, 0]])

    hidden = hidden_in_table(cells, rows, columns, grand, limit=LIMIT)

    assert (0, 0) in hidden.cells
    assert not derivable(cells, rows, columns, grand, hidden)


def test_columns_that_are_not_sums_constrain_nothing():
    """Multiple choice: a municipality's column is no sum of its choices; only the choices'
    totals over the municipalities are."""
    cells = {("a", 1): 3, ("a", 2): 10, ("b", 1): 8, ("b", 2): 9}

    hidden = hidden_in_table(cells, {"a": 13, "b": 17}, limit=LIMIT)

    assert hidden.cells == {("a", 1), ("a", 2)}


def test_the_threshold_comes_from_the_settings(settings):
    settings.HEMMA_SUPPRESSION_THRESHOLD = 10
    cells, rows, columns, grand = _table([[7, 20], [20, 20]])

    assert (0, 0) in hidden_in_table(cells, rows, columns, grand).cells


# -- the property ----------------------------------------------------------------------------

counts = st.one_of(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=40))


@st.composite
def tables(draw):
    height = draw(st.integers(min_value=1, max_value=5))
    width = draw(st.integers(min_value=1, max_value=5))
    grid = [[draw(counts) for _c in range(width)] for _r in range(height)]
    cells, rows, columns, grand = _table(grid)
    if not draw(st.booleans()):
        columns = {}  # as a multiple-choice question's
    if not draw(st.booleans()):
        grand = None
    return cells, rows, columns, grand


@settings(max_examples=300, deadline=None)
@given(table=tables())
def test_no_hidden_count_can_be_worked_back_from_what_is_published(table):
    cells, rows, columns, grand = table

    hidden = hidden_in_table(cells, rows, columns, grand, limit=LIMIT)

    published_small = {k for k, v in cells.items() if 0 < v < LIMIT} - hidden.cells
    assert not published_small
    assert not {r for r, v in rows.items() if 0 < v < LIMIT} - hidden.rows
    assert not {c for c, v in columns.items() if 0 < v < LIMIT} - hidden.columns
    if grand is not None and 0 < grand < LIMIT:
        assert hidden.grand
    assert not derivable(cells, rows, columns, grand, hidden)
