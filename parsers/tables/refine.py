"""Second opinion on a region's header cells: the header-cell model (:mod:`.cellmodel`) looks at every cell
with what the rules decided as one of its inputs. In a region whose body is mostly text (not numbers,
:data:`MAX_NUMERIC_SHARE`) and that carries no style hints (bold, indent, alignment: the rules read those,
and the model, trained on tables without any, has nothing to say about them), where it disagrees with the
rules on at least :data:`MIN_FLIPS` cells, the region is read again from the model's header cells, unless that
reading leaves a column of numbers the rules head without any header cell above its numbers, or makes a cell the
rules read as a label a value nothing labels (then the model misread the region: a plain statistics table with a
column of units or names beside its numbers, a stub written again at the right). A region of
more than :data:`MAX_MODEL_CELLS` cells is left to the rules, and so is one whose stub nests by subject codes
(:mod:`.codes`; :func:`~budget_etl.parsers.tables.find_tables` does not ask): the model never reads codes, and a
coded list whose names are its entries (a blank template) looks to it like a table of text.

That reading is the one of mixed layouts (header blocks stacked inside the body, 'key | value' grids,
groups of columns each with its own stub): every data cell is labelled by the nearest header cell at its
left in its row (its row dimension) and the nearest header cell above it in its column (its column
dimension). A header cell's parent is the header merged down at its left over more rows than its own
(a group of rows) when data stands at its right (a row header), else the header merged across more
columns than its own right above it (a group of columns); each takes the other when it has only that. Cells
that hold no value ('-') are never header cells.
"""
from __future__ import annotations

from typing import TypeGuard

from budget_etl.parsers.cells import parse_a1
from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.behead import column_codes_row
from budget_etl.parsers.tables.cellfeatures import cell_features, region_boxes
from budget_etl.parsers.tables.cellmodel import load_model
from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.model import Entry, Label, Table, cell_a1, region_a1
from budget_etl.parsers.tables.partition import Region

# Cells on which model and rules must disagree before the model's reading replaces the rules' one: a
# single doubtful cell in a regular table is more often the model's error (measured by cross-validation
# on IM-TQA train, see scripts/train_header_model.py).
MIN_FLIPS = 2
# The model was trained on tables whose bodies hold text (product sheets, forms, 'key | value' grids); a body
# of numbers is a statistics table, which the rules read with its style hints and stub hierarchy, so the
# model gives no opinion on a region where at least this share of the rules' entries are numbers.
MAX_NUMERIC_SHARE = 0.8
# The model learnt from tables of at most a few hundred cells (IM-TQA train: 312); a region far larger (a long
# list of thousands of rows) is nothing like them, and scoring each of its cells took most of the time a long
# table's reading took (20,000 rows: 13 of 24 s): the rules read it alone.
MAX_MODEL_CELLS = 5000


def refine_with_model(grid: Grid, region: Region, table: Table) -> Table:
    model = load_model()
    if model is None:
        return table
    boxes = region_boxes(grid, region)
    if len(boxes) < 2 or len(boxes) > MAX_MODEL_CELLS:
        return table
    numeric = sum(1 for entry in table.entries if tx.is_numeric(entry.value))
    if numeric >= MAX_NUMERIC_SHARE * len(table.entries):
        return table
    if any(b.bold or b.indent or b.align for b in boxes):
        return table  # the model never saw a style hint (IM-TQA has none); the rules read them
    if any(column_codes_row(grid, row, region.left, region.right) for row in region.rows[:4]):
        return table  # a report form with its columns coded under the header ('甲 | 乙 | 1 | 2'): the rules know it
    rule = {parse_a1(label.cell) for label in table.labels}
    vectors = cell_features(grid, region, boxes, rule)
    headers = {(b.row, b.col) for b, vector in zip(boxes, vectors) if b.has_value and model.is_header(vector)}
    flips = sum(1 for b in boxes if ((b.row, b.col) in headers) != ((b.row, b.col) in rule))
    if flips < MIN_FLIPS:
        return table
    if _numbers_unheaded(grid, region, rule, headers):
        return table  # 'Selected characteristics | Units | 2007 | 2008' read with its years as data
    second = nearest_header_table(grid, region, boxes, headers)
    if any(not entry.labels and parse_a1(entry.cell) in rule for entry in second.entries):
        # a cell the rules read as a label would be a value that nothing labels ('Total' of a stub written again
        # at the right, in another language): the model misread the region
        return table
    return second


def _numbers_unheaded(grid: Grid, region: Region, rule: set[tuple[int, int]], headers: set[tuple[int, int]]) -> bool:
    """A column of numbers that the rules head (a header cell above its numbers) has no header cell above them in the
    model's reading: its numbers would lose what they measure."""
    for col in range(region.left, region.right + 1):
        boxes = grid.own_in_column(col, region.rows)
        numbers = [b for b in boxes if b.number and (b.row, b.col) not in headers]  # numbers it reads as data
        if not numbers or 2 * len(numbers) <= len(boxes):
            continue
        first = numbers[0].row
        if any(r < first and c == col for r, c in rule) and not any(
                r < first and (box := grid.at(r, c)) is not None and c <= col <= box.last_col for r, c in headers):
            return True
    return False


def nearest_header_table(grid: Grid, region: Region, boxes: list[Box], headers: set[tuple[int, int]]) -> Table:
    """The region read with ``headers`` as its header cells (see the module's docstring)."""
    rows = set(region.rows)
    left, right = region.left, region.right
    labels: dict[tuple[int, int], Label] = {}

    def inside(row: int, col: int) -> Box | None:
        return grid.at(row, col) if row in rows and left <= col <= right else None

    def is_header(box: Box | None) -> TypeGuard[Box]:
        return box is not None and (box.row, box.col) in headers

    for box in boxes:
        if (box.row, box.col) in headers:
            labels[(box.row, box.col)] = Label(box.label, cell_a1(box.row, box.col))
    for box in boxes:
        label = labels.get((box.row, box.col))
        if label is None:
            continue
        beside, above = inside(box.row, box.col - 1), inside(box.row - 1, box.col)
        row_group = beside if (is_header(beside) and beside.row <= box.row and beside.last_row >= box.last_row
                               and beside.last_row - beside.row > box.last_row - box.row) else None
        column_group = above if (is_header(above) and above.col <= box.col and above.last_col >= box.last_col
                                 and above.last_col - above.col > box.last_col - box.col) else None
        # a row header (data at its right) hangs under the group of rows at its left, a column header under
        # the group of columns above it; each takes the other when it has only that one
        right_of = inside(box.row, box.last_col + 1)
        data_at_right = right_of is not None and not is_header(right_of)
        group = row_group if row_group is not None and (data_at_right or column_group is None) else column_group
        if group is not None:
            label.parent = labels[(group.row, group.col)]

    data = [box for box in boxes if (box.row, box.col) not in headers and box.has_value]
    # The nearest header at the left and above each data cell, found in one pass along each of its rows and
    # columns: searching outwards from every cell made a long table quadratic (4,000 rows: 16 s).
    wanted = {(box.row, box.col) for box in data}
    row_header_of: dict[tuple[int, int], Box] = {}
    column_header_of: dict[tuple[int, int], Box] = {}
    for row in {box.row for box in data}:
        nearest: Box | None = None
        for col in range(left, right + 1):
            if nearest is not None and (row, col) in wanted:
                row_header_of[(row, col)] = nearest
            if is_header(h := inside(row, col)):
                nearest = h
    for col in {box.col for box in data}:
        nearest = None
        for row in region.rows:
            if nearest is not None and (row, col) in wanted:
                column_header_of[(row, col)] = nearest
            if is_header(h := inside(row, col)):
                nearest = h

    entries = []
    for box in data:
        found: list[Label] = []
        row_header = row_header_of.get((box.row, box.col))
        if row_header is not None:
            found.append(labels[(row_header.row, row_header.col)])
        column_header = column_header_of.get((box.row, box.col))
        if column_header is not None and column_header is not row_header:
            found.append(labels[(column_header.row, column_header.col)])
        entries.append(Entry(box.text, cell_a1(box.row, box.col), found))
    return Table(grid.name, region_a1(region.top, left, region.bottom, right), entries, list(labels.values()))
