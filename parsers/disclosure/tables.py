"""Finding a disclosure workbook's tables by their titles (never by sheet names or order).

A table's title says which table it is and which year (``2026年部门一般公共预算支出功能分类预算表``). The
declaration (``parsers/templates/families/budget_disclosure.toml``) gives each table a title pattern and
the words its title must not contain, so that no two tables claim one sheet (收支总表 vs 财政拨款收支总表).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budget_etl.parsers.cells import Cell, Sheet, Workbook, parse_range
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
from budget_etl.parsers.values import parse_amount

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
    """Every sheet (or part of a sheet holding several tables: :func:`table_regions`) whose title is this table's,
    in workbook order (a continuation is read with the first; a second table is reported, not read).

    A title states a year ('2024年部门收支总表'), so that a line of text naming a table is not taken for it, and a
    sheet whose first rows name several tables is a contents sheet, no table's. A title without a year
    ('部门收支总表') is the table's only where it heads its sheet alone: the sheet's first cell, and no other cell
    of its first rows names a table."""
    found = []
    for sheet in (region for whole in workbook.sheets for region in table_regions(whole)):
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


def table_regions(sheet: Sheet) -> list[Sheet]:
    """The sheet as its tables: one part per table where it holds several, one under the other ('2024年部门收支总表'
    and its rows, then '2024年部门收入总表' and its rows …), else the sheet itself.

    A part starts at a row naming a table (a title with its year, no number in the row) and runs to the next
    one; a '表2' line just above a title belongs to the title's part. The sheet is cut only when every part holds
    a number below its title: a contents sheet's lines name tables one after another, with nothing between."""
    rows = sheet.rows()
    starts = [n for n, row in enumerate(rows) if _names_table(row)]
    if len(starts) < 2:
        return [sheet]
    for i, start in enumerate(starts):  # the number line above a title opens its part
        while start > (starts[i - 1] + 1 if i else 0) and all(_NUMBER_ONLY.match(norm(c.text)) for c in rows[start - 1]):
            start -= 1
        starts[i] = start
    starts[0] = 0
    bounds = [(rows[a][0].row, rows[b][0].row - 1 if b < len(rows) else sheet.max_row)
              for a, b in zip(starts, [*starts[1:], len(rows)])]
    if not all(any(_is_number(c) for r in rows if first < r[0].row <= last for c in r) for first, last in bounds):
        return [sheet]
    return [_part(sheet, first, last, keep_title=n == 0) for n, (first, last) in enumerate(bounds)]


def _names_table(row: list[Cell]) -> bool:
    return any(len(c.text.strip()) <= MAX_TITLE_CHARS and is_table_title(norm(c.text)) for c in row) and not any(
        _is_number(c) for c in row)


def _is_number(cell: Cell) -> bool:
    value, understood = parse_amount(cell.value if not isinstance(cell.value, str) else cell.text)
    return understood and value is not None


def _part(sheet: Sheet, first: int, last: int, *, keep_title: bool) -> Sheet:
    """Rows first..last of the sheet, as a sheet of the same name (cells keep their addresses)."""
    merges = [ref for ref in sheet.merged_ranges if first <= parse_range(ref)[0] <= last]
    return Sheet(sheet.name, [c for c in sheet.cells if first <= c.row <= last], merges, sheet.hidden,
                 sheet.hidden_rows, sheet.index, sheet.title if keep_title else None)
