"""Disclosure workbooks end to end through `budget-etl ingest`, with the real quality gate and a real warehouse."""
from __future__ import annotations

from decimal import Decimal

import pytest
from disclosure_support import FIXTURES, SAMPLES

TARGET_TABLE = SAMPLES / "wujiang-trade-union-2024-department.xlsx"


def test_good_workbooks_load_with_exact_amounts(cli):
    files = [FIXTURES / n for n in ("department.xlsx", "unit.xls")]
    code, summary, err = cli.json("ingest", *map(str, files), "--json")
    assert code == 0, err
    assert [(f["status"], f["template"], f["department_name"], f["fiscal_year"]) for f in summary["files"]] == [
        ("loaded", "budget_disclosure", "苏州市吴江区总工会", 2024),
        ("loaded", "budget_disclosure", "苏州市吴江区职工服务中心", 2025)]
    (row,) = cli.rows("select amount_wan::varchar a, amount_source::varchar s, amount_unit u, amount_raw r, source_cell c "
                      "from fact_disclosure where table_code = 'expense_summary' and function_code = '2012902' "
                      "and column_path = '项目支出'")
    assert row == {"a": "200.098765", "s": "2000987.650000", "u": "元", "r": "2000987.65", "c": "G12"}
    assert cli.rows("select typeof(amount_wan) t from fact_disclosure limit 1") == [{"t": "DECIMAL(20,6)"}]
    # Texts, and the class dimensions with their hierarchy.
    assert cli.rows("select count(distinct section) n from submission_texts")[0]["n"] == 7
    assert cli.rows("select name, level, level_name, parent_code, class_code, section_code from dim_function_class "
                    "where function_code = '2012902'") == [{"name": "一般行政管理事务", "level": 3, "level_name": "项",
                                                           "parent_code": "20129", "class_code": "201",
                                                           "section_code": "20129"}]
    assert cli.rows("select name, level, parent_code from dim_economic_class where economic_code = '30201'") == [
        {"name": "办公费", "level": 2, "parent_code": "302"}]


def test_spending_by_function_class(cli):
    assert cli("ingest", str(FIXTURES / "department.xlsx"))[0] == 0
    rows = cli.rows("select class_code, class_name, sum(basic_wan)::varchar basic, sum(project_wan)::varchar project, "
                    "sum(total_wan)::varchar total from v_disclosure_spending where funds = 'all' and level = 3 "
                    "group by all order by class_code")
    assert rows[0] == {"class_code": "201", "class_name": "一般公共服务支出", "basic": "225.400000",
                       "project": "500.100000", "total": "725.500000"}
    totals = cli.rows("select sum(total_wan)::varchar t from v_disclosure_spending where funds = 'all' and level = 1")
    assert totals == [{"t": "820.500000"}]  # the department's 支出总计, 8,205,000.00 元
    general = cli.rows("select sum(total_wan)::varchar t from v_disclosure_spending "
                       "where funds = 'general_budget' and level = 1")
    assert general == [{"t": "760.500000"}]


def test_v_budget_keeps_its_meaning(cli):
    assert cli("ingest", str(TARGET_TABLE), str(FIXTURES / "department.xlsx"))[0] == 0
    assert cli.rows("select count(*) n from v_budget where department_name = '苏州市吴江区总工会'") == \
        cli.rows("select count(*) n from fact_budget")


@pytest.mark.parametrize("name, check, cells", [
    ("fails-balance.xlsx", "disclosure_balance", "部门收支总表!B17, 部门收支总表!D17"),
    ("fails-row-sum.xlsx", "disclosure_row_sums", "部门支出总表!E12, 部门支出总表!F12, 部门支出总表!G12"),
    ("fails-income-row-sum.xlsx", "disclosure_row_sums", "部门收入总表!E12"),
    ("fails-class-sum.xlsx", "disclosure_class_sums", "部门支出总表!E9, 部门支出总表!E10"),
    ("fails-item-sum.xlsx", "disclosure_class_sums", "部门支出总表!E10, 部门支出总表!E11, 部门支出总表!E12"),
    ("fails-three-public.xlsx", "disclosure_three_public", "部门“三公”经费和机关运行费预算表!A7"),
    ("fails-three-public-down.xlsx", "disclosure_three_public", "部门“三公”经费和机关运行费预算表!B7"),
    ("fails-across-tables.xlsx", "disclosure_same_total", "部门一般公共预算拨款表!F23, 部门一般公共预算拨款基本支出明细表!D22"),
])
def test_each_gate_quarantines_and_names_the_cells(cli, name, check, cells):
    code, summary, _ = cli.json("ingest", str(FIXTURES / name), "--json")
    assert code == 1
    (f,) = summary["files"]
    assert f["status"] == "quarantined" and check in f["failed_checks"]
    (row,) = cli.rows(f"select source_cells, message from quality_results where expectation = '{check}' "
                      "and not success")
    assert row["source_cells"].startswith(cells) or cells in row["source_cells"]
    assert cli.rows("select count(*) n from fact_disclosure") == [{"n": 0}]


def test_a_workbook_lacking_tables_loads_with_a_warning(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "missing-tables.xlsx"), "--json")
    assert code == 0
    (f,) = summary["files"]
    assert f["status"] == "loaded" and "tables_missing" in f["warnings"]
    (row,) = cli.rows("select message from quality_results where expectation = 'tables_missing'")
    assert "财政拨款收支预算总表" in row["message"]


def test_a_workbook_without_its_summary_table_is_quarantined(cli):
    _, summary, _ = cli.json("ingest", str(FIXTURES / "no-summary.xlsx"), "--json")
    assert summary["files"][0]["status"] == "quarantined"
    assert "required_blocks_found" in summary["files"][0]["failed_checks"]


def test_yuan_in_a_wan_table_is_reported(cli):
    _, summary, _ = cli.json("ingest", str(FIXTURES / "yuan-in-wan-table.xlsx"), "--json")
    assert "amount_unit_doubtful" in summary["files"][0]["warnings"]


@pytest.mark.parametrize("together", [True, False])
def test_cross_document_warning_when_the_total_differs_from_the_target_table(cli, together):
    """The target table in the same run, or already in the warehouse from an earlier run."""
    disclosure = str(FIXTURES / "differs-from-target-table.xlsx")
    if together:
        code, summary, _ = cli.json("ingest", str(TARGET_TABLE), disclosure, "--json")
    else:
        assert cli("ingest", str(TARGET_TABLE))[0] == 0
        code, summary, _ = cli.json("ingest", disclosure, "--json")
    assert code == 0  # a warning: both load
    f = next(f for f in summary["files"] if f["template"] == "budget_disclosure")
    assert f["status"] == "loaded" and "disclosure_matches_target_table" in f["warnings"]
    (row,) = cli.rows("select observed, expected, source_cells from quality_results "
                      "where expectation = 'disclosure_matches_target_table'")
    assert row["observed"] == "8206000 元" and row["expected"].startswith("8205000 元")
    assert "wujiang-trade-union-2024-department.xlsx" in row["source_cells"]


def test_cross_document_check_passes_when_the_totals_agree(cli):
    code, _, _ = cli.json("ingest", str(TARGET_TABLE), str(SAMPLES / "wujiang-trade-union-2024-budget-disclosure.xlsx"),
                          "--json")
    assert code == 0
    assert cli.rows("select success from quality_results where expectation = 'disclosure_matches_target_table'") == [
        {"success": True}]
    assert Decimal(cli.rows("select amount_wan::varchar a from v_budget where item_path = '资金总额'")[0]["a"]) == \
        Decimal("820.5")
