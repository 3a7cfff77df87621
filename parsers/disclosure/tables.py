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
#: What may follow a table's name in its title (normalised): '(续)', '(表一)', '(按功能分类)', '表1', '附表2-1'.
_TRAILING = re.compile(r"(?:\([^()]*\)|附?表[0-9一二三四五六七八九十]+(?:-[0-9]+)?)+$")
#: A title continuing a table on a further sheet: '部门收支总表(续)', '(续表)', '(续一)'.
_CONTINUED = re.compile(r"\(续[表一二三四五六七八九十0-9]*\)|续表")
#: A cell numbering the table above its title: '表8', '附表2-1：'.
_NUMBER_ONLY = re.compile(r"^附?表[0-9一二三四五六七八九十]+(?:-[0-9]+)?[:：]?$")
_TITLE_ROWS = 6  # a table's title is within its first rows
MAX_TITLE_CHARS = 60


def table_name(title: str) -> str:
    """A normalised title without what may follow the table's name: '2024年部门收支总表(续)' ->
    '2024年部门收支总表'; '2024年部门收支总表表1' -> '2024年部门收支总表'."""
    name = _TRAILING.sub("", title)
    return name or title


def is_table_title(title: str) -> bool:
    """A year and a table's name ending in 表, whatever follows the name ('(续)', '(表一)')."""
    return bool(TABLE_TITLE.search(table_name(title)))


def is_continued(title: str) -> bool:
    return bool(_CONTINUED.search(title[len(table_name(title)):]))


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

    def names(self, text: str) -> bool:
        """The table's name is in this (normalised) title, whether or not it states a year."""
        name = table_name(text)
        return name.endswith("表") and bool(self.title.search(name)) and not any(
            word in text for word in self.excludes)

    def matches(self, text: str) -> bool:
        return self.names(text) and is_table_title(text)


@dataclass(frozen=True, slots=True)
class FoundTable:
    spec: TableSpec
    sheet: Sheet
    title: Cell
    continued: bool = False  # its title says it continues the table of an earlier sheet ('(续)')

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
    """Every sheet whose title is this table's, in workbook order (a continuation is read with the first; a
    second table is reported, not read).

    A title states a year ('2024年部门收支总表'), so that a line of text naming a table is not taken for it, and a
    sheet whose first rows name several tables is a contents sheet, no table's. A title without a year
    ('部门收支总表') is the table's only where it heads its sheet alone: the sheet's first cell, and no other cell
    of its first rows names a table."""
    found = []
    for sheet in workbook.sheets:
        cells = [c for c in title_cells(sheet) if not c.is_blank and not _NUMBER_ONLY.match(norm(c.text))]
        if lists_tables(cells):
            continue
        cell = next((c for c in cells if spec.matches(norm(c.text))), None)
        if cell is None and cells and spec.names(norm(cells[0].text)) and _heads_alone(cells, sheet):
            cell = cells[0]
        if cell is not None:
            found.append(FoundTable(spec, sheet, cell, is_continued(norm(cell.text))))
    return found


def lists_tables(cells: list[Cell]) -> bool:
    """Cells naming two tables or more ('表1 2024年部门收支总表', '表2 2024年部门收入总表' …): a contents sheet's
    lines, not a table's title."""
    return len({table_name(norm(c.text)) for c in cells if is_table_title(norm(c.text))}) > 1


def _heads_alone(cells: list[Cell], sheet: Sheet) -> bool:
    """``cells[0]`` heads the sheet (its first written cell, or a web page's heading above the table) and no other
    title cell names a table."""
    head = cells[0]
    first = next((c for row in sheet.rows() for c in row if not c.is_blank and not _NUMBER_ONLY.match(norm(c.text))),
                 None)
    heading = bool(sheet.title) and head.text == (sheet.title or "").strip()
    if not heading and (first is None or (first.row, first.col) != (head.row, head.col)):
        return False
    return not any(table_name(norm(c.text)).endswith("表") for c in cells[1:])
