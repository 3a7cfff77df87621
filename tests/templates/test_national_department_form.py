"""The national 部门（单位）整体支出绩效目标申报表 (财预〔2015〕88号), read as ``department_overall``.

The fixtures (tests/fixtures/make_template_fixtures.py: national_department_grid) hold one department's form: its
year's main tasks (任务名称 | 主要内容 | 预算金额 总额 / 财政拨款 / 其他资金) with their 金额合计, 年度总体目标, and
the 年度绩效指标 grid; as .xlsx, .xls and GB18030 text, as an HTML export with a one-row header, and with a
金额合计 that does not add up.
"""
import shutil

import duckdb
import pytest
from template_records import FIXTURES, as_json, parse_file

from budget_etl.flows.pipeline import IngestOptions, run_ingest

FORMATS = ["department-national-form.xlsx", "department-national-form.xls", "department-national-form-gb18030.txt"]
HTML = "department-national-form-one-row-header.html"
OFF = "department-national-form-total-off.xlsx"
TASKS = [("职工疗休养", "E6", "120", "100", "20"), ("困难职工帮扶", "E7", "300", "300", "0"),
         ("职工技能竞赛", "E8", "80.5", "60.5", "20")]


@pytest.mark.parametrize("name", FORMATS)
def test_the_tasks_are_expenses_and_their_sums_the_departments_funds(name):
    submission = parse_file(FIXTURES / name)
    assert (submission.template, submission.department_name, submission.fiscal_year) == (
        "department_overall", "苏州市总工会", 2024)
    lines = [(b.direction, b.item_path, format(b.amount_wan.normalize(), "f"), b.cell) for b in submission.budget]
    expected = []
    for task, cell, total, grant, other in TASKS:
        row = cell[1:]
        expected += [("expense", f"年度主要任务/{task}", total, cell),
                     ("expense", f"年度主要任务/{task}/财政拨款", grant, f"F{row}"),
                     ("expense", f"年度主要任务/{task}/其他资金", other, f"G{row}")]
    expected += [("income", "资金总额", "500.5", "E9"), ("income", "财政拨款", "460.5", "F9"),
                 ("income", "其他资金", "40", "G9")]
    assert lines == expected
    assert {b.period for b in submission.budget} == {"full_year"}
    assert submission.missing_blocks == []
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


@pytest.mark.parametrize("name", FORMATS)
def test_task_contents_goal_and_indicators_keep_their_cells(name):
    submission = parse_file(FIXTURES / name)
    assert [(t.section, t.text, t.cell) for t in submission.texts] == [
        ("annual_goal", "1.职工疗休养2000人次；", "C10"), ("annual_goal", "2.困难职工帮扶全覆盖；", "C10"),
        ("annual_goal", "3.举办技能竞赛10项。", "C10"),
        ("tasks", "职工疗休养：组织2000名一线职工疗休养", "C6"),
        ("tasks", "困难职工帮扶：1.春送温暖覆盖全部建档困难职工；2.金秋助学。", "C7"),
        ("tasks", "职工技能竞赛：举办市级职工技能竞赛10项", "C8")]
    assert [(t.level1, t.level2, t.level3, t.operator, t.value, t.cell) for t in submission.targets] == [
        ("产出指标", "数量指标", "疗休养人数", ">=", 2000, "F12"),
        ("产出指标", "质量指标", "帮扶对象识别准确率", ">=", 98, "F13"),
        ("产出指标", "时效指标", "帮扶资金发放及时率", "=", 100, "F14"),
        ("效益指标", "社会效益指标", "职工队伍稳定", None, None, "F15"),
        ("满意度指标", "服务对象满意度指标", "职工满意度", ">=", 90, "F16")]


def test_a_one_row_header_and_the_year_in_the_title_read_the_same():
    submission = parse_file(FIXTURES / HTML)
    assert submission.fiscal_year == 2024 and submission.sources["fiscal_year"][1] == "A1"
    assert as_json(submission, provenance=False) == as_json(parse_file(FIXTURES / FORMATS[0]), provenance=False)
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


def test_tasks_not_adding_up_to_their_sums_row_is_an_error_naming_the_cell():
    submission = parse_file(FIXTURES / OFF)
    assert [(i.code, i.severity, i.cell) for i in submission.issues if i.severity != "info"] == [
        ("tasks_total_differs", "error", "E9")]
    assert "500.5" in submission.issues[0].message and "501.5" in submission.issues[0].message


def test_the_forms_load_and_the_one_that_does_not_add_up_is_quarantined(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in (*FORMATS, HTML, OFF):
        shutil.copy(FIXTURES / name, inbox / name)
    db = tmp_path / "w.duckdb"
    summary = run_ingest([inbox], IngestOptions(db_path=db, reports_dir=tmp_path / "reports",
                                                quarantine_dir=tmp_path / "quarantine", workers=0))
    status = {f.path.rsplit("/", 1)[-1]: (f.status, f.template) for f in summary.files}
    assert status == {**{name: ("loaded", "department_overall") for name in (*FORMATS, HTML)},
                      OFF: ("quarantined", "department_overall")}
    with duckdb.connect(str(db), read_only=True) as con:
        funds = con.execute("""select item_path, amount_wan, source_cell from v_budget
                               where direction = 'income' order by source_cell""").fetchall()
        tasks = con.execute("""select s.source_path, t.text, t.source_cell from submission_texts t
                               join submissions s using (submission_id)
                               where s.is_current and t.section = 'tasks' order by t.seq""").fetchall()
    # the five files are versions of one submission; the current one is whichever loaded last
    first_row = 4 if tasks[0][0].endswith(".html") else 6  # the HTML export has no line of its own for the year
    assert [(item, float(amount), cell) for item, amount, cell in funds] == [
        ("资金总额", 500.5, f"E{first_row + 3}"), ("财政拨款", 460.5, f"F{first_row + 3}"),
        ("其他资金", 40.0, f"G{first_row + 3}")]
    assert [(text[:5], cell) for _path, text, cell in tasks] == [
        ("职工疗休养", f"C{first_row}"), ("困难职工帮", f"C{first_row + 1}"), ("职工技能竞", f"C{first_row + 2}")]
