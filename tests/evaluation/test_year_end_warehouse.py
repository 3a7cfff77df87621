"""The year-end facts in the warehouse: results, v_targets, v_target_attainment, v_budget_execution."""
from __future__ import annotations

from decimal import Decimal

import pytest
from evaluation_support import SAMPLES, ingest, query

from budget_etl.parsers.matching import indicator_match_key
from budget_etl.warehouse import Warehouse

D = Decimal


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("samples_run")
    run_dirs = {"db": base / "w.duckdb", "reports": base / "reports", "quarantine": base / "quarantine"}
    ingest([SAMPLES], run_dirs)
    return run_dirs


def test_self_evaluation_targets_are_in_v_targets_with_their_family(samples_run):
    rows = query(samples_run, "select template, count(*) as n from v_targets group by all order by all")
    counts = {r["template"]: r["n"] for r in rows}
    assert counts["project_self_evaluation"] == 8 and counts["department_self_evaluation"] == 9
    assert counts["project_evaluation"] == 9


def test_target_attainment_pairs_target_table_and_self_evaluation(samples_run):
    rows = query(samples_run, """select level3, target_template, target_raw, actual_raw, target_met, score, max_score
                                 from v_target_attainment
                                 where project_name = '劳模“三金”专项经费' and result_template = 'project_self_evaluation'
                                 order by level3""")
    by_name = {r["level3"]: r for r in rows}
    assert len(rows) == 8 and {r["target_template"] for r in rows} == {"project"}
    assert (by_name["发放劳模“三金”人数"]["target_raw"], by_name["发放劳模“三金”人数"]["actual_raw"],
            by_name["发放劳模“三金”人数"]["target_met"]) == ("=300人", "296人", False)
    assert by_name["劳模档案数字化页数"]["target_met"] is True  # ≥20万页, 21万页
    assert by_name["单次短信通知成本"]["target_met"] is True  # ≤5.5元, 5元
    assert by_name["劳模关爱长效机制"]["target_met"] is True  # 健全, 健全
    assert (by_name["劳模精神社会影响力"]["score"], by_name["劳模精神社会影响力"]["max_score"]) == (14, 15)


def test_department_attainment_matches_names_across_tables(samples_run):
    rows = query(samples_run, """select level1, level2, level3, target_template, target_raw, actual_raw, target_met
                                 from v_target_attainment
                                 where department_name = '苏州市总工会（本级）' and project_name is null
                                   and result_template is not null""")
    by_name = {r["level3"]: r for r in rows}
    # The target table has 重点工作 in its 履职 table; the self-evaluation has not: they still meet.
    assert by_name["评选五一劳动奖章人数"]["target_raw"] == "=300人" and by_name["评选五一劳动奖章人数"]["target_met"]
    assert (by_name["劳模满意度"]["target_raw"], by_name["劳模满意度"]["target_met"]) == ("=85%", False)  # 92%
    added = by_name["职工服务阵地覆盖率"]  # not in the target table: its own 年度指标值 is compared
    assert (added["target_template"], added["target_met"]) == (None, True)
    missing = query(samples_run, """select count(*) as n from v_target_attainment
                                    where department_name = '苏州市总工会（本级）' and result_template is null""")
    assert missing[0]["n"] > 0  # the target table's indicators the self-evaluation left out


def test_budget_execution_per_item(samples_run):
    rows = query(samples_run, """select department_name, project_name, direction, item_path, initial_budget_wan,
                                        budget_wan, executed_wan, execution_rate, reported_execution_rate, max_score,
                                        score, target_table_budget_wan
                                 from v_budget_execution order by all""")
    project = next(r for r in rows if r["project_name"] and r["item_path"] == "资金总额")
    assert (project["budget_wan"], project["executed_wan"], project["execution_rate"],
            project["reported_execution_rate"], project["max_score"], project["score"],
            project["target_table_budget_wan"]) == (D("395"), D("390.5"), D("98.86"), D("98.86"), 10, D("9.89"),
                                                     D("395"))
    basic = next(r for r in rows if r["project_name"] is None and r["item_path"] == "基本支出")
    assert (basic["direction"], basic["execution_rate"], basic["target_table_budget_wan"]) == (
        "expense", D("99.11"), D("383.53"))


def test_v_budget_leaves_restated_plans_out_and_they_stay_in_fact_budget(samples_run):
    rows = query(samples_run, """select count(*) as n from v_budget
                                 where template in ('project_self_evaluation', 'department_self_evaluation')""")
    assert rows[0]["n"] == 0  # their 全年预算数 repeats the target tables' plan (tests/evaluation/test_restated_plans)
    rows = query(samples_run, """select f.measure, count(*) as n from fact_budget f join submissions s using (submission_id)
                                 where s.template in ('project_self_evaluation', 'department_self_evaluation')
                                 group by all""")
    assert {r["measure"]: r["n"] for r in rows}["budget"] == 4 + 6  # 全年预算数 of each item, kept


def test_results_keep_their_cells(samples_run):
    rows = query(samples_run, """select r.source_cell, r.actual_cell, r.score_cell, r.max_score_cell, r.actual_raw
                                 from fact_indicator_result r join submissions s using (submission_id)
                                 where s.template = 'project_self_evaluation' order by r.source_cell""")
    assert rows[0] == {"source_cell": "D13", "actual_cell": "F13", "score_cell": "H13", "max_score_cell": "G13",
                       "actual_raw": "296人"}


@pytest.mark.parametrize("names", [
    ("产出指标", "数量指标", "发放劳模“三金”人数"), ("产出", "数量", "指标1：发放劳模\"三金\"人数"),
    ("满意度 指标", "服务对象满意度指标", "劳模满意度（％）"), (None, "Ｘ", "指标12:ab c"), ("效益", "社会效益", "\u3000全角\u3000"),
])
def test_sql_and_python_match_keys_agree(tmp_path, names):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        sql = wh.connection.execute("select indicator_match_key(?, ?, ?)", list(names)).fetchone()[0]
    assert sql == indicator_match_key(*names)


def test_match_keys_ignore_level_suffixes_and_ordinals():
    assert indicator_match_key("产出指标", "数量指标", "指标1：发放人数") == indicator_match_key("产出", "数量", "发放人数")
    assert indicator_match_key("产出", "数量", "发放人数") != indicator_match_key("产出", "质量", "发放人数")


