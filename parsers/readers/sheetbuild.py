"""Builds a :class:`Sheet` the same way for every reader, so all formats agree on the rules:

- cells come out row-major; blank cells that belong to no merge are left out;
- a merged range keeps its value at the top-left, and every covered cell is present
  with value ``None``, text ``''`` and the same ``merged`` range;
- positions, cell counts and merge areas are checked against :class:`ReadLimits`,
  so a hostile file is rejected with ``too_large`` before it costs memory.
"""
from __future__ import annotations

from parsers.cells import Cell, CellValue, Sheet, a1, parse_range, range_a1
from parsers.errors import ReadError
from parsers.readers.limits import ReadLimits


class SheetBuilder:
    def __init__(self, name: str, limits: ReadLimits, index: int = 0):
        self.name = name
        self.index = index
        self.limits = limits
        self._values: dict[tuple[int, int], tuple[CellValue, str, str | None]] = {}
        self._merges: list[tuple[int, int, int, int]] = []
        self._merged_area = 0

    def check_position(self, row: int, col: int) -> None:
        if row < 1 or col < 1:
            raise ReadError("corrupt_file", f"sheet {self.name!r} has a cell at an impossible position "
                            f"(row {row}, column {col})", sheet=self.name)
        if row > self.limits.max_rows or col > self.limits.max_cols:
            raise ReadError("too_large", f"sheet {self.name!r} reaches cell {a1(row, col)}; the limit is "
                            f"{self.limits.max_rows:,} rows and {self.limits.max_cols:,} columns",
                            sheet=self.name, cell=a1(row, col))

    def set(self, row: int, col: int, value: CellValue, text: str, formula: str | None = None) -> None:
        self.check_position(row, col)
        if (row, col) not in self._values:
            self._check_count(len(self._values) + 1)
        self._values[(row, col)] = (value, text, formula)

    def merge(self, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
        self.check_position(min_row, min_col)
        self.check_position(max_row, max_col)
        if (min_row, min_col) == (max_row, max_col):
            return  # a one-cell "merge" merges nothing
        self._merged_area += (max_row - min_row + 1) * (max_col - min_col + 1)
        self._check_count(len(self._values) + self._merged_area)
        self._merges.append((min_row, min_col, max_row, max_col))

    def merge_a1(self, ref: str) -> None:
        try:
            bounds = parse_range(ref)
        except ValueError:
            raise ReadError("corrupt_file", f"sheet {self.name!r} has an unreadable merged range {ref!r}",
                            sheet=self.name) from None
        self.merge(*bounds)

    def _check_count(self, count: int) -> None:
        if count > self.limits.max_cells:
            raise ReadError("too_large", f"sheet {self.name!r} holds more than {self.limits.max_cells:,} cells",
                            sheet=self.name)

    def build(self, *, hidden: bool = False, hidden_rows: frozenset[int] = frozenset()) -> Sheet:
        cells: dict[tuple[int, int], Cell] = {}
        for (row, col), (value, text, formula) in self._values.items():
            if (value is None or value == "") and formula is None:
                continue  # blank; a formula without a cached value stays, so it can be traced
            cells[(row, col)] = Cell(self.name, row, col, value, text, None, formula)
        refs = []
        for min_row, min_col, max_row, max_col in sorted(self._merges):  # same order whatever the engine
            ref = range_a1(min_row, min_col, max_row, max_col)
            refs.append(ref)
            for row in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    if (row, col) == (min_row, min_col):
                        value, text, formula = self._values.get((row, col), (None, "", None))
                        if value == "":
                            value = None
                        cells[(row, col)] = Cell(self.name, row, col, value, text, ref, formula)
                    else:
                        cells[(row, col)] = Cell(self.name, row, col, None, "", ref)
        ordered = [cells[key] for key in sorted(cells)]
        return Sheet(self.name, ordered, refs, hidden, hidden_rows, self.index)
