"""Funds blocks as token streams: labels, header words and amounts, left to right.

Exports shift the cells of the funds block about (a value one row below its
label, a row that lost its leading blanks), so a row is read as a stream of
tokens and the item it names is found from the label vocabulary, never from a
column position. Amounts go to periods in the order of the header words
(半年计划执行数, 全年预算数) of their direction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import partial
from typing import Callable, cast

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import BudgetLine, Direction, Period
from budget_etl.parsers.templates.labels import LabelMatch, header_role, match_label, norm
from budget_etl.parsers.values import is_amount_text, parse_amount


@dataclass(frozen=True)
class FundsVocabulary:
    """What a funds block's words mean, from its declaration (the ``amount_stream`` block reader).

    ``items``: direction -> {spelling: canonical} of the top-level items; ``children``: parent item ->
    {spelling: canonical} of the items filed under it (财政拨款/一般公共预算资金); ``open_children``: parents
    under which any label is a child kept under its own name (项目支出/工会社工工资)."""

    directions: dict[str, Direction]
    periods: dict[str, Period]
    default_periods: dict[Direction, tuple[Period, ...]]
    items: dict[Direction, dict[str, str]]
    children: dict[str, dict[str, str]]
    open_children: tuple[str, ...]
    subtotal_words: tuple[str, ...]

    def direction_of(self, path: str) -> Direction:
        """The direction of a top-level item (a parent)."""
        return next((d for d, items in self.items.items() if path in items.values()), "income")


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
    vocabulary: FundsVocabulary
    make_line: Callable[..., BudgetLine]  # (direction, path, period, amount, raw, cell) -> the line
    lines: list[BudgetLine] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    direction: Direction | None = None
    periods: dict[Direction, list[tuple[Period, int | None]]] = field(default_factory=dict)
    parent: str | None = None  # '财政拨款' or '项目支出' while their children follow
    pending: _Pending | None = None  # an item whose amounts are on a following row

    block_prefixes: tuple[str, ...] = field(default=(), init=False)  # block_words normalised

    def __post_init__(self) -> None:
        self.periods = {d: [(p, None) for p in ps] for d, ps in self.vocabulary.default_periods.items()}
        self.block_prefixes = tuple(norm(word) for word in self.block_words)

    def read_row(self, row: list[Cell]) -> None:
        labels: list[Cell] = []
        amounts: list[Cell] = []
        headers: list[tuple[Period, int | None]] = []
        words = self.vocabulary
        for cell in row:
            text = norm(cell.text)
            if text.startswith(self.block_prefixes):
                continue
            if text in words.directions:
                self.direction, self.parent = words.directions[text], None
            elif (period := header_role(cell.text, words.periods)) is not None:  # '全年预算数（A）' too
                headers.append((cast(Period, period), cell.col))
            elif isinstance(cell.value, Decimal) or is_date(cell) or is_amount_text(cell.text):
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
        subtotal = self.vocabulary.subtotal_words
        if any(text in subtotal for text in texts):
            named = [cell for cell, text in zip(labels, texts) if text not in subtotal]
            if named:
                return self._resolve(named)
            if self.parent is None:
                self._warn("parent_ambiguous", "a 小计 row with no parent item above it", labels[0])
                return None
            return self.vocabulary.direction_of(self.parent), self.parent
        label = labels[-1]
        if len(labels) > 1:  # '财政拨款 | 一般公共预算资金' on one row: the parent names the context
            self._resolve(labels[:-1])
        return self._resolve_one(label)

    def _resolve_one(self, label: Cell) -> tuple[Direction, str] | None:
        text = " ".join(label.text.split())
        words = self.vocabulary
        if self.parent in words.children:
            child = match_label(text, words.children[self.parent])
            if child:
                self._note_approximate(child, label)
                return words.direction_of(self.parent), f"{self.parent}/{child.canonical}"
        # Income items first, then an orphaned child, then expense items: the order the tables use.
        for direction in ("income", "expense"):
            other = "expense" if direction == "income" else "income"
            top = match_label(text, words.items.get(direction, {})) if self.direction != other else None
            if top:
                self._note_approximate(top, label)
                self.direction = direction if direction == "expense" else self.direction or direction
                self.parent = top.canonical if (top.canonical in words.children
                                                or top.canonical in words.open_children) else None
                return direction, top.canonical
            for parent, children in words.children.items():
                if words.direction_of(parent) != direction or self.direction == other:
                    continue
                child = match_label(text, children)
                if child:  # a child without its parent row above: the vocabulary knows the parent
                    self._warn("parent_ambiguous",
                               f"{text} appears without {parent} above it; filed under {parent}", label)
                    return direction, f"{parent}/{child.canonical}"
        if self.parent in words.open_children and self.direction == words.direction_of(self.parent):
            return self.direction, f"{self.parent}/{text}"
        if self.direction is None:
            self._warn("fund_item_unknown", f"{text!r} is not a known fund item and no 收入/支出 precedes it", label)
            return None
        self._warn("fund_item_unknown", f"{text!r} is not a known {self.direction} item; kept under its own name",
                   label)
        return self.direction, text

    # -- amounts -----------------------------------------------------------------------------
    def _emit(self, direction: Direction, path: str, amounts: list[Cell], label: Cell) -> None:
        periods = self.periods[direction]
        assigned = self._assign(periods, amounts, label)
        for period, _col in periods:
            cell = assigned.get(period)
            if cell is None:
                self._warn("amount_missing", f"{path} has no {period} amount", label)
                self.lines.append(self.make_line(direction, path, period, None, "", label))
                continue
            self.lines.append(cell_line(path, cell, partial(self.make_line, direction, path, period), self.issues))

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


def is_date(cell: Cell) -> bool:
    """A cell the workbook shows as a date or time (an amount formatted as a date reads as one)."""
    return isinstance(cell.value, (date, time))


def cell_line(path: str, cell: Cell, make_line: Callable[[Decimal | None, str, Cell], BudgetLine],
              issues: list[Issue]) -> BudgetLine:
    """The line of an amount cell, made by ``make_line(amount, raw, cell)``: a cell showing a date has no amount
    (``amount_is_date``, an error), a text that is no amount is kept as written (``amount_unparsed``)."""
    if is_date(cell):
        issues.append(date_issue(path, cell))
        return make_line(None, cell.text.strip(), cell)
    amount, understood = parse_amount(cell.value if not isinstance(cell.value, str) else cell.text)
    if not understood:
        issues.append(Issue("amount_unparsed", f"{cell.text!r} is not an amount", "warning", cell.sheet, cell.address))
    return make_line(amount, cell.text.strip(), cell)


def date_issue(path: str, cell: Cell) -> Issue:
    """An error: the amount cannot be known (the cell shows a date), so the file must not load as if it were
    blank."""
    return Issue("amount_is_date", f"{path}: the cell shows a date ({cell.text.strip()}) where an amount belongs",
                 "error", cell.sheet, cell.address)


def read_item_amounts(rows: list[list[Cell]], sheet: str, block_words: tuple[str, ...], items: dict[str, str],
                      make_line: Callable[..., BudgetLine], issues: list[Issue]) -> list[BudgetLine]:
    """项目资金: each row names items, each with its amount (the first amount right of its label).

    ``make_line(path, amount, raw, cell)`` makes the line (the block's direction, period, measure, unit)."""
    lines: list[BudgetLine] = []
    for row in rows:
        cells = [cell for cell in row if not any(norm(cell.text).startswith(norm(w)) for w in block_words)]
        for position, cell in enumerate(cells):
            match = match_label(cell.text, items) if not is_amount_text(cell.text) else None
            if match is None:
                continue
            if not match.exact:
                issues.append(Issue("label_approximate", f"{cell.text.strip()!r} read as {match.canonical}",
                                    "warning", sheet, cell.address))
            amount_cell = next((c for c in cells[position + 1:] if is_date(c) or is_amount_text(c.text)), None)
            if amount_cell is None:
                issues.append(Issue("amount_missing", f"{match.canonical} has no amount", "warning", sheet,
                                    cell.address))
                lines.append(make_line(match.canonical, None, "", cell))
                continue
            lines.append(cell_line(match.canonical, amount_cell, partial(make_line, match.canonical), issues))
    return lines
