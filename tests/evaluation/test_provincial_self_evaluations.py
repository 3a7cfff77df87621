"""The national self-evaluation forms as provinces word them (全年预算数（A）, 执行率（B/A）, 全年指标值, 未完成原因和改进措施,
年度总体目标完成情况; the department's funds block titled 年度部门整体支出预算（万元）): every record read, through
`budget-etl ingest` (real DuckDB, real GX gates). Their parse against the national wording is in
test_year_end_variants (the provincial-wording variants)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from evaluation_support import FIXTURES, ingest, query


@pytest.fixture(scope="module")
def provincial_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("provincial_run")
    run_dirs = {"db": base / "w.duckdb", "reports": base / "reports", "quarantine": base / "quarantine"}
    code, summary = ingest([FIXTURES / "project-self-provincial-wording.xlsx",
                            FIXTURES / "department-self-provincial-wording-gb18030.txt"], run_dirs)
    return run_dirs, code, summary


def test_both_load_without_a_failed_check(provincial_run):
    _, _, summary = provincial_run
    assert [(f["status"], f["template"], f["failed_checks"]) for f in summary["files"]] == [
        ("loaded", "department_self_evaluation", []), ("loaded", "project_self_evaluation", [])]


def test_project_targets_reasons_and_goals_keep_their_cells(provincial_run):
    run_dirs, _, _ = provincial_run
    rows = query(run_dirs, """select target_raw, self_stated_target_raw, actual_raw, target_met, score, max_score,
                                     result_source_cell
                              from v_target_attainment
                              where project_name = '劳模“三金”专项经费' and level3 = '发放劳模“三金”人数'""")
    # the 全年指标值 column is the target (E13), 实际完成值（B） the actual
    assert rows == [{"target_raw": None, "self_stated_target_raw": "=300人", "actual_raw": "296人",
                     "target_met": False, "score": Decimal("9.5"), "max_score": 10, "result_source_cell": "D13"}]
    target = query(run_dirs, """select t.source_cell from fact_target t join v_indicator_results r
                                  on r.source_cell = 'D13' and r.template = 'project_self_evaluation'
                                join submissions s on s.submission_id = t.submission_id and s.is_current
                                 and s.template = 'project_self_evaluation'
                                join dim_indicator i on i.indicator_id = t.indicator_id
                                 and i.level3 = '发放劳模“三金”人数'""")
    assert target == [{"source_cell": "E13"}]
    reasons = query(run_dirs, """select deviation_reason, source_cell from v_indicator_results
                                 where template = 'project_self_evaluation' and deviation_reason is not null
                                 order by source_cell""")
    assert reasons == [{"deviation_reason": "4名劳模年内去世，停发", "source_cell": "D13"},
                       {"deviation_reason": "宣传覆盖面仍可扩大", "source_cell": "D18"}]
    goals = query(run_dirs, """select t.section, count(*) as n, min(t.source_cell) as cell
                               from submission_texts t join submissions s using (submission_id)
                               where s.template = 'project_self_evaluation' group by all order by all""")
    assert goals == [{"section": "annual_goal", "n": 2, "cell": "B11"},
                     {"section": "goal_achieved", "n": 2, "cell": "F11"}]


def test_department_funds_under_the_provincial_title_are_read(provincial_run):
    run_dirs, _, _ = provincial_run
    rows = query(run_dirs, """select direction, item_path, budget_wan, executed_wan, reported_execution_rate, score,
                                     executed_cell
                              from v_budget_execution where template = 'department_self_evaluation'
                              order by direction desc, item_path""")
    by_item = {(r["direction"], r["item_path"]): r for r in rows}
    assert len(rows) == 6
    total = by_item[("income", "资金总额")]
    assert (total["budget_wan"], total["executed_wan"], total["reported_execution_rate"], total["score"]) == (
        Decimal("1363.41"), Decimal("1302.77"), Decimal("95.55"), Decimal("9.56"))
    assert total["executed_cell"] == "F5"  # 全年执行数（B） of 年度资金总额
    assert by_item[("expense", "项目支出")]["executed_wan"] == Decimal("922.65")
