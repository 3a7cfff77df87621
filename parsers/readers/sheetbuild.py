"""Builds a :class:`Sheet` the same way for every reader, so all formats agree on the rules:

- cells come out row-major; blank cells that belong to no merge are left out;
- a merged range keeps its value at the top-left, and every covered cell is present
  with value ``None``, text ``''`` and the same ``merged`` range;
- positions, cell counts and merge areas are checked against :class:`ReadLimits`,
  so a hostile file is rejected with ``too_large`` before it costs memory.
"""
from __future__ import annotations

import dataclasses

from budget_etl.parsers.cells import Cell, CellStyle, CellValue, Sheet, a1, column_letter, parse_range
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import ReadLimits


class SheetBuilder:
    def __init__(self, name: str, limits: ReadLimits, index: int = 0):
        self.name = name
        self.index = index
        self.limits = limits
        self._max_rows, self._max_cols, self._max_cells = limits.max_rows, limits.max_cols, limits.max_cells
        self._values: dict[tuple[int, int], tuple[CellValue, str, str | None]] = {}
        self._styles: dict[tuple[int, int], CellStyle] = {}  # only cells that have style hints
        self._merges: list[tuple[int, int, int, int]] = []
        self._merged_area = 0

    def check_position(self, row: int, col: int) -> None:
        if 0 < row <= self._max_rows and 0 < col <= self._max_cols:
            return  # the common case, kept to one comparison: this runs for every cell
        if row < 1 or col < 1:
            raise ReadError("corrupt_file", f"sheet {self.name!r} has a cell at an impossible position "
                            f"(row {row}, column {col})", sheet=self.name)
        raise ReadError("too_large", f"sheet {self.name!r} reaches cell {a1(row, col)}; the limit is "
                        f"{self.limits.max_rows:,} rows and {self.limits.max_cols:,} columns",
                        sheet=self.name, cell=a1(row, col))

    def set(self, row: int, col: int, value: CellValue, text: str, formula: str | None = None,
            style: CellStyle | None = None) -> None:
        if not (0 < row <= self._max_rows and 0 < col <= self._max_cols):
            self.check_position(row, col)
        values = self._values
        key = (row, col)
        if len(values) >= self._max_cells and key not in values:
            self._check_count(len(values) + 1)
        values[key] = (value, text, formula)
        if style is not None:
            self._styles[key] = style

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
        if count > self._max_cells:
            raise ReadError("too_large", f"sheet {self.name!r} holds more than {self.limits.max_cells:,} cells",
                            sheet=self.name)

    def build(self, *, hidden: bool = False, hidden_rows: frozenset[int] = frozenset()) -> Sheet:
        name, values, make, styles = self.name, self._values, _new_cell, self._styles
        refs, merged_at = self._merged_positions()
        cells: dict[tuple[int, int], Cell] = {}
        for key, (value, text, formula) in values.items():
            if (value is None or value == "") and formula is None:
                continue  # blank: left out, but a formula without a cached value stays, so it can be traced
            if key not in merged_at:  # merged cells are built below
                cells[key] = make(name, key[0], key[1], value, text, None, formula,
                                  styles.get(key) if styles else None)
        for (row, col), (ref, is_anchor) in merged_at.items():
            if is_anchor:  # the merge keeps its value (and its look) at the top-left
                value, text, formula = values.get((row, col), (None, "", None))
                cells[(row, col)] = make(name, row, col, None if value == "" else value, text, ref, formula,
                                         styles.get((row, col)) if value is not None and value != "" else None)
            else:
                cells[(row, col)] = make(name, row, col, None, "", ref, None, None)
        ordered = [cells[key] for key in sorted(cells)]
        return Sheet(self.name, ordered, refs, hidden, hidden_rows, self.index)

    def _merged_positions(self) -> tuple[list[str], dict[tuple[int, int], tuple[str, bool]]]:
        """The merges' A1 ranges, and for each covered position (its range, is it the top-left?).

        Merges go in sorted order, whatever the engine; where two overlap, the later one wins.
        """
        refs: list[str] = []
        merged_at: dict[tuple[int, int], tuple[str, bool]] = {}
        for min_row, min_col, max_row, max_col in sorted(self._merges):
            ref = f"{cached_column_letter(min_col)}{min_row}:{cached_column_letter(max_col)}{max_row}"
            refs.append(ref)
            covered = (ref, False)
            for row in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    merged_at[(row, col)] = covered
            merged_at[(min_row, min_col)] = (ref, True)
        return refs, merged_at


# A dict, not a list grown by appends: files parse on several threads at once (`ingest --prefect --workers 0`),
# and two threads growing a list together could shift every later letter. Storing one key is atomic, and
# whichever thread stores it stores the same text.
_COLUMN_LETTERS: dict[int, str] = {}
_CACHED_COLUMNS = 18_278  # 'ZZZ'


def cached_column_letter(col: int) -> str:
    """``cells.column_letter`` through a cache (up to XFD…ZZZ: any column Excel can address)."""
    letters = _COLUMN_LETTERS.get(col)
    if letters is None:
        letters = column_letter(col)
        if col <= _CACHED_COLUMNS:
            _COLUMN_LETTERS[col] = letters
    return letters


def _cell_factory():
    """A faster way to make a :class:`Cell`, for the thousands each sheet needs.

    ``Cell`` is a frozen dataclass, so its ``__init__`` stores each field through
    ``object.__setattr__`` (≈1.7 µs a cell here); filling the slots through their
    descriptors gives the same object in about half the time. Used only while Cell
    has exactly these fields and no ``__post_init__``; otherwise the real constructor.
    """
    names = tuple(field.name for field in dataclasses.fields(Cell))
    if names != ("sheet", "row", "col", "value", "text", "merged", "formula", "style") \
            or hasattr(Cell, "__post_init__"):
        return Cell
    set_sheet, set_row, set_col, set_value, set_text, set_merged, set_formula, set_style = (
        getattr(Cell, name).__set__ for name in names)
    new = object.__new__

    def new_cell(sheet, row, col, value, text, merged, formula, style):
        cell = new(Cell)
        set_sheet(cell, sheet)
        set_row(cell, row)
        set_col(cell, col)
        set_value(cell, value)
        set_text(cell, text)
        set_merged(cell, merged)
        set_formula(cell, formula)
        set_style(cell, style)
        return cell

    return new_cell


_new_cell = _cell_factory()
