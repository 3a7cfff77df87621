"""``amount_stream``: a funds block whose rows are read as token streams (部门整体资金).

收入/支出 words set the direction, period header words (半年计划执行数, 全年预算数) the order of the amounts,
item labels are matched to the declared vocabulary (with parents and children), 小计 takes its parent's path.
Exports shift these cells about, so nothing is read by column position.
"""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import (
    MEASURES,
    UNITS,
    BlockContext,
    Param,
    block_reader,
    vocabulary_aliases,
)
from budget_etl.parsers.templates.declaration import (
    DIRECTIONS,
    PERIODS,
    Block,
    FieldError,
)
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.funds import DepartmentFundsReader, FundsVocabulary


def _check(block: Block) -> None:
    for direction in block["items"]:
        if direction not in DIRECTIONS:
            raise FieldError(f"items.{direction}", f"must be one of {', '.join(DIRECTIONS)}")
        if not isinstance(block["items"][direction], dict):
            raise FieldError(f"items.{direction}", "must be a table: canonical = [synonyms, ...]")
    for direction, periods in block["default_periods"].items():
        if direction not in DIRECTIONS or not isinstance(periods, list) or any(p not in PERIODS for p in periods):
            raise FieldError(f"default_periods.{direction}", f"must list periods ({', '.join(PERIODS)})")
    tops = {c for items in block["items"].values() for c in items}
    for parent, children in block.get("children", {}).items():
        if parent not in tops:
            raise FieldError(f"children.{parent}", "is not an item of items")
        if not isinstance(children, dict):
            raise FieldError(f"children.{parent}", "must be a table: canonical = [synonyms, ...]")
    for parent in block.get("open_children", ()):
        if parent not in tops:
            raise FieldError("open_children", f"{parent!r} is not an item of items")


def vocabulary_of(block: Block) -> FundsVocabulary:
    return FundsVocabulary(
        directions=dict(block["directions"]), periods=dict(block["periods"]),
        default_periods={d: tuple(p) for d, p in block["default_periods"].items()},
        items={d: vocabulary_aliases({k: tuple(v) for k, v in items.items()}) for d, items in block["items"].items()},
        children={p: vocabulary_aliases({k: tuple(v) for k, v in c.items()})
                  for p, c in block.get("children", {}).items()},
        open_children=tuple(block.get("open_children", ())), subtotal_words=tuple(block["subtotal_words"]))


@block_reader("amount_stream", fills=("fact_budget",), params={
    "labels": Param("texts", required=True, doc="the block's label (matched as a prefix: 部门整体资金（万元）)"),
    "ends_at": Param("texts", default=(), doc="labels of what follows the block; an indicator table ends it too"),
    "directions": Param("word_map", required=True, choices=DIRECTIONS, doc="收入 = \"income\", 支出 = \"expense\""),
    "periods": Param("word_map", required=True, choices=PERIODS, doc="period header words"),
    "default_periods": Param("table", required=True, doc="direction -> periods when no header words are seen"),
    "items": Param("table", required=True, doc="direction -> {canonical = [synonyms]} of top-level items"),
    "children": Param("table", default={}, doc="parent item -> {canonical = [synonyms]} filed under it"),
    "open_children": Param("texts", default=(), doc="parents whose any child label is kept under its own name"),
    "subtotal_words": Param("texts", default=("小计", "合计"), doc="a row taking its parent's path"),
    "measure": Param("text", default="budget", choices=MEASURES, doc="fact_budget.measure of its amounts"),
    "unit": Param("text", default="万元", choices=tuple(UNITS), doc="the unit the source states amounts in"),
}, known_labels=lambda block: block["labels"] + block["ends_at"], check=_check)
def read_amount_stream(ctx: BlockContext, block: Block) -> None:
    """Runs from its label to the next ``ends_at`` label or indicator table."""
    label = ctx.index.find(*block["labels"], exact=False)
    if label is None:
        return
    ctx.opened(block, label)
    last = ctx.block_end(block, label.row)
    reader = DepartmentFundsReader(
        ctx.sheet.name, block["labels"], vocabulary_of(block),
        lambda direction, path, period, amount, raw, cell: ctx.amount_line(block, direction, path, period,
                                                                           amount, raw, cell))
    for row in ctx.index.rows_between(label.row, last):
        reader.read_row(row)
    ctx.submission.budget.extend(reader.finish())
    ctx.submission.issues.extend(reader.issues)


def _first_word(words: dict[str, str], value: str) -> str:
    return next(word for word, meaning in words.items() if meaning == value)


def _example_items(block: Block) -> list[tuple[str, str, int]]:
    """(direction, item path, depth) in the order the example writes them."""
    items = []
    for direction in DIRECTIONS:
        for canonical in block["items"].get(direction, {}):
            items.append((direction, canonical, 0))
            for child in block.get("children", {}).get(canonical, {}):
                items.append((direction, f"{canonical}/{child}", 1))
            if canonical in block.get("open_children", ()):
                items += [(direction, f"{canonical}/示例子项{n}", 1) for n in (1, 2)]
    return items


def _example_lines(block: Block) -> list:
    periods = block["default_periods"]
    return [(direction, path, period, block["measure"]) for direction, path, _ in _example_items(block)
            for period in periods.get(direction, ())]


@example_writer("amount_stream", lines=_example_lines)
def _example(block: Block, example: Example) -> list[list[str]]:
    """The block label, then per direction its word and period words, then its items (children indented)."""
    rows: list[list[str]] = []
    items = _example_items(block)
    for direction in DIRECTIONS:
        periods = block["default_periods"].get(direction, ())
        mine = [(path, depth) for d, path, depth in items if d == direction]
        if not mine or not periods:
            continue
        header = ["", _first_word(block["directions"], direction), "", ""]
        header += [_first_word(block["periods"], period) for period in periods]
        rows.append(header)
        for path, depth in mine:
            label = path.rsplit("/", 1)[-1]
            amounts = [example.amount((direction, path, period, block["measure"])) for period in periods]
            rows.append(["", "", label, ""] + amounts if depth == 0 else ["", "", "", label] + amounts)
    rows[0][0] = block["labels"][0]
    return rows
