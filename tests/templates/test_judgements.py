"""Where the parser makes a judgement it records a warning with the cell, and keeps going."""
import pytest
from sheet_builder import department_rows, sheet_of, workbook_of

from budget_etl.parsers.templates import parse_workbook


def parse(**overrides):
    return parse_workbook(workbook_of(sheet_of(department_rows(**overrides))))


def issues(submission, code):
    return [(i.severity, i.cell) for i in submission.issues if i.code == code]


def test_the_small_table_parses_cleanly():
    submission = parse()
    assert submission.issues == []
    assert [(b.item_path, b.period, str(b.amount_wan)) for b in submission.budget] == [
        ("资金总额", "full_year", "10"), ("财政拨款", "full_year", "10"), ("财政拨款/一般公共预算资金", "full_year", "10"),
        ("基本支出", "half_year", "4"), ("基本支出", "full_year", "8"), ("项目支出", "half_year", "1"),
        ("项目支出", "full_year", "2"), ("项目支出/甲项目", "half_year", "1"), ("项目支出/甲项目", "full_year", "2")]
    assert (submission.fiscal_year, submission.department_name) == (2024, "某某局")


def test_approximate_label_is_read_and_reported():
    submission = parse(r7=["", "", "", "一般公共预算拨款资金", "", "10"])
    assert "财政拨款/一般公共预算资金" in {b.item_path for b in submission.budget}
    assert issues(submission, "label_approximate") == [("warning", "D7")]


def test_child_without_its_parent_row_is_an_ambiguous_parent():
    submission = parse(r6=None)
    assert "财政拨款/一般公共预算资金" in {b.item_path for b in submission.budget}
    assert issues(submission, "parent_ambiguous") == [("warning", "D7")]


def test_unknown_income_item_is_kept_under_its_own_name_and_reported():
    submission = parse(r7=["", "", "彩票公益金", "", "", "3"])
    assert ("income", "彩票公益金") in {(b.direction, b.item_path) for b in submission.budget}
    assert issues(submission, "fund_item_unknown") == [("warning", "C7")]


@pytest.mark.parametrize("raw", ["—", ""])
def test_a_missing_amount_is_no_value_not_zero(raw):
    submission = parse(r9=["", "", "基本支出", "", raw, "8"])
    half = next(b for b in submission.budget if b.item_path == "基本支出" and b.period == "half_year")
    assert half.amount_wan is None


def test_half_quantitative_target_is_text_with_a_warning():
    submission = parse(r15=["", "", "满意度", "", "≥良好", "95%"])
    values = {t.raw_value: t for t in submission.targets}
    assert not values["≥良好"].is_quantitative and not values["95%"].is_quantitative
    assert issues(submission, "target_value_unparsed") == [("warning", "E15"), ("warning", "F15")]


def test_a_row_that_lost_its_leading_cells_is_realigned():
    submission = parse(r15=["满意度", "", "≥90%", "≥95%"])
    realigned = [(t.level2, t.level3, t.period, t.raw_value, t.cell) for t in submission.targets if t.level3 == "满意度"]
    assert realigned == [("数量", "满意度", "half_year", "≥90%", "C15"), ("数量", "满意度", "full_year", "≥95%", "D15")]
    assert issues(submission, "row_realigned") == [("warning", "A15")]


def test_missing_blocks_are_listed_for_the_quality_gate():
    submission = parse(r13=None, r14=None, r15=None)
    assert submission.missing_blocks == ["targets"]
    assert ("block_missing", "warning") in {(i.code, i.severity) for i in submission.issues}


def test_trailing_note_row_ends_the_indicator_table():
    submission = parse(r17=["注：金额单位为万元。", "", "", "", "1", "2"])
    assert len(submission.targets) == 4
