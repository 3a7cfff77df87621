"""``title_identity``: a form that names no project takes it from its title (反恐经费支出绩效评价表 -> 反恐经费).

The real 绩效评价表 carry no department or year either: such a submission's identity is its title's project
(and, for two such files, the file it came from: a new file with the same title is a new version)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import BlockContext, Param, block_reader
from budget_etl.parsers.templates.declaration import Block
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.scored import project_from_title


@block_reader("title_identity", fills=("identity",), params={
    "endings": Param("texts", required=True, doc="the form's name at the end of its title, longest first "
                                                 "(项目支出绩效评价表, 支出绩效评价表, 绩效评价表)"),
})
def read_title_identity(ctx: BlockContext, block: Block) -> None:
    """Sets the project name, unless a key_value block of the family's ``[identity] project_name`` found one
    (declare this block after them)."""
    where = ctx.submission.blocks.get("title")
    title_cell = next((cell for cell, _ in ctx.index.labels if cell.address == where), None) if where else None
    if title_cell is not None:
        ctx.opened(block, title_cell)  # the block is the title (a heading above an HTML table has no cell)
    if any(name in ctx.values for name in ctx.family.identity.get("project_name", ())):
        return
    title = ctx.submission.attributes.get("title") or ctx.sheet.title
    name = project_from_title(title, block["endings"]) if title else None
    if name is None:
        return
    ctx.submission.project_name = name
    ctx.submission.sources["project_name"] = (ctx.sheet.name, where or "title")
    ctx.submission.attributes["identity_from"] = "title"


@example_writer("title_identity")
def _example(block: Block, example: Example) -> list[list[str]]:
    """Nothing to write: the block reads the title, which every example has."""
    return []
