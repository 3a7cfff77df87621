"""The contract's schema comes from numbered migrations; older warehouses are migrated on open."""
import duckdb
import pytest
from warehouse_factory import FileSpec, department_submission, make_run

from budget_etl.warehouse import Warehouse, WarehouseError
from budget_etl.warehouse.migrate import available_migrations, migrate

# The contract's columns, in order (../shared/CONTRACT.md). Extra columns may follow.
CONTRACT = {
    "ingest_runs": "run_id started_at finished_at files_seen files_loaded files_quarantined files_rejected "
                   "files_skipped report_path",
    "submissions": "submission_id run_id source_path source_sha256 source_format template department_name "
                   "fiscal_year project_name status version is_current superseded_by received_at loaded_at "
                   "error_code error_message",
    "dim_department": "department_id department_name",
    "dim_indicator": "indicator_id level1 level2 key_task level3",
    "dim_fund_item": "fund_item_id direction item_path",
    "dim_project": "project_id department_id project_name",
    "fact_budget": "submission_id department_id fiscal_year fund_item_id project_id period amount_wan "
                   "source_sheet source_cell measure",
    "fact_target": "submission_id department_id fiscal_year indicator_id project_id period raw_value operator "
                   "value unit is_quantitative source_sheet source_cell",
    "submission_texts": "submission_id section seq text source_cell",
    "quality_results": "run_id submission_id suite expectation severity success observed source_cells message",
    "v_budget": "department_name fiscal_year project_name direction item_path period amount_wan source_path "
                "source_sheet source_cell template",
    "v_targets": "department_name fiscal_year project_name level1 level2 key_task level3 period raw_value "
                 "operator value unit is_quantitative source_path source_sheet source_cell template",
}


def _columns(con, name):
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [name]).fetchall()]


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_tables_and_views_have_the_contract_columns_first(wh, name):
    expected = CONTRACT[name].split()
    assert _columns(wh.connection, name)[:len(expected)] == expected


@pytest.mark.parametrize("table, column, dtype", [("fact_budget", "amount_wan", "DECIMAL(20,6)"),
                                                  ("fact_target", "value", "DECIMAL(18,4)"),
                                                  ("v_budget", "amount_wan", "DECIMAL(20,6)")])
def test_amounts_are_exact_decimals(wh, table, column, dtype):
    assert wh.connection.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column]).fetchall()[0][0] == dtype


def test_a_new_warehouse_records_every_migration(wh):
    rows = wh.connection.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY version").fetchall()
    shipped = available_migrations()
    assert [(v, n, c) for v, n, c in rows] == [(m.version, m.name, m.checksum) for m in shipped]
    assert wh.schema_version == len(shipped) >= 3


def test_reopening_an_up_to_date_warehouse_changes_nothing(db_path):
    with Warehouse(db_path) as wh:
        before = wh.connection.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    with Warehouse(db_path) as wh:
        assert wh.connection.execute("SELECT version, applied_at FROM schema_migrations").fetchall() == before


def test_a_warehouse_made_by_migration_0001_is_migrated_on_open(db_path):
    con = duckdb.connect(str(db_path))
    assert migrate(con, upto=1) == [1]
    # Data written by the old version: a run with one loaded submission and its fact.
    con.execute("INSERT INTO ingest_runs VALUES ('old', now(), now(), 1, 1, 0, 0, 0, NULL)")
    con.execute("""INSERT INTO submissions (submission_id, run_id, source_path, source_sha256, template,
                   department_name, fiscal_year, status, version, is_current, loaded_at)
                   VALUES ('old-0001', 'old', '/old.txt', 'abc', 'department_overall', '苏州市总工会（本级）',
                           2022, 'loaded', 1, true, now())""")
    con.execute("INSERT INTO dim_department VALUES (1, '苏州市总工会（本级）')")
    con.execute("INSERT INTO dim_fund_item VALUES (1, 'income', '资金总额')")
    con.execute("""INSERT INTO fact_budget VALUES ('old-0001', 1, 2022, 1, NULL, 'full_year', 1000.5,
                   'Sheet1', 'D8', '1000.5')""")
    assert {n for (n,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} == set()
    con.close()

    with Warehouse(db_path) as wh:
        assert wh.schema_version == len(available_migrations())
        _, rows = wh.query("SELECT department_name, fiscal_year, item_path, amount_wan FROM v_budget")
        assert [(r[0], r[1], r[2], str(r[3])) for r in rows] == [("苏州市总工会（本级）", 2022, "资金总额", "1000.500000")]
        # and the new code loads into it, sharing the old dimension rows
        make_run("new", [FileSpec(department_submission(year=2023))]).load_into(wh)
        assert wh.query("SELECT count(*) FROM dim_department")[1] == [(1,)]
        assert wh.query("SELECT fiscal_year FROM v_department_year_totals ORDER BY 1")[1] == [(2022,), (2023,)]


def test_read_only_open_of_an_outdated_warehouse_says_what_to_do(db_path):
    con = duckdb.connect(str(db_path))
    migrate(con, upto=1)
    con.close()
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path, read_only=True)
    assert caught.value.code == "warehouse_outdated"
    assert "budget-etl ingest" in caught.value.message


def test_a_warehouse_from_a_newer_budget_etl_is_refused(db_path):
    with Warehouse(db_path) as wh:
        wh.connection.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x', now())")
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path)
    assert caught.value.code == "warehouse_too_new"


def test_a_failing_migration_leaves_the_previous_version(db_path, monkeypatch):
    from budget_etl.warehouse import migrate as migrate_module
    shipped = available_migrations()
    broken = shipped[:1] + [migrate_module.Migration(2, "broken", "CREATE VIEW v_x AS SELECT 1; SELECT * FROM nope;")]
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: broken)
    con = duckdb.connect(str(db_path))
    with pytest.raises(duckdb.CatalogException):
        migrate_module.migrate(con)
    assert migrate_module.applied_versions(con) == [1]
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_x'").fetchall()[0][0] == 0
    con.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_changed_applied_migration_is_refused_on_open(db_path, monkeypatch, read_only):
    from budget_etl.warehouse import migrate as migrate_module
    with Warehouse(db_path):
        pass
    shipped = available_migrations()
    edited = migrate_module.Migration(2, shipped[1].name, shipped[1].sql + "\n-- edited after it was applied\n")
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: [shipped[0], edited, *shipped[2:]])
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path, read_only=read_only)
    error = caught.value
    assert error.code == "migration_changed" and not error.transient
    assert f"0002_{shipped[1].name}.sql" in error.message and shipped[1].checksum[:12] in error.message
    assert edited.checksum[:12] in error.message and "new migration" in error.message
    monkeypatch.undo()
    with Warehouse(db_path, read_only=True) as wh:  # the file itself was not touched
        assert wh.schema_version == len(shipped)
