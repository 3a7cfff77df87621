"""The views beyond the contract, checked on small loads."""
from decimal import Decimal

import pytest
from warehouse_factory import DEPARTMENT, FileSpec, department_submission, make_run, project_submission


@pytest.fixture
def two_departments(wh):
    make_run("r1", [
        FileSpec(department_submission(total="1363.41", basic=("191.76", "383.53"),
                                       projects={"工会社工工资": ("157.81", "315.61"), "劳模健康关爱工程": ("0", "28.8")})),
        FileSpec(project_submission(project="劳模健康关爱工程", total="28.8")),
        FileSpec(project_submission(project="困难职工帮扶", total="50.71")),
        FileSpec(department_submission("苏州市教育局", total="500", basic=("100", "200"),
                                       projects={"校舍维修": ("50", "300")})),
        FileSpec(department_submission("苏州市财政局", total="1"), status="quarantined"),
    ]).load_into(wh)
    return wh


def test_department_year_totals(two_departments):
    _, rows = two_departments.query("SELECT * FROM v_department_year_totals ORDER BY department_name")
    assert rows == [
        # department, year, income, expense full, expense half, project items, project tables, project funds
        (DEPARTMENT, 2023, Decimal("1363.41"), Decimal("727.94"), Decimal("349.57"), 2, 2, Decimal("79.51")),
        ("苏州市教育局", 2023, Decimal("500"), Decimal("500"), Decimal("150"), 1, 0, None),
    ]


def test_department_year_totals_follow_the_current_version(two_departments):
    make_run("r2", [FileSpec(department_submission("苏州市教育局", total="600", basic=("100", "250"),
                                                   projects={"校舍维修": ("50", "350")}))]).load_into(two_departments)
    _, rows = two_departments.query("SELECT income_total_wan, expense_full_year_wan FROM v_department_year_totals "
                                    "WHERE department_name = '苏州市教育局'")
    assert rows == [(Decimal("600"), Decimal("600"))]


def test_quantitative_share(two_departments):
    _, rows = two_departments.query("SELECT department_name, template, project_name, targets, quantitative_targets, "
                                    "quantitative_share FROM v_target_quantitative_share "
                                    "ORDER BY department_name, template, project_name")
    # seed-like department table: 12 target values, 2 of them words (健全); project tables: 2 of 2
    assert rows == [
        (DEPARTMENT, "department_overall", None, 12, 10, Decimal("0.8333")),
        (DEPARTMENT, "project", "劳模健康关爱工程", 2, 2, Decimal("1.0000")),
        (DEPARTMENT, "project", "困难职工帮扶", 2, 2, Decimal("1.0000")),
        ("苏州市教育局", "department_overall", None, 12, 10, Decimal("0.8333")),
    ]


@pytest.mark.parametrize("half, full, flagged", [
    ("=95%", "=90%", True),
    ("=90%", "=95%", False),
    ("=90%", "=90%", False),
    ("=30人", "=20%", False),     # different units are not comparable
    ("健全", "健全", False),        # words have no value
    ("≥21万页", "≥20万页", True),
])
def test_half_year_value_above_full_year(wh, half, full, flagged):
    targets = [("产出", "数量", None, "档案数字化量", half, full), ("决策", "计划", None, "健全性", "健全", "健全")]
    make_run("r1", [FileSpec(department_submission(targets=targets))]).load_into(wh)
    _, rows = wh.query("SELECT level3, half_year_raw, full_year_raw, half_year_cell, full_year_cell "
                       "FROM v_targets_half_exceeds_full")
    assert rows == ([("档案数字化量", half, full, "E40", "F40")] if flagged else [])


def test_half_year_check_ignores_superseded_versions(wh):
    bad = [("产出", "数量", None, "档案数字化量", "=95%", "=90%")]
    fixed = [("产出", "数量", None, "档案数字化量", "=45%", "=90%")]
    make_run("r1", [FileSpec(department_submission(targets=bad))]).load_into(wh)
    assert len(wh.query("SELECT * FROM v_targets_half_exceeds_full")[1]) == 1
    make_run("r2", [FileSpec(department_submission(targets=fixed))]).load_into(wh)
    assert wh.query("SELECT * FROM v_targets_half_exceeds_full")[1] == []


def test_load_history_keeps_every_file_of_every_run(two_departments):
    make_run("r2", [FileSpec(department_submission("苏州市教育局", total="600")),
                    FileSpec(None, status="rejected")]).load_into(two_departments)
    _, rows = two_departments.query("""
        SELECT run_id, department_name, status, version, is_current, superseded_by, budget_facts, failed_checks
        FROM v_load_history WHERE department_name = '苏州市教育局' OR status <> 'loaded'
        ORDER BY run_id, file_key""")
    assert rows == [
        ("r1", "苏州市教育局", "loaded", 1, False, "r2-0001", 8, 0),
        ("r1", "苏州市财政局", "quarantined", None, False, None, 0, 1),
        ("r2", "苏州市教育局", "loaded", 2, True, None, 8, 0),
        ("r2", None, "rejected", None, False, None, 0, 0),
    ]


def _documented_queries():
    import re
    from pathlib import Path
    text = (Path(__file__).parents[2] / "warehouse" / "QUERIES.md").read_text("utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.S)


@pytest.mark.parametrize("sql", _documented_queries())
def test_every_example_query_of_the_docs_runs(two_departments, sql):
    columns, _ = two_departments.query(sql)
    assert columns
