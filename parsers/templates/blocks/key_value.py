"""``key_value``: one labelled value (``单位名称 | 某局``, or ``单位名称：某局`` in one cell)."""
from __future__ import annotations

import re

from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.header import key_value, value_text
from budget_etl.parsers.templates.texts import next_item, section_items

# A unit's code beside its name, as 主管部门及代码 asks: '苏州市总工会（123001）', '苏州市总工会 123001',
# '123001苏州市总工会', '201-苏州市总工会'. Three digits at least, so a name's own number ('第1') stays in it; the
# name must hold a letter or a Chinese character, so a value that is only a number is left alone.
_CODE_AFTER = re.compile(r"^(?P<name>.*?\D)\s*(?:[（(]\s*(?P<bracketed>\d{3,})\s*[)）]|[-—_:：、/]?\s*(?P<code>\d{3,}))$")
_CODE_BEFORE = re.compile(r"^(?P<code>\d{3,})\s*[-—_:：、./]?\s*(?P<name>\D.*)$")


def split_code(text: str) -> tuple[str, str | None]:
    """(name, code) of a value naming a unit with its code on either side; (text, None) without one."""
    for pattern in (_CODE_AFTER, _CODE_BEFORE):
        found = pattern.match(text)
        if found is None:
            continue
        name = found["name"].strip(" -—_:：、/.")
        if re.search(r"[^\W\d_]", name):
            return name, found["code"] or found.groupdict().get("bracketed")
    return text, None


@block_reader("key_value", fills=("identity", "attributes", "submission_texts"), params={
    "labels": Param("texts", required=True, doc="the label and its other spellings, preferred first"),
    "attribute": Param("text", doc="keep the value in the submission's attributes under this name"),
    "text_section": Param("text", doc="store the value as numbered items of this submission_texts section"),
    "code_section": Param("text", doc="the value may carry the unit's code (digits before or after the name, or in "
                                      "brackets after it): read the name without it, store the code in this section"),
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
    if block.get("attribute"):  # as written, code and all: the form's line
        ctx.submission.attributes[block["attribute"]] = text
    if block.get("code_section"):
        name, code = split_code(text)
        if code is not None:
            # the warehouse has no column for a department's code (dim_department is its name), so the code is
            # a text item and the name, which the identity may take, is read without it
            text = name
            ctx.submission.texts.append(next_item(ctx.submission.texts, block["code_section"], code,
                                                  value.sheet, value.address))
    ctx.values[block.name] = (text, value)
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
