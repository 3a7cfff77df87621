"""``goal_texts``: a goal block that may be split into parts (总体目标: 中长期目标 | 年度目标).

The budget system prints the goal as one ``年度绩效目标 | text`` row; the national 项目支出绩效目标申报表
(财预〔2015〕88号) and the forms copied from it split 总体目标 into 中长期目标 and 年度目标, either side by side
with the texts in the row below, or stacked with each text right of its word. A plain key/value reader takes
the first part word for the goal and loses both texts.
"""
from __future__ import annotations

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block, FieldError
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.header import key_value, value_text
from budget_etl.parsers.templates.labels import header_role, norm
from budget_etl.parsers.templates.texts import section_items


def _check(block: Block) -> None:
    if any(not isinstance(section, str) or not section.strip() for section in block["parts"].values()):
        raise FieldError("parts", "each part word needs a section name")


@block_reader("goal_texts", fills=("submission_texts",), params={
    "labels": Param("texts", required=True, doc="the block's label and its other spellings, preferred first"),
    "section": Param("text", required=True, doc="the section of a text written right of the label itself"),
    "parts": Param("word_map", default={}, doc='part word -> section: {"中长期目标" = "mid_term_goal", '
                                               '"年度目标" = "project_goal"}'),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
}, known_labels=lambda block: block["labels"] + tuple(block["parts"]) + block["ends_at"], check=_check)
def read_goal_texts(ctx: BlockContext, block: Block) -> None:
    """The label (or, without one, the first part word) opens the block. Without part words in the block it
    is a key/value (``年度绩效目标 | text``, or ``总体目标：text`` in one cell). Each part word takes the text
    right of it on its row (stacked), else the texts below it, in its columns up to the next part word, down
    to the next label in the label's column (side by side). A part word without a text is ``value_missing``;
    a text in the block under no part word is ``goal_text_unplaced`` (kept as the block's ``section``)."""
    parts = {norm(word): section for word, section in block["parts"].items()}
    anchor = ctx.index.find(*block["labels"], *block["parts"])
    if anchor is None:
        pair = key_value(ctx.index, block["labels"], ctx.known_labels)  # '总体目标：…' in one cell
        if pair is not None and pair[1] is not None and not pair[1].is_blank:
            ctx.opened(block, pair[0])
            _keep(ctx, block["section"], pair[1], one_cell=pair[1] is pair[0])
        return
    ctx.opened(block, anchor)
    last = ctx.block_end(block, anchor.row)
    rows = []
    for row in ctx.index.rows_between(anchor.row, last):
        if row[0].row > anchor.row and row[0].col <= anchor.col and header_role(row[0].text, parts) is None:
            break  # the next label in the label's column (a part word there is a stacked part)
        rows.append(row)
    # a part word as written, or without its parenthetical: 中期目标（2024年—2026年）
    words = [cell for row in rows for cell in row if header_role(cell.text, parts) and cell is not anchor]
    if words and header_role(anchor.text, parts) and any(word.col == anchor.col for word in words):
        words.insert(0, anchor)  # parts stacked in the label's column, no umbrella label: the first is a part
    used = {cell.address for cell in words} | {anchor.address}
    if not words:
        _plain(ctx, block, anchor)
        used |= {cell.address for cell in rows[0]}  # the label's row is a key/value, as before
    for word in words:
        texts = _texts_of(word, words, rows)
        if not texts:
            ctx.warn("value_missing", f"{word.text.strip()} has no text next to it or below it", word)
        for cell in texts:
            used.add(cell.address)
            _keep(ctx, str(header_role(word.text, parts)), cell)
    for row in rows:
        for cell in row:
            if cell.address not in used:
                ctx.warn("goal_text_unplaced", f"{cell.text.strip()[:20]!r} is under no part of "
                                               f"{anchor.text.strip()}; kept as {block['section']}", cell)
                _keep(ctx, block["section"], cell)


def _plain(ctx: BlockContext, block: Block, label: Cell) -> None:
    value = ctx.index.value_right_of(label, ctx.known_labels)
    if value is None or value.is_blank:
        ctx.warn("value_missing", f"{block['labels'][0]} has no value next to it", label)
        return
    _keep(ctx, block["section"], value)


def _texts_of(word: Cell, words: list[Cell], rows: list[list[Cell]]) -> list[Cell]:
    """The text right of ``word`` before the next part word on its row; else the cells below it, in its
    columns (from its own to the next part word's on its row), down to the next row of part words."""
    right_bound = min((w.col for w in words if w.row == word.row and w.col > word.col), default=None)
    row = next(r for r in rows if r[0].row == word.row)
    right = [c for c in row if c.col > word.col and (right_bound is None or c.col < right_bound)]
    if right:
        return right[:1]
    below: list[Cell] = []
    part_rows = {w.row for w in words}
    for later in rows:
        if later[0].row <= word.row:
            continue
        if later[0].row in part_rows:
            break
        below += [c for c in later if c.col >= word.col and (right_bound is None or c.col < right_bound)]
    return below


def _keep(ctx: BlockContext, section: str, value: Cell, *, one_cell: bool = False) -> None:
    """The cell's text as numbered items of ``section``; ``one_cell``: '总体目标：…', the text after the colon."""
    if one_cell:
        text = value_text(value, value)
        value = Cell(value.sheet, value.row, value.col, text, text, value.merged)
    ctx.submission.texts.extend(section_items(section, value))


@example_writer("goal_texts")
def _example(block: Block, example: Example) -> list[list[str]]:
    """The label with the part words beside it and a text under each; ``label | text`` without parts."""
    if not block["parts"]:
        return [[block["labels"][0], "", f"1.{example.name('目标')}；2.{example.name('目标')}。"]]
    label = norm(block["labels"][0])
    words = list({section: word for word, section in reversed(block["parts"].items()) if norm(word) != label}
                 .values())[::-1]  # one word per section, the first declared
    return [[block["labels"][0]] + words, [""] + [f"1.{example.name(word)}。" for word in words]]
