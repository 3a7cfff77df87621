"""Cells as data: what every reader returns and every template consumes.

A reader turns one file into a :class:`Workbook` of :class:`Sheet` objects, each a
list of :class:`Cell`. No reader knows any template, and no template knows any
file format. Cells are 1-based (row, col) like a spreadsheet, so the A1 address
of a value is always at hand for provenance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterator, Union

from budget_etl.parsers.errors import Issue
from budget_etl.parsers.memo import BoundedMemo

#: A cell value as typed by the source: text stays ``str`` (``"0"`` stays ``"0"``),
#: numbers become exact ``Decimal`` (``1363.41`` never ``1363.4100000000001``).
CellValue = Union[str, Decimal, bool, datetime, None]

_A1_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA', 16384 -> 'XFD'."""
    letters = _LETTERS.get(col)  # every cell's address is spelt through here: parsing asks thousands a file
    if letters is not None:
        return letters
    if col < 1:
        raise ValueError(f"column must be >= 1, got {col}")
    original, letters = col, ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    if len(_LETTERS) < 18_278:  # bounded; safe on threads: one atomic store of the same text
        _LETTERS[original] = letters
    return letters


_LETTERS: dict[int, str] = {}


def column_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index


def a1(row: int, col: int) -> str:
    """(10, 3) -> 'C10'."""
    return f"{column_letter(col)}{row}"


def parse_a1(address: str) -> tuple[int, int]:
    """'C10' -> (10, 3)."""
    match = _A1_RE.match(address.upper().replace("$", ""))
    if not match:
        raise ValueError(f"not an A1 address: {address!r}")
    return int(match.group(2)), column_index(match.group(1))


def range_a1(min_row: int, min_col: int, max_row: int, max_col: int) -> str:
    """(10, 1, 29, 1) -> 'A10:A29'."""
    return f"{a1(min_row, min_col)}:{a1(max_row, max_col)}"


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A10:B29' -> (min_row, min_col, max_row, max_col)."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last or first)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def number_text(value: Decimal) -> str:
    """Canonical text of a number: no exponent, no trailing zeros ('200', '1363.41', '1' and 300 zeros)."""
    text = format(value, "f")  # 'f' never writes an exponent, whatever the size
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class CellStyle:
    """The formatting hints a reader keeps for reading tables generically (see :mod:`budget_etl.parsers.tables`).

    ``align`` is the horizontal alignment as the source names it (``'left'``, ``'center'``, ``'right'``, ...;
    ``None`` for the default), ``indent`` the indent level, ``number_format`` the format code
    (``'#,##0.00'``; ``None`` for General). Build one with :func:`cell_style`, which gives ``None``
    for the default look and the same object for the same hints.
    """

    bold: bool = False
    indent: int = 0
    align: str | None = None
    number_format: str | None = None


_STYLES: BoundedMemo[tuple, CellStyle] = BoundedMemo(4096)  # a workbook has at most a few hundred styles


def cell_style(bold: bool = False, indent: int = 0, align: str | None = None,
               number_format: str | None = None) -> CellStyle | None:
    """The shared :class:`CellStyle` for these hints; ``None`` when there are none (the default look)."""
    if align == "general":
        align = None
    if number_format == "General":
        number_format = None
    key = (bool(bold), int(indent), align, number_format)
    if key == (False, 0, None, None):
        return None
    style = _STYLES.get(key)
    if style is None:
        style = _STYLES.put(key, CellStyle(*key))
    return style


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a sheet, with everything needed to trace a value to its source."""

    sheet: str
    row: int  # 1-based
    col: int  # 1-based
    value: CellValue
    text: str  # as displayed; '' for an empty or merge-covered cell
    merged: str | None = None  # A1 range ('A10:A29') of the merge this cell belongs to
    formula: str | None = None  # the formula, when the value is a formula's cached result
    style: CellStyle | None = None  # bold, indent, alignment, number format where the format has them

    @property
    def address(self) -> str:
        return a1(self.row, self.col)

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class Sheet:
    """One sheet (or one HTML table, or the whole of a text export)."""

    name: str
    cells: list[Cell]  # row-major; empty cells may be omitted, merge-covered cells are present
    merged_ranges: list[str] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    index: int = 0
    #: a title printed outside the cells (an HTML page's heading above its <table>); None for spreadsheets
    title: str | None = None

    def rows(self) -> list[list[Cell]]:
        """Non-blank cells grouped by row, rows in order, cells left to right."""
        by_row: dict[int, list[Cell]] = {}
        for cell in self.cells:
            if not cell.is_blank:
                by_row.setdefault(cell.row, []).append(cell)
        return [sorted(by_row[r], key=lambda c: c.col) for r in sorted(by_row)]

    @property
    def max_row(self) -> int:
        return max((c.row for c in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c.col for c in self.cells), default=0)


@dataclass(slots=True)
class Workbook:
    """What a reader returns for one file."""

    format: str  # 'xlsx' | 'xls' | 'text' | 'html'
    sheets: list[Sheet]
    issues: list[Issue] = field(default_factory=list)
    encoding: str | None = None  # for text and HTML: the detected encoding

    def __iter__(self) -> Iterator[Sheet]:
        return iter(self.sheets)
