"""``item_amounts``: a block of labelled amounts, one period (项目资金: 年度资金总额 | 395 …)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import (
    MEASURES,
    UNITS,
    BlockContext,
    Param,
    block_reader,
    vocabulary_aliases,
)
from budget_etl.parsers.templates.declaration import DIRECTIONS, PERIODS, Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.funds import read_item_amounts


@block_reader("item_amounts", fills=("fact_budget",), params={
    "labels": Param("texts", required=True, doc="the block's label (matched as a prefix)"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "items": Param("vocabulary", required=True, doc="{canonical = [synonyms]}: the item paths"),
    "direction": Param("text", default="income", choices=DIRECTIONS),
    "period": Param("text", default="full_year", choices=PERIODS),
    "measure": Param("text", default="budget", choices=MEASURES),
    "unit": Param("text", default="万元", choices=tuple(UNITS)),
}, known_labels=lambda block: block["labels"] + block["ends_at"])
def read_items(ctx: BlockContext, block: Block) -> None:
    """Each item label takes the first amount right of it on its row; a label without one is a missing
    amount (``amount_missing``)."""
    label = ctx.index.find(*block["labels"], exact=False)
    if label is None:
        return
    ctx.opened(block, label)
    last = ctx.block_end(block, label.row)
    direction, period = block["direction"], block["period"]
    ctx.submission.budget.extend(read_item_amounts(
        ctx.index.rows_between(label.row, last), ctx.sheet.name, block["labels"], vocabulary_aliases(block["items"]),
        lambda path, amount, raw, cell: ctx.amount_line(block, direction, path, period, amount, raw, cell),
        ctx.submission.issues))


def _example_lines(block: Block) -> list:
    return [(block["direction"], canonical, block["period"], block["measure"]) for canonical in block["items"]]


@example_writer("item_amounts", lines=_example_lines)
def _example(block: Block, example: Example) -> list[list[str]]:
    """The block label, then one ``item | amount`` row per item."""
    rows = [[block["labels"][0]]]
    for line in _example_lines(block):
        rows.append(["", line[1], example.amount(line)])
    return rows
