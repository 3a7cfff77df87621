"""The quality gates of the year-end families, end to end through `budget-etl ingest` (real GX, real files
written with the fixture script's layouts)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from evaluation_support import REAL_FORMS, SAMPLES, by_name, ingest, query, script

D = Decimal
PROJECT = script.PROJECT_SELF_EVALUATION
DEPARTMENT = script.DEPARTMENT_SELF_EVALUATION
SEED_TARGETS = SAMPLES / "suzhou-trade-union-2023.txt"


def write_self(path, content):
    script.write_xlsx(path, script.self_evaluation_grid(content), sheet=script.SHEET)
    return path


def with_indicator(content, level3: str, **changes):
    names = ("level1", "level2", "level3", "target", "actual", "max", "score", "reason")
    rows = []
    for row in content.indicators:
        if row[2] == level3:
            values = dict(zip(names, row)) | changes
            row = tuple(values[name] for name in names)
        rows.append(row)
    return replace(content, indicators=tuple(rows))


def failures(run_dirs, path_part: str, severity: str) -> dict[str, dict]:
    rows = query(run_dirs, f"""select q.expectation, q.observed, q.expected, q.source_cells, q.message
                               from quality_results q join submissions s using (submission_id)
                               where not q.success and q.severity = '{severity}'
                                 and s.source_path like '%{path_part}%'""")
    return {row["expectation"]: row for row in rows}


def test_good_self_evaluations_load_without_a_failed_check(run_dirs):
    _, summary = ingest([SAMPLES], run_dirs)
    files = by_name(summary)
    for name in ("suzhou-trade-union-2023-project-labour-model-funds-self-evaluation.xlsx",
                 "suzhou-trade-union-2023-department-self-evaluation.xlsx",
                 "suzhou-trade-union-2023-project-labour-model-funds-evaluation.html"):
        assert files[name]["status"] == "loaded", files[name]
        assert files[name]["failed_checks"] == []
    passed = {r["expectation"] for r in query(run_dirs, "select distinct expectation from quality_results where success")}
    assert {"execution_rate_consistent", "score_within_max", "score_recomputed", "scores_total_100",
            "level1_weights_total_100", "level2_scores_total_100", "level3_scores_total_level2",
            "budget_matches_target_table", "indicators_in_target_table"} <= passed


def test_execution_rate_that_is_not_executed_over_budget_quarantines(tmp_path, run_dirs):
    funds = ((PROJECT.funds[0][:5] + ("90.00%", PROJECT.funds[0][6])),) + PROJECT.funds[1:]
    path = write_self(tmp_path / "rate.xlsx", replace(PROJECT, funds=funds))
    code, summary = ingest([path], run_dirs)
    assert code == 1 and summary["files"][0]["status"] == "quarantined"
    assert "execution_rate_consistent" in summary["files"][0]["failed_checks"]
    found = failures(run_dirs, "rate.xlsx", "error")["execution_rate_consistent"]
    assert found["observed"] == "90.00%" and "98.86%" in found["expected"]
    assert found["source_cells"] == "绩效评价表!H6, 绩效评价表!F6, 绩效评价表!E6"  # 执行率, 执行数, 预算数


def test_score_above_its_maximum_quarantines(tmp_path, run_dirs):
    path = write_self(tmp_path / "score.xlsx", with_indicator(PROJECT, "发放劳模“三金”人数", score=D("12")))
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["failed_checks"] == ["score_within_max"]
    found = failures(run_dirs, "score.xlsx", "error")["score_within_max"]
    assert found["observed"] == "12" and "10" in found["expected"] and "!H" in found["source_cells"]


def test_maxima_that_do_not_make_100_quarantine(tmp_path, run_dirs):
    path = write_self(tmp_path / "total.xlsx", with_indicator(PROJECT, "劳模关爱长效机制", max=D("20")))
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["failed_checks"] == ["scores_total_100"]
    found = failures(run_dirs, "total.xlsx", "error")["scores_total_100"]
    assert found["observed"] == "105" and "资金 10" in found["expected"]


def test_reported_score_unlike_the_recomputed_one_is_a_warning_with_both_numbers(tmp_path, run_dirs):
    content = with_indicator(PROJECT, "劳模档案数字化页数", actual="15万页")  # ≥20万页: 15/20 × 10 = 7.5, says 10
    path = write_self(tmp_path / "recomputed.xlsx", content)
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["status"] == "loaded"
    found = failures(run_dirs, "recomputed.xlsx", "warning")["score_recomputed"]
    assert found["observed"] == "10" and found["expected"].startswith("7.50 = 实际 15 / 目标 20 × 分值 10")


def test_equal_and_qualitative_indicators_are_not_recomputed(tmp_path, run_dirs):
    content = with_indicator(PROJECT, "发放劳模“三金”人数", score=D("2"))  # '=300人': no formula to apply
    content = with_indicator(content, "劳模关爱长效机制", score=D("1"))  # words
    path = write_self(tmp_path / "unrecomputed.xlsx", content)
    ingest([path], run_dirs)
    assert "score_recomputed" not in failures(run_dirs, "unrecomputed.xlsx", "warning")


def test_evaluation_form_sums_are_warnings(tmp_path, run_dirs):
    bands = list(script.PROJECT_EVALUATION.bands)
    bands[0] = replace(bands[0], weight=D("30"))  # 一级 权重 30 + 50 + 30 = 110
    level2 = list(bands[1].level2)
    level2[0] = (level2[0][0], D("55"), level2[0][2])  # 二级 55 + 30 + 20 = 105; its 三级 add to 50
    bands[1] = replace(bands[1], level2=tuple(level2))
    path = tmp_path / "evaluation.xlsx"
    script.write_xlsx(path, script.evaluation_grid(replace(script.PROJECT_EVALUATION, bands=tuple(bands))),
                      sheet=script.SHEET)
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["status"] == "loaded" and summary["files"][0]["failed_checks"] == []
    found = failures(run_dirs, "evaluation.xlsx", "warning")
    assert found["level1_weights_total_100"]["observed"] == "110"
    assert found["level2_scores_total_100"]["observed"] == "105"
    assert found["level3_scores_total_level2"]["observed"] == "50"
    assert found["level3_scores_total_level2"]["expected"].startswith("55")


@pytest.mark.skipif(not REAL_FORMS.is_dir(), reason="the development data set is not on this machine")
def test_all_real_evaluation_forms_load_with_no_failed_check(run_dirs):
    code, summary = ingest([REAL_FORMS], run_dirs)
    assert code == 0, summary
    assert len(summary["files"]) == 8
    for f in summary["files"]:
        assert (f["status"], f["template"], f["failed_checks"], f["warnings"]) == (
            "loaded", "project_evaluation", [], []), f
        assert f["department_name"] is None and f["fiscal_year"] is None and f["project_name"]
        # The report says where the identity came from.
        assert f["identity_note"].startswith("the form names no department or year: filed under its title")
    rows = query(run_dirs, "select project_name, count(*) as n from v_indicator_results group by all order by all")
    assert {r["project_name"] for r in rows} >= {"反恐经费", "长吉图发展战略专项经费", "检疫犬经费"}
    warnings = query(run_dirs, "select count(*) as n from quality_results where not success")
    assert warnings == [{"n": 0}]


def test_self_evaluation_is_compared_with_its_target_table_in_the_same_run(run_dirs):
    ingest([SEED_TARGETS, SAMPLES / "suzhou-trade-union-2023-department-self-evaluation.xlsx"], run_dirs)
    found = failures(run_dirs, "department-self-evaluation", "warning")
    assert set(found) == {"indicators_in_target_table"}
    assert "效益/社会效益/职工服务阵地覆盖率" in found["indicators_in_target_table"]["message"]
    assert "劳模满意度" not in found["indicators_in_target_table"]["message"]


def test_self_evaluation_is_compared_with_a_target_table_loaded_earlier(tmp_path, run_dirs):
    ingest([SEED_TARGETS], run_dirs)
    funds = list(DEPARTMENT.funds)
    funds[0] = ("年度资金总额", D("1400"), D("1400"), D("1302.77"), D("10"), "93.06%", D("9.31"))
    funds[1] = ("其中：财政拨款", D("1400"), D("1400"), D("1302.77"), None, "93.06%", None)
    funds[5] = ("项目支出", D("1016.47"), D("1016.47"), D("922.65"), None, "90.77%", None)
    content = replace(DEPARTMENT, funds=tuple(funds), indicators=DEPARTMENT.indicators[:-2] + DEPARTMENT.indicators[-1:],
                      total_score=D("88.87"))
    content = with_indicator(content, "劳模满意度", max=D("20"), score=D("20"))
    path = write_self(tmp_path / "later.xlsx", content)
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["status"] == "loaded", summary
    found = failures(run_dirs, "later.xlsx", "warning")
    assert set(found) == {"budget_matches_target_table"}
    assert found["budget_matches_target_table"]["observed"] == "1400; 1016.47"
    assert "1363.41" in found["budget_matches_target_table"]["expected"]


def test_self_evaluation_without_any_target_table_says_so(run_dirs):
    ingest([SAMPLES / "suzhou-trade-union-2023-department-self-evaluation.xlsx"], run_dirs)
    found = failures(run_dirs, "department-self-evaluation", "warning")["indicators_in_target_table"]
    assert found["observed"] == "not loaded"
