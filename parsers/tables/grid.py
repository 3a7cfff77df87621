"""A sheet as the table reader sees it: boxes (a cell, or a merged range at its top-left) on a grid.

Every non-blank cell becomes one :class:`Box` spanning its merged range; the grid answers "which box
covers (row, col)" and "which boxes touch row r" in constant time.
"""
from __future__ import annotations

from collections.abc import Iterable

from budget_etl.parsers.cells import Cell, Sheet, parse_range
from budget_etl.parsers.memo import BoundedMemo
from budget_etl.parsers.tables import text as tx


class Box:
    """One non-blank cell (a merged range counts once, at its top-left) and what its look and text say."""

    __slots__ = ("row", "col", "last_row", "last_col", "raw", "text", "bold", "indent", "align",
                 "numeric", "number", "year", "has_value")

    def __init__(self, cell: Cell, last_row: int, last_col: int, text: str):
        self.row, self.col, self.last_row, self.last_col = cell.row, cell.col, last_row, last_col
        self.raw = cell.text
        self.text = text
        style = cell.style
        self.bold = bool(style and style.bold)
        self.indent = style.indent if style else 0
        self.align = style.align if style else None
        self.numeric, self.year, self.number, self.has_value = _classify(text)

    @property
    def label(self) -> str:
        found = _LABELS.get(self.text)  # asked for again and again by the stub's passes, of texts that repeat
        return found if found is not None else _LABELS.put(self.text, tx.strip_footnote(self.text))

    @property
    def wide(self) -> bool:
        return self.last_col > self.col

    @property
    def tall(self) -> bool:
        return self.last_row > self.row

    def level_indent(self) -> int:
        """How far the text is indented: the style's indent level and the text's own leading spaces/dashes."""
        found = _TEXT_INDENTS.get(self.raw)
        if found is None:
            found = _TEXT_INDENTS.put(self.raw, tx.text_indent(self.raw))
        return 2 * self.indent + found

    def __repr__(self) -> str:
        return f"Box({self.row},{self.col} {self.text!r})"


_CLASSIFIED: BoundedMemo[str, tuple[bool, bool, bool, bool]] = BoundedMemo(100_000)
_LABELS: BoundedMemo[str, str] = BoundedMemo(100_000)  # a text -> its label, footnote marks dropped
_TEXT_INDENTS: BoundedMemo[str, int] = BoundedMemo(100_000)  # a raw text -> the indentation written into it


def _classify(text: str) -> tuple[bool, bool, bool, bool]:
    """(numeric, year, number, has_value) of a cleaned text, remembered: tables repeat their texts."""
    found = _CLASSIFIED.get(text)
    if found is None:
        numeric = tx.is_numeric(text)
        year = numeric and tx.is_year(text) if len(text) <= 10 else False  # '2009 r', '31.12.2008' at most
        found = _CLASSIFIED.put(text, (numeric, year, numeric and not year and tx.is_number(text),
                                       tx.has_value(text)))
    return found


class Grid:
    def __init__(self, sheet: Sheet):
        self.name = sheet.name
        self.boxes: list[Box] = []
        self.cover: dict[tuple[int, int], Box] = {}
        self.by_row: dict[int, list[Box]] = {}  # boxes that start in the row
        self.touching: dict[int, list[Box]] = {}  # boxes whose area includes the row
        for cell in sheet.cells:
            if cell.merged is not None and cell.value is None and not cell.text:
                continue  # covered by a merge, or a blank merge
            text = tx.clean(cell.text)
            if not text:
                continue
            if cell.merged:
                r1, c1, r2, c2 = parse_range(cell.merged)
                if (r1, c1) != (cell.row, cell.col):
                    continue
                box = Box(cell, r2, c2, text)
            else:
                box = Box(cell, cell.row, cell.col, text)
            self.boxes.append(box)
        self.boxes.sort(key=lambda b: (b.row, b.col))
        for box in self.boxes:
            self.by_row.setdefault(box.row, []).append(box)
            for r in range(box.row, box.last_row + 1):
                self.touching.setdefault(r, []).append(box)
                for c in range(box.col, box.last_col + 1):
                    self.cover[(r, c)] = box
        for boxes in self.touching.values():
            boxes.sort(key=lambda b: b.col)

    def at(self, row: int, col: int) -> Box | None:
        return self.cover.get((row, col))

    def own(self, row: int, left: int = 0, right: int = 1 << 30) -> list[Box]:
        """Boxes that start in ``row`` within columns left..right."""
        return [b for b in self.by_row.get(row, ()) if left <= b.col <= right]

    def own_in_column(self, col: int, rows: Iterable[int]) -> list[Box]:
        """Boxes that start in column ``col`` in ``rows``, top to bottom (a box merged down from a row above, or across
        from a column at the left, is not theirs)."""
        return [b for r in rows if (b := self.cover.get((r, col))) is not None and b.row == r and b.col == col]

    def touching_row(self, row: int, left: int = 0, right: int = 1 << 30) -> list[Box]:
        """Boxes whose area includes ``row`` (merged from above too), within columns left..right."""
        return [b for b in self.touching.get(row, ()) if b.last_col >= left and b.col <= right]

    @property
    def rows(self) -> list[int]:
        return sorted(self.touching)
