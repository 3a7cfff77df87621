"""`budget-etl query` runs reads only; `budget-etl report` reads a run's summary."""
import pytest
from warehouse_factory import FileSpec, department_submission, make_run, table_counts

from budget_etl.warehouse import Warehouse, WarehouseError


@pytest.fixture
def loaded(wh):
    make_run("r1", [FileSpec(department_submission()), FileSpec(None, status="rejected")]).load_into(wh)
    make_run("r2", [FileSpec(department_submission(total="1400"), status="quarantined")]).load_into(wh)
    return wh


@pytest.mark.parametrize("sql, first_column", [
    ("SELECT count(*) AS n FROM v_budget", "n"),
    ("WITH t AS (SELECT * FROM v_targets) SELECT count(*) AS n FROM t", "n"),
    ("FROM dim_department SELECT department_name", "department_name"),
    ("SHOW TABLES", "name"),
    ("DESCRIBE v_budget", "column_name"),
    ("select 1 as one;", "one"),
])
def test_reads_are_answered(loaded, sql, first_column):
    columns, rows = loaded.query(sql)
    assert columns[0] == first_column and rows


@pytest.mark.parametrize("sql", [
    "INSERT INTO dim_department VALUES (99, 'x')",
    "UPDATE submissions SET is_current = false",
    "DELETE FROM fact_budget",
    "DROP TABLE fact_budget",
    "CREATE TABLE x AS SELECT 1",
    "COPY fact_budget TO 'out.csv'",
    "ATTACH 'other.duckdb'",
    "SET threads = 1",
    "SELECT 1; DELETE FROM fact_budget",
    "CHECKPOINT",
    "INSTALL httpfs",
])
def test_anything_but_a_read_is_refused_and_changes_nothing(loaded, sql):
    before = table_counts(loaded.connection)
    with pytest.raises(WarehouseError) as caught:
        loaded.query(sql)
    assert caught.value.code == "query_refused"
    assert table_counts(loaded.connection) == before


@pytest.mark.parametrize("sql", ["SELECT * FROM no_such_table", "SELEKT 1"])
def test_a_bad_query_is_an_error_with_a_code(loaded, sql):
    with pytest.raises(WarehouseError) as caught:
        loaded.query(sql)
    assert caught.value.code == "query_failed"
    assert loaded.query("SELECT 1")[1] == [(1,)]  # the connection is still usable


def test_queries_work_on_a_read_only_warehouse(db_path, loaded):
    loaded.close()
    with Warehouse(db_path, read_only=True) as ro:
        assert ro.query("SELECT department_name FROM dim_department")[1] == [("苏州市总工会（本级）",)]
        with pytest.raises(WarehouseError, match="load_failed"):
            make_run("r3", [FileSpec(department_submission())]).load_into(ro)


def test_run_summary_defaults_to_the_last_run(loaded):
    summary = loaded.run_summary(None)
    assert summary["run"]["run_id"] == "r2"
    assert [(s["status"], s["failed_checks"]) for s in summary["submissions"]] == [("quarantined", 1)]
    assert [(q["expectation"], q["success"]) for q in summary["quality"]] == [("expect_totals_add_up", False)]


def test_run_summary_of_a_named_run_lists_its_files(loaded):
    summary = loaded.run_summary("r1")
    assert summary["run"]["files_seen"] == 2
    assert [(s["file_key"], s["status"], s["version"], s["budget_facts"], s["error_code"])
            for s in summary["submissions"]] == [(1, "loaded", 1, 8, None), (2, "rejected", None, 0, "corrupt_file")]


@pytest.mark.parametrize("run_id", [None, "nope"])
def test_run_summary_of_a_missing_run_is_a_clear_error(wh, run_id):
    if run_id:
        make_run("r1", []).load_into(wh)
    with pytest.raises(WarehouseError) as caught:
        wh.run_summary(run_id)
    assert caught.value.code == "run_not_found"
