"""Disclosure workbooks as other cities print them (tests/fixtures/make_disclosure_fixtures.py, city_sheets): 元
written as text with thousands separators and '-' for nothing, 合计 first; 功能分类 codes in one column with the
names indented, or split 类 | 款 | 项 with each part printed once (or merged down); a 部门 workbook's 收入总表 by
unit (单位编码 | 单位名称); a 单位 workbook; the same tables as .xls, as web pages whose titles stand outside the
tables, and all on one sheet. The same department and amounts as the official-layout fixtures."""
from __future__ import annotations

from decimal import Decimal

import pytest
from disclosure_support import FIXTURES, fixture_script

from budget_etl.api import parse, read_workbook
from budget_etl.parsers.disclosure import tables

CITY_FILES = ["city.xlsx", "city.xls", "city-caption.html", "city-p.html", "city-one-sheet.xlsx"]
ALL_TABLES = {"income_expense_summary", "income_summary", "expense_summary", "appropriation_summary",
          "general_budget_function", "gov_fund_function", "basic_economic", "three_public"}


def parsed(name: str):
    return parse(read_workbook(FIXTURES / name))


def amounts(submission) -> dict[tuple, Decimal | None]:
    """(table, side, item, code, column) -> 万元: what a file says, wherever its cells are."""
    return {(x.table, x.side, x.item, x.function_code or x.economic_code, x.column): x.amount_wan
            for x in submission.disclosure}


def expected_codes(pick) -> set[str]:
    """The codes of the 类, 款 and 项 rows a table of the fixture content has."""
    script = fixture_script()
    return {code for code, _, values in script.class_rows(script.wujiang_2024(), pick)}


@pytest.mark.parametrize("name", CITY_FILES)
def test_every_table_of_every_city_layout_is_read_without_a_warning(name):
    submission = parsed(name)
    assert submission.department_name == "苏州市吴江区总工会"
    assert submission.fiscal_year == 2024
    assert {x.table for x in submission.disclosure} == ALL_TABLES
    assert [i.code for i in submission.issues] == []


@pytest.mark.parametrize("name", CITY_FILES[1:])
def test_each_format_reads_the_same_amounts_as_the_xlsx(name):
    assert amounts(parsed(name)) == amounts(parsed("city.xlsx"))


def test_split_codes_printed_once_or_merged_down_take_the_parts_above():
    """'201 | | ' then ' | 29 | ' then ' | | 01' is 2012901 (一般公共预算支出表, each part printed once); the 类 and 款
    merged down over their rows read the same (基本支出表, 政府性基金)."""
    submission = parsed("city.xlsx")
    codes = {table: {x.function_code or x.economic_code for x in submission.disclosure if x.table == table} - {None}
             for table in ("general_budget_function", "gov_fund_function", "expense_summary", "basic_economic")}
    assert codes["general_budget_function"] == expected_codes(lambda s: [s.general_basic + s.general_project])
    assert codes["gov_fund_function"] == expected_codes(lambda s: [s.fund_project])
    assert codes["expense_summary"] == expected_codes(lambda s: [s.basic + s.project])  # one column, indented names
    assert codes["basic_economic"] == {"301", "30101", "30102", "30108", "30110", "30113", "302", "30201", "30211",
                                       "30217", "30231", "303", "30302"}
    line = next(x for x in submission.disclosure
                if x.table == "general_budget_function" and x.function_code == "2012902" and x.column == "项目支出")
    assert (line.item, line.raw, line.amount_wan, line.cell) == ("一般行政管理事务", "1,600,987.65",
                                                                  Decimal("160.098765"), "G10")


def test_a_table_by_unit_keeps_each_unit_as_its_row():
    submission = parsed("city.xlsx")
    rows = {(x.item, x.column): (x.amount_wan, x.cell, x.is_total) for x in submission.disclosure
            if x.table == "income_summary"}
    assert rows[("合计", "合计")] == (Decimal("820.5"), "C4", True)
    assert rows[("苏州市吴江区总工会本部", "合计")] == (Decimal("600.401235"), "C5", False)
    assert rows[("苏州市吴江区职工服务中心", "其他收入")] == (Decimal("40"), "G6", False)
    assert rows[("苏州市吴江区总工会本部", "其他收入")] == (None, "G5", False)  # '-': nothing
    assert {x.function_code for x in submission.disclosure if x.table == "income_summary"} == {None}


def test_the_units_not_adding_up_to_the_total_fail_the_table_total(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "fails-unit-rows.xlsx"), "--json")
    assert [f["status"] for f in summary["files"]] == ["quarantined"]
    failed = cli.rows("select expectation, source_cells, message from quality_results where not success")
    assert [r["expectation"] for r in failed] == ["disclosure_table_totals"]
    assert "表2!C6" in failed[0]["source_cells"]
    assert "合计 = the sum of the rows" in failed[0]["message"]


def test_the_name_line_that_also_declares_the_unit_names_the_department():
    """'单位名称：苏州市吴江区总工会 单位：元' on one line (a web page's <p>): the name is what precedes the unit."""
    submission = parsed("city-p.html")
    assert submission.department_name == "苏州市吴江区总工会"
    assert {x.unit for x in submission.disclosure if x.table != "three_public"} == {"元"}


def test_tables_one_under_the_other_on_one_sheet_are_each_read():
    workbook = read_workbook(FIXTURES / "city-one-sheet.xlsx")
    regions = tables.table_regions(workbook.sheets[0])
    assert len(regions) == 9  # the eight tables and the 项目支出表
    submission = parse(workbook)
    by_table = {x.table: x for x in submission.disclosure if x.is_total and x.column == "合计"}
    assert by_table["income_summary"].amount_wan == Decimal("820.5")
    assert by_table["basic_economic"].amount_wan == Decimal("300.4")


def test_a_contents_sheet_naming_tables_one_a_line_is_not_cut_into_tables():
    workbook = read_workbook(FIXTURES / "national.xlsx")
    contents = next(s for s in workbook.sheets if s.name == "目录")
    assert tables.table_regions(contents) == [contents]


def test_a_unit_workbook_titled_with_the_unit_after_its_year_is_the_unit_variant():
    submission = parsed("city-unit.xlsx")
    assert (submission.department_name, submission.fiscal_year) == ("苏州市吴江区职工服务中心", 2025)
    assert submission.attributes["variant"] == "unit"
    assert [i.code for i in submission.issues] == []
    capital = {x.function_code for x in submission.disclosure if x.table == "state_capital_function"} - {None}
    assert capital == {"223", "22301", "2230105"}
    # its 收支总表 headed '收入项目 | 金额 | 支出项目 | 金额', nothing left blank
    balance = {(x.side, x.item): x.amount_wan for x in submission.disclosure if x.table == "income_expense_summary"}
    assert balance[("income", "收入总计")] == balance[("expense", "支出总计")] == Decimal("206.234567")
    assert balance[("income", "国有资本经营预算拨款收入")] == Decimal("5")
    assert ("income", "事业收入") not in balance  # a blank cell is no amount
    # its empty 政府性基金 table's note is kept as text, not taken for a code
    notes = [(t.section, t.seq, t.text, t.sheet) for t in submission.texts if t.section == "table_notes"]
    assert notes == [("table_notes", 1, "注：本单位2025年无政府性基金预算财政拨款安排的支出，故本表为空表。", "表8")]


def test_a_city_workbook_loads_and_its_sums_hold(cli):
    code, summary, _ = cli.json("ingest", *(str(FIXTURES / n) for n in ("city.xlsx", "city-unit.xlsx")), "--json")
    assert code == 0 and [f["status"] for f in summary["files"]] == ["loaded", "loaded"]
    failed = cli.rows("select expectation from quality_results where not success")
    assert failed == []
    spending = cli.rows("select class_code, sum(total_wan) as wan from v_disclosure_spending "
                        "where funds = 'general_budget' and level = 3 and fiscal_year = 2024 group by 1 order by 1")
    assert [(r["class_code"], Decimal(str(r["wan"]))) for r in spending] == [
        ("201", Decimal("685.5")), ("208", Decimal("28")), ("210", Decimal("17")), ("221", Decimal("30"))]


def test_the_ministry_s_nested_appropriation_table_gives_its_classes_their_codes():
    """'（一）一般公共服务支出' under '一、本年支出' (财政拨款收支总表 as the Ministry of Finance nests it) is the 类 201,
    as '一、一般公共服务支出' is; its amounts are in 万元 as the table declares."""
    submission = parsed("city-mof.xlsx")
    lines = {(x.side, x.item): x for x in submission.disclosure
             if x.table == "appropriation_summary" and x.column in ("预算数", "合计")}
    assert {(item, x.function_code) for (side, item), x in lines.items() if x.function_code} == {
        ("本年支出/一般公共服务支出", "201"), ("本年支出/社会保障和就业支出", "208"), ("本年支出/卫生健康支出", "210"),
        ("本年支出/住房保障支出", "221"), ("本年支出/其他支出", "229")}
    assert (lines[("income", "本年收入/一般公共预算拨款")].amount_wan, lines[("income", "本年收入/一般公共预算拨款")].unit) \
        == (Decimal("760.5"), "万元")
    assert [i.code for i in submission.issues] == []


def test_a_name_headed_by_a_bare_department_label_is_the_organisation_and_a_unit_line_is_not():
    """'部门：苏州市吴江区总工会' on every table, '单位：元' beside it: the name is the department's, no disagreement."""
    submission = parsed("city-mof.xlsx")
    assert submission.department_name == "苏州市吴江区总工会"
    assert "identity_disagrees" not in [i.code for i in submission.issues]


def test_the_ministry_s_layout_loads_with_its_sums_holding(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "city-mof.xlsx"), "--json")
    assert [f["status"] for f in summary["files"]] == ["loaded"]
    assert cli.rows("select expectation from quality_results where not success") == []


def test_a_table_no_block_reads_on_a_sheet_of_several_loads_as_generic_tables(cli):
    """The 项目支出表 under the family's tables on one sheet is kept as generic tables of the file, as on a sheet of
    its own, at its own cells."""
    code, summary, _ = cli.json("ingest", str(FIXTURES / "city-one-sheet.xlsx"), "--json")
    assert [f["status"] for f in summary["files"]] == ["loaded"]
    entries = cli.rows("select cell, value_text, table_title from v_generic_entries order by sheet_row, cell")
    assert len(entries) == 6
    assert {e["table_title"].split()[0] for e in entries} == {"2024年项目支出表"}
    assert entries[0]["cell"] == "B120" and entries[0]["value_text"] == "职工服务阵地建设"


def test_a_table_listing_each_unit_s_classes_keeps_them_under_their_unit():
    """'101001 | 苏州市吴江区总工会本部' then its 类, 款 and 项, then the next unit's: the unit's row is no code (no
    code_length), and each class row is the unit's ('苏州市吴江区总工会本部/行政运行'), so the same code in two units
    is two rows, each checked against its own unit's 款 and 项."""
    submission = parsed("city-units.xlsx")
    assert [i.code for i in submission.issues] == []
    rows = {(x.item, x.function_code): x.amount_wan for x in submission.disclosure
            if x.table == "expense_summary" and x.column == "合计"}
    assert rows[("苏州市吴江区总工会本部", None)] == Decimal("600.401235")
    assert rows[("苏州市吴江区总工会本部/一般公共服务支出", "201")] == Decimal("525.401235")
    assert rows[("苏州市吴江区职工服务中心/一般公共服务支出", "201")] == Decimal("200.098765")
    assert rows[("合计", None)] == Decimal("820.5")


def test_units_listing_their_classes_load_as_the_department_s_spending(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "city-units.xlsx"), "--json")
    assert [f["status"] for f in summary["files"]] == ["loaded"]
    assert cli.rows("select expectation from quality_results where not success") == []
    spending = cli.rows("select function_code, function_name, total_wan from v_disclosure_spending "
                        "where funds = 'all' and level = 1 order by 1")
    assert [(r["function_code"], r["function_name"], Decimal(str(r["total_wan"]))) for r in spending] == [
        ("201", "一般公共服务支出", Decimal("725.5")), ("208", "社会保障和就业支出", Decimal("28")),
        ("210", "卫生健康支出", Decimal("17")), ("221", "住房保障支出", Decimal("30")), ("229", "其他支出", Decimal("20"))]


def test_a_unit_s_row_not_adding_up_to_its_classes_fails_the_table_total(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "fails-unit-classes.xlsx"), "--json")
    assert [f["status"] for f in summary["files"]] == ["quarantined"]
    failed = cli.rows("select expectation, source_cells, message from quality_results where not success")
    assert [r["expectation"] for r in failed] == ["disclosure_table_totals"]
    assert "苏州市吴江区职工服务中心 (合计) = the sum of its 类 rows" in failed[0]["message"]
    assert "表3!C19" in failed[0]["source_cells"]


def test_a_class_is_named_by_its_row_not_by_the_item_above_it(cli):
    """The nested 财政拨款收支总表 comes first in a run of its own: the 类 201 is 一般公共服务支出, not
    '本年支出/一般公共服务支出'."""
    cli("ingest", str(FIXTURES / "city-mof.xlsx"))
    names = cli.rows("select name from dim_function_class where function_code = '201'")
    assert names == [{"name": "一般公共服务支出"}]
