"""``column_texts``: texts under header words (年度总体目标: 预期目标 | 实际完成情况)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.scored import read_column_texts
from budget_etl.parsers.templates.texts import section_items


@block_reader("column_texts", fills=("submission_texts",), params={
    "labels": Param("texts", required=True, doc="the block's label"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "sections": Param("word_map", required=True, doc='header word -> submission_texts section: {"预期目标" = '
                                                      '"annual_goal", "实际完成情况" = "goal_achieved"}'),
}, known_labels=lambda block: block["labels"] + block["ends_at"] + tuple(block["sections"]))
def read_texts(ctx: BlockContext, block: Block) -> None:
    """The block's rows below the header words; each cell under a word is numbered items of its section."""
    label = ctx.index.find(*block["labels"])
    if label is None:
        return
    ctx.opened(block, label)
    found = read_column_texts(ctx.index, label, ctx.block_end(block, label.row), block["sections"])
    for section, cells in found.items():
        for cell in cells:
            ctx.submission.texts.extend(section_items(section, cell))


@example_writer("column_texts")
def _example(block: Block, example: Example) -> list[list[str]]:
    """The label with the header words beside it, and one text under each."""
    words = list(block["sections"])
    return [[block["labels"][0]] + words, [""] + [example.name(word) for word in words]]
