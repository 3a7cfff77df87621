"""``item_amounts``: a block of labelled amounts, one period (项目资金: 年度资金总额 | 395 …)."""
from __future__ import annotations

from budget_etl.parsers.cells import Cell
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
from budget_etl.parsers.templates.labels import match_label, norm
from budget_etl.parsers.templates.texts import next_item
from budget_etl.parsers.values import is_amount_text


@block_reader("item_amounts", fills=("fact_budget",), params={
    "labels": Param("texts", required=True, doc="the block's label (matched as a prefix)"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "items": Param("vocabulary", required=True, doc="{canonical = [synonyms]}: the item paths"),
    "direction": Param("text", default="income", choices=DIRECTIONS),
    "period": Param("text", default="full_year", choices=PERIODS),
    "measure": Param("text", default="budget", choices=MEASURES),
    "unit": Param("text", default="万元", choices=tuple(UNITS)),
    "set_aside": Param("texts", default=(), doc="labels heading columns of other amounts beside the block's "
                                               "(中期资金总额): those columns are kept as texts, not read as items"),
    "set_aside_section": Param("text", default="set_aside_amounts", doc="the submission_texts section of them"),
}, known_labels=lambda block: block["labels"] + block["ends_at"] + block["set_aside"])
def read_items(ctx: BlockContext, block: Block) -> None:
    """Each item label takes the first amount right of it on its row; a label without one is a missing
    amount (``amount_missing``)."""
    label = ctx.index.find(*block["labels"], exact=False)
    if label is None:
        return
    ctx.opened(block, label)
    last = ctx.block_end(block, label.row)
    direction, period = block["direction"], block["period"]
    rows = ctx.index.rows_between(label.row, last)
    if block["set_aside"]:
        rows = _set_aside(ctx, block, rows)
    ctx.submission.budget.extend(read_item_amounts(
        rows, ctx.sheet.name, block["labels"], vocabulary_aliases(block["items"]),
        lambda path, amount, raw, cell: ctx.amount_line(block, direction, path, period, amount, raw, cell),
        ctx.submission.issues))


def _set_aside(ctx: BlockContext, block: Block, rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows without the set-aside columns: from a ``set_aside`` label's column to the next item label's on
    its row (中期资金总额 | 360 | 年度资金总额 | 120: the first two). Each of their rows is kept as a text
    'label：amount' of ``set_aside_section``, pointing at the amount (the label when there is none)."""
    words = tuple(norm(word) for word in block["set_aside"])
    items = vocabulary_aliases(block["items"])
    spans: list[tuple[int, int]] = []
    for row in rows:
        for cell in row:
            if norm(cell.text).startswith(words):
                after = [c.col for c in row if c.col > cell.col and not is_amount_text(c.text)
                         and match_label(c.text, items) is not None]
                spans.append((cell.col, min(after, default=10 ** 6)))
    if not spans:
        return rows
    kept: list[list[Cell]] = []
    for row in rows:
        inside = [c for c in row if any(low <= c.col < high for low, high in spans)]
        kept.append([c for c in row if c not in inside])
        labels = [c for c in inside if not is_amount_text(c.text)]
        for label in labels:
            amount = next((c for c in inside if c.col > label.col and is_amount_text(c.text)), None)
            text = f"{' '.join(label.text.split()).rstrip('：:')}：{amount.text.strip() if amount else ''}"
            where = amount or label
            ctx.submission.texts.append(next_item(ctx.submission.texts, block["set_aside_section"], text,
                                                  where.sheet, where.address))
    return [row for row in kept if row]


def _example_lines(block: Block) -> list:
    return [(block["direction"], canonical, block["period"], block["measure"]) for canonical in block["items"]]


@example_writer("item_amounts", lines=_example_lines)
def _example(block: Block, example: Example) -> list[list[str]]:
    """The block label, then one ``item | amount`` row per item."""
    rows = [[block["labels"][0]]]
    for line in _example_lines(block):
        rows.append(["", line[1], example.amount(line)])
    return rows
