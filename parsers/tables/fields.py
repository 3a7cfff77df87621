"""A form's lines of fields: 'key | value | key | value' written row by row, each line laid out its own way.

A form's head ('项目名称 | 职工疗休养 | | 主管部门 | 苏州市总工会', '主管部门 | … | 实施单位 | …') is not a table
of columns: its lines do not line up (a value merged across three columns in one line, a key in that place in
the next), so neither header rows nor 'key | value' columns (:func:`.behead.key_value_columns`, which need the
pairs in the same columns on every row) read it. Read line by line, every value is labelled by the key right at
its left. Three places use it: a region made of such lines only, when the rules read no entry from it; the lines
at the top of a region above a header row that starts under them (:func:`fields_over_header`), which are the
form's head, not a header level of the grid below; and the lines above a form's first block (a label merged down
the first column over a header of its own, :func:`.partition._form_blocks`).
"""
from __future__ import annotations

from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.model import Entry, Label, Table, cell_a1, region_a1

_PARTS_ROWS = 2  # rows of parts under a grid's first header row: a header has three levels at most
_KEY_CHARS = 20  # a key is a few words ('项目名称', '主管部门', 'Prepared by'); a longer text is a statement


def field_pairs(grid: Grid, row: int, left: int, right: int) -> list[tuple[Box, Box]]:
    """The row's (key, value) pairs when it holds nothing else, from the region's first column on; else [].

    A key is a short text with no digit (not a number, not a year); its value is the cell right after it,
    whatever it holds (a value merged across several columns, or with blanks at its right, is one value)."""
    boxes = [b for b in grid.own(row, left, right) if b.has_value]
    if not boxes or len(boxes) % 2 or boxes[0].col != left:
        return []
    pairs = []
    for key, value in zip(boxes[::2], boxes[1::2]):
        if (key.numeric or len(key.text) > _KEY_CHARS or any(ch.isdigit() for ch in key.text)
                or value.col != key.last_col + 1 or value.row != row or key.text == value.text):
            return []
        pairs.append((key, value))
    return pairs


def fields_over_header(grid: Grid, rows: list[int], left: int, right: int) -> int:
    """How many rows at the top are a form's lines of fields right above the header row of a grid (0 if none).

    That header row heads every column of the region with a text of its own, its first one under the first key
    (a grid's column headers start in the stub's column, where a header level over them would leave the
    corner blank or merge it down), and rows follow it. A line of fields over it is then no level of its
    header: '主管部门' is not the group of the grid's '分值' below it."""
    count, keys = 0, []
    while count < len(rows) - 2 and (pairs := field_pairs(grid, rows[count], left, right)):
        keys += [key for key, _ in pairs]
        count += 1
        header = rows[count]
        if _heads_a_grid(grid, header, rows[count + 1:], left, right) and any(
                (below := grid.at(header, key.col)) is not None and (below.col, below.last_col) == (key.col, key.last_col)
                for key in keys):
            # a key heads no group of the header's columns: it stands over one of them alike, as no spanning
            # parent does ('原金融工具准则' over '列报项目 | 计量类别 | 账面价值' is a parent, not a key)
            return count
    return 0


def _heads_a_grid(grid: Grid, row: int, below: list[int], left: int, right: int) -> bool:
    """The row heads every column with a text of its own (but columns at its right that the row under it leaves
    blank too: they belong to a block of the form further down), none merged down into the rows below but over the
    parts of a header spanning columns ('三级指标' merged down beside '指标值' over '年度目标值 | 实际完成值': a
    header of two or three rows), and a column of figures among them: a grid's header, not one more line of a form,
    nor the first row of a table of texts under its header ('1型气体继电器 | 2008年8月 | …', a product's name and
    dates merged down over its rows)."""
    boxes = grid.own(row, left, right)
    covered = {col for b in boxes for col in range(b.col, b.last_col + 1)}
    if (len(boxes) < 3 or boxes[0].col != left or any(not b.has_value or b.numeric for b in boxes)
            or covered != set(range(left, boxes[-1].last_col + 1))):
        return False
    bottom = max(b.last_row for b in boxes)
    parts = [r for r in below if r <= bottom]
    if bottom - row > _PARTS_ROWS or len(parts) != bottom - row or not all(
            _parts_under(grid, r, boxes) for r in parts):
        return False
    below = [r for r in below if r > bottom]
    if below and grid.touching_row(below[0], boxes[-1].last_col + 1, right):
        return False
    # figures right under it (a row of texts under it is one more header row, or a line)
    return any(figures_under(grid, col, below) for col in range(left, boxes[-1].last_col + 1))


def _parts_under(grid: Grid, row: int, heads: list[Box]) -> bool:
    """The row holds texts only, each under a head spanning columns that is not merged down to it: the parts of
    those heads, as a header's lower row holds them."""
    return all(not b.numeric and not b.tall and any(h.wide and h.last_row < row and h.col <= b.col <= h.last_col
                                                    for h in heads)
               for b in grid.own(row, heads[0].col, heads[-1].last_col))


def figures_under(grid: Grid, col: int, rows: list[int]) -> bool:
    """The column holds figures in ``rows``, starting at the first of them that holds anything: a column of a grid
    right under its header."""
    column = [b for b in grid.own_in_column(col, rows) if b.has_value]
    figures = sum(1 for b in column if b.number)
    return bool(column) and column[0].number and figures >= 2 and 2 * figures >= len(column)


def fields_table(grid: Grid, rows: list[int], left: int, right: int) -> Table | None:
    """The region read line by line as fields when every row is one (at least two pairs in all), else None."""
    by_row = [field_pairs(grid, row, left, right) for row in rows]
    keys = [key.text for pairs in by_row for key, _ in pairs]
    values = {value.text for pairs in by_row for _, value in pairs}
    if not all(by_row) or len(keys) < 2 or len(set(keys)) < len(keys) or values & set(keys):
        return None  # a header written again ('类别 | 金额' over '类别 | 金额') is no form's fields
    labels, entries = [], []
    for pairs in by_row:
        for key, value in pairs:
            label = Label(key.label, cell_a1(key.row, key.col))
            labels.append(label)
            entries.append(Entry(value.text, cell_a1(value.row, value.col), [label]))
    return Table(grid.name, region_a1(rows[0], left, rows[-1], right), entries, labels)


def statements_under_alike(grid: Grid, rows: list[int], left: int, right: int) -> bool:
    """Two rows, the second a row of statements each under a header spanning its columns alike ('预期目标' over what
    was planned, '实际完成情况' over what was done, each over several columns): a header over one row of values,
    not a header of two levels (whose lower level splits the columns of the upper one)."""
    if len(rows) != 2:
        return False
    under = [b for b in grid.own(rows[1], left, right) if b.has_value]
    return bool(under) and all(
        (above := grid.at(rows[0], b.col)) is not None and above.row == rows[0] and above.wide
        and (above.col, above.last_col) == (b.col, b.last_col) for b in under)
