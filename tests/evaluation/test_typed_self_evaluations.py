"""Self-evaluations as offices type them: the value columns in another order, digits and ％ typed full-width,
分值 and 得分 written '10分', 二级 and 三级 names numbered ('1.数量指标', '（1）发放…'). Files written by
tests/fixtures/make_evaluation_fixtures.py (project-self-typed.xlsx, project-self-numbered.xlsx)."""
from __future__ import annotations

from pathlib import Path

import pytest
from evaluation_support import FIXTURES, SAMPLES, ingest, parse_file, query, script

from budget_etl.parsers.matching import indicator_match_key

TARGET_TABLE = SAMPLES / "suzhou-trade-union-2023-project-labour-model-funds.xlsx"


def facts(submission) -> dict:
    """What the form says, as numbers: texts typed full-width are the same facts."""
    return {
        "targets": [(t.level3, t.operator, t.value, t.unit) for t in submission.targets],
        "results": [(r.level3, r.actual_value, r.actual_unit, r.score, r.max_score) for r in submission.results],
        "funds": [(b.item_path, getattr(b, "measure", "budget"), b.amount_wan) for b in submission.budget],
    }


def test_scores_written_with_their_word_and_full_width_values_are_read():
    typed, national = parse_file(FIXTURES / "project-self-typed.xlsx"), parse_file(FIXTURES / "project-self-merged-cells.xlsx")
    assert facts(typed) == facts(national)
    first = typed.results[0]
    assert (first.actual_raw, first.score, first.max_score) == ("２９６人", 9.5, 10)  # '9.5分', '10分'
    # 分值 is column E here: the cells are the typed form's
    assert (first.max_cell, first.actual_cell, first.score_cell) == ("E13", "G13", "H13")
    assert [(i.code, i.cell) for i in typed.issues if i.severity != "info"] == []


def test_a_score_that_is_no_number_is_a_warning_at_its_cell(tmp_path: Path):
    grid = script.typed_by_hand(script.self_evaluation_grid(script.PROJECT_SELF_EVALUATION), points=True)
    grid.cells[(13, 8)] = "九分半"  # 得分 of the first indicator, in words
    path = tmp_path / "words.xlsx"
    script.write_xlsx(path, grid, sheet=script.SHEET)
    submission = parse_file(path)
    assert submission.results[0].score is None
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == [("score_unparsed", "H13")]


def test_numbered_names_meet_the_target_table_s(tmp_path: Path):
    assert indicator_match_key("产出指标", "1.数量指标", "（1）发放人数") == indicator_match_key("产出", "数量", "发放人数")
    assert indicator_match_key("一、产出指标", "（一）数量指标", "①发放人数") == indicator_match_key("产出", "数量", "发放人数")
    assert indicator_match_key("产出", "数量", "1.5万人次培训") != indicator_match_key("产出", "数量", "5万人次培训")
    run_dirs = {"db": tmp_path / "w.duckdb", "reports": tmp_path / "reports", "quarantine": tmp_path / "q"}
    code, summary = ingest([TARGET_TABLE, FIXTURES / "project-self-numbered.xlsx"], run_dirs)
    numbered = next(f for f in summary["files"] if f["path"].endswith("project-self-numbered.xlsx"))
    assert (numbered["status"], numbered["failed_checks"]) == ("loaded", [])
    assert "indicators_in_target_table" not in numbered["warnings"]
    rows = query(run_dirs, """select level3, target_template, target_raw, actual_raw, target_met
                              from v_target_attainment where result_template = 'project_self_evaluation'
                              order by level3""")
    assert len(rows) == 8 and {r["target_template"] for r in rows} == {"project"}
    pages = next(r for r in rows if r["level3"].endswith("劳模档案数字化页数"))
    assert (pages["target_raw"], pages["actual_raw"], pages["target_met"]) == ("≥20万页", "21万页", True)


@pytest.mark.parametrize("names", [("一、产出指标", "（一）数量指标", "①发放人数"), ("产出", "2、质量", "(3)准确率"),
                                   ("产出", "数量", "1.5万人次培训")])
def test_sql_and_python_keys_agree_on_numbered_names(tmp_path: Path, names):
    from budget_etl.warehouse import Warehouse

    with Warehouse(tmp_path / "w.duckdb") as wh:
        sql = wh.connection.execute("select indicator_match_key(?, ?, ?)", list(names)).fetchone()[0]
    assert sql == indicator_match_key(*names)


def test_a_reason_column_split_in_two_keeps_both_parts():
    split = parse_file(FIXTURES / "project-self-reason-split.xlsx")
    reasons = [(r.level3, r.reason) for r in split.results if r.reason]
    assert reasons == [("发放劳模“三金”人数", "4名劳模年内去世，停发\n加强跟踪，及时调整"),
                       ("劳模精神社会影响力", "宣传覆盖面仍可扩大\n加强跟踪，及时调整")]
    assert [(i.code, i.cell) for i in split.issues if i.severity != "info"] == []
