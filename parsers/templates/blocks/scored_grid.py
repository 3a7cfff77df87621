"""``scored_grid``: the indicator grid of a self-evaluation or an evaluation form (parsers/templates/scored.py).

Besides the levels it reads targets (年度指标值, 目标值(标准)), actual values (实际完成值, 指标值), maxima
(权重, 分值: each the maximum of the level column nearest on its left), scores (得分), units (计量单位),
collected items (数据项1, 数据项2), reasons (偏差原因, 理由, 扣分原因) and a scoring sheet's explanation (指标解释) and
scoring rule (评分标准); rubric rows (①②③) add their 分值 to their indicator's maximum. Several header bands in
one table are read one after another."""
from __future__ import annotations

from budget_etl.parsers.templates.blocks import (
    BlockContext,
    Param,
    block_reader,
    header_roles,
)
from budget_etl.parsers.templates.declaration import Block, FieldError
from budget_etl.parsers.templates.examples import Example, example_writer
from budget_etl.parsers.templates.scored import (
    GRID_ROLES,
    find_grid_headers,
    read_scored_grid,
)
from budget_etl.parsers.templates.texts import next_item


def _check(block: Block) -> None:
    for role, words in block["columns"].items():
        if role not in GRID_ROLES:
            raise FieldError(f"columns.{role}", f"is not a column role ({', '.join(GRID_ROLES)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise FieldError(f"columns.{role}", "must be a list of header words")
    for role in ("level1", "level3"):
        if role not in block["columns"]:
            raise FieldError(f"columns.{role}", "is required: a band opens at a row holding level1 and level3")
    if not any(role in block["columns"] for role in ("target", "actual", "score", "max")):
        raise FieldError("columns", "name at least one of target, actual, score, max")


@block_reader("scored_grid", fills=("fact_target", "fact_indicator_result"), params={
    "columns": Param("table", required=True, doc="role -> header words; roles: " + ", ".join(GRID_ROLES)),
    # 自评总分, 总得分, 得分合计, 综合得分: the total row as offices word it (read as an indicator, its 100 was added
    # to the last indicator's 分值 as a rubric row's)
    "stop_at": Param("texts", default=("总分", "合计", "自评得分", "自评总分", "自评总得分", "总得分", "得分合计",
                                       "综合得分", "注", "备注", "说明", "填报说明", "填表说明"),
                     doc="a row whose first cell starts with one of these ends a band"),
    "scores_in_names": Param("flag", default=False,
                             doc="a 一级/二级 name may carry its maximum ('决策(20)', '决策（20分）'): the name without "
                                 "it, the number as the level's 权重 / 分值 where no column gives one"),
    "two_levels": Param("flag", default=False,
                        doc="a header of level1 and level2 words and no level3 (一级指标 | 二级指标 | 分值 | 得分) opens a "
                            "grid too, its level2 column naming the indicators (stored as their 三级, 二级 empty)"),
    "total_section": Param("text", doc="keep a total row's (总分, 合计, 总计) 分值 and 得分 as items of this "
                                       "submission_texts section ('合计｜得分：92', at the number's cell)"),
    "standards": Param("flag", default=False,
                       doc="targets are standards: a bare number ('100%', '0' under 次) is quantitative without "
                           "an operator, its unit from the 计量单位 column"),
}, check=_check)
def read_scored(ctx: BlockContext, block: Block) -> None:
    """Targets go to fact_target (full year), results to fact_indicator_result."""
    headers = find_grid_headers(ctx.index, header_roles(block), ("level1", "level3"), two_levels=block["two_levels"])
    if not headers:
        return
    ctx.opened(block, ctx.index.row(headers[0].row)[0])
    grid = read_scored_grid(ctx.index, headers, ctx.index.max_row, block["stop_at"], ctx.submission.issues,
                            standard_targets=block["standards"], scores_in_names=block["scores_in_names"],
                            read_totals=block.get("total_section") is not None)
    ctx.submission.targets.extend(grid.targets)
    ctx.submission.results.extend(grid.results)
    for label, cell in grid.totals:
        # the warehouse has no column for a form's total score: it is kept as the form states it, with its cell
        ctx.submission.texts.append(next_item(ctx.submission.texts, block["total_section"],
                                              f"{label}：{' '.join(cell.text.split())}", cell.sheet, cell.address))


@example_writer("scored_grid")
def _example(block: Block, example: Example) -> list[list[str]]:
    """A header with one word per declared role, then two 一级指标 of two indicators each, scored in full; their
    分值 make 100 with the funds row's 10 when the family has an execution_funds block, else 100 alone."""
    columns = block["columns"]
    roles = [role for role in GRID_ROLES if role in columns]  # 分值 (max) right of 三级指标: the indicator's
    with_funds = any(b.reader == "execution_funds" for b in example.family.blocks)
    maxima = ("20", "25", "20", "25") if with_funds else ("25", "25", "25", "25")
    rows = [[columns[role][0] for role in roles]]
    for number, group in enumerate(("产出指标", "产出指标", "效益指标", "效益指标")):
        most = maxima[number]
        values = {"level1": group, "level2": example.name("二级指标"), "level3": example.name("三级指标"),
                  "max": most, "unit": "人", "target": "≥20人", "actual": "20人", "score": most, "item": "20",
                  "reason": "无", "explanation": example.name("指标解释"), "rule": "达到目标得满分"}
        rows.append([values[role] for role in roles])
    return rows
