"""Build a region's labels and entries: the header hierarchy of each dimension, and for every data cell
its innermost label per dimension.

- Column headers: for each body column, the header cells above it, top to bottom, each the parent of
  the next. An unmerged header cell with blanks at its right in a higher header row stands over those
  columns too (the "centred across" look).
- Stub: each stub column is a dimension (a label merged across several is in the first of them). Within one, a cell's parent is the nearest cell above it that
  is at a higher level: bold above plain, less indented above more indented. A label alone in the first
  body row of the outermost stub column, the rows below it not indented, heads the stub ('Sex', 'Province'
  under the column headers): the rows below are under it. A row without data further down is a parent only when its look says so (bold,
  less indented): statistics tables show their levels by look, and a row whose cells are all blank is not
  a heading by that alone. A label that says it is a part of the row above ('of which: women',
  'thereof', '其中：') is one level under that row whatever its look. A label that only says "total"
  ('Total', 'All', 'I alt', '合计') is the sum of the rows at its level, their sibling, never their heading,
  however bold ('Total households' names what it totals and heads the rows below like any bold row). A label
  that still has no parent and is numbered as an outline ('一、' over '1.' over '（1）', '1' over '1.1') is under
  the nearest label above it at a higher outline level (:mod:`.outline`).
- 'key: value' columns: the key is one more row label of the values at its right.
- A stub text that wraps onto a second row, beside data cells merged over both rows, is one label.
- A row of the body that repeats the column headers holds labels, not entries.
"""
from __future__ import annotations

from budget_etl.parsers.cells import parse_a1
from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.behead import key_columns
from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.model import Entry, Label, Table, cell_a1, region_a1
from budget_etl.parsers.tables.outline import nest_by_outline
from budget_etl.parsers.tables.partition import Region


def assemble(grid: Grid, region: Region, header_count: int, stub_right: int, keys: set[int] | None = None) -> Table:
    rows, left, right = region.rows, region.left, region.right
    head_rows, body_rows = rows[:header_count], rows[header_count:]
    header_bottom = head_rows[-1] if head_rows else rows[0] - 1
    labels: dict[tuple[int, int], Label] = {}

    def label_of(box: Box) -> Label:
        key = (box.row, box.col)
        found = labels.get(key)
        if found is None:
            found = labels[key] = Label(box.label, cell_a1(box.row, box.col))
        return found

    def header_over(row: int, col: int) -> Box | None:
        box = grid.at(row, col)
        if box is not None or row == header_bottom:
            return box
        for k in range(col - 1, stub_right, -1):  # an unmerged header cell stands over the blanks at its right
            box = grid.at(row, k)
            if box is not None:
                return box
        return None

    # rows of column numbers ('(1) | (2) | (3)'): labels under the header they number, never an entry's label
    numbering = {row for row in head_rows if tx.is_index_row([b.text for b in grid.own(row, stub_right + 1, right)])}
    column_header: dict[int, Label] = {}
    for col in range(stub_right + 1, right + 1):
        chain: list[Box] = []
        numbers: list[Box] = []
        seen: Box | None = None  # the header cell over this column in the row above
        for row in head_rows:
            box = header_over(row, col)
            if box is not None and box is not seen and not (seen is not None and _written_again(seen, box)):
                (numbers if row in numbering else chain).append(box)
            seen = box if box is not None else seen
        parent = None
        for box in chain:
            label = label_of(box)
            if parent is not None and label.parent is None and label is not parent:
                label.parent = parent
            parent = label
        for box in numbers:
            label_of(box).parent = parent
        if chain:
            column_header[col] = label_of(chain[-1])
    if keys is None:
        keys = key_columns(grid, body_rows, stub_right, right, column_header, bool(head_rows))
    for row in head_rows:  # the corner: names of the stub's dimensions
        for box in grid.own(row, left, stub_right):
            label_of(box)

    repeated = {row for row in body_rows if _repeats_header(grid, row, head_rows, stub_right, right)}
    # the top of a repeated header may be one cell (a group header over the others): it repeats when the row
    # right below it does
    repeated |= {row for row, below in zip(body_rows, body_rows[1:])
                 if below in repeated and _repeats_header(grid, row, head_rows, stub_right, right, fewest=1)}
    row_labels = _stub_labels(grid, [r for r in body_rows if r not in repeated], left, stub_right, right, label_of)
    for col in range(left, stub_right + 1):  # a stub numbered as an outline ('一、' over '1.'): its levels
        column = {id(label): label for row in body_rows for label in row_labels.get(row, ())
                  if parse_a1(label.cell)[1] == col}
        nest_by_outline(list(column.values()))
    entries: list[Entry] = []
    for row in body_rows:
        for box in grid.own(row, stub_right + 1, right):
            if not box.has_value:
                continue
            if box.col in keys or row in repeated:
                label_of(box)  # a key, or a header repeated in the body
                continue
            found: list[Label] = list(row_labels.get(row, ()))
            key = next((grid.at(row, k) for k in range(box.col - 1, stub_right, -1)
                        if k in keys and grid.at(row, k) is not None), None)
            if key is not None:
                found.append(label_of(key))
            for col in range(box.col, box.last_col + 1):
                if col in column_header:
                    found.append(column_header[col])
                    break
            entries.append(Entry(box.text, cell_a1(box.row, box.col), found))
    return Table(grid.name, region_a1(rows[0], left, rows[-1], right), entries, list(labels.values()))


def _stub_labels(grid: Grid, body_rows: list[int], left: int, stub_right: int, right: int,
                 label_of) -> dict[int, list[Label]]:
    """For each body row, its stub label in each stub column (with the parents set by level)."""
    # data within the table's own columns (a table beside it on the sheet is not this row's data)
    has_data = {row: bool(grid.own(row, stub_right + 1, right)) or any(
        b.row < row for b in grid.touching_row(row, stub_right + 1, right)) for row in body_rows}
    row_labels: dict[int, list[Label]] = {}
    # a stub whose levels stand in columns of their own (one label a row) is one dimension, its column the level
    steps = stub_right > left and all(sum(1 for c in range(left, stub_right + 1) if grid.at(row, c) is not None) <= 1
                                      for row in body_rows)
    for col in ([left] if steps else range(left, stub_right + 1)):
        stack: list[tuple[tuple[int, int, int, int], Label, bool]] = []  # (level, label, a part of the row above)
        looks: dict[tuple[int, int], int] = {}  # (column step, indent) -> bold (0) or plain (1) of the last label there
        for row in body_rows:
            box = next((b for c in range(left, stub_right + 1) if (b := grid.at(row, c)) is not None), None) \
                if steps else grid.at(row, col)
            if box is None or box.col != col and not steps:
                continue  # a label merged across stub columns belongs to its first column only: one label, not one a column
            if box.row != row:  # merged down: the same label for this row too
                row_labels.setdefault(row, []).append(label_of(box))
                continue
            above = grid.at(row - 1, box.col) if row - 1 in has_data else None
            if above is not None and above.col == box.col and _continues_above(grid, row, stub_right, right):
                # the label's text wraps onto this row: the data cells beside it are merged down from above
                label = label_of(above)
                label.label = f"{label.label} {box.label}"
                row_labels.setdefault(row, []).append(label)
                continue
            # the stub's heading stands in its outermost column, or alone in its row (no code beside it)
            alone = col == left or not any(grid.at(row, c) for c in range(left, stub_right + 1) if c != col)
            heading = alone and row == body_rows[0] and not has_data[row] and not _indented_below(grid, box, body_rows)
            level = (0 if heading else 1, box.col - left if steps else 0, 0 if box.bold else 1, box.level_indent())
            if tx.is_bare_total(box.label):
                # a bare 'Total' sums the rows at its level: their sibling (as bold as the row above it at its
                # indent, plain when it comes first), not their heading, however bold
                level = (level[0], level[1], looks.get(level[1::2], 1), level[3])
            looks[level[1::2]] = level[2]
            part = tx.is_part_of_above(box.label)
            whole = next((entry for entry in reversed(stack) if not entry[2]), None)
            if part and whole is not None and level <= whole[0]:
                # 'of which: women', '其中：基本支出': a part of the row above it, one level under that row
                level = (*whole[0][:3], whole[0][3] + 1)
            label = label_of(box)
            while stack and stack[-1][0] >= level:
                stack.pop()
            if stack and label.parent is None:
                label.parent = stack[-1][1]
            stack.append((level, label, part))
            row_labels.setdefault(row, []).append(label)
    return row_labels


def _written_again(above: Box, box: Box) -> bool:
    """The header cell repeats the one right above it, over the same columns: one header that an export wrote
    into every cell of its merged range, not a level of its own."""
    return (box.text == above.text and box.row == above.last_row + 1
            and (box.col, box.last_col) == (above.col, above.last_col))


def _indented_below(grid: Grid, box: Box, body_rows: list[int]) -> bool:
    """The next label in the box's column is indented further: the box heads a section shown by indentation."""
    below = next((b for r in body_rows if r > box.row and (b := grid.at(r, box.col)) is not None and b.row == r), None)
    return below is not None and below.level_indent() > box.level_indent()


def _continues_above(grid: Grid, row: int, stub_right: int, right: int) -> bool:
    """Every data cell of the row is a cell merged down from the row above, none starts here."""
    beside = grid.touching_row(row, stub_right + 1, right)
    return bool(beside) and all(b.row < row for b in beside)


def _repeats_header(grid: Grid, row: int, head_rows: list[int], stub_right: int, right: int, fewest: int = 2) -> bool:
    """The row repeats the column headers (a table continued after a break): most of its cells, at least
    ``fewest``, have the text of a header cell above them."""
    boxes = [b for b in grid.own(row, stub_right + 1, right) if b.has_value]
    if len(boxes) < fewest or not head_rows:
        return False
    same = 0
    for box in boxes:
        texts = {over.text for r in head_rows if (over := grid.at(r, box.col)) is not None}
        same += box.text in texts
    return 5 * same >= 4 * len(boxes)
