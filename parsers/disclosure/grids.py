"""Reading the tables of a disclosure workbook: headers from merged cells, rows by their labels or codes.

Three shapes cover the official workbook:

- a *classified grid* (收入/支出预算总表, the 功能分类 and 经济分类 tables): a 科目编码 header (split over
  类/款/项 columns or one column), a 科目名称 column, amount columns to the right, a 合计 row at the end;
- a *balance* (财务收支预算总表, 财政拨款收支预算总表): two sides, 收入 and 支出, side by side, each a 项目
  column followed by its amount columns, closed by 收入总计 / 支出总计;
- a *row of amounts* (“三公”经费): header bands over one row of figures.

Headers are read through merges (a cell covered by a merge reads as the merge's first cell), so a
column's path is the distinct texts above it (``基本支出/人员经费``); a 小计 column takes its parent's path.
Everything is found by its labels, never by row or column numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from budget_etl.parsers.cells import Cell, CellValue, Sheet, parse_range
from budget_etl.parsers.disclosure.codes import join_code
from budget_etl.parsers.templates.labels import norm
from budget_etl.parsers.values import parse_amount, to_half_width

#: Header words that name the whole side or table rather than a column (dropped from a longer path).
_BANNER_ROOTS = ("预算数",)
_SUBTOTAL = "小计"
_TOTAL = "合计"
_ELLIPSIS = re.compile(r"^[.…。·\s]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A code and its name in one cell: '2050205 高等教育', '205教育支出'.
_CODE_AND_NAME = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s*([^\d\s].*)$", re.DOTALL)
#: '一、', '（一）', '1.', '1、', '(1)' before an item's name, and the depth each numbering means.
_NUMBERING = (
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*"), 2),
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*"), 1),
    (re.compile(r"^[（(]\d+[）)]\s*"), 3),
    (re.compile(r"^\d+\s*[、.．]\s*(?!\d)"), 2),
)


@dataclass(frozen=True, slots=True)
class Amount:
    column: str  # the column's header path: '合计', '基本支出/人员经费', '预算数'
    value: Decimal | None  # None: the cell says "no value" ('—', empty)
    raw: str
    cell: Cell


@dataclass(slots=True)
class Row:
    """One data row of a table: its label or code, and its amounts by column."""

    label: str  # the item's name as written, without its numbering ('财政拨款收入', '高等教育', '合计')
    cell: Cell  # the label's (or code's) cell
    amounts: list[Amount] = field(default_factory=list)
    code: str | None = None  # classification code, when the table has a code column
    depth: int = 1  # 1 for '一、…', 2 for '1. …' (balance sides); 0 for a total row
    is_total: bool = False
    side: str | None = None  # 'income' / 'expense' on a balance
    group: str | None = None  # the unit heading the rows it is under (a 部门's table listing each unit's classes)


@dataclass(slots=True)
class TableRead:
    rows: list[Row]
    columns: list[str]
    problems: list[tuple[str, Cell]] = field(default_factory=list)  # (message, cell) for the caller's issues
    notes: list[Cell] = field(default_factory=list)  # a note in the table's rows ('注：本表无数据。'): text, no row


class MergedGrid:
    """A sheet's cells by position, where a merge-covered cell reads as its merge's first cell."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.cells = {(c.row, c.col): c for c in sheet.cells}
        self.anchor: dict[tuple[int, int], tuple[int, int]] = {}
        for ref in sheet.merged_ranges:
            r1, c1, r2, c2 = parse_range(ref)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.anchor[(r, c)] = (r1, c1)

    def at(self, row: int, col: int) -> Cell | None:
        return self.cells.get(self.anchor.get((row, col), (row, col)))

    def text(self, row: int, col: int) -> str:
        cell = self.at(row, col)
        return cell.text.strip() if cell is not None else ""

    def own(self, row: int, col: int) -> Cell | None:
        """The cell itself when it is not covered by a merge started elsewhere."""
        if self.anchor.get((row, col), (row, col)) != (row, col):
            return None
        return self.cells.get((row, col))

    def bottom(self, row: int, col: int) -> int:
        """The last row of the merge starting at (row, col), or ``row``."""
        last = row
        for (r, c), start in self.anchor.items():
            if start == (row, col) and c == col:
                last = max(last, r)
        return last

    def find(self, test, rows: range | None = None) -> list[Cell]:
        found = [c for c in self.sheet.cells if not c.is_blank and test(norm(c.text))
                 and (rows is None or c.row in rows)]
        return sorted(found, key=lambda c: (c.row, c.col))


def column_paths(grid: MergedGrid, first_row: int, last_row: int, columns: list[int]) -> dict[int, str]:
    """Each column's header path over rows first_row..last_row (merges read through, repeats dropped).

    A banner over every amount column ('本年预算' over 合计 | 基本支出 | 项目支出) names the table, not a column:
    it is dropped, as 预算数 over the part of the columns it heads is. A 小计 column takes its parent's path; one
    with no parent is the row's 合计."""
    split = {}
    for col in columns:
        parts: list[str] = []
        subtotal = False
        for row in range(first_row, last_row + 1):
            text = norm(grid.text(row, col)).replace("\n", "")
            subtotal = subtotal or text == _SUBTOTAL
            if not text or text == _SUBTOTAL or (parts and parts[-1] == text):
                continue
            parts.append(text)
        if len(parts) > 1 and parts[0] in _BANNER_ROOTS:
            parts = parts[1:]
        split[col] = parts or ([_TOTAL] if subtotal else [])
    roots = {tuple(parts[:1]) for parts in split.values()}
    if len(split) > 1 and len(roots) == 1 and all(len(parts) > 1 for parts in split.values()):
        split = {col: parts[1:] for col, parts in split.items()}
    return {col: "/".join(parts) for col, parts in split.items()}


def _collapse(text: str) -> str:
    """Spaces inside Chinese labels are layout ('支 出 总 计'): dropped; elsewhere one space."""
    return "".join(text.split()) if _CJK.search(text) else " ".join(text.split())


def split_numbering(label: str) -> tuple[str, int]:
    """'一、财政拨款收入' -> ('财政拨款收入', 1); '1. 一般公共预算' -> ('一般公共预算', 2); '合计' -> ('合计', 1)."""
    text = to_half_width(label).strip()
    for pattern, depth in _NUMBERING:
        match = pattern.match(text)
        if match:
            return _collapse(text[match.end():]), depth
    return _collapse(text), 1


#: A note written in a table's rows: '注：本部门无政府性基金预算支出，故本表为空表。', '说明：…', a sentence.
_NOTE = re.compile(r"^(?:注|说明|备注)|。$")


def is_note(text: str) -> bool:
    return bool(_NOTE.search(to_half_width(text).strip()))


def is_placeholder(text: str) -> bool:
    """'…', '...': a row the blank template leaves for the department to fill."""
    return bool(text.strip()) and bool(_ELLIPSIS.match(text.strip()))


def amount_of(grid: MergedGrid, row: int, col: int, column: str) -> Amount | None:
    cell = grid.own(row, col)
    if cell is None:
        return None
    value, understood = parse_amount(cell.value if not isinstance(cell.value, str) else cell.text)
    if not understood:
        return None
    return Amount(column, value, cell.text.strip(), cell)


def _amounts(grid: MergedGrid, row: int, paths: dict[int, str], problems: list) -> list[Amount]:
    found = []
    for col, path in paths.items():
        cell = grid.own(row, col)
        if cell is None or cell.is_blank:
            continue
        amount = amount_of(grid, row, col, path)
        if amount is None:
            if not is_placeholder(cell.text):
                problems.append((f"{path}: {cell.text.strip()!r} is not an amount", cell))
            continue
        found.append(amount)
    return found


def _header_end(grid: MergedGrid, start_row: int, label_col: int, data_cols: list[int]) -> int:
    """The last header row: rows go on being header while the label column is covered or empty and no
    amount column holds a number."""
    row = start_row
    last = grid.sheet.max_row
    while row < last:
        nxt = row + 1
        label_covered = grid.anchor.get((nxt, label_col), (nxt, label_col)) != (nxt, label_col)
        label_text = grid.text(nxt, label_col) if not label_covered else ""
        numbers = any((c := grid.own(nxt, col)) is not None and not c.is_blank
                      and parse_amount(c.value if not isinstance(c.value, str) else c.text)[0] is not None
                      for col in data_cols)
        headerish = any((c := grid.own(nxt, col)) is not None and not c.is_blank for col in data_cols)
        if numbers or (label_text and not label_covered):
            break
        if not headerish and not label_covered:
            break
        row = nxt
    return row


# -- classified grids ----------------------------------------------------------------------------------
_CODE_HEADER = re.compile(r"科目编码$|^科目代码$|^编码$")
_NAME_HEADER = re.compile(r"科目名称$")
#: A table by unit (a 部门's workbook listing its units): '单位编码 | 单位名称' where a 科目编码 would be.
_UNIT_CODE_HEADER = re.compile(r"^单位(?:编码|代码)$")
_UNIT_NAME_HEADER = "单位名称"
_TOTAL_WORDS = ("合计", "总计")
_LEVEL_WORDS = ("类", "款", "项")


def _key_headers(grid: MergedGrid) -> tuple[Cell, list[Cell], bool] | None:
    """The header of the rows' key column, the name header(s) beside it, and whether the rows are units (单位编码
    / 单位名称) rather than classes (科目编码 / 科目名称)."""
    code_headers = grid.find(lambda t: bool(_CODE_HEADER.search(t)))
    if code_headers:
        code_header = code_headers[0]
        names = grid.find(lambda t: bool(_NAME_HEADER.search(t)), range(code_header.row, code_header.row + 3))
        return code_header, names, False
    unit_names = grid.find(lambda t: t == _UNIT_NAME_HEADER)
    unit_codes = grid.find(lambda t: bool(_UNIT_CODE_HEADER.match(t)))
    if unit_codes:
        return unit_codes[0], [c for c in unit_names if c.row == unit_codes[0].row], True
    if unit_names:  # names only: the name column is the key
        return unit_names[0], [unit_names[0]], True
    return None


def _carried(values: list[CellValue], last: list[CellValue] | None) -> list[CellValue]:
    """A split code's parts with the leading ones the row leaves blank (or under a merge) taken from the coded row
    above: '201 | 29 | 01' then ' |  | 02' is 2012902, as tables print each part only on the first row it starts.
    Parts that row does not have stay blank (the code then has the wrong length and is reported)."""
    first = next((i for i, v in enumerate(values) if v is not None), None)
    if not first or last is None or any(v is None for v in last[:first]):
        return values
    return list(last[:first]) + values[first:]


def read_classified(sheet: Sheet, widths: tuple[int, ...] = (3, 2, 2)) -> TableRead | None:
    """A table of rows keyed by classification code (or by unit: 单位编码 / 单位名称, each row a unit named in
    its label, without a code); None when it has neither header."""
    grid = MergedGrid(sheet)
    keys = _key_headers(grid)
    if keys is None:
        return None
    code_header, names, by_unit = keys
    # The code columns: 类/款/项 under the code header, else the code header's own column(s).
    level_row = code_header.row + 1
    code_cols = [c for c in range(1, grid.sheet.max_col + 1)
                 if norm(grid.text(level_row, c)) in _LEVEL_WORDS and grid.own(level_row, c) is not None]
    header_last = level_row if code_cols else grid.bottom(code_header.row, code_header.col)
    if not code_cols:
        code_cols = [code_header.col]
    name_col = names[0].col if names else max(code_cols) + 1
    data_cols = [c for c in range(max(name_col, *code_cols) + 1, grid.sheet.max_col + 1)
                 if any(grid.text(r, c) for r in range(code_header.row, header_last + 1))]
    header_last = max(header_last, _header_end(grid, code_header.row, code_cols[0], data_cols))
    paths = column_paths(grid, code_header.row, header_last, data_cols)
    rows: list[Row] = []
    problems: list[tuple[str, Cell]] = []
    last: list[CellValue] | None = None  # the parts of the last coded row, for parts printed once
    notes: list[Cell] = []
    for r in range(header_last + 1, grid.sheet.max_row + 1):
        parts = [grid.own(r, c) for c in code_cols]
        name_cell = grid.own(r, name_col)
        first = grid.at(r, code_cols[0])
        first_text = norm(first.text) if first is not None else ""
        if first_text in _TOTAL_WORDS or (name_cell is not None and norm(name_cell.text) in _TOTAL_WORDS):
            anchor = first if first is not None and first_text in _TOTAL_WORDS else name_cell
            if anchor is not None:
                rows.append(Row("合计", anchor, _amounts(grid, r, paths, problems), depth=0, is_total=True))
            continue
        written = [p for p in parts if p is not None and not p.is_blank]
        if any(is_placeholder(p.text) for p in written) or (name_cell is not None and is_placeholder(name_cell.text)):
            continue
        amounts = _amounts(grid, r, paths, problems)
        if not written and (name_cell is None or name_cell.is_blank):
            if amounts:
                problems.append(("a row with amounts but neither a code nor a name", amounts[0].cell))
            continue
        name = " ".join(name_cell.text.split()) if name_cell is not None else ""
        anchor = written[0] if written else name_cell
        if anchor is None:  # pragma: no cover - a row with neither was skipped above
            continue
        if by_unit:  # the unit's name is the row's item (its code when it has no name)
            rows.append(Row(name or " ".join(written[0].text.split()), anchor, amounts))
            continue
        values: list[CellValue] = [None if p is None or p.is_blank else p.value if not isinstance(p.value, str) else p.text
                  for p in parts]
        if len(code_cols) > 1 and written:
            values = _carried(values, last)
            last = values
        code = join_code(values, widths) if written else None
        if written and code is None:
            both = _CODE_AND_NAME.match(to_half_width(written[0].text))
            if both is None and not amounts and is_note(written[0].text):
                notes.append(written[0])
                continue
            if both is None:
                problems.append((f"{written[0].text.strip()!r} is not a classification code", written[0]))
                continue
            code, name = both.group(1), name or " ".join(both.group(2).split())
        rows.append(Row(name, anchor, amounts, code=code))
    return TableRead(_unit_groups(rows, tuple(accumulate(widths))), list(paths.values()), problems, notes)


def _unit_groups(rows: list[Row], levels: tuple[int, ...]) -> list[Row]:
    """A 部门's table listing each unit's classes under the unit's row ('101001 | 某单位' or the name alone, then its
    类, 款 and 项): such a row, with no code of the classification's lengths and followed by a 类, heads the rows down
    to the next one (their ``group``), and its own number is no code."""
    heads = [n for n, row in enumerate(rows[:-1])
             if not row.is_total and row.label and (row.code is None or len(row.code) not in levels)
             and rows[n + 1].code is not None and len(rows[n + 1].code or "") == levels[0]]
    if not heads:
        return rows
    group = None
    for n, row in enumerate(rows):
        if n in heads:
            row.code, group = None, row.label
        elif row.is_total:
            group = None
        elif group is not None:
            row.group = group
    return rows


# -- balances (收入 and 支出 side by side) -----------------------------------------------------------------
_SIDE_WORDS = (("收入", "income"), ("支出", "expense"))
#: A side's item column: '项目', or with its side's word ('收入项目', '支出项目') or a qualifier ('项目(按功能分类)').
_ITEM_HEADER = re.compile(r"^(?:收入|支出)?项目(?:\([^()]*\))?$")


def read_balance(sheet: Sheet) -> TableRead | None:
    """Both sides of a 收支总表; None when no '项目' header opens them."""
    grid = MergedGrid(sheet)
    item_headers = grid.find(lambda t: bool(_ITEM_HEADER.match(t)))
    if not item_headers:
        return None
    header_row = item_headers[0].row
    starts = [c.col for c in item_headers if c.row == header_row]
    max_col = grid.sheet.max_col
    rows: list[Row] = []
    columns: list[str] = []
    problems: list[tuple[str, Cell]] = []
    sides = []
    for i, label_col in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else max_col
        banner = norm(grid.text(header_row - 1, label_col)) if header_row > 1 else ""
        banner += norm(grid.text(header_row, label_col))  # '收入项目' says its side as a banner does
        side = next((code for word, code in _SIDE_WORDS if word in banner), ("income", "expense")[min(i, 1)])
        sides.append((side, label_col, list(range(label_col + 1, end + 1))))
    header_last = max(_header_end(grid, header_row, label_col, data_cols) for _, label_col, data_cols in sides)
    for side, label_col, data_cols in sides:
        paths = {c: p for c, p in column_paths(grid, header_row, header_last, data_cols).items() if p}
        columns += [p for p in paths.values() if p not in columns]
        for r in range(header_last + 1, grid.sheet.max_row + 1):
            cell = grid.own(r, label_col)
            if cell is None or cell.is_blank or is_placeholder(cell.text):
                continue
            label, depth = split_numbering(cell.text)
            if not label or is_placeholder(label):
                continue
            # 收入总计 / 支出总计, and subtotals such as 本年收入合计 (never an item of the sums)
            total = norm(label).endswith(("总计", "合计"))
            rows.append(Row(label, cell, _amounts(grid, r, paths, problems), depth=0 if total else depth,
                            is_total=total, side=side))
    return TableRead(rows, columns, problems)


# -- one row of amounts under header bands ('三公'经费) -----------------------------------------------------
def read_amount_row(sheet: Sheet, first_header: str = "合计") -> TableRead | None:
    """The header bands from the row holding ``first_header`` down, and the first row of numbers below."""
    grid = MergedGrid(sheet)
    anchors = grid.find(lambda t: t == norm(first_header))
    if not anchors:
        return None
    anchor = anchors[0]
    max_col = grid.sheet.max_col
    if _amount_right_of(grid, anchor):  # the items down a column ('合计 | 13.4' on its own row)
        return _read_amount_column(grid, anchor)
    data_cols = [c for c in range(anchor.col, max_col + 1) if grid.text(anchor.row, c)]
    header_last = _header_end(grid, anchor.row, anchor.col, data_cols)
    # The header may start above the anchor row for a column whose merge spans it (机关运行经费预算数).
    paths = column_paths(grid, anchor.row, header_last, data_cols)
    bands = [a.col for a in anchors if a.row == anchor.row]
    if len(bands) > 1 and anchor.row > 1:  # '2023年预算数 | 2024年预算数', each over its own 合计 …
        paths = _banded(grid, anchor.row - 1, bands, paths)
    problems: list[tuple[str, Cell]] = []
    for r in range(header_last + 1, grid.sheet.max_row + 1):
        amounts = _amounts(grid, r, paths, problems)
        if amounts:
            return TableRead([Row("", amounts[0].cell, amounts)], list(paths.values()), problems)
    return TableRead([], list(paths.values()), problems)


_BAND_YEAR = re.compile(r"((?:19|20)\d{2})年")
_THIS_YEAR = ("本年", "当年")


def current_band(labels: list[str]) -> int | None:
    """Of bands labelled by their year ('2023年预算数', '2024年预算数'; '上年', '本年'), the budget year's: the one
    saying 本年, else the latest year; None when the labels do not tell."""
    this = [i for i, label in enumerate(labels) if any(word in label for word in _THIS_YEAR)]
    if len(this) == 1:
        return this[0]
    years = [int(m.group(1)) if (m := _BAND_YEAR.search(label)) else None for label in labels]
    if all(y is not None for y in years) and len(set(years)) == len(years):
        return years.index(max(y for y in years if y is not None))
    return None


def _banded(grid: MergedGrid, band_row: int, starts: list[int], paths: dict[int, str]) -> dict[int, str]:
    """The budget year's band keeps its columns' paths (合计, 公务接待费 …: what the checks and queries read); each
    other band's columns are under its label ('2023年预算数/合计'). Bands whose year cannot be told all are."""
    labels = [norm(grid.text(band_row, col)) or f"({n})" for n, col in enumerate(starts, start=1)]
    current = current_band(labels)
    banded = {}
    for col, path in paths.items():
        band = max(n for n, start in enumerate(starts) if start <= col)
        banded[col] = path if band == current else f"{labels[band]}/{path}"
    return banded


def _amount_right_of(grid: MergedGrid, cell: Cell) -> Cell | None:
    for col in range(cell.col + 1, grid.sheet.max_col + 1):
        right = grid.own(cell.row, col)
        if right is not None and not right.is_blank:
            value, understood = parse_amount(right.value if not isinstance(right.value, str) else right.text)
            return right if understood and value is not None else None
    return None


_WHICH_OF = re.compile(r"^其中[:：]?")


def _year_columns(grid: MergedGrid, anchor: Cell) -> dict[int, str]:
    """The vertical layout's amount columns when its header names one per year ('项目 | 2023年预算数 |
    2024年预算数'): column -> its label, '' for the budget year's; {} for one amount column."""
    for row in range(anchor.row - 1, max(anchor.row - 4, 0), -1):
        heads = {c: norm(grid.text(row, c)) for c in range(anchor.col + 1, grid.sheet.max_col + 1)
                 if grid.own(row, c) is not None and grid.text(row, c)}
        if not heads:
            continue
        current = current_band(list(heads.values())) if len(heads) > 1 else None
        if current is None:
            return {}
        return {c: "" if n == current else label for n, (c, label) in enumerate(heads.items())}
    return {}


def _read_amount_column(grid: MergedGrid, anchor: Cell) -> TableRead:
    """The vertical layout: each row an item and its amount; an item under '其中：' (公务用车购置费 under
    公务用车购置及运行费) is a part of the item above it. Columns of several years: the budget year's amounts are the
    items', another year's are under its label ('2023年预算数/合计')."""
    rows: list[Row] = []
    problems: list[tuple[str, Cell]] = []
    parent = None
    in_parts = False
    years = _year_columns(grid, anchor)
    for r in range(anchor.row, grid.sheet.max_row + 1):
        label_cell = grid.own(r, anchor.col)
        if label_cell is None or label_cell.is_blank:
            continue
        amount_cell = _amount_right_of(grid, label_cell)
        if amount_cell is None:
            continue
        label, _ = split_numbering(label_cell.text)
        numbered = norm(label) != norm(label_cell.text)
        label = norm(label)
        # '其中：' opens the parts of the item above; unnumbered rows after it are parts too.
        child = bool(_WHICH_OF.match(label)) or (in_parts and not numbered)
        in_parts = child
        label = _WHICH_OF.sub("", label)
        column = f"{parent}/{label}" if child and parent else label
        if not child:
            parent = label
        places = {col: f"{band}/{column}" if band else column for col, band in years.items()} or {
            amount_cell.col: column}
        amounts = [a for col, path in places.items() if (a := amount_of(grid, r, col, path)) is not None]
        if amounts:
            rows.append(Row("", label_cell, amounts))
    merged = Row("", rows[0].cell, [a for row in rows for a in row.amounts]) if rows else None
    return TableRead([merged] if merged else [], [a.column for a in merged.amounts] if merged else [], problems)


__all__ = [
    "Amount",
    "MergedGrid",
    "Row",
    "TableRead",
    "column_paths",
    "read_amount_row",
    "read_balance",
    "read_classified",
    "split_numbering",
]
