"""A disclosure workbook is one submission: identity, tables by title, texts, in every format and variant."""
from __future__ import annotations

from decimal import Decimal

import pytest
from disclosure_support import FIXTURES, OFFICIAL

from budget_etl.api import parse, read_workbook


def parsed(name: str):
    return parse(read_workbook(FIXTURES / name))


def facts(submission) -> set[tuple]:
    """The amounts, whatever the sheet names or the cells: by table, row and column, compared as numbers."""
    return {(x.table, x.side, x.item, x.function_code, x.economic_code, x.column, x.amount_wan, x.unit, x.is_total)
            for x in submission.disclosure}


ALL_TABLES = {"income_expense_summary", "income_summary", "expense_summary", "appropriation_summary",
              "general_budget_function", "gov_fund_function", "basic_economic", "three_public"}


@pytest.mark.parametrize("name", ["department.xlsx", "department.xls", "department.html", "department-headings.html",
                                  "whole-codes-plain-sheets.xlsx", "codes-with-names-spaced-totals.xlsx"])
def test_department_variant_in_every_format_gives_the_same_facts(name):
    submission = parsed(name)
    assert (submission.template, submission.department_name, submission.fiscal_year) == (
        "budget_disclosure", "苏州市吴江区总工会", 2024)
    assert submission.attributes["variant"] == "department"
    assert ALL_TABLES <= set(submission.blocks) and submission.missing_blocks == []
    subtotals = {"本年收入合计", "本年支出合计"}  # only the spaced-totals variant has these rows
    assert {f for f in facts(submission) if f[2] not in subtotals} == facts(parsed("department.xlsx"))
    assert [i for i in submission.issues if i.severity != "info"] == []


@pytest.mark.parametrize("name", ["unit.xlsx", "unit.xls", "unit.html"])
def test_unit_variant(name):
    submission = parsed(name)
    assert (submission.department_name, submission.fiscal_year, submission.attributes["variant"]) == (
        "苏州市吴江区职工服务中心", 2025, "unit")
    assert ALL_TABLES | {"state_capital_function"} <= set(submission.blocks)
    assert facts(submission) == facts(parsed("unit.xlsx"))
    # The unit 收支总表 splits its expense side: 基本支出 into 人员经费 and 公用经费.
    columns = {x.column for x in submission.disclosure if x.table == "income_expense_summary" and x.side == "expense"}
    assert columns == {"合计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"}


def test_codes_levels_and_amounts():
    submission = parsed("department.xls")  # the .xls has 类 codes as numbers (205.0)
    lines = {(x.table, x.function_code or x.economic_code, x.column): x for x in submission.disclosure}
    line = lines[("expense_summary", "2012902", "项目支出")]
    assert (line.item, line.amount, line.unit, line.amount_wan) == (
        "一般行政管理事务", Decimal("2000987.65"), "元", Decimal("200.098765"))
    assert {code for (table, code, _) in lines if table == "expense_summary" and code} >= {"201", "20129", "2012901"}
    assert lines[("basic_economic", "30201", "公用经费")].amount_wan == Decimal("19.987654")
    # The 收支总表 names 类 without codes; the workbook's own coded rows give them.
    summary = [x for x in submission.disclosure if x.table == "income_expense_summary" and x.side == "expense"
               and not x.is_total]
    assert {x.item: x.function_code for x in summary}["一般公共服务支出"] == "201"
    income = {x.item for x in submission.disclosure if x.table == "income_expense_summary" and x.side == "income"}
    assert {"财政拨款收入", "财政拨款收入/一般公共预算", "其他收入", "收入总计"} <= income


def test_three_public_table_in_wan_is_taken_as_it_is():
    lines = {x.column: x for x in parsed("department.xlsx").disclosure if x.table == "three_public"}
    assert lines["公务接待费"].unit == "万元" and lines["公务接待费"].amount_wan == Decimal("3.4")
    assert lines["公务用车购置及运行费/运行费"].amount_wan == Decimal(10)


def test_a_workbook_declaring_wan_is_stored_as_it_is():
    wan, yuan = parsed("wan.xlsx"), parsed("department.xlsx")
    assert {x.unit for x in wan.disclosure} == {"万元"}
    assert {(x.table, x.item, x.column, x.amount_wan) for x in wan.disclosure} == {
        (x.table, x.item, x.column, x.amount_wan) for x in yuan.disclosure}


def test_yuan_in_a_wan_table_is_a_warning_naming_the_cells():
    (issue,) = [i for i in parsed("yuan-in-wan-table.xlsx").issues if i.code == "amount_unit_doubtful"]
    assert issue.severity == "warning" and issue.sheet == "部门支出总表"
    assert "部门支出总表!E9" in issue.message and "支出预算总表" in issue.message


def test_texts_from_cover_contents_and_text_sheets():
    texts = parsed("department.xlsx").texts
    sections = {t.section for t in texts}
    assert sections == {"cover", "contents", "functions", "organization", "glossary", "budget_notes", "other_notes"}
    functions = [t.text for t in texts if t.section == "functions"]
    assert functions[1:] == ["1.贯彻执行上级工会的工作方针；", "2.维护职工合法权益；", "3.负责区工会经费和资产的管理。"]


def test_a_workbook_lacking_tables_loads_what_it_has_and_names_the_rest():
    submission = parsed("missing-tables.xlsx")
    assert submission.missing_blocks == []
    (issue,) = [i for i in submission.issues if i.code == "tables_missing"]
    for title in ("财政拨款收支预算总表", "收入预算总表", "一般公共预算基本支出经济分类预算表", "“三公”经费和机关运行经费预算表"):
        assert title in issue.message
    assert {x.table for x in submission.disclosure} == {"income_expense_summary", "expense_summary",
                                                        "general_budget_function"}


def test_without_the_summary_table_a_required_block_is_missing():
    assert parsed("no-summary.xlsx").missing_blocks == ["income_expense_summary"]


@pytest.mark.parametrize("name, variant, organisation", [
    ("putuo_2026_dept_budget_template.xlsx", "department", "上海市普陀区XX局"),
    ("putuo_2026_unit_budget_template.xls", "unit", "上海市普陀区XX单位"),
])
def test_the_official_blank_workbooks_are_recognised(name, variant, organisation):
    path = OFFICIAL / name
    if not path.exists():
        pytest.skip("the shared data sets are not on this machine")
    submission = parse(read_workbook(path))
    assert (submission.template, submission.department_name, submission.fiscal_year) == (
        "budget_disclosure", organisation, 2026)
    assert submission.attributes["variant"] == variant
    assert ALL_TABLES | {"state_capital_function"} <= set(submission.blocks)
    assert {"cover", "contents", "functions", "organization", "glossary", "budget_notes"} <= {
        t.section for t in submission.texts}


def test_three_public_items_down_a_column():
    lines = {x.column: x.amount_wan for x in parsed("three-public-down.xlsx").disclosure if x.table == "three_public"}
    assert lines == {"合计": Decimal("13.4"), "因公出国(境)费": Decimal("0"), "公务接待费": Decimal("3.4"),
                     "公务用车购置及运行费": Decimal("10"), "公务用车购置及运行费/公务用车购置费": Decimal("0"),
                     "公务用车购置及运行费/公务用车运行费": Decimal("10")}
