"""Several forms of one family one under another on one sheet (an office reporting on two projects): a submission
each, through `budget-etl ingest` (real DuckDB, real GX gates). Files written by
tests/fixtures/make_evaluation_fixtures.py: project-self-two-projects.xlsx (each form with its 填报说明 and
signatures under it, the sheet named as the form) and evaluation-two-projects-gb18030.txt."""
from __future__ import annotations

from decimal import Decimal

import pytest
from evaluation_support import FIXTURES, SAMPLES, ingest, parse_file, query, script

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.templates import parse_parts

TWO_SELF = FIXTURES / "project-self-two-projects.xlsx"
TWO_EVALUATIONS = FIXTURES / "evaluation-two-projects-gb18030.txt"


def parts(path):
    return parse_parts(read_bytes(path.read_bytes(), path.name))


def test_each_self_evaluation_on_the_sheet_is_a_submission_of_its_own():
    first, second = parts(TWO_SELF)
    assert [(p.template, p.project_name, p.fiscal_year) for p in (first, second)] == [
        ("project_self_evaluation", "劳模“三金”专项经费", 2023), ("project_self_evaluation", "职工疗休养", 2023)]
    # the first reads as the national form alone does; the notes and signatures under it are no record
    alone = parse_file(FIXTURES / "project-self-merged-cells.xlsx")
    assert [(r.level3, r.actual_raw, r.score, r.max_score, r.cell) for r in first.results] == [
        (r.level3, r.actual_raw, r.score, r.max_score, r.cell) for r in alone.results]
    assert [i.level3 for i in second.results] == [i[2] for i in script.SECOND_PROJECT_SELF_EVALUATION.indicators]
    assert second.results[0].cell == "D41" and second.blocks["title"] == "A29"  # its cells are the sheet's
    executed = {b.item_path: b.amount_wan for b in second.budget if getattr(b, "measure", "") == "executed"}
    assert executed["资金总额"] == Decimal("114")
    assert [i for p in (first, second) for i in p.issues if i.severity != "info"] == []


def test_each_evaluation_form_of_a_text_export_is_a_submission_of_its_own():
    first, second = parts(TWO_EVALUATIONS)
    assert [p.project_name for p in (first, second)] == ["劳模“三金”专项经费", "劳模健康关爱工程"]
    assert len(first.results) == len(second.results) == 9


@pytest.fixture(scope="module")
def stacked_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("stacked_run")
    run_dirs = {"db": base / "w.duckdb", "reports": base / "reports", "quarantine": base / "quarantine"}
    code, summary = ingest([SAMPLES / "suzhou-trade-union-2023-project-labour-model-funds.xlsx", TWO_SELF,
                            TWO_EVALUATIONS], run_dirs)
    return run_dirs, code, summary


def test_both_forms_of_each_file_load_without_a_failed_check(stacked_run):
    run_dirs, _, summary = stacked_run
    assert all(f["status"] == "loaded" and not f["failed_checks"] for f in summary["files"])
    rows = query(run_dirs, """select s.template, s.project_name, count(r.submission_id) as results
                              from submissions s left join fact_indicator_result r using (submission_id)
                              where s.status = 'loaded' and s.template <> 'project' group by all order by all""")
    assert rows == [{"template": "project_evaluation", "project_name": "劳模“三金”专项经费", "results": 9},
                    {"template": "project_evaluation", "project_name": "劳模健康关爱工程", "results": 9},
                    {"template": "project_self_evaluation", "project_name": "劳模“三金”专项经费", "results": 8},
                    {"template": "project_self_evaluation", "project_name": "职工疗休养", "results": 5}]
    # the first project's self-evaluation meets its target table as a form alone on its sheet would
    met = query(run_dirs, """select count(*) as n from v_target_attainment where project_name = '劳模“三金”专项经费'
                             and result_template = 'project_self_evaluation' and target_template = 'project'""")
    assert met == [{"n": 8}]


def test_a_sheet_quoting_the_title_in_a_note_is_read_whole(tmp_path):
    grid = script.self_evaluation_grid(script.PROJECT_SELF_EVALUATION)
    grid.add((1, "本表为项目支出绩效自评表", 1, grid.max_col), skip=2)  # passes the title pattern: no form under it
    path = tmp_path / "note.xlsx"
    script.write_xlsx(path, grid, sheet=script.SHEET)
    (only,) = parts(path)
    assert len(only.results) == 8 and only.project_name == "劳模“三金”专项经费"


def test_forms_side_by_side_are_a_submission_each():
    first, second = parts(FIXTURES / "project-self-two-projects-side-by-side.xlsx")
    assert [p.project_name for p in (first, second)] == ["劳模“三金”专项经费", "职工疗休养"]
    alone = parse_file(FIXTURES / "project-self-merged-cells.xlsx")
    assert [(r.level3, r.actual_raw, r.score, r.max_score, r.cell) for r in first.results] == [
        (r.level3, r.actual_raw, r.score, r.max_score, r.cell) for r in alone.results]
    assert second.blocks["title"] == "K1" and second.results[0].cell == "N13"  # a blank column J between them
    assert [r.max_score for r in second.results] == [i[5] for i in script.SECOND_PROJECT_SELF_EVALUATION.indicators]
    assert [i for p in (first, second) for i in p.issues if i.severity != "info"] == []
