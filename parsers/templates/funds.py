"""Funds blocks as token streams: labels, header words and amounts, left to right.

Exports shift the cells of the funds block about (a value one row below its
label, a row that lost its leading blanks), so a row is read as a stream of
tokens and the item it names is found from the label vocabulary, never from a
column position. Amounts go to periods in the order of the header words
(半年计划执行数, 全年预算数) of their direction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import BudgetLine, Direction, Period
from budget_etl.parsers.templates.labels import LabelMatch, match_label, norm
from budget_etl.parsers.values import is_amount_text, parse_amount

DIRECTIONS: dict[str, Direction] = {"收入": "income", "支出": "expense"}
PERIOD_WORDS: dict[str, Period] = {
    "全年预算数": "full_year", "全年预算": "full_year", "全年数": "full_year", "年度预算数": "full_year",
    "半年计划执行数": "half_year", "半年执行数": "half_year", "半年计划数": "half_year",
}
SUBTOTAL_WORDS = ("小计", "合计")
INCOME_TOP: dict[str, str] = {
    "资金总额": "资金总额", "收入总额": "资金总额", "财政拨款": "财政拨款", "国有资本金": "国有资本金",
    "国有资本经营预算资金": "国有资本金", "社保基金": "社保基金", "社会保险基金": "社保基金",
    "上年结转资金": "上年结转资金", "上年结转": "上年结转资金", "其他资金": "其他资金",
}
GRANT_CHILDREN: dict[str, str] = {
    "一般公共预算资金": "一般公共预算资金", "一般公共预算": "一般公共预算资金",
    "政府性基金": "政府性基金", "政府性基金预算资金": "政府性基金",
    "财政专户管理资金": "财政专户管理资金",
}
EXPENSE_TOP: dict[str, str] = {"基本支出": "基本支出", "项目支出": "项目支出"}
PARENTS_WITH_CHILDREN = {"财政拨款": GRANT_CHILDREN}
DEFAULT_PERIODS: dict[Direction, list[tuple[Period, int | None]]] = {
    "income": [("full_year", None)], "expense": [("half_year", None), ("full_year", None)],
}


@dataclass(slots=True)
class _Pending:
    direction: Direction
    path: str
    label: Cell


@dataclass(slots=True)
class DepartmentFundsReader:
    """Reads the rows of one 部门整体资金 block; call :meth:`read_row` per row, then :meth:`finish`."""

    sheet: str
    block_words: tuple[str, ...]
    lines: list[BudgetLine] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    direction: Direction | None = None
    periods: dict[Direction, list[tuple[Period, int | None]]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_PERIODS.items()})
    parent: str | None = None  # '财政拨款' or '项目支出' while their children follow
    pending: _Pending | None = None  # an item whose amounts are on a following row

    def read_row(self, row: list[Cell]) -> None:
        labels: list[Cell] = []
        amounts: list[Cell] = []
        headers: list[tuple[Period, int | None]] = []
        for cell in row:
            text = norm(cell.text)
            if any(text.startswith(norm(word)) for word in self.block_words):
                continue
            if text in DIRECTIONS:
                self.direction, self.parent = DIRECTIONS[text], None
            elif text in PERIOD_WORDS:
                headers.append((PERIOD_WORDS[text], cell.col))
            elif isinstance(cell.value, Decimal) or is_amount_text(cell.text):
                amounts.append(cell)
            else:
                labels.append(cell)
        if headers and self.direction:
            self.periods[self.direction] = headers
        if labels:
            resolved = self._resolve(labels)
            if resolved is None:
                return
            direction, path = resolved
            self._flush_pending(next_path=path)
            if amounts:
                self._emit(direction, path, amounts, labels[-1])
            else:
                self.pending = _Pending(direction, path, labels[-1])
        elif amounts:
            if self.pending is None:
                self.issues.append(Issue("amount_without_item", "amounts on a row that names no fund item",
                                         "warning", self.sheet, amounts[0].address))
                return
            pending, self.pending = self.pending, None
            self._emit(pending.direction, pending.path, amounts, pending.label)

    def finish(self) -> list[BudgetLine]:
        self._flush_pending(next_path=None)
        return self.lines

    # -- items -------------------------------------------------------------------------------
    def _resolve(self, labels: list[Cell]) -> tuple[Direction, str] | None:
        texts = [norm(cell.text) for cell in labels]
        if any(text in SUBTOTAL_WORDS for text in texts):
            named = [cell for cell, text in zip(labels, texts) if text not in SUBTOTAL_WORDS]
            if named:
                return self._resolve(named)
            if self.parent is None:
                self._warn("parent_ambiguous", "a 小计 row with no parent item above it", labels[0])
                return None
            return self._direction_of(self.parent), self.parent
        label = labels[-1]
        if len(labels) > 1:  # '财政拨款 | 一般公共预算资金' on one row: the parent names the context
            self._resolve(labels[:-1])
        return self._resolve_one(label)

    def _resolve_one(self, label: Cell) -> tuple[Direction, str] | None:
        text = " ".join(label.text.split())
        if self.parent in PARENTS_WITH_CHILDREN:
            child = match_label(text, PARENTS_WITH_CHILDREN[self.parent])
            if child:
                self._note_approximate(child, label)
                return "income", f"{self.parent}/{child.canonical}"
        top = match_label(text, INCOME_TOP) if self.direction != "expense" else None
        if top:
            self._note_approximate(top, label)
            self.direction = self.direction or "income"
            self.parent = top.canonical if top.canonical in PARENTS_WITH_CHILDREN else None
            return "income", top.canonical
        child = match_label(text, GRANT_CHILDREN) if self.direction != "expense" else None
        if child:  # a grant child without its 财政拨款 row above: the vocabulary knows the parent
            self._warn("parent_ambiguous", f"{text} appears without 财政拨款 above it; filed under 财政拨款", label)
            return "income", f"财政拨款/{child.canonical}"
        expense = match_label(text, EXPENSE_TOP) if self.direction != "income" else None
        if expense:
            self._note_approximate(expense, label)
            self.direction = "expense"
            self.parent = expense.canonical if expense.canonical == "项目支出" else None
            return "expense", expense.canonical
        if self.direction == "expense" and self.parent == "项目支出":
            return "expense", f"项目支出/{text}"
        if self.direction is None:
            self._warn("fund_item_unknown", f"{text!r} is not a known fund item and no 收入/支出 precedes it", label)
            return None
        self._warn("fund_item_unknown", f"{text!r} is not a known {self.direction} item; kept under its own name",
                   label)
        return self.direction, text

    def _direction_of(self, path: str) -> Direction:
        return "expense" if path in EXPENSE_TOP else "income"

    # -- amounts -----------------------------------------------------------------------------
    def _emit(self, direction: Direction, path: str, amounts: list[Cell], label: Cell) -> None:
        periods = self.periods[direction]
        assigned = self._assign(periods, amounts, label)
        for period, _col in periods:
            cell = assigned.get(period)
            if cell is None:
                self._warn("amount_missing", f"{path} has no {period} amount", label)
                self.lines.append(BudgetLine(direction, path, period, None, "", self.sheet, label.address))
                continue
            amount, understood = parse_amount(cell.value if not isinstance(cell.value, str) else cell.text)
            if not understood:
                self._warn("amount_unparsed", f"{cell.text!r} is not an amount", cell)
            self.lines.append(BudgetLine(direction, path, period, amount, cell.text.strip(), self.sheet, cell.address))

    def _assign(self, periods: list[tuple[Period, int | None]], amounts: list[Cell], label: Cell) -> dict[Period, Cell]:
        if len(amounts) == len(periods):
            return {period: cell for (period, _), cell in zip(periods, amounts)}
        by_column = {col: period for period, col in periods if col is not None}
        matched = {by_column[cell.col]: cell for cell in amounts if cell.col in by_column}
        if len(matched) == min(len(amounts), len(periods)):
            return matched
        # Text exports lose leading cells, not trailing ones: the last amounts are the last periods.
        self._warn("amount_period_guessed",
                   f"{len(amounts)} amount(s) for {len(periods)} period(s); matched from the right", label)
        return {period: cell for (period, _), cell in zip(reversed(periods), reversed(amounts))}

    def _flush_pending(self, next_path: str | None) -> None:
        pending, self.pending = self.pending, None
        if pending is None or (next_path is not None and (next_path == pending.path
                                                          or next_path.startswith(pending.path + "/"))):
            return  # a parent heading whose total is its 小计 row, or whose children follow
        self._emit(pending.direction, pending.path, [], pending.label)

    def _note_approximate(self, match: LabelMatch, cell: Cell) -> None:
        if not match.exact:
            self._warn("label_approximate", f"{cell.text.strip()!r} read as {match.canonical}", cell)

    def _warn(self, code: str, message: str, cell: Cell) -> None:
        self.issues.append(Issue(code, message, "warning", self.sheet, cell.address))


PROJECT_FUNDS: dict[str, str] = {
    "年度资金总额": "资金总额", "资金总额": "资金总额", "其中：财政拨款": "财政拨款", "财政拨款": "财政拨款",
    "上年结转资金": "上年结转资金", "上年结转": "上年结转资金", "其他资金": "其他资金",
}


def read_project_funds(rows: list[list[Cell]], sheet: str, block_words: tuple[str, ...],
                       issues: list[Issue]) -> list[BudgetLine]:
    """项目资金: each row names one item and its full-year amount (the first amount right of the label)."""
    lines: list[BudgetLine] = []
    for row in rows:
        cells = [cell for cell in row if not any(norm(cell.text).startswith(norm(w)) for w in block_words)]
        for position, cell in enumerate(cells):
            match = match_label(cell.text, PROJECT_FUNDS) if not is_amount_text(cell.text) else None
            if match is None:
                continue
            if not match.exact:
                issues.append(Issue("label_approximate", f"{cell.text.strip()!r} read as {match.canonical}",
                                    "warning", sheet, cell.address))
            amount_cell = next((c for c in cells[position + 1:] if is_amount_text(c.text)), None)
            if amount_cell is None:
                issues.append(Issue("amount_missing", f"{match.canonical} has no amount", "warning", sheet,
                                    cell.address))
                lines.append(BudgetLine("income", match.canonical, "full_year", None, "", sheet, cell.address))
                continue
            amount, understood = parse_amount(amount_cell.value if not isinstance(amount_cell.value, str)
                                              else amount_cell.text)
            if not understood:
                issues.append(Issue("amount_unparsed", f"{amount_cell.text!r} is not an amount", "warning",
                                    sheet, amount_cell.address))
            lines.append(BudgetLine("income", match.canonical, "full_year", amount, amount_cell.text.strip(),
                                    sheet, amount_cell.address))
    return lines
