"""Recognition by title and labels, with a score; an unknown table is rejected with what was looked for."""
import pytest
from sheet_builder import department_rows, sheet_of, workbook_of
from template_records import FIXTURES, SEED, parse_file

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.templates import DETAIL_MARK, MIN_SCORE, load_registry, parse_workbook, recognise


@pytest.mark.parametrize("path, template", [
    (SEED, "department_overall"),
    (FIXTURES / "department-merged-cells.xlsx", "department_overall"),
    (FIXTURES / "project-merged-cells.xlsx", "project"),
    (FIXTURES / "project-export.html", "project"),
])
def test_each_template_recognises_its_own_table_and_not_the_other(path, template):
    from budget_etl.parsers.readers import read_bytes

    ranked = recognise(read_bytes(path.read_bytes(), path.name))
    assert ranked[0].template == template and ranked[0].score >= 0.9
    other = next(r for r in ranked if r.template != template)
    assert other.score < MIN_SCORE
    assert any("title" in e for e in ranked[0].evidence)


def test_unrelated_table_is_unknown_template_naming_what_was_looked_for():
    with pytest.raises(ReadError) as raised:
        parse_file(FIXTURES / "not-a-template.xlsx")
    assert raised.value.code == "unknown_template"
    short, detail = raised.value.message.split(DETAIL_MARK)
    # nothing of any family on it: no 'closest' family to send the clerk to
    assert "no sheet has any family's title or labels" in short and "closest" not in short
    assert "\n" not in short and len(short) < 160
    for looked_for in ("部门整体预算绩效目标表", "项目支出绩效目标表", "单位名称", "项目名称"):
        assert looked_for in detail and looked_for not in short


@pytest.mark.parametrize("rows", [{}, {1: ["部门整体预算绩效目标表"]}, {1: ["单位名称", "某局"], 2: ["年度目标", "甲"]}])
def test_too_little_evidence_is_not_enough(rows):
    with pytest.raises(ReadError) as raised:
        parse_workbook(workbook_of(sheet_of(rows)))
    assert raised.value.code == "unknown_template"


def test_labels_without_a_title_still_recognise():
    rows = department_rows(r1=None, r2=["单位主要职能", "", "甲"], r16=["年度目标", "", "乙"])
    best = recognise(workbook_of(sheet_of(rows)))[0]
    assert (best.template, best.score >= MIN_SCORE) == ("department_overall", True)
    assert not any("title" in e for e in best.evidence)


def test_a_sentence_mentioning_labels_is_not_a_label():
    prose = "请填写单位名称、单位主要职能、部门整体资金、中长期目标、年度目标、半年指标值和全年指标值。" * 2
    assert recognise(workbook_of(sheet_of({1: [prose]})))[0].score == 0


def test_best_sheet_wins_and_reports_its_score():
    instructions = sheet_of({1: ["填报说明"], 2: ["本表为部门整体预算绩效目标表，请逐项填写。"]}, "说明")
    data = sheet_of(department_rows(), "数据")
    submission = parse_workbook(workbook_of(instructions, data))
    assert (submission.sheet, submission.score) == ("数据", recognise(workbook_of(instructions, data))[0].score)


def test_a_recognised_table_that_breaks_the_parser_is_a_parse_error(monkeypatch):
    from dataclasses import replace

    from budget_etl.parsers.templates.blocks import BLOCK_READERS

    def broken(ctx, block):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(BLOCK_READERS, "amount_stream", replace(BLOCK_READERS["amount_stream"], read=broken))
    with pytest.raises(ReadError) as raised:
        parse_workbook(workbook_of(sheet_of(department_rows(), "数据")))
    assert (raised.value.code, raised.value.sheet) == ("parse_error", "数据")
    assert "ZeroDivisionError" in raised.value.message


def test_the_packaged_families_are_registered():
    assert {f.name for f in load_registry().families} >= {"department_overall", "project"}
