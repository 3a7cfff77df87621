"""``indicator_grid``: indicator tables (一级指标 / 二级指标 / [重点工作] / 三级指标 / value columns)."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import (
    BlockContext,
    Param,
    block_reader,
    header_roles,
)
from budget_etl.parsers.templates.declaration import Block, FieldError
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.indicators import (
    ROLES,
    find_headers,
    parse_indicator_tables,
)


def _check(block: Block) -> None:
    columns = block["columns"]
    for role, words in columns.items():
        if role not in ROLES:
            raise FieldError(f"columns.{role}", f"is not a column role ({', '.join(ROLES)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise FieldError(f"columns.{role}", "must be a list of header words")
    for role in ("level1", "level3"):
        if role not in columns:
            raise FieldError(f"columns.{role}", "is required: a table opens at a row holding level1 and level3")
    if not any(role in columns for role in ("half_year", "full_year", "single")):
        raise FieldError("columns", "name at least one value column (half_year, full_year or single)")


@block_reader("indicator_grid", fills=("fact_target",), params={
    "columns": Param("table", required=True, doc="role -> header words; roles: level1, level2, key_task, level3, "
                                                 "half_year, full_year, single, operator, unit, note"),
    "stop_at": Param("texts", default=("注", "备注", "说明", "填报说明", "填表说明"),
                     doc="a row whose first cell starts with one of these ends a table"),
}, check=_check)
def read_indicator_grid(ctx: BlockContext, block: Block) -> None:
    """Every table of the sheet opening at a header row with the level1 and level3 words; a nested two-row
    header (指标值 over 半年指标值 | 全年指标值) is merged; merged level cells carry down; a row that lost
    its leading cells is realigned and reported (``row_realigned``). A target split over columns (指标性质 |
    指标值 | 度量单位) is read whole; the cells of ``note`` columns (备注, 分值) are kept as
    ``indicator_notes`` texts naming their indicator."""
    headers = find_headers(ctx.index, header_roles(block))
    if not headers:
        return
    ctx.opened(block, ctx.index.row(headers[0].row)[0])
    notes: list = []
    ctx.submission.targets.extend(parse_indicator_tables(ctx.index, headers, ctx.index.max_row,
                                                         ctx.submission.issues, block["stop_at"], notes))
    ctx.submission.texts.extend(notes)


@example_writer("indicator_grid")
def _example(block: Block, example: Example) -> list[list[str]]:
    """A header with one word per declared column role, then two indicators per 一级指标 group (the family's
    required groups, else 产出指标 and 效益指标)."""
    columns = block["columns"]
    roles = [role for role in ROLES if role in columns and role != "single"] or []
    if not any(role in roles for role in ("half_year", "full_year")):
        roles.append("single")
    rows = [[columns[role][0] for role in roles]]
    groups = example.family.required_level1 or ("产出指标", "效益指标")
    for group in groups:
        for n in (1, 2):
            values = {"level1": group, "level2": example.name("二级指标"), "key_task": example.name("重点工作"),
                      "level3": example.name("三级指标"), "half_year": f"≥{n * 10}人", "full_year": f"≥{n * 20}人",
                      "single": f"≥{n * 20}人", "operator": "≥", "unit": "人", "note": example.name("备注")}
            rows.append([values[role] for role in roles])
    return rows
