"""The seed submission goes end to end through `budget-etl ingest` into the contract's tables and views."""
from __future__ import annotations

import json

import pytest


def test_seed_loads_and_views_hold_every_fact(cli, seed_path):
    code, summary, err = cli.json("ingest", str(seed_path), "--json")
    assert code == 0, err
    assert set(summary) >= {"run_id", "files", "report_path"}
    (f,) = summary["files"]
    assert f["status"] == "loaded"
    assert f["template"] == "department_overall"
    assert f["department_name"] == "苏州市总工会（本级）"
    assert f["fiscal_year"] == 2023
    assert f["submission_id"]
    assert f["error_code"] is None and f["failed_checks"] == []

    assert cli("query", "select count(*) from v_budget")[1].strip() == "27"
    assert cli("query", "select count(*) from v_targets")[1].strip() == "88"
    assert cli("query", "select count(*) from v_targets where source_cell is null or source_sheet is null")[1].strip() == "0"
    assert cli("query", "select count(*) from v_budget where source_cell is null")[1].strip() == "0"


@pytest.mark.parametrize("sql, expected", [
    ("select amount_wan from v_budget where item_path = '资金总额'", "1363.410000"),
    ("select amount_wan from v_budget where item_path = '项目支出/工会社工工资' and period = 'half_year'", "157.810000"),
    ("select raw_value from v_targets where level3 = '评选五一劳动奖章人数' and period = 'full_year'", "=300人"),
    ("select operator || value::varchar || unit from v_targets where level3 = '公用经费控制率' and period = 'full_year'",
     "<=100.0000%"),
    ("select key_task from v_targets where level3 = '评选苏州时代工匠人数' and period = 'half_year'",
     "大力弘扬劳模精神、劳动精神、工匠精神"),
    ("select count(*) from v_targets where is_quantitative", "42"),
])
def test_seed_values_are_exact(cli, seed_path, sql, expected):
    assert cli("ingest", str(seed_path))[0] == 0
    assert cli("query", sql)[1].strip() == expected


def test_second_run_reports_duplicates_and_changes_nothing(cli, seed_path):
    cli("ingest", str(seed_path))
    tables = ["submissions", "fact_budget", "fact_target", "dim_indicator", "submission_texts", "quality_results"]
    before = {t: cli("query", f"select count(*) from {t}")[1] for t in tables}
    code, summary, _ = cli.json("ingest", str(seed_path), "--json")
    assert code == 0
    assert [f["status"] for f in summary["files"]] == ["duplicate"]
    assert {t: cli("query", f"select count(*) from {t}")[1] for t in tables} == before


def test_query_formats(cli, seed_path):
    cli("ingest", str(seed_path))
    sql = "select item_path, period, amount_wan from v_budget where item_path like '财政拨款%' order by item_path"
    code, out, _ = cli("query", sql, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0] == {"item_path": "财政拨款", "period": "full_year", "amount_wan": 1363.41}
    code, out, _ = cli("query", sql, "--format", "csv")
    assert out.splitlines()[0] == "item_path,period,amount_wan"
    assert out.splitlines()[1] == "财政拨款,full_year,1363.410000"
    code, out, _ = cli("query", sql, "--format", "table")
    assert "财政拨款/一般公共预算资金" in out and out.rstrip().endswith("(4 rows)")
