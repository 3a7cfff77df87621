"""``execution_funds``: a self-evaluation's funds grid (项目资金 / 部门整体资金: 年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分), rows of fund items (parsers/templates/scored.py)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import (
    UNITS,
    BlockContext,
    Param,
    block_reader,
    vocabulary_aliases,
)
from budget_etl.parsers.templates.declaration import DIRECTIONS, Block, FieldError
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.labels import norm
from budget_etl.parsers.templates.scored import FUNDS_MEASURES, FUNDS_ROLES, read_execution_funds


def _check(block: Block) -> None:
    for role, words in block["columns"].items():
        if role not in FUNDS_ROLES:
            raise FieldError(f"columns.{role}", f"is not a column role ({', '.join(FUNDS_ROLES)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise FieldError(f"columns.{role}", "must be a list of header words")
    for direction, items in block["items"].items():
        if direction not in DIRECTIONS:
            raise FieldError(f"items.{direction}", f"must be one of {', '.join(DIRECTIONS)}")
        if not isinstance(items, dict) or not all(isinstance(v, list) for v in items.values()):
            raise FieldError(f"items.{direction}", "must be a table: canonical = [synonyms, ...]")


@block_reader("execution_funds", fills=("fact_budget", "fact_budget_score"), params={
    "labels": Param("texts", required=True, doc="the block's label (matched as a prefix)"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "columns": Param("table", required=True, doc="role -> header words; roles: " + ", ".join(FUNDS_ROLES)),
    "items": Param("table", required=True, doc="items.income / items.expense: canonical = [synonyms]"),
    "unit": Param("text", default="万元", choices=tuple(UNITS)),
}, known_labels=lambda block: block["labels"] + block["ends_at"], check=_check)
def read_funds(ctx: BlockContext, block: Block) -> None:
    """Amounts go to fact_budget, all full year, in the measure of their column (年初预算数 initial_budget,
    全年预算数 budget, 全年执行数 executed); 分值, 执行率 and 得分 to fact_budget_score."""
    label = ctx.index.find(*block["labels"], exact=False)
    if label is None:
        return
    ctx.opened(block, label)
    words = {norm(word): role for role, spellings in block["columns"].items() for word in spellings}
    items = {direction: vocabulary_aliases({k: tuple(v) for k, v in vocabulary.items()})
             for direction, vocabulary in block["items"].items()}
    funds = read_execution_funds(ctx.index, label.row, ctx.block_end(block, label.row), words, items,
                                 ctx.submission.issues)
    measured = dict(block.params, measure=None)
    for direction, item, measure, amount, raw, cell in funds.lines:
        measured["measure"] = measure
        ctx.submission.budget.append(ctx.amount_line(Block(block.name, block.reader, measured), direction, item,
                                                     "full_year", amount, raw, cell))
    ctx.submission.fund_scores.extend(funds.scores)


def _example_lines(block: Block) -> list:
    measures = [m for m in FUNDS_MEASURES if m in block["columns"]]
    return [(direction, canonical, "full_year", measure) for direction, items in block["items"].items()
            for canonical in items for measure in measures]


@example_writer("execution_funds", lines=_example_lines)
def _example(block: Block, example: Example) -> list[list[str]]:
    """The label and the header words, then one row per item: its amounts, 执行率 = 执行数 / 预算数 × 100, and
    分值 10 / 得分 10 on the first item (the others '—')."""
    columns = block["columns"]
    roles = [role for role in FUNDS_ROLES if role in columns]
    rows = [[block["labels"][0], ""] + [columns[role][0] for role in roles]]
    first = True
    for direction, items in block["items"].items():
        for canonical in items:
            amounts = {m: example.amounts.get((direction, canonical, "full_year", m)) for m in FUNDS_MEASURES}
            budget, executed = amounts["budget"], amounts["executed"]
            rate = f"{executed / budget * 100:.2f}%" if budget and executed is not None else "—"
            values = {m: example.amount((direction, canonical, "full_year", m)) for m in FUNDS_MEASURES}
            values |= {"rate": rate, "max": "10" if first else "—", "score": "10" if first else "—"}
            rows.append(["", canonical] + [values[role] for role in roles])
            first = False
    return rows
