"""Subject codes in a stub: digit codes whose hierarchy shows by prefix, as budget tables code their rows.

A column of codes ('201', '20129', '2012901', '208', ...) or a run of columns that split each code into its
levels ('201 | | ', '201 | 29 | ', '201 | 29 | 01': the row's code is its cells one after the other) codes the
rows beside it. A row whose code extends an earlier row's code (the longer code starts with the shorter one)
is under that row: the nearest such row above is its parent. Where the columns leave a row's leading levels
blank because the row above gave them ('201 | | ', then ' | 29 | ', then ' | | 01'), the row continues the
code above it. Nothing else about a code system is assumed (not the length of a level, not the digits a top
code has): only digits and prefixes.

The cue is only taken when it is there: a column of nothing but digit codes (blanks and placeholders aside)
that does not number the rows 1, 2, 3 (an index, where '1' would be a prefix of '10'), and at least one row
whose code extends an earlier one. Years, ids and codes that do not nest leave the stub as it was.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from budget_etl.parsers.tables.grid import Box, Grid

# A code column may also hold the labels of a few rows that have no code (a '合计' row written in it): one, or
# one in this many of its values.
OTHER_SHARE = 5


@dataclass(slots=True)
class CodedStub:
    """The code columns of a stub (``first``..``last``), the code of each coded body row and of each of its
    code cells (the levels up to and including the cell), and for each row the row it is under."""

    first: int
    last: int
    codes: dict[int, str] = field(default_factory=dict)  # body row -> its code
    cell_codes: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) of a code cell -> its code
    parent: dict[int, int] = field(default_factory=dict)  # body row -> the nearest row above whose code it extends
    _rows_of: dict[str, list[int]] = field(default_factory=dict)  # code -> the rows whose code it is, in order

    def ancestor(self, code: str, below: int) -> int | None:
        """The nearest row above ``below`` whose code ``code`` extends (starts with, and is longer), or None."""
        best = None
        for length in range(1, len(code)):
            rows = self._rows_of.get(code[:length], [])
            at = bisect_left(rows, below)
            if at and (best is None or rows[at - 1] > best):
                best = rows[at - 1]
        return best


def is_code(text: str) -> bool:
    """Digits only ('201', '01', '2012901'): what a subject code is written as."""
    return text.isascii() and text.isdigit()


_LETTERED_CODE = re.compile(r"[A-Z0-9][A-Z0-9.\-/]{0,7}")


def lettered_codes(grid: Grid, body: list[int], col: int) -> bool:
    """Every value of the column a short code in capitals and digits ('A', 'C10-C12', 'B06'), each written once:
    the codes of a classification, as statistics offices print them before each name."""
    texts = [b.text.strip() for b in grid.own_in_column(col, body) if b.has_value]
    return (len(texts) >= 2 and len(set(texts)) == len(texts)
            and all(_LETTERED_CODE.fullmatch(t) and any(ch.isalpha() for ch in t) for t in texts))


def numbered(grid: Grid, body: list[int], col: int) -> bool:
    """The column numbers the body's rows 1, 2, 3, ... (an index of the rows, perhaps starting again after a
    repeated header; not a code of what they are, such as '201', '01')."""
    texts = [b.text.strip() for b in grid.own_in_column(col, body)]
    numbers = [t for t in texts if t.isdigit()]
    return (bool(numbers) and numbers[0] == "1" and not any(t.startswith("0") for t in numbers)
            and all(int(t) <= len(body) for t in numbers))


def code_column(grid: Grid, body: list[int], col: int) -> bool:
    """The values the column starts in the body are digit codes, but for a few labels of rows without a code (a
    '合计' written in it; one merged across the stub is no column's), and it is not an index of the rows."""
    boxes = [b for b in grid.own_in_column(col, body) if b.has_value and not b.wide]
    codes = sum(1 for b in boxes if is_code(b.text))
    return codes > 0 and len(boxes) - codes <= max(1, len(boxes) // OTHER_SHARE) and not numbered(grid, body, col)


def coded_stub(grid: Grid, body: list[int], left: int, right: int) -> CodedStub | None:
    """The run of code columns among columns left..right (the first such run) when its codes nest, else None."""
    first = next((col for col in range(left, right + 1) if code_column(grid, body, col)), None)
    if first is None:
        return None
    last = first
    while last < right and code_column(grid, body, last + 1) and _one_width(grid, body, last + 1):
        last += 1
    stub = CodedStub(first, last)
    carry: list[str | None] = [None] * (last - first + 1)  # each level's code in the rows above
    for row in body:
        cells = [_code_cell(grid, row, col) for col in range(first, last + 1)]
        if any(cell is False for cell in cells) or not any(cells):
            continue  # a row without a code ('合计' across the columns, a placeholder, a name alone)
        texts: list[str | None] = [cell.text if isinstance(cell, Box) else None for cell in cells]
        innermost = max(k for k, text in enumerate(texts) if text)
        leading = next(k for k, text in enumerate(texts) if text)
        if leading and all(carry[k] for k in range(leading)):
            texts[:leading] = carry[:leading]  # levels left blank continue the code of the rows above
        carry = [*texts[:innermost + 1], *[None] * (len(texts) - innermost - 1)]
        parts = [text or "" for text in texts]
        code = "".join(parts)
        stub.codes[row] = code
        for k, cell in enumerate(cells):
            if isinstance(cell, Box) and cell.row == row:
                stub.cell_codes[(row, first + k)] = "".join(parts[:k + 1])
        stub._rows_of.setdefault(code, []).append(row)
    for row, code in stub.codes.items():
        parent = stub.ancestor(code, row)
        if parent is not None:
            stub.parent[row] = parent
    return stub if stub.parent else None


def _one_width(grid: Grid, body: list[int], col: int) -> bool:
    """A column holding one level of split codes writes that level with a fixed number of digits ('29', '01'):
    a column of whole numbers of any length beside the codes (amounts) is not a level of them."""
    return len({len(b.text) for b in grid.own_in_column(col, body) if is_code(b.text)}) == 1


def _code_cell(grid: Grid, row: int, col: int) -> Box | None | bool:
    """The code cell of the row in the column (merged down from above too), None when blank, False when the
    cell holds something that is not a code (a label across the columns, a placeholder)."""
    box = grid.at(row, col)
    if box is None:
        return None
    if box.col != col or not is_code(box.text):
        return False
    return box
