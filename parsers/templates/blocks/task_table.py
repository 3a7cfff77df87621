"""``task_table``: a table of tasks with their budget (年度主要任务: 任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金).

The national 部门整体支出绩效目标申报表 (财预〔2015〕88号) states a department's money as its year's main tasks, each
with its budget split by source, and a 金额合计 row: that row is the department's funds, the tasks are what it is
spent on. The budget system's export states the same as a 部门整体资金 block (``amount_stream``).
"""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.templates.blocks import (
    MEASURES,
    UNITS,
    BlockContext,
    Param,
    block_reader,
    vocabulary_aliases,
)
from budget_etl.parsers.templates.declaration import Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.funds import cell_line
from budget_etl.parsers.templates.labels import header_role, norm
from budget_etl.parsers.templates.texts import next_item
from budget_etl.parsers.values import ROUNDING_TOLERANCE

#: How far two amounts that should agree may differ (万元): the sum rules' default tolerance.
TOLERANCE = Decimal(str(ROUNDING_TOLERANCE))


@block_reader("task_table", fills=("fact_budget", "submission_texts"), params={
    "labels": Param("texts", required=True, doc="the block's label (matched as a prefix): 年度主要任务"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "name_words": Param("texts", required=True, doc="header words of the task name column (任务名称)"),
    "text_words": Param("texts", default=(), doc="header words of the task's description column (主要内容)"),
    "text_section": Param("text", default="tasks", doc="the submission_texts section of the descriptions"),
    "total_words": Param("texts", required=True, doc="header words of a task's total amount column (总额)"),
    "parts": Param("vocabulary", default={}, doc="the amount columns splitting the total by source: "
                                                 "{canonical = [synonyms]} (财政拨款, 其他资金)"),
    "sum_words": Param("texts", default=("金额合计", "合计", "总计"), doc="the label of the row of the tasks' sums"),
    "parent": Param("text", required=True, doc="the expense item the tasks are filed under (年度主要任务)"),
    "total_item": Param("text", required=True, doc="the income item of the sums row's total (资金总额); its "
                                                   "parts go to the income items of their canonical names"),
    "stands_for": Param("text", doc="the block of the family's other layout this one replaces (funds): found "
                                    "here, that block counts as found"),
    "measure": Param("text", default="budget", choices=MEASURES),
    "unit": Param("text", default="万元", choices=tuple(UNITS)),
}, known_labels=lambda block: block["labels"] + block["ends_at"] + block["sum_words"])
def read_task_table(ctx: BlockContext, block: Block) -> None:
    """The header row(s) under or beside the label name the columns (a spanning 预算金额 over 总额 | 财政拨款 |
    其他资金 is fine). Each row below is a task: expense ``parent/任务名称`` (its 总额) and ``parent/任务名称/财政拨款``
    …, its 主要内容 a ``text_section`` item '任务名称：内容'. The 金额合计 row is the department's funds: income
    ``total_item`` and the parts. Tasks not adding up to it (by column, or a task's parts to its total) is an
    error (``tasks_total_differs``, naming the cells); a cell under no column is ``task_cell_unread``."""
    label = ctx.index.find(*block["labels"], exact=False)
    if label is None:
        return
    ctx.opened(block, label)
    stands_for = block.get("stands_for")
    if stands_for and stands_for not in ctx.submission.blocks:
        ctx.anchors[stands_for] = label
        ctx.submission.blocks[stands_for] = label.address
    last = ctx.block_end(block, label.row)
    words = {norm(w): "name" for w in block["name_words"]} | {norm(w): "text" for w in block["text_words"]} | \
        {norm(w): "total" for w in block["total_words"]} | \
        {norm(spelling): canonical for spelling, canonical in vocabulary_aliases(block["parts"]).items()}
    rows = ctx.index.rows_between(label.row, last)
    columns: dict[int, str] = {}
    data = 0
    for number, row in enumerate(rows):
        found = {cell.col: role for cell in row if (role := header_role(cell.text, words)) is not None}
        if not found and columns:
            break
        columns |= found
        data = number + 1
    if "name" not in columns.values() or "total" not in columns.values():
        ctx.warn("task_columns_missing", f"{label.text.strip()} has no 任务名称 or 总额 column", label)
        return
    reader = _Tasks(ctx, block, columns)
    sum_words = tuple(norm(word) for word in block["sum_words"])
    for row in rows[data:]:
        if row[0].col <= label.col and norm(row[0].text).startswith(sum_words):
            reader.sums(row)
        elif row[0].col <= label.col and row[0] is not label:
            break  # the next label in the label's column
        else:
            reader.task(row)
    reader.check()


class _Tasks:
    def __init__(self, ctx: BlockContext, block: Block, columns: dict[int, str]):
        self.ctx, self.block, self.columns = ctx, block, columns
        self.parent: str = block["parent"]
        self.amounts: dict[str, list[tuple[Decimal, Cell]]] = {}  # column role -> the tasks' amounts
        self.sum_row: dict[str, tuple[Decimal, Cell]] = {}
        self.split: list[tuple[Cell, Decimal, list[Decimal]]] = []  # (total cell, total, parts) per task

    def task(self, row: list[Cell]) -> None:
        cells = {self.columns.get(cell.col): cell for cell in row}
        name = cells.get("name")
        if name is None:
            for cell in row:
                self.ctx.warn("task_cell_unread", f"{cell.text.strip()[:20]!r} is on a row naming no task", cell)
            return
        title = " ".join(name.text.split())
        if cells.get("text") is not None:
            text = cells["text"]
            self.ctx.submission.texts.append(next_item(self.ctx.submission.texts, self.block["text_section"],
                                                       f"{title}：{' '.join(text.text.split())}", text.sheet,
                                                       text.address))
        total: Decimal | None = None
        parts: list[Decimal] = []
        for role, cell in cells.items():
            if role in (None, "name", "text"):
                if role is None:
                    self.ctx.warn("task_cell_unread", f"{cell.text.strip()[:20]!r} is under no column of the "
                                                      f"task table", cell)
                continue
            path = f"{self.parent}/{title}" if role == "total" else f"{self.parent}/{title}/{role}"
            amount = self._line("expense", path, cell)
            if amount is not None:
                self.amounts.setdefault(role, []).append((amount, cell))
                if role == "total":
                    total = amount
                else:
                    parts.append(amount)
        if total is not None and parts:
            self.split.append((cells["total"], total, parts))

    def sums(self, row: list[Cell]) -> None:
        for cell in row[1:]:
            role = self.columns.get(cell.col)
            if role in (None, "name", "text"):
                self.ctx.warn("task_cell_unread", f"{cell.text.strip()[:20]!r} is under no amount column", cell)
                continue
            path = self.block["total_item"] if role == "total" else role
            amount = self._line("income", path, cell)
            if amount is not None:
                self.sum_row[role] = (amount, cell)

    def check(self) -> None:
        """The tasks add up to the sums row, column by column; each task's parts to its total."""
        for role, (expected, cell) in self.sum_row.items():
            found = sum((amount for amount, _ in self.amounts.get(role, [])), Decimal(0))
            if abs(found - expected) > TOLERANCE:
                column = "总额" if role == "total" else role
                self._differs(f"the tasks' {column} add up to {found}; the sums row says {expected}", cell)
        for cell, total, parts in self.split:
            if abs(sum(parts, Decimal(0)) - total) > TOLERANCE:
                self._differs(f"the parts of {cell.address} add up to {sum(parts, Decimal(0))}, not {total}", cell)

    def _differs(self, message: str, cell: Cell) -> None:
        self.ctx.submission.issues.append(Issue("tasks_total_differs", message, "error", cell.sheet, cell.address))

    def _line(self, direction: str, path: str, cell: Cell) -> Decimal | None:
        line = cell_line(path, cell, partial(self.ctx.amount_line, self.block, direction, path, "full_year"),
                         self.ctx.submission.issues)
        self.ctx.submission.budget.append(line)
        return line.amount_wan


def _example_lines(block: Block) -> list:
    return [("expense", f"{block['parent']}/示例任务", "full_year", block["measure"])]


@example_writer("task_table", lines=_example_lines)
def _example(block: Block, example: Example) -> list[list[str]]:
    """The label and the header words, then one task with its total (no parts and no sums row: the amounts an
    example solves are free, and a sums row would have to agree with them)."""
    (line,) = _example_lines(block)
    return [[block["labels"][0], block["name_words"][0], block["total_words"][0]],
            ["", "示例任务", example.amount(line)]]
