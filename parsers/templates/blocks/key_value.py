"""``key_value``: one labelled value (``单位名称 | 某局``, or ``单位名称：某局`` in one cell)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.header import key_value, value_text
from budget_etl.parsers.templates.texts import section_items


@block_reader("key_value", fills=("identity", "attributes", "submission_texts"), params={
    "labels": Param("texts", required=True, doc="the label and its other spellings, preferred first"),
    "attribute": Param("text", doc="keep the value in the submission's attributes under this name"),
    "text_section": Param("text", doc="store the value as numbered items of this submission_texts section"),
}, known_labels=lambda block: block["labels"])
def read_key_value(ctx: BlockContext, block: Block) -> None:
    """The value is the next non-blank cell right of the label that is not itself a label of the family.
    The family's ``[identity]`` names the key_value blocks that give the department and project names."""
    pair = key_value(ctx.index, block["labels"], ctx.known_labels)
    if pair is None:
        return
    label, value = pair
    ctx.opened(block, label)
    if value is None or value.is_blank:
        ctx.warn("value_missing", f"{block['labels'][0]} has no value next to it", label)
        return
    text = value_text(label, value)
    ctx.values[block.name] = (text, value)
    if block.get("attribute"):
        ctx.submission.attributes[block["attribute"]] = text
    if block.get("text_section"):
        ctx.submission.texts.extend(section_items(block["text_section"], value))


@example_writer("key_value")
def _example(block: Block, example: Example) -> list[list[str]]:
    """``label | | value``: a name for identity blocks, numbered items for a text section."""
    if block.get("text_section"):
        value = f"1.{example.name('内容')}；2.{example.name('内容')}。"
    else:
        value = example.name(block["labels"][0])
    return [[block["labels"][0], "", value]]
