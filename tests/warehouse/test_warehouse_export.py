"""Every contract table and view as Parquet, exact decimals included."""
from decimal import Decimal

import duckdb
import pytest
from warehouse_factory import FileSpec, department_submission, make_run, project_submission

from budget_etl.warehouse import Warehouse, WarehouseLocked
from budget_etl.warehouse.export import CONTRACT_TABLES, DISCLOSURE_TABLES, MORE_TABLES, export_parquet

VIEWS = ("v_budget", "v_targets", "v_department_year_totals", "v_target_quantitative_share",
         "v_targets_half_exceeds_full", "v_load_history", "v_quality_history", "v_quality_check_history",
         "v_generic_entries", "v_disclosure_spending", "v_indicator_results", "v_target_attainment",
         "v_budget_execution")


@pytest.fixture
def exported(db_path, tmp_path):
    with Warehouse(db_path) as wh:
        make_run("r1", [FileSpec(department_submission()), FileSpec(project_submission())]).load_into(wh)
    return export_parquet(db_path, tmp_path / "parquet")


def test_one_file_per_contract_table_and_view(exported):
    assert sorted(p.stem for p in exported) == sorted(CONTRACT_TABLES + DISCLOSURE_TABLES + MORE_TABLES + VIEWS)
    assert all(p.suffix == ".parquet" and p.stat().st_size > 0 for p in exported)


@pytest.mark.parametrize("name", CONTRACT_TABLES + VIEWS)
def test_each_file_holds_what_the_warehouse_holds(db_path, exported, name):
    path = next(p for p in exported if p.stem == name)
    with Warehouse(db_path, read_only=True) as wh:
        expected = sorted(map(repr, wh.query(f"SELECT * FROM {name}")[1]))
    con = duckdb.connect()
    assert sorted(map(repr, con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall())) == expected


def test_amounts_stay_decimal_20_6_in_parquet(exported):
    path = next(p for p in exported if p.stem == "v_budget")
    con = duckdb.connect()
    (dtype,), = con.execute(f"SELECT typeof(amount_wan) FROM read_parquet('{path}') LIMIT 1").fetchall()
    assert dtype == "DECIMAL(20,6)"
    assert con.execute(f"SELECT amount_wan FROM read_parquet('{path}') WHERE item_path = '资金总额' "
                       "AND project_name IS NULL").fetchall() == [(Decimal("1363.410000"),)]


def test_export_waits_for_a_writer_then_says_so(db_path, tmp_path):
    import subprocess
    import sys
    with Warehouse(db_path):
        pass
    holder = subprocess.Popen([sys.executable, "-c", "import sys,time,duckdb; c=duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(30)", str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(WarehouseLocked):
            export_parquet(db_path, tmp_path / "out", lock_wait_s=0.2)
    finally:
        holder.kill()
        holder.wait()
