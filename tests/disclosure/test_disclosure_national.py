"""Disclosure workbooks under the other official naming (部门收支总表, 一般公共预算财政拨款支出表 … as many provinces
and the Ministry of Finance's reference format have them), and the sheets such a workbook holds beyond the family's
tables (政府采购预算表): every table read, the rest kept as generic tables of the same file."""
from __future__ import annotations

import shutil
from decimal import Decimal

import openpyxl
import pytest
from disclosure_support import FIXTURES, OFFICIAL

from budget_etl.api import parse, read_workbook
from budget_etl.parsers.disclosure.tables import find_tables
from budget_etl.parsers.templates import load_registry, parse_parts
from budget_etl.parsers.templates.blocks.disclosure import TABLE_READER, spec_of
from budget_etl.parsers.templates.labels import norm

ALL_TABLES = {"income_expense_summary", "income_summary", "expense_summary", "appropriation_summary",
              "general_budget_function", "gov_fund_function", "basic_economic", "three_public"}
#: The classified tables whose columns both namings head alike: their amounts are the official fixture's.
SAME_COLUMNS = ("expense_summary", "general_budget_function", "gov_fund_function", "basic_economic")


def _specs():
    family = load_registry().family("budget_disclosure")
    return [spec_of(block) for block in family.blocks if block.reader == TABLE_READER]


@pytest.mark.parametrize("title, table", [
    # the Ministry of Finance's reference format and the provinces' names
    ("2024年部门收支总表", "income_expense_summary"), ("2024年部门收入总表", "income_summary"),
    ("2024年部门支出总表", "expense_summary"), ("2024年财政拨款收支总表", "appropriation_summary"),
    ("2024年一般公共预算支出表", "general_budget_function"),
    ("2024年一般公共预算财政拨款支出表", "general_budget_function"),
    ("2024年一般公共预算基本支出表", "basic_economic"), ("2024年一般公共预算财政拨款基本支出表", "basic_economic"),
    ("2024年政府性基金预算财政拨款支出表", "gov_fund_function"),
    ("2024年国有资本经营预算财政拨款支出表", "state_capital_function"),
    ("2024年一般公共预算“三公”经费支出表", "three_public"), ("2024年一般公共预算财政拨款“三公”经费支出表", "three_public"),
    ("2024年部门收支总体情况表", "income_expense_summary"), ("2024年财政拨款收支总体情况表", "appropriation_summary"),
    ("2024年一般公共预算支出情况表", "general_budget_function"), ("2024年一般公共预算基本支出情况表", "basic_economic"),
    # numbered, continued, qualified
    ("表一 2024年部门收支总表", "income_expense_summary"), ("表1-3 2024年部门支出总表", "expense_summary"),
    ("2024年部门收支总表（表一）", "income_expense_summary"), ("2024年部门支出总表（续）", "expense_summary"),
    ("2024年一般公共预算财政拨款支出表（续表）", "general_budget_function"),
    # the official Putuo titles keep their tables
    ("2026年部门财务收支预算总表", "income_expense_summary"),
    ("2026年部门一般公共预算支出功能分类预算表", "general_budget_function"),
    ("2026年部门一般公共预算基本支出部门预算经济分类预算表", "basic_economic"),
    ("2026年部门“三公”经费和机关运行经费预算表", "three_public"),
    # tables of such workbooks the family does not read: none claims them
    ("2024年政府采购预算表", None), ("2024年一般公共预算财政拨款项目支出表", None), ("2024年项目支出表", None),
    ("2024年部门整体支出绩效目标表", None), ("2024年项目支出绩效目标表", None), ("2024年政府购买服务预算表", None),
    ("2024年一般公共预算机关运行经费支出表", None), ("2024年一般公共预算支出经济分类表", None),
    # a line of text is no title: without a year it is no table's by itself
    ("2024年部门收支总表说明", None), ("部门收支总表", None),
])
def test_each_title_is_one_table_s_and_no_two_tables_claim_it(title, table):
    claimed = [spec.code for spec in _specs() if spec.matches(norm(title))]
    assert claimed == ([table] if table else [])


def test_every_declared_table_and_the_family_title_know_the_national_names():
    family = load_registry().family("budget_disclosure")
    assert family.title_pattern.matches(norm("表1 2024年部门收支总表"))
    assert family.title_pattern.matches(norm("2024年部门收支总体情况表（续）"))


def parsed(name: str):
    return parse(read_workbook(FIXTURES / name))


def facts(submission, tables=None) -> set[tuple]:
    return {(x.table, x.side, x.item, x.function_code, x.economic_code, x.column, x.amount_wan, x.unit, x.is_total)
            for x in submission.disclosure if tables is None or x.table in tables}


@pytest.mark.parametrize("name", ["national.xlsx", "national.xls", "national.html"])
def test_the_national_naming_reads_every_table(name):
    submission = parsed(name)
    assert (submission.template, submission.department_name, submission.fiscal_year) == (
        "budget_disclosure", "苏州市吴江区总工会", 2024)
    assert ALL_TABLES <= set(submission.blocks) and submission.missing_blocks == []
    assert [(i.code, i.message) for i in submission.issues if i.severity != "info"] == []
    assert facts(submission) == facts(parsed("national.xlsx"))
    # the banner over the amounts ('本年支出') names the table, not a column: the same facts as the official layout
    assert facts(submission, SAME_COLUMNS) == facts(parsed("department.xlsx"), SAME_COLUMNS)


def test_a_year_less_title_heading_its_sheet_alone_is_its_table():
    found = find_tables(read_workbook(FIXTURES / "national.xlsx"),
                        next(s for s in _specs() if s.code == "gov_fund_function"))
    assert [(t.sheet.name, t.title.address, t.title.text) for t in found] == [("表8", "A2", "政府性基金预算财政拨款支出表")]


def test_a_contents_sheet_naming_every_table_with_its_year_is_none_of_them():
    workbook = read_workbook(FIXTURES / "national.xlsx")
    assert [c.text for c in workbook.sheets[1].cells if c.col == 2 and c.text][:2] == ["2024年部门收支总表", "2024年部门收入总表"]
    assert {t.sheet.name for spec in _specs() for t in find_tables(workbook, spec)} == {f"表{n}" for n in range(1, 9)}
    contents = [t.text for t in parse(workbook).texts if t.section == "contents"]
    assert contents[:3] == ["表1", "2024年部门收支总表", "表2"]


def test_the_budget_year_s_three_public_band_is_read_as_the_table_the_year_before_under_its_label():
    lines = {x.column: x.amount_wan for x in parsed("national.xlsx").disclosure if x.table == "three_public"}
    assert lines == {
        "合计": Decimal("13.4"), "因公出国(境)费": Decimal("0"), "公务接待费": Decimal("3.4"),
        "公务用车购置及运行费": Decimal("10"), "公务用车购置及运行费/公务用车购置费": Decimal("0"),
        "公务用车购置及运行费/公务用车运行费": Decimal("10"),
        "2023年预算数/合计": Decimal("15.8"), "2023年预算数/因公出国(境)费": Decimal("0"),
        "2023年预算数/公务接待费": Decimal("3.8"), "2023年预算数/公务用车购置及运行费": Decimal("12"),
        "2023年预算数/公务用车购置及运行费/公务用车购置费": Decimal("0"),
        "2023年预算数/公务用车购置及运行费/公务用车运行费": Decimal("12")}


def test_the_three_public_items_down_a_column_per_year_read_as_the_bands_do():
    down, bands = parsed("national-three-public-down.xlsx"), parsed("national.xlsx")
    assert [i.code for i in down.issues if i.severity != "info"] == []
    assert {(x.column, x.amount_wan) for x in down.disclosure if x.table == "three_public"} == {
        (x.column, x.amount_wan) for x in bands.disclosure if x.table == "three_public"}


def test_a_table_continued_on_a_second_sheet_is_read_whole():
    whole, continued = parsed("national.xlsx"), parsed("national-continued.xlsx")
    assert [i.code for i in continued.issues if i.severity != "info"] == []
    assert facts(continued) == facts(whole)
    assert {x.sheet for x in continued.disclosure if x.table == "expense_summary"} == {"表3", "表4"}


def test_the_sheets_no_block_read_are_a_generic_part_of_the_same_file():
    family, rest = parse_parts(read_workbook(FIXTURES / "national.xlsx"))
    assert (family.template, rest.template) == ("budget_disclosure", "generic")
    assert [(t["sheet"], t["title"]) for t in rest.tables] == [("表9", "表9 2024年政府采购预算表 部门名称：苏州市吴江区总工会")]


@pytest.mark.parametrize("name", ["putuo_2026_dept_budget_template.xlsx", "putuo_2026_unit_budget_template.xls"])
def test_the_official_blank_workbooks_add_no_generic_part(name):
    path = OFFICIAL / name
    if not path.exists():
        pytest.skip("the shared data sets are not on this machine")
    assert [p.template for p in parse_parts(read_workbook(path))] == ["budget_disclosure"]


# -- end to end ---------------------------------------------------------------------------------------------
def test_a_national_workbook_loads_with_its_checks_passing_and_its_extra_sheet_as_generic_tables(cli):
    files = [str(FIXTURES / "national.xlsx"), str(FIXTURES / "national-continued.xlsx")]
    code, out, err = cli("ingest", *files)
    assert code == 0, out + err
    assert "2 files: 2 loaded (2 with extra sheets as generic tables)" in out
    assert "- sheet 表9: loaded generic 1 table, 11 entries" in out
    rows = cli.rows("select expectation, bool_and(success) ok, count(*) n from quality_results "
                    "where expectation like 'disclosure%' group by all order by all")
    assert [(r["expectation"], r["ok"]) for r in rows] == [
        ("disclosure_balance", True), ("disclosure_class_sums", True), ("disclosure_row_sums", True),
        ("disclosure_same_total", True), ("disclosure_table_totals", True), ("disclosure_three_public", True)]
    assert cli.rows("select count(*) n from quality_results where expectation = 'tables_missing'") == [{"n": 0}]
    # the reconciled amounts: 支出总计 8,205,000.00 元 in both files, the 一般公共预算 760.5 万元
    assert cli.rows("select count(*) n, min(amount_wan)::varchar a from fact_disclosure "
                    "where table_code = 'income_expense_summary' and item = '支出总计'") == [{"n": 2, "a": "820.500000"}]
    # one department and year: the second file is its current version, the one v_disclosure_spending reads
    assert cli.rows("select sum(total_wan)::varchar t from v_disclosure_spending "
                    "where funds = 'general_budget' and level = 1") == [{"t": "760.500000"}]
    # the 政府采购预算表 of each file, in v_generic_entries beside the disclosure's facts of the same file
    generic = cli.rows("select regexp_extract(source_path, '[^/]+$') f, sheet, table_title like '%政府采购预算表%' t, "
                       "count(*) n, sum(value)::varchar v from v_generic_entries group by all order by all")
    assert generic == [{"f": "national-continued.xlsx", "sheet": "表10", "t": True, "n": 11, "v": "1920000.000000"},
                       {"f": "national.xlsx", "sheet": "表9", "t": True, "n": 11, "v": "1920000.000000"}]


def test_without_generic_the_sheet_left_out_is_named(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "national.html"), "--no-generic", "--json")
    (entry,) = summary["files"]
    assert code == 0 and (entry["status"], entry["template"]) == ("loaded", "budget_disclosure")
    assert entry["warnings"] == ["sheet_not_read"]
    assert cli.rows("select source_cells from quality_results where expectation = 'sheet_not_read'") == [
        {"source_cells": "table13!A1"}]
    assert cli.rows("select count(*) n from v_generic_entries") == [{"n": 0}]


def test_a_second_copy_of_a_table_is_kept_as_generic_tables(cli, tmp_path):
    path = tmp_path / "repeated.xlsx"
    shutil.copy(FIXTURES / "national.xlsx", path)
    book = openpyxl.load_workbook(path)
    book.copy_worksheet(book["表3"]).title = "表3 副本"
    book.save(path)
    code, summary, _ = cli.json("ingest", str(path), "--json")
    (entry,) = summary["files"]
    assert code == 0 and "table_repeated" in entry["warnings"]
    assert [s["template"] for s in entry["submissions"]] == ["budget_disclosure", "generic"]
    assert [r["sheet"] for r in cli.rows("select distinct sheet from v_generic_entries order by sheet")] == [
        "表3 副本", "表9"]
