"""An evaluation's scoring sheet (…绩效评价指标体系及评分表: 一级指标 '决策(20)' | 二级指标 | 三级指标 | 分值 | 指标解释 |
评分标准 | 得分 | 扣分原因) is read by project_evaluation: parsed from the fixture script's files, then through
`budget-etl ingest` (real DuckDB, real GX gates)."""
from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal

import pytest
from evaluation_support import FIXTURES, ingest, parse_file, query, script
from test_year_end_checks import failures

from budget_etl.parsers.templates import load_registry
from budget_etl.parsers.templates.labels import norm

D = Decimal
SHEET = script.SCORING_SHEET
PROVENANCE = {"sheet", "cell", "actual_cell", "score_cell", "max_cell", "level2_max_cell", "weight_cell",
              "explanation_cell", "rule_cell"}
FILES = [f"scoring-{variant}" for variant in script.SCORING_VARIANTS]
_parsed: dict = {}


def parsed(name: str):
    if name not in _parsed:
        _parsed[name] = parse_file(FIXTURES / name)
    return _parsed[name]


def records(submission) -> dict:
    return {"identity": (submission.template, submission.department_name, submission.fiscal_year,
                         submission.project_name),
            "results": [{k: v for k, v in asdict(r).items() if k not in PROVENANCE} for r in submission.results],
            "targets": submission.targets, "grade": submission.attributes.get("评价等级"),
            "texts": [(t.section, t.text) for t in submission.texts]}


@pytest.mark.parametrize("name", FILES)
def test_every_layout_reads_the_same_records_without_a_judgement(name):
    submission = parsed(name)
    assert submission.template == "project_evaluation"
    assert submission.missing_blocks == []
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []
    assert records(submission) == records(parsed("scoring-merged.xlsx"))


def test_scoring_sheet_gives_levels_maxima_scores_reasons_and_texts():
    s = parsed("scoring-merged.xlsx")
    assert (s.department_name, s.fiscal_year, s.project_name) == ("苏州市总工会", 2023, "职工疗休养")
    assert s.attributes["评价等级"] == "优"
    # the 合计 row's 分值 and 得分, as the sheet states them, at their cells
    assert [(t.section, t.text, t.cell) for t in s.texts] == [
        ("evaluation_total", "合计｜分值：100", "D18"), ("evaluation_total", "合计｜得分：96", "G18"),
        ("evaluation_conclusion", SHEET.conclusion, "B19")]
    assert s.targets == []  # a scoring sheet states no value to reach
    assert [(r.level1, r.level2, r.level3, r.max_score, r.score) for r in s.results] == [
        (i.level1, i.level2, i.level3, i.max_score, i.score) for i in SHEET.indicators]
    goal = next(r for r in s.results if r.level3 == "绩效目标合理性")
    # '决策(20)': the name without its weight, the weight from the same cell (A4, merged down over four rows)
    assert (goal.level1, goal.weight, goal.weight_cell, goal.level2_max) == ("决策", 20, "A4", None)
    assert (goal.cell, goal.max_cell, goal.score_cell) == ("C6", "D6", "G6")
    assert (goal.explanation, goal.explanation_cell) == ("项目所设定的绩效目标是否依据充分、合理", "E6")
    assert (goal.scoring_rule, goal.rule_cell) == ("合理得5分，目标不够细化扣1分", "F6")
    assert goal.reason == "绩效目标不够细化，未量化疗休养质量"
    assert {r.level1: r.weight for r in s.results} == dict(SHEET.weights)
    full_marks = next(r for r in s.results if r.level3 == "立项依据充分性")
    assert (full_marks.reason, full_marks.actual_raw) == (None, None)


def test_names_written_once_carry_down_over_blank_cells():
    s = parsed("scoring-written-once.xlsx")
    rate = next(r for r in s.results if r.level3 == "预算执行率")
    # '过程（20分）' at A8 only, blank below; 资金管理 at B8 only
    assert (rate.level1, rate.weight, rate.weight_cell, rate.level2, rate.cell) == ("过程", 20, "A8", "资金管理", "C9")
    assert (rate.explanation, rate.scoring_rule) == ("实际支出资金/实际到位资金×100%", "100%得满分，每低1%扣0.2分")
    assert s.attributes["title"] == "2023年度职工疗休养项目绩效评价评分表"


def test_a_web_page_takes_its_year_from_the_heading_above_the_table():
    s = parsed("scoring-export.html")
    assert (s.fiscal_year, s.sources["fiscal_year"]) == (2023, ("table1", "(title above the table)"))


TITLES = {
    "2023年度职工疗休养项目支出绩效评价指标体系及评分表": True,
    "职工疗休养项目绩效评价评分表": True,
    "职工疗休养项目绩效评价得分表": True,
    "项目绩效评价指标评分表": True,
    "反恐经费支出绩效评价表": True,
    "职工疗休养项目绩效评价评分表（2023年度）": True,
    "请按“项目支出绩效评价表”填报，分值合计100分。": False,  # a text naming the form is not its title
    "2023年度项目绩效评价得分汇总表": False,  # many projects' scores: a table of its own
    "项目支出绩效自评表": False,
    "项目支出绩效目标表": False,
}


@pytest.mark.parametrize("title, taken", TITLES.items())
def test_title_variants_and_what_is_not_an_evaluation_title(title, taken):
    family = load_registry().family("project_evaluation")
    assert family.title_pattern.matches(norm(title)) is taken


def test_self_evaluation_and_target_fixtures_stay_theirs():
    assert parsed("project-self-merged-cells.xlsx").template == "project_self_evaluation"
    assert parsed("department-self-export.html").template == "department_self_evaluation"


@pytest.fixture(scope="module")
def scoring_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("scoring_run")
    run_dirs = {"db": base / "w.duckdb", "reports": base / "reports", "quarantine": base / "quarantine"}
    # One run each (five files of one identity in one run would be identity_unique_in_run): each is a new version
    # of the same submission, the workbook last so that it is the current one.
    runs = [ingest([FIXTURES / name], run_dirs) for name in FILES[1:] + FILES[:1]]
    return run_dirs, [code for code, _ in runs], [f for _, summary in runs for f in summary["files"]]


def test_scoring_sheets_load_through_the_gates(scoring_run):
    run_dirs, codes, files = scoring_run
    assert codes == [0] * len(FILES)
    assert len(files) == len(FILES)
    for f in files:
        name = f["path"]
        assert (f["status"], f["template"], f["failed_checks"], f["warnings"]) == (
            "loaded", "project_evaluation", [], []), name
    passed = {r["expectation"] for r in query(run_dirs, "select distinct expectation from quality_results "
                                                        "where success")}
    assert {"score_within_max", "level1_weights_total_100", "level3_scores_total_level1"} <= passed


def test_warehouse_keeps_the_texts_and_their_cells(scoring_run):
    run_dirs, _, _ = scoring_run
    rows = query(run_dirs, """select r.level1, r.level3, r.weight, r.max_score, r.score, r.deviation_reason,
                                     r.explanation, r.scoring_rule, r.source_cell, f.score_cell, f.max_score_cell,
                                     f.explanation_cell, f.scoring_rule_cell
                              from v_indicator_results r
                              join submissions s on s.source_path = r.source_path and s.is_current
                              join fact_indicator_result f on f.submission_id = s.submission_id
                                                          and f.source_cell = r.source_cell
                              where r.source_path like '%scoring-merged.xlsx' and r.level3 = '预算执行率'""")
    assert rows == [{"level1": "过程", "level3": "预算执行率", "weight": 20, "max_score": 5, "score": 4,
                     "deviation_reason": "预算执行率95%，部分线路年末未结算",
                     "explanation": "实际支出资金/实际到位资金×100%", "scoring_rule": "100%得满分，每低1%扣0.2分",
                     "source_cell": "C9", "score_cell": "G9", "max_score_cell": "D9",
                     "explanation_cell": "E9", "scoring_rule_cell": "F9"}]
    texts = query(run_dirs, """select t.text from submission_texts t join submissions s using (submission_id)
                               where s.source_path like '%scoring-merged.xlsx' and t.section = 'evaluation_conclusion'""")
    assert texts == [{"text": SHEET.conclusion}]


def test_attainment_shows_scores_and_claims_no_target(scoring_run):
    run_dirs, _, _ = scoring_run
    rows = query(run_dirs, """select level3, target_raw, actual_raw, target_met, score, max_score, result_template
                              from v_target_attainment where project_name = '职工疗休养' order by level3""")
    assert len(rows) == len(SHEET.indicators)  # the five files are versions of one submission: one current
    assert {(r["target_raw"], r["actual_raw"], r["target_met"], r["result_template"]) for r in rows} == {
        (None, None, None, "project_evaluation")}
    assert sum(r["score"] for r in rows) == 96 and sum(r["max_score"] for r in rows) == 100


def test_level3_scores_that_do_not_make_the_weight_are_a_warning(tmp_path, run_dirs):
    indicators = list(SHEET.indicators)
    indicators[1] = replace(indicators[1], max_score=D("4"), score=D("4"))  # 决策: 5 + 4 + 5 + 5 = 19, not 20
    path = tmp_path / "scores.xlsx"
    script.write_xlsx(path, script.scoring_grid(replace(SHEET, indicators=tuple(indicators))), sheet="评分表")
    _, summary = ingest([path], run_dirs)
    assert summary["files"][0]["status"] == "loaded" and summary["files"][0]["failed_checks"] == []
    found = failures(run_dirs, "scores.xlsx", "warning")
    assert set(found) == {"level3_scores_total_level1"}
    assert (found["level3_scores_total_level1"]["observed"], found["level3_scores_total_level1"]["expected"]) == (
        "19", "20 (the 一级指标's 权重)")
    assert found["level3_scores_total_level1"]["source_cells"].startswith("评分表!A4, 评分表!D4, 评分表!D5")


TWO_LEVELS = "scoring-two-levels.xlsx"


def _by_level2() -> list[tuple]:
    """The sheet's 三级 summed per 二级: what a sheet scoring its 二级指标 states."""
    found: dict[tuple[str, str], list] = {}
    for i in SHEET.indicators:
        found.setdefault((i.level1, i.level2), []).append(i)
    return [(level1, "", level2, sum(i.max_score for i in members), sum(i.score for i in members))
            for (level1, level2), members in found.items()]


def test_a_sheet_scoring_its_level2_is_read_without_a_level3_column():
    """一级指标 | 二级指标 | 分值 | 评分标准 | 得分 | 扣分原因: each 二级 is an indicator (its 三级 in the warehouse, 二级
    empty), its 一级's weight from '决策(20)'; the 合计 row's 分值 and 得分 kept as evaluation_total texts."""
    s = parsed(TWO_LEVELS)
    assert (s.template, s.missing_blocks, s.project_name, s.fiscal_year) == ("project_evaluation", [], "职工疗休养", 2023)
    assert [(i.code, i.cell) for i in s.issues if i.severity != "info"] == []
    assert [(r.level1, r.level2, r.level3, r.max_score, r.score) for r in s.results] == _by_level2()
    rate = next(r for r in s.results if r.level3 == "资金管理")
    assert (rate.weight, rate.weight_cell, rate.cell, rate.max_cell, rate.score_cell) == (20, "A7", "B7", "C7", "E7")
    assert rate.reason == "预算执行率95%，部分线路年末未结算"
    assert [(t.section, t.seq, t.text, t.cell) for t in s.texts] == [
        ("evaluation_total", 1, "合计｜分值：100", "C14"), ("evaluation_total", 2, "合计｜得分：96", "E14")]


def test_a_sheet_scoring_its_level2_loads_with_its_total(tmp_path, run_dirs):
    code, summary = ingest([FIXTURES / TWO_LEVELS], run_dirs)
    assert code == 0
    assert [(f["status"], f["failed_checks"], f["warnings"]) for f in summary["files"]] == [("loaded", [], [])]
    results = query(run_dirs, "select level1, level2, level3, max_score, score, source_cell from v_indicator_results")
    assert sorted(tuple(r.values())[:5] for r in results) == sorted(_by_level2())
    assert {r["level3"]: r["source_cell"] for r in results}["资金管理"] == "B7"
    totals = query(run_dirs, """select text, source_cell from submission_texts where section = 'evaluation_total'
                                order by seq""")
    assert totals == [{"text": "合计｜分值：100", "source_cell": "C14"}, {"text": "合计｜得分：96", "source_cell": "E14"}]
