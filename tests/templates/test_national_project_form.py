"""The national 项目支出绩效目标申报表 (财预〔2015〕88号) and the budget system's export of it, read as ``project``.

The fixtures (tests/fixtures/make_template_fixtures.py: national_project_grid) hold one project in two layouts:
the form as printed (总体目标 split into 中长期目标 | 年度目标 side by side, the texts in the row below;
targets written whole, '≥2000人') and the export (the two goals stacked, each text at its right; the target
split over 指标性质 | 指标值 | 度量单位, with a 备注 column).
"""
import shutil

import duckdb
import pytest
from sheet_builder import sheet_of, workbook_of
from template_records import FIXTURES, parse_file

from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.parsers.templates import parse_workbook

PRINTED = ["project-national-form.xlsx", "project-national-form.html"]
EXPORTED = ["project-national-form-stacked.xlsx", "project-national-form-stacked-gb18030.txt"]
AS_PRINTED_2015 = ["project-national-form-2015.xlsx", "project-national-form-2015.xls"]
MID_TERM = "保障职工疗休养权益，三年内覆盖全市一线职工。"


@pytest.mark.parametrize("name", PRINTED)
def test_goals_side_by_side_are_read_from_the_row_below_their_words(name):
    submission = parse_file(FIXTURES / name)
    assert submission.template == "project"
    assert [(t.section, t.seq, t.text, t.cell) for t in submission.texts] == [
        ("supervisor_code", 1, "201", "B4"),  # 主管部门及代码 | 201-苏州市总工会
        ("mid_term_goal", 1, MID_TERM, "B10"),
        ("project_goal", 1, "1.组织2000名职工疗休养；", "D10"),
        ("project_goal", 2, "2.活动安全零事故。", "D10")]


@pytest.mark.parametrize("name", EXPORTED)
def test_stacked_goals_are_read_right_of_their_words(name):
    submission = parse_file(FIXTURES / name)
    goals = [(t.section, t.text, t.cell) for t in submission.texts if t.section != "indicator_notes"]
    assert goals == [("mid_term_goal", MID_TERM, "C8"), ("project_goal", "1.组织2000名职工疗休养；", "C9"),
                     ("project_goal", "2.活动安全零事故。", "C9")]


@pytest.mark.parametrize("name", PRINTED)
def test_the_printed_form_identity_funds_and_targets(name):
    submission = parse_file(FIXTURES / name)
    assert (submission.project_name, submission.department_name, submission.fiscal_year) == (
        "职工疗休养补助", "苏州市职工服务中心", 2024)
    assert {k: submission.attributes[k] for k in ("主管部门", "实施单位", "项目属性", "项目期")} == {
        "主管部门": "201-苏州市总工会", "实施单位": "苏州市职工服务中心", "项目属性": "延续项目", "项目期": "1年"}
    assert [(b.item_path, str(b.amount_wan), b.cell) for b in submission.budget] == [
        ("资金总额", "120", "E6"), ("财政拨款", "100", "E7"), ("其他资金", "20", "E8")]
    assert [(t.level3, t.raw_value, t.operator, t.value, t.unit, t.cell) for t in submission.targets] == [
        ("疗休养人数", "≥2000人", ">=", 2000, "人", "E12"),
        ("活动安全事故", "0起", None, None, None, "E13"),
        ("疗休养完成时间", "2024年11月底前", None, None, None, "E14"),
        ("职工获得感", "明显提升", None, None, None, "E15"),
        ("职工满意度", "≥95%", ">=", 95, "%", "E16")]
    # a bare number is no target of this family (its form asks for ≥/≤/=): kept as written, for review
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == [
        ("target_value_unparsed", "E13")]


@pytest.mark.parametrize("name", EXPORTED)
def test_a_target_split_over_columns_is_read_whole_and_keeps_its_value_cell(name):
    submission = parse_file(FIXTURES / name)
    assert (submission.project_name, submission.department_name, submission.fiscal_year) == (
        "职工疗休养补助", "苏州市职工服务中心", 2024)
    assert submission.attributes["主管部门"] == "苏州市总工会"
    assert [(t.level1, t.level3, t.raw_value, t.operator, t.value, t.unit, t.is_quantitative, t.cell)
            for t in submission.targets] == [
        ("产出指标", "疗休养人数", "2000", ">=", 2000, "人", True, "F11"),
        ("产出指标", "活动安全事故", "0", "=", 0, "起", True, "F12"),
        ("产出指标", "疗休养完成时间", "2024年11月底前", None, None, None, False, "F13"),
        ("效益指标", "职工获得感", "明显提升", None, None, None, False, "F14"),
        ("满意度指标", "职工满意度", "95", ">=", 95, "%", True, "F15")]
    assert [(t.section, t.text, t.cell) for t in submission.texts if t.section == "indicator_notes"] == [
        ("indicator_notes", "疗休养人数｜备注：按实际参加人次统计", "H11")]
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


@pytest.mark.parametrize("name", AS_PRINTED_2015)
def test_the_mid_term_half_of_funds_goals_and_indicators_is_kept_apart_from_the_year(name):
    """财预〔2015〕88号 prints the mid-term beside the year: 中期资金总额 | 年度资金总额, 中期目标（2024年—2026年）|
    年度目标, and one grid whose 二级/三级/指标值 come twice. The year's go to the facts, the mid-term's to texts."""
    submission = parse_file(FIXTURES / name)
    assert (submission.template, submission.project_name, submission.fiscal_year) == ("project", "职工疗休养补助", 2024)
    assert [(b.item_path, format(b.amount_wan.normalize(), "f"), b.cell) for b in submission.budget] == [
        ("资金总额", "120", "G6"), ("财政拨款", "100", "G7"), ("其他资金", "20", "G8")]
    assert [(t.level1, t.level2, t.level3, t.raw_value, t.cell) for t in submission.targets] == [
        ("产出指标", "数量指标", "疗休养人数", "≥2000人", "H12"), ("产出指标", "质量指标", "活动安全事故", "=0起", "H13"),
        ("效益指标", "社会效益指标", "职工获得感", "明显提升", "H14"),
        ("满意度指标", "服务对象满意度指标", "职工满意度", "≥95%", "H15")]
    assert [(t.section, t.text, t.cell) for t in submission.texts] == [
        ("supervisor_code", "201", "B4"),
        ("mid_term_goal", MID_TERM, "B10"), ("project_goal", "1.组织2000名职工疗休养；", "E10"),
        ("project_goal", "2.活动安全零事故。", "E10"),
        ("mid_term_funds", "中期资金总额：360", "D6"), ("mid_term_funds", "其中：财政拨款：300", "D7"),
        ("mid_term_funds", "其他资金：60", "D8"),
        ("mid_term_targets", "产出指标｜数量指标｜三年疗休养人数：≥6000人", "E12"),
        ("mid_term_targets", "产出指标｜质量指标｜活动安全事故：=0起", "E13"),
        ("mid_term_targets", "效益指标｜社会效益指标｜一线职工覆盖率：=100%", "E14"),
        ("mid_term_targets", "满意度指标｜服务对象满意度指标｜职工满意度：≥95%", "E15")]
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


SUPERVISOR_ONLY = "project-national-form-supervisor-only.xlsx"


@pytest.mark.parametrize("written", ["苏州市总工会 123001", "123001苏州市总工会", "苏州市总工会（123001）",
                                     "苏州市总工会(123001)", "123001-苏州市总工会"])
def test_the_code_beside_the_supervising_department_is_no_part_of_its_name(written):
    """主管部门及代码 with no 实施单位: the supervising department is the project's, named without its code; the
    warehouse has no column for a department's code, so it is kept as the text item supervisor_code."""
    rows = {1: ["项目支出绩效目标申报表"], 2: ["（2024年度）"], 3: ["项目名称", "职工疗休养补助"],
            4: ["主管部门及代码", written], 5: ["项目资金（万元）", "年度资金总额", "120"],
            6: ["一级指标", "二级指标", "三级指标", "指标值"], 7: ["产出指标", "数量指标", "疗休养人数", "≥2000人"]}
    submission = parse_workbook(workbook_of(sheet_of(rows)))
    assert (submission.template, submission.department_name) == ("project", "苏州市总工会")
    assert [(t.section, t.seq, t.text, t.cell) for t in submission.texts] == [("supervisor_code", 1, "123001", "B4")]
    assert submission.attributes["主管部门"] == written  # the form's line as written


@pytest.mark.parametrize("written", ["苏州市总工会", "苏州市总工会（本级）", "苏州市第10中学", "123001"])
def test_a_name_without_a_code_beside_it_is_kept_whole(written):
    rows = {1: ["项目支出绩效目标申报表"], 2: ["（2024年度）"], 3: ["项目名称", "职工疗休养补助"],
            4: ["主管部门及代码", written], 5: ["项目资金（万元）", "年度资金总额", "120"]}
    submission = parse_workbook(workbook_of(sheet_of(rows)))
    assert submission.department_name == written
    assert [t for t in submission.texts if t.section == "supervisor_code"] == []


def test_a_department_named_with_its_code_loads_under_its_name(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / SUPERVISOR_ONLY, inbox / SUPERVISOR_ONLY)
    db = tmp_path / "w.duckdb"
    summary = run_ingest([inbox], IngestOptions(db_path=db, reports_dir=tmp_path / "reports",
                                                quarantine_dir=tmp_path / "quarantine", workers=0))
    assert [(f.status, f.department_name) for f in summary.files] == [("loaded", "苏州市总工会")]
    with duckdb.connect(str(db), read_only=True) as con:
        departments = con.execute("select department_name from dim_department").fetchall()
        code = con.execute("""select text, source_cell from submission_texts
                              where section = 'supervisor_code'""").fetchall()
    assert departments == [("苏州市总工会",)]
    assert code == [("201001", "B4")]


def test_the_forms_load_with_their_goals_and_targets_traced_to_cells(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in PRINTED + EXPORTED + AS_PRINTED_2015:
        shutil.copy(FIXTURES / name, inbox / name)
    db = tmp_path / "w.duckdb"
    summary = run_ingest([inbox], IngestOptions(db_path=db, reports_dir=tmp_path / "reports",
                                                quarantine_dir=tmp_path / "quarantine", workers=0))
    assert sorted((f.path.rsplit("/", 1)[-1], f.status, f.template) for f in summary.files) == sorted(
        (name, "loaded", "project") for name in PRINTED + EXPORTED + AS_PRINTED_2015)
    with duckdb.connect(str(db), read_only=True) as con:
        texts = con.execute("""select section, text, source_sheet, source_cell from submission_texts
                               where section = 'mid_term_goal' order by source_cell""").fetchall()
        zero = con.execute("""select raw_value, operator, value, unit, source_cell from fact_target t
                              join dim_indicator i using (indicator_id) where i.level3 = '活动安全事故'
                              order by source_cell""").fetchall()
    # the four files are two versions of one submission each layout; every version's rows stay traceable
        mid_term = con.execute("""select count(*) from submission_texts
                                  where section in ('mid_term_funds', 'mid_term_targets')""").fetchone()
    assert mid_term == (7 * len(AS_PRINTED_2015),)  # 3 amounts and 4 targets in each version
    assert {(section, text, cell) for section, text, _sheet, cell in texts} == {
        ("mid_term_goal", MID_TERM, "B10"), ("mid_term_goal", MID_TERM, "C8")}
    assert ("0", "=", 0, "起", "F12") in zero


def test_indicator_notes_are_numbered_without_gaps_beside_mid_term_halves():
    """Two grids of a mid-term half and the year's, the year's with a 备注 column: the notes are numbered 1-4 in
    their section, the mid-term targets 1-4 in theirs (the notes of the second grid were 5 and 6)."""
    header = ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值", "备注"]
    rows = {1: ["项目支出绩效目标申报表"], 2: ["（2024年度）"], 3: ["项目名称", "职工疗休养补助"],
            4: ["主管部门", "苏州市总工会"], 5: ["项目资金（万元）", "年度资金总额", "120"], 6: header,
            7: ["产出指标", "数量指标", "三年疗休养人数", "≥6000人", "数量指标", "疗休养人数", "≥2000人", "按人次"],
            8: ["", "质量指标", "活动安全事故", "=0起", "质量指标", "活动安全事故", "=0起", "以通报为准"], 9: header,
            10: ["效益指标", "社会效益指标", "一线职工覆盖率", "=100%", "社会效益指标", "职工获得感", "明显提升", "问卷"],
            11: ["满意度指标", "服务对象满意度指标", "职工满意度", "≥95%", "服务对象满意度指标", "职工满意度", "≥95%",
                 "抽样"]}
    submission = parse_workbook(workbook_of(sheet_of(rows)))
    assert [(t.seq, t.text, t.cell) for t in submission.texts if t.section == "indicator_notes"] == [
        (1, "疗休养人数｜备注：按人次", "H7"), (2, "活动安全事故｜备注：以通报为准", "H8"),
        (3, "职工获得感｜备注：问卷", "H10"), (4, "职工满意度｜备注：抽样", "H11")]
    assert [(t.seq, t.cell) for t in submission.texts if t.section == "mid_term_targets"] == [
        (1, "D7"), (2, "D8"), (3, "D10"), (4, "D11")]
