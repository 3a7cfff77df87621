"""A run's files land as submissions; loaded ones bring facts, texts and shared dimensions."""
from decimal import Decimal

import pandas as pd
import pytest
from warehouse_factory import DEPARTMENT, FileSpec, department_submission, make_run, project_submission


@pytest.fixture
def mixed_run(wh):
    run = make_run("r1", [
        FileSpec(department_submission()),
        FileSpec(project_submission()),
        FileSpec(department_submission("苏州市教育局"), status="quarantined"),
        FileSpec(None, status="rejected", error_code="encoding_error"),
    ])
    return run, run.load_into(wh)


def test_returns_one_row_per_file_with_version_and_currency(mixed_run):
    _, result = mixed_run
    assert list(result.columns) == ["file_key", "submission_id", "version", "is_current", "status"]
    rows = [(r.file_key, r.submission_id, None if pd.isna(r.version) else int(r.version), bool(r.is_current))
            for r in result.itertuples()]
    assert rows == [(1, "r1-0001", 1, True), (2, "r1-0002", 1, True),
                    (3, "r1-0003", None, False), (4, "r1-0004", None, False)]


def test_every_file_gets_a_submission_row_with_its_status_and_error(wh, mixed_run):
    _, rows = wh.query("SELECT file_key, status, template, department_name, error_code, is_current "
                       "FROM submissions ORDER BY file_key")
    assert rows == [
        (1, "loaded", "department_overall", DEPARTMENT, None, True),
        (2, "loaded", "project", DEPARTMENT, None, True),
        (3, "quarantined", "department_overall", "苏州市教育局", None, False),
        (4, "rejected", None, None, "encoding_error", False),
    ]


@pytest.mark.parametrize("table", ["fact_budget", "fact_target", "submission_texts"])
def test_only_loaded_files_bring_facts_and_texts(wh, mixed_run, table):
    _, rows = wh.query(f"SELECT DISTINCT s.status FROM {table} f JOIN submissions s USING (submission_id)")
    assert rows == [("loaded",)]


def test_dimensions_hold_only_loaded_departments(wh, mixed_run):
    assert wh.query("SELECT department_name FROM dim_department")[1] == [(DEPARTMENT,)]


@pytest.mark.parametrize("item_path, period, amount, cell", [
    ("资金总额", "full_year", "1363.410000", "D8"),
    ("基本支出", "half_year", "191.760000", "D19"),
    ("基本支出", "full_year", "383.530000", "E19"),
    ("项目支出/工会社工工资", "full_year", "315.610000", "E21"),
])
def test_amounts_are_exact_and_traced_to_their_cell(wh, mixed_run, item_path, period, amount, cell):
    _, rows = wh.query(f"""SELECT amount_wan, source_sheet, source_cell FROM v_budget
                          WHERE project_name IS NULL AND item_path = '{item_path}' AND period = '{period}'""")
    assert rows == [(Decimal(amount), "Sheet1", cell)]


def test_a_missing_amount_stays_null_not_zero(wh):
    sub = department_submission(basic=("—", "383.53"))
    make_run("r1", [FileSpec(sub)]).load_into(wh)
    assert wh.query("SELECT amount_wan, amount_raw FROM fact_budget JOIN dim_fund_item USING (fund_item_id) "
                    "WHERE item_path = '基本支出' AND period = 'half_year'")[1] == [(None, "—")]


def test_project_template_rows_carry_their_project(wh, mixed_run):
    _, rows = wh.query("""SELECT DISTINCT p.project_name, d.department_name FROM fact_budget f
                          JOIN dim_project p USING (project_id) JOIN dim_department d ON d.department_id = p.department_id""")
    assert rows == [("劳模健康关爱工程", DEPARTMENT)]
    assert wh.query("SELECT count(*) FROM fact_budget WHERE project_id IS NULL")[1] == [(8,)]


@pytest.mark.parametrize("level3, period, operator, value, unit, quantitative", [
    ("预算执行率", "half_year", "=", Decimal("62"), "%", True),
    ("公用经费控制率", "full_year", "<=", Decimal("100"), "%", True),
    ("评选苏州时代工匠人数", "full_year", "=", Decimal("20"), "人", True),
    ("工作计划制定健全性", "full_year", None, None, None, False),
])
def test_targets_keep_operator_value_and_unit(wh, mixed_run, level3, period, operator, value, unit, quantitative):
    _, rows = wh.query(f"SELECT operator, value, unit, is_quantitative FROM v_targets "
                       f"WHERE level3 = '{level3}' AND period = '{period}' AND project_name IS NULL")
    assert rows == [(operator, value, unit, quantitative)]


def test_key_task_is_kept_where_the_table_has_one(wh, mixed_run):
    _, rows = wh.query("SELECT key_task, indicator_path FROM dim_indicator WHERE key_task IS NOT NULL")
    assert rows == [("激发基层工会活力", "履职/切实履行维护职工合法权益的基本职责/激发基层工会活力/社工工作质量达标率")]


def test_indicators_and_fund_items_are_shared_across_departments(wh):
    make_run("r1", [FileSpec(department_submission("苏州市总工会（本级）")),
                    FileSpec(department_submission("苏州市教育局"))]).load_into(wh)
    make_run("r2", [FileSpec(department_submission("苏州市财政局", year=2024))]).load_into(wh)
    _, rows = wh.query("SELECT (SELECT count(*) FROM dim_indicator), (SELECT count(DISTINCT indicator_path) "
                       "FROM dim_indicator), (SELECT count(*) FROM dim_fund_item), "
                       "(SELECT count(DISTINCT indicator_id) FROM fact_target), (SELECT count(*) FROM dim_department)")
    assert rows == [(6, 6, 5, 6, 3)]


def test_texts_are_loaded_in_order_with_their_cell(wh):
    make_run("r1", [FileSpec(department_submission(texts=["第一条。", "第二条。"]))]).load_into(wh)
    assert wh.query("SELECT section, seq, text, source_cell FROM submission_texts ORDER BY seq")[1] == [
        ("functions", 1, "第一条。", "C6"), ("functions", 2, "第二条。", "C6")]


def test_quality_results_are_kept_with_run_and_submission(wh, mixed_run):
    _, rows = wh.query("""SELECT q.run_id, q.submission_id, q.severity, q.success, q.observed, q.source_cells, q.expected
                          FROM quality_results q ORDER BY q.file_key""")
    assert rows == [
        ("r1", "r1-0001", "error", True, "1363.41", "Sheet1!D8, Sheet1!E9", '{"tolerance": 0.01}'),
        ("r1", "r1-0002", "error", True, "1363.41", "Sheet1!D8, Sheet1!E9", '{"tolerance": 0.01}'),
        ("r1", "r1-0003", "error", False, "1363.41 vs 1300.00", "Sheet1!D8, Sheet1!E9", '{"tolerance": 0.01}'),
    ]


def test_the_run_row_is_written(wh, mixed_run):
    run, _ = mixed_run
    _, rows = wh.query("SELECT run_id, files_seen, files_loaded, files_quarantined, files_rejected, "
                       "files_skipped, report_path FROM ingest_runs")
    assert rows == [("r1", 4, 2, 1, 1, 0, "/reports/r1.html")]


@pytest.mark.parametrize("received_at", [
    pd.Timestamp("2024-03-01 09:30", tz="Asia/Shanghai"), 1709256600.0, None,
])
def test_received_at_accepts_aware_times_and_epoch_seconds(wh, received_at):
    run = make_run("r1", [FileSpec(department_submission())])
    run.files["received_at"] = [received_at]
    run.load_into(wh)
    (value,), = wh.query("SELECT epoch(received_at) FROM submissions")[1]
    assert value == (None if received_at is None else 1709256600.0)


def test_an_empty_run_records_the_run_only(wh):
    run = make_run("r1", [])
    assert run.load_into(wh).empty
    assert wh.query("SELECT count(*) FROM ingest_runs")[1] == [(1,)]
    assert wh.query("SELECT count(*) FROM submissions")[1] == [(0,)]


def test_bytes_loaded_by_another_run_meanwhile_become_duplicates_inside_the_load(wh):
    """The check under the writer lock (issue 11, point 7): run r2 planned before r1 loaded the same bytes."""
    first = make_run("r1", [FileSpec(department_submission(), sha256="a" * 64)])
    second = make_run("r2", [FileSpec(department_submission(), sha256="a" * 64),
                             FileSpec(project_submission(), sha256="b" * 64)])
    first.load_into(wh)
    result = second.load_into(wh)
    rows = [(r.file_key, r.submission_id, r.status) for r in result.itertuples()]
    assert rows == [(1, "r1-0001", "duplicate"), (2, "r2-0002", "loaded")]
    _, subs = wh.query("SELECT submission_id, version FROM submissions WHERE source_sha256 = repeat('a', 64)")
    assert subs == [("r1-0001", 1)]  # no version 2 of the same bytes
    _, facts = wh.query("SELECT DISTINCT submission_id FROM fact_budget ORDER BY 1")
    assert facts == [("r1-0001",), ("r2-0002",)]
    _, quality = wh.query("SELECT DISTINCT file_key FROM quality_results WHERE run_id = 'r2'")
    assert quality in ([], [(2,)])
    _, counts = wh.query("SELECT files_loaded, files_skipped FROM ingest_runs WHERE run_id = 'r2'")
    assert counts == [(1, 1)]
