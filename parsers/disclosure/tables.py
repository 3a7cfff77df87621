"""Finding a disclosure workbook's tables by their titles (never by sheet names or order).

A table's title says which table it is and which year (``2026年部门一般公共预算支出功能分类预算表``). The
declaration (``parsers/templates/families/budget_disclosure.toml``) gives each table a title pattern and
the words its title must not contain, so that no two tables claim one sheet (收支总表 vs 财政拨款收支总表).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budget_etl.parsers.cells import Cell, Sheet, Workbook
from budget_etl.parsers.disclosure import (  # noqa: F401 - the declaration's words, named here too
    AMOUNT_ROW,
    BALANCE,
    CLASSIFICATIONS,
    CLASSIFIED,
    ECONOMIC,
    FUNCTION,
    SHAPES,
)
from budget_etl.parsers.templates.labels import norm

#: A table title says which year and ends in 表: '2026年部门收入预算总表'.
TABLE_TITLE = re.compile(r"(?:19|20)\d{2}年.*表$")
_TITLE_ROWS = 6  # a table's title is within its first rows
MAX_TITLE_CHARS = 60


@dataclass(frozen=True)
class TableSpec:
    """One table of the family, as its block declares it."""

    code: str  # the block's name; stored in fact_disclosure.table_code
    label: str  # the official title in words, for messages: '支出预算总表'
    title: re.Pattern  # searched in the normalised title
    excludes: tuple[str, ...]  # words its title never contains
    shape: str  # CLASSIFIED, BALANCE or AMOUNT_ROW
    classification: str | None = None  # FUNCTION or ECONOMIC for a classified table
    first_header: str = "合计"  # AMOUNT_ROW: the header cell its header bands start at
    default_unit: str = "元"  # when the table declares none

    def matches(self, text: str) -> bool:
        return bool(TABLE_TITLE.search(text)) and bool(self.title.search(text)) and not any(
            word in text for word in self.excludes)


@dataclass(frozen=True, slots=True)
class FoundTable:
    spec: TableSpec
    sheet: Sheet
    title: Cell

    @property
    def where(self) -> str:
        return f"{self.sheet.name}!{self.title.address}"


def title_cells(sheet: Sheet) -> list[Cell]:
    """The cells that may hold a sheet's title: those of its first rows, short enough to be a title.

    A web page's heading above its table (``Sheet.title``) comes first, as a cell at the table's top-left
    corner: the heading has no cell of its own, and that is where it stands."""
    rows = sheet.rows()[:_TITLE_ROWS]
    cells = [c for row in rows for c in row if len(c.text.strip()) <= MAX_TITLE_CHARS]
    heading = (sheet.title or "").strip()
    if heading and len(heading) <= MAX_TITLE_CHARS:
        first = rows[0][0] if rows else None
        cells.insert(0, Cell(sheet.name, first.row if first else 1, first.col if first else 1, heading, heading))
    return cells


def find_tables(workbook: Workbook, spec: TableSpec) -> list[FoundTable]:
    """Every sheet whose title is this table's, in workbook order (a second one is reported, not read)."""
    found = []
    for sheet in workbook.sheets:
        cell = next((c for c in title_cells(sheet) if spec.matches(norm(c.text))), None)
        if cell is not None:
            found.append(FoundTable(spec, sheet, cell))
    return found
