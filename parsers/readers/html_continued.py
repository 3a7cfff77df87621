"""A table a page break cut in two: one sheet again.

A form typed in Word and saved as a web page ("筛选过的网页") is cut where a page ended: the office splits the
table so that its header row can be printed again on the next page, and the page holds two ``<table>`` elements
with nothing between but an empty paragraph and the page break (``<br style='page-break-before:always'>``).
Read as two sheets, the second half of a self-evaluation's indicator grid is a table without the form's title
or blocks (loaded as a generic table, its indicators lost from the form), and an evaluation form's lower bands
a second, anonymous form.

The second table continues the first when nothing is printed between them (no line, no heading: the HTML reader
says so), both are as wide, and either its first row repeats a row of the first (the header printed again) or a
page break stands between them. Its rows then follow the first table's on the first table's sheet, the repeated
header rows left out. A cell merged down to the page's last row whose column restarts with an empty cell of the
same width on the next page is one cell cut by the page (Word writes the lower part empty): it is merged again.
"""
from __future__ import annotations

from budget_etl.parsers.cells import Cell, Sheet, parse_range
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.sheetbuild import SheetBuilder


def continues(first: Sheet, second: Sheet, page_break: bool) -> bool:
    """Whether ``second``, printed right after ``first`` with nothing between, is the rest of the same table."""
    if not first.cells or not second.cells or first.max_col != second.max_col:
        return False
    return page_break or _repeated_rows(first, second) > 0


def join(first: Sheet, second: Sheet, limits: ReadLimits) -> Sheet:
    """``first`` with the rows of ``second`` below its own, the rows repeating ``first``'s header left out."""
    skip = _repeated_rows(first, second)
    rows = sorted({cell.row for cell in second.cells})
    kept = rows[skip:]
    if not kept:
        return first
    shift = first.max_row - kept[0] + 1
    builder = SheetBuilder(first.name, limits, first.index)
    merges = [parse_range(ref) for ref in first.merged_ranges]
    lower = [(r1 + shift, c1, r2 + shift, c2) for r1, c1, r2, c2 in map(parse_range, second.merged_ranges)
             if r1 >= kept[0]]
    merges = _rejoined(merges, lower, first, second, shift)
    for cell in first.cells:
        _copy(builder, cell, cell.row)
    for cell in second.cells:
        if cell.row >= kept[0]:
            _copy(builder, cell, cell.row + shift)
    for bounds in merges:
        builder.merge(*bounds)
    joined = builder.build(hidden=first.hidden, hidden_rows=first.hidden_rows)
    joined.title = first.title
    return joined


def _copy(builder: SheetBuilder, cell: Cell, row: int) -> None:
    if not cell.is_blank:
        builder.set(row, cell.col, cell.value, cell.text, cell.formula, cell.style)


def _texts(sheet: Sheet) -> dict[int, tuple[tuple[int, str], ...]]:
    return {row[0].row: tuple((cell.col, cell.text) for cell in row) for row in sheet.rows()}


def _repeated_rows(first: Sheet, second: Sheet) -> int:
    """How many of ``second``'s first rows repeat a row of ``first`` (its header printed again); an empty row
    repeats nothing."""
    above = set(_texts(first).values())
    lines = _texts(second)
    count = 0
    for row in sorted({cell.row for cell in second.cells}):
        if lines.get(row) not in above:
            break
        count += 1
    return count


def _rejoined(upper: list[tuple[int, int, int, int]], lower: list[tuple[int, int, int, int]], first: Sheet,
              second: Sheet, shift: int) -> list[tuple[int, int, int, int]]:
    """The merges of both halves, each cell the page cut (merged down to the first half's last row, restarted
    empty over the same columns at the top of the second) made one again."""
    bottom = first.max_row
    filled = {(cell.row + shift, cell.col) for cell in second.cells if not cell.is_blank}
    restarts = {(r1, c1, c2): (r1, c1, r2, c2) for r1, c1, r2, c2 in lower
                if r1 == bottom + 1 and (r1, c1) not in filled}
    covered = {(r1, c) for r1, c1, _r2, c2 in lower for c in range(c1, c2 + 1)}
    joined, used = [], set()
    for r1, c1, r2, c2 in upper:
        if r2 == bottom:
            below = restarts.get((bottom + 1, c1, c2))
            if below is not None:  # restarted empty over the same columns
                used.add(below)
                r2 = below[2]
            elif c1 == c2 and (bottom + 1, c1) not in filled and (bottom + 1, c1) not in covered:
                r2 = bottom + 1  # one row of it left: an empty cell of its own
        joined.append((r1, c1, r2, c2))
    return joined + [bounds for bounds in lower if bounds not in used]
