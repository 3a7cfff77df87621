"""Split a sheet into table regions (unpivotr's ``partition``): runs of rows between blank rows, joined
where a header block stands apart from its body; title, unit and note lines around a table dropped;
tables side by side split apart.

A *line* is a row that holds one piece of text in the table's first column (or spanning it), like
"Table 4. Port calls", "(Number of persons)", "Source: Statistics Canada", or a note mark and its
text ("1 | DAC countries are ..."). Lines at the top and bottom of a region are not part of the table;
inside a table the same shape is a section label of the stub.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.fields import field_pairs, fields_over_header, figures_under
from budget_etl.parsers.tables.grid import Box, Grid

_LONG_TEXT = 20  # characters: a note or title beside a short mark, not a header
_SENTENCE = 30  # characters: a lone text this long is a title or a note wherever it stands, not a header
_STATEMENTS = 2  # 'key: value' statements on a line about the table (its unit, who prepared it); more are a form's fields


@dataclass(slots=True)
class Region:
    rows: list[int]  # the table's rows, top to bottom (blank rows inside left out)
    left: int
    right: int
    fields: bool = False  # a form's lines of fields ('key | value | key | value'), read line by line (:mod:`.fields`)

    @property
    def top(self) -> int:
        return self.rows[0]

    @property
    def bottom(self) -> int:
        return self.rows[-1]


def partition(grid: Grid) -> list[Region]:
    regions: list[Region] = []
    for rows in _join(grid, _runs(grid)):
        region = _trim(grid, rows)
        if region is None or regions and _signs_off(grid, region):
            continue
        head = fields_over_header(grid, region.rows, region.left, region.right)
        if head:  # a form's head over its grid: lines of fields, then a table of its own under its header
            regions.append(Region(region.rows[:head], region.left, region.right, fields=True))
            region = Region(region.rows[head:], region.left, region.right)
        for block in _form_blocks(grid, region):
            regions.extend([block] if block.fields else _side_by_side(grid, block))
    return regions


def _form_blocks(grid: Grid, region: Region) -> list[Region]:
    """A form's blocks stacked with no blank row between, each named by a label merged down its first column over a
    header row of its own ('年度总体目标' over '预期目标 | 实际完成情况', '绩效指标' over '一级指标 | 二级指标 | … |
    得分'): each block from its header row down to the next block is a table of its own, when the rows above the first
    of them are a block too, or the form's lines of fields. A part made of lines of fields is marked so (read line
    by line). A group label merged down over rows of data ('Canada' beside its provinces' figures) starts no block:
    its first row holds data."""
    left, right = region.left, region.right
    starts = [k for k, row in enumerate(region.rows) if k and _opens_block(grid, row, left, right)]
    if not starts:
        return [region]
    bounds = [0, *starts, len(region.rows)]
    blocks = [Region(rows, left, right, fields=all(field_pairs(grid, row, left, right) for row in rows))
              for rows in (region.rows[a:b] for a, b in zip(bounds, bounds[1:]))]
    first = blocks[0]
    label = grid.at(first.top, left)
    if not (label is not None and label.tall and label.row == first.top or first.fields):
        # the rows above the first block are no block of the form, nor its lines of fields: a product sheet whose
        # parameters run into a sub-table ('最短行程' over '安装方式 | 气缸型号'), one table
        return [region]
    return blocks


def _opens_block(grid: Grid, row: int, left: int, right: int) -> bool:
    """The row opens a block of a form: a label merged down the first column, and beside it a header of the rows
    that label spans: texts (in one row, or two: cells merged down beside the parts of a cell spanning columns), with
    figures right under one of them, or each header over several
    columns with a text under it alike (a block of statements: '预期目标' over what was planned), the rows under it
    named in the column beside the label. Not a product's row in a list of products (its name, dates and price
    merged down over its rows of 'key | value' pairs), nor a product's sub-table of figures ('流量特性' over
    '进口压力 | 出口压力 | 空气流量', the pressures in the column beside it)."""
    label = grid.at(row, left)
    if label is None or (label.row, label.col) != (row, left) or not label.tall or label.numeric:
        return False
    heads = grid.own(row, label.last_col + 1, right)
    if len(heads) < 2 or any(not b.has_value or b.numeric for b in heads):
        return False
    # a header of two levels: cells merged down its rows beside the parts of a cell spanning columns above them
    bottom = max(b.last_row for b in heads)
    if bottom >= label.last_row or any(b.numeric or b.last_row > bottom for r in range(row + 1, bottom + 1)
                                       for b in grid.own(r, label.last_col + 1, right)):
        return False
    below = list(range(bottom + 1, label.last_row + 1))
    if any(b.numeric for b in grid.own_in_column(label.last_col + 1, below)):
        return False  # the rows are named beside the label (indicators, funds), not a sub-table's own figures
    if any(figures_under(grid, head.col, below) for head in heads):
        return True
    under = grid.own(row + 1, label.last_col + 1, right)
    return bottom == row and all(b.wide for b in heads) and [(b.col, b.last_col) for b in under] == [
        (b.col, b.last_col) for b in heads]


def _signs_off(grid: Grid, region: Region) -> bool:
    """A row or two of nothing but 'key: value' statements after a table on the sheet (a blank row between): who
    signed and when ('单位负责人： | 财务负责人： | 制表人： | 填报日期：…'), a line about the table above, not a table."""
    return len(region.rows) <= 2 and all(_statements(grid, row, region.left, region.right) for row in region.rows)


def _side_by_side(grid: Grid, region: Region) -> list[Region]:
    """Tables next to each other: apart (an empty column between; each part may have its own title and
    notes), or one table wrapped into blocks under a repeated header, or blocks that restate their stub's
    header (a 收支总表: '本年收入' over '项目 | 预算数' beside '本年支出' over '项目 | 预算数'). Each part is a
    table of its own when each has its own stub (:func:`_own_stub`) and is at least two columns wide; otherwise the
    empty column is only a spacer inside one table."""
    parts = _apart(grid, region)
    own_lines = len(parts) >= 2
    if not own_lines:
        parts = _repeated_header(grid, region) or _restated_stub(grid, region)
    if len(parts) < 2:
        return [region]
    if any(last - first < 1 or not _own_stub(grid, region.rows, first, last) for first, last in parts):
        return [region]
    found = []
    for first, last in parts:
        rows = [r for r in region.rows if grid.touching_row(r, first, last)]
        rows = [r for r in rows if all(b.col >= first and b.last_col <= last for b in grid.touching_row(r, first, last))]
        if own_lines:
            rows = _without_lines(grid, rows, first, last)
        if rows:
            found.append(Region(rows, first, last))
    return found or [region]


def _own_stub(grid: Grid, rows: list[int], first: int, last: int) -> bool:
    """The part has a stub of its own: a column of mostly text before any column of measures (a rank or a code
    may stand before that text column: 'Rank | State | Total')."""
    for col in range(first, last + 1):
        boxes = [b for r in rows for b in grid.own(r, col, col) if b.has_value]
        if not boxes:
            continue
        if 2 * sum(1 for b in boxes if b.numeric) < len(boxes):
            return True
        if 2 * sum(1 for b in boxes if tx.is_measure(b.text)) >= len(boxes):
            return False
    return False


def _apart(grid: Grid, region: Region) -> list[tuple[int, int]]:
    """The column ranges between the region's empty columns."""
    used: set[int] = set()
    for row in region.rows:
        for box in grid.touching_row(row, region.left, region.right):
            used.update(range(box.col, box.last_col + 1))
    parts, start = [], region.left
    for col in range(region.left, region.right + 2):
        if col not in used or col > region.right:
            if col > start:
                parts.append((start, col - 1))
            start = col + 1
    return parts


def _repeated_header(grid: Grid, region: Region) -> list[tuple[int, int]]:
    """A table wrapped side by side: the first row's texts repeat after every ``width`` columns
    ('Province | Mean | Province | Mean'), or blocks of one form side by side whose stubs are headed each its own way
    ('收入项目 | 预算数 | 支出项目 | 预算数': the columns after the first repeat, and the first's texts differ from
    all of them); the column ranges of the parts, or [] when they do not."""
    texts = {}
    for box in grid.own(region.top, region.left, region.right):
        for col in range(box.col, box.last_col + 1):
            texts[col] = box.text
    size = region.right - region.left + 1
    for width in range(2, size // 2 + 1):
        if size % width:
            continue
        first = [texts.get(region.left + k) for k in range(width)]
        if None in first:
            continue
        starts = range(region.left + width, region.right + 1, width)
        if all(texts.get(start + k) == first[k] for start in starts for k in range(1, width)) and (
                all(texts.get(start) == first[0] for start in starts)
                or len(set(first)) == width  # the block's own columns, not one header spanning them
                and all(texts.get(start) and not tx.is_numeric(texts[start]) and texts[start] not in first
                        for start in starts)):
            return [(start, start + width - 1) for start in range(region.left, region.right + 1, width)]
    return []


def _restated_stub(grid: Grid, region: Region) -> list[tuple[int, int]]:
    """Blocks side by side, each with a stub of its own, that name their stubs alike in a header row
    ('本年收入' over '项目 | 预算数', '本年支出' over '项目 | 预算数 | …'): the column ranges of the blocks,
    split where the text over the first column comes again in one of the top rows and no cell of the rows
    above it (the blocks' group headers) spans across that column; [] when no top row restates it."""
    left, right = region.left, region.right
    for depth, row in enumerate(region.rows[:3]):
        first = grid.at(row, left)
        boxes = grid.own(row, left + 1, right)
        if first is None or first.row != row or first.wide or first.numeric or any(b.number for b in boxes):
            continue  # not a header row that names a stub
        starts = [b.col for b in boxes if b.text == first.text]
        groups = [b for r in region.rows[:depth] for b in grid.touching_row(r, left, right)]
        if starts and not any(b.col < col <= b.last_col for b in groups for col in starts):
            bounds = [left, *starts, right + 1]
            return [(a, b - 1) for a, b in zip(bounds, bounds[1:])]
    return []


def _runs(grid: Grid) -> list[list[int]]:
    """Runs of consecutive non-blank rows."""
    runs: list[list[int]] = []
    for row in grid.rows:
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _multi(grid: Grid, rows: list[int]) -> list[int]:
    return [r for r in rows if len(grid.touching_row(r)) > 1]


def _join(grid: Grid, runs: list[list[int]]) -> list[list[int]]:
    """A run of header rows and the run of data below it (a blank row between), or a body that goes on
    after a blank row (perhaps with a section label first), are one table."""
    joined: list[list[int]] = []
    for run in runs:
        if joined and _multi(grid, run) and _spans_over(grid, joined[-1][-1], run):
            joined[-1] = joined[-1] + run  # a group header merged over the columns below, a blank row between
            continue
        if joined and _multi(grid, joined[-1]) and _multi(grid, run) and _compatible(grid, joined[-1], run):
            before_has_numbers = any(_has_numbers(grid, r) for r in joined[-1])
            left = min(b.col for r in _multi(grid, joined[-1]) for b in grid.touching_row(r))
            # a run of nothing but lines (a note below the table after a blank row) starts no body
            first = next((r for r in run if not is_line(grid, r, left)), None)
            if first is not None and (not before_has_numbers
                                      or (_holds_data(grid, first) and not _header_like(grid, first))):
                joined[-1] = joined[-1] + run
                continue
        joined.append(list(run))
    return joined


def _spans_over(grid: Grid, row: int, run: list[int]) -> bool:
    """The row holds only cells merged across columns, right of the run's first column and within its columns:
    group headers over the header below them, not a title (which starts at the left or spans the whole width)."""
    boxes = grid.touching_row(row)
    below = [b for r in run for b in grid.touching_row(r)]
    left, right = min(b.col for b in below), max(b.last_col for b in below)
    return bool(boxes) and all(b.wide and left < b.col and b.last_col <= right for b in boxes)


def _compatible(grid: Grid, above: list[int], below: list[int]) -> bool:
    cols_above = {b.col for r in above for b in grid.touching_row(r)}
    cols_below = {b.col for r in below for b in grid.touching_row(r)}
    return len(cols_above & cols_below) >= max(1, min(len(cols_above), len(cols_below)) // 2)


def _has_numbers(grid: Grid, row: int) -> bool:
    return any(b.number for b in grid.own(row)[1:])


def _holds_data(grid: Grid, row: int) -> bool:
    """Numbers, or only the marks that stand for them ('..', 'x', '-': a row whose figures are all suppressed or not
    available, right after a blank row, goes on with the body above it); years alone may be a header."""
    return any(b.numeric and not b.year for b in grid.own(row)[1:])


def _header_like(grid: Grid, row: int) -> bool:
    boxes = grid.own(row)
    return len(boxes) > 1 and not any(b.numeric for b in boxes[1:])


def is_line(grid: Grid, row: int, left: int, right: int = 1 << 30) -> bool:
    """One piece of text at the region's left (a title, unit line, note, or a stub's section label), a lone remark
    in brackets wherever it stands (a unit line at the right, '(thousands)'), or a row of a few 'key: value'
    statements about the table ('编制单位：某某局 | 单位：万元', '填报人：… | 填报日期：…'), wherever they stand in it."""
    boxes = grid.touching_row(row, left, right)
    if len(boxes) <= _STATEMENTS and _statements(grid, row, left, right):
        return True
    if len(boxes) > 1 and all(b.text == boxes[0].text and b.col == a.last_col + 1 for a, b in zip(boxes, boxes[1:])):
        boxes = boxes[:1]  # one text written into every cell of its merged range by an export: one piece of text
    if len(boxes) == 1:
        # at the left, a sentence, or a remark in brackets wherever it stands (a unit line at the right)
        return boxes[0].col <= left or len(boxes[0].text) >= _SENTENCE or tx.is_bracketed(boxes[0].text)
    texts = [b for b in boxes if len(b.text) > 3]
    if len(texts) != 1:
        return False
    main: Box = texts[0]
    marks = [b for b in boxes if b is not main]
    # a short mark (a note number) before one long text or a sentence ('1 | Includes re-exports.'), or a symbol before
    # what it means (a legend: '.. | not available'), nothing after it
    said = (len(main.text) > _LONG_TEXT or main.text.rstrip().endswith((".", "。"))
            or bool(marks) and all(tx.is_placeholder(b.text) for b in marks))
    return said and all(b.col <= main.col for b in boxes)


def _without_lines(grid: Grid, rows: list[int], left: int, right: int = 1 << 30) -> list[int]:
    """The rows without the lines above and below the table (titles, unit lines, notes).

    Rows of nothing but 'key: value' statements (a form's fields: '项目名称：… | 实施单位：…') with no table
    between them are what the region holds, not lines about a table: they stay (only the titles and notes
    around them go), so a sheet of them is still read and nothing readable is dropped."""
    kept = _strip(rows, lambda row: is_line(grid, row, left, right))
    if kept or not any(_statements(grid, row, left, right) > 1 for row in rows):
        # under a table, a row of statements however many is its sign-off ('单位负责人：… | 财务负责人：… |
        # 制表人：…'), not a row of it
        if len(kept) > 1 and _statements(grid, kept[-1], left, right) and not _statements(grid, kept[-2], left, right):
            kept = kept[:-1]
        return kept
    return _strip(rows, lambda row: is_line(grid, row, left, right) and not _statements(grid, row, left, right))


def _strip(rows: list[int], is_line_row: Callable[[int], bool]) -> list[int]:
    start, end = 0, len(rows)
    while start < end and is_line_row(rows[start]):
        start += 1
    while end > start and is_line_row(rows[end - 1]):
        end -= 1
    return rows[start:end]


def _statements(grid: Grid, row: int, left: int, right: int) -> int:
    """How many 'key: value' statements the row holds, when it holds nothing else (else 0)."""
    said = [b for b in grid.touching_row(row, left, right) if b.has_value]
    return len(said) if said and all(tx.is_statement(b.text) for b in said) else 0


def _trim(grid: Grid, rows: list[int]) -> Region | None:
    multi = _multi(grid, rows)
    if not multi:
        return _one_column(grid, rows)
    left = min(b.col for r in multi for b in grid.touching_row(r))
    rows = _without_lines(grid, rows, left)
    if not rows:
        return None
    boxes = [b for r in rows for b in grid.touching_row(r)]
    return Region(rows, min(b.col for b in boxes), max(b.last_col for b in boxes))


def _one_column(grid: Grid, rows: list[int]) -> Region | None:
    """A table one column wide: a header right above numbers ('金额 | 10 | 20'), the titles above it and the notes
    below the numbers left out; None for anything else (lines of text, a lone number)."""
    boxes = [grid.touching_row(r)[0] for r in rows]
    if any(b.col != boxes[0].col or b.wide or b.tall for b in boxes):
        return None
    first = next((i for i, b in enumerate(boxes) if b.number), None)
    if not first or boxes[first - 1].numeric:
        return None  # no number, or no header above the first one
    last = max(i for i, b in enumerate(boxes) if b.numeric)
    body = boxes[first:last + 1]
    if sum(1 for b in body if b.number) < 2 or 2 * sum(1 for b in body if b.numeric) < len(body):
        return None
    return Region(rows[first - 1:last + 1], boxes[0].col, boxes[0].col)
