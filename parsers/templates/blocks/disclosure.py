"""Block readers of budget disclosure workbooks (部门预算 / 单位预算 公开表): a workbook-scoped family.

- ``disclosure_table``: one table of the workbook, found by its title on whatever sheet it is; its amounts
  fill ``fact_disclosure`` (the block's name is the table's code there);
- ``disclosure_tables_found``: found when any of the named table blocks was (a workbook needs at least one
  table by function class);
- ``disclosure_identity``: the organisation (编制部门 / 编制单位, the cover's 预算主管部门 / 预算单位), the year
  most titles state, the variant (部门预算 or 单位预算);
- ``disclosure_texts``: cover, contents and text sheets (职能, 机构设置, 名词解释, 编制说明 …) by their titles.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from budget_etl.parsers.disclosure import CLASSIFICATIONS, FUNCTION, SHAPES
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block, FieldError

if TYPE_CHECKING:
    from budget_etl.parsers.disclosure.tables import FoundTable, TableSpec

TABLE_READER = "disclosure_table"
# The readers' code (parsers/disclosure/) is imported inside the functions: it uses parsers.templates.labels,
# and this module is imported while parsers.templates is.


def spec_of(block: Block) -> TableSpec:
    from budget_etl.parsers.disclosure.tables import TableSpec

    return TableSpec(code=block.name, label=block["label"], title=re.compile(block["title"]),
                     excludes=tuple(block.get("excludes") or ()), shape=block["shape"],
                     classification=block.get("classification"), first_header=block.get("first_header") or "合计",
                     default_unit=block.get("default_unit") or "元")


def _check_table(block: Block) -> None:
    try:
        re.compile(block["title"])
    except re.error as exc:
        raise FieldError("title", f"is not a valid regular expression: {exc}") from None
    if block["shape"] == "classified" and block.get("classification") is None:
        raise FieldError("classification", "is required for a classified table (function or economic)")


def _tables_of(ctx: BlockContext, classification: str | None = None) -> list[FoundTable]:
    """The first table of each of the family's table blocks (of one classification) found in the workbook."""
    from budget_etl.parsers.disclosure.tables import find_tables

    found = []
    for block in ctx.family.blocks:
        if block.reader == TABLE_READER and (classification is None or block.get("classification") == classification):
            tables = find_tables(ctx.workbook, spec_of(block))
            if tables:
                found.append(tables[0])
    return found


@block_reader(TABLE_READER, fills=("fact_disclosure", "submission_texts"), params={
    "label": Param("text", required=True, doc="the table's official title, for messages: '支出预算总表'"),
    "title": Param("text", required=True, doc="regular expression searched in the title (spaces removed)"),
    "excludes": Param("texts", default=(), doc="words the title never contains (another table's title)"),
    "shape": Param("text", required=True, choices=SHAPES,
                   doc="classified (rows by 科目编码), balance (收入 and 支出 side by side) or amount_row"),
    "classification": Param("text", choices=CLASSIFICATIONS, doc="function or economic, for a classified table"),
    "first_header": Param("text", default="合计", doc="amount_row: the header cell the header bands start at"),
    "default_unit": Param("text", default="元", choices=("元", "万元"), doc="the unit when the table states none"),
    "expected": Param("flag", default=True, doc="a workbook without it gets a tables_missing warning"),
}, check=_check_table)
def read_disclosure_table(ctx: BlockContext, block: Block) -> None:
    """A table found by its title (a sheet's first rows, or a web page's heading above the table), on any sheet.
    Its unit is what it declares (单位：元 / 单位：万元); amounts are stored in 万元 exactly, with the amount and
    unit as written. Classified rows take their level from their code (类/款/项, split or whole); the expense
    side of a 收支总表 names 类 without codes, which the workbook's function tables (then the standard names)
    give."""
    from budget_etl.parsers.disclosure import workbook as disclosure
    from budget_etl.parsers.disclosure.tables import find_tables

    spec = spec_of(block)
    tables = find_tables(ctx.workbook, spec)
    if not tables:
        if block.get("expected", True):
            disclosure.note_missing(ctx.submission, spec.label)
        return
    table = next((t for t in tables if not t.continued), tables[0])
    ctx.opened(block, table.title)
    ctx.submission.blocks[block.name] = table.where
    names = disclosure.function_class_names(_tables_of(ctx, FUNCTION)) if spec.shape == "balance" else {}
    lines = disclosure.read_table(table, names, ctx.submission.issues, texts=ctx.submission.texts)
    ctx.submission.disclosure += lines
    unit = lines[0].unit if lines else None
    for other in tables:
        if other is table:
            continue
        if other.continued and other.sheet.index > table.sheet.index:  # '(续)': more rows of the same table
            ctx.submission.disclosure += disclosure.read_table(other, names, ctx.submission.issues, unit,
                                                               ctx.submission.texts)
            continue
        ctx.submission.issues.append(Issue(
            "table_repeated", f"a second {spec.label} ({other.title.text.strip()!r}) is left out; the one on sheet "
            f"{table.sheet.name!r} is read", "warning", other.sheet.name, other.title.address))


@block_reader("disclosure_tables_found", fills=(), params={
    "blocks": Param("texts", required=True, doc="table blocks of this family; found when any of them was"),
})
def read_tables_found(ctx: BlockContext, block: Block) -> None:
    """Found when one of ``blocks`` was found (declare it after them): ``required_blocks`` can then ask for at
    least one table of a kind."""
    for name in block["blocks"]:
        if name in ctx.anchors:
            ctx.opened(block, ctx.anchors[name])
            ctx.submission.blocks[block.name] = ctx.submission.blocks[name]
            return


@block_reader("disclosure_identity", fills=("identity", "attributes"), params={
    "labels": Param("texts", required=True, doc="labels naming the organisation, preferred first "
                                               "(预算主管部门, 预算单位, 编制部门, 编制单位)"),
    "unit_words": Param("texts", default=("单位预算", "预算单位"), doc="title words of the unit variant"),
})
def read_disclosure_identity(ctx: BlockContext, block: Block) -> None:
    """The organisation from ``label：name`` cells on any sheet (the first label in ``labels`` wins; another
    name elsewhere is an ``identity_disagrees`` warning); the fiscal year the most titles state (a title saying
    another is ``year_disagrees``); ``attributes.variant`` is ``unit`` when a title says a ``unit_words`` word,
    else ``department``."""
    from budget_etl.parsers.disclosure import workbook as disclosure

    cell = disclosure.read_identity(ctx.workbook, block["labels"], block["unit_words"], ctx.submission)
    if cell is not None:
        ctx.opened(block, cell)
        ctx.submission.blocks[block.name] = f"{cell.sheet}!{cell.address}"


def _check_texts(block: Block) -> None:
    for section, patterns in block["sections"].items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise FieldError(f"sections.{section}", "must be a list of regular expressions")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise FieldError(f"sections.{section}", f"{pattern!r} is not a valid regular expression: {exc}") \
                    from None


@block_reader("disclosure_texts", fills=("submission_texts",), params={
    "sections": Param("table", required=True, doc="section = [title patterns]: a sheet whose title matches is "
                                                 "that submission_texts section"),
    "cover": Param("text", default=r"(?:19|20)\d{2}年.*预算$", doc="the cover's title pattern (section cover)"),
}, check=_check_texts)
def read_disclosure_texts(ctx: BlockContext, block: Block) -> None:
    """Every sheet that is not a table: its title names its section; its text is split into numbered items
    (HTML removed); the cover keeps its lines, the contents one entry a line."""
    from budget_etl.parsers.disclosure import workbook as disclosure

    sections = {name: tuple(re.compile(p) for p in ([ps] if isinstance(ps, str) else ps))
                for name, ps in block["sections"].items()}
    items = disclosure.read_texts(ctx.workbook, sections, re.compile(block["cover"]))
    if items:
        first = items[0]
        ctx.submission.blocks[block.name] = f"{first.sheet}!{first.cell}"
        ctx.anchors[block.name] = next(c for s in ctx.workbook.sheets if s.name == first.sheet
                                       for c in s.cells if c.address == first.cell)
    ctx.submission.texts += items
