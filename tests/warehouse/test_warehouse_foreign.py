"""A DuckDB file of another program is refused, never migrated (issue 11, point 10); only an empty file or a
budget-etl warehouse is opened."""
import duckdb
import pytest

from budget_etl.flows.cli import main
from budget_etl.warehouse import Warehouse, WarehouseError


def _objects(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY 1").fetchall() + \
            con.execute("SELECT view_name, 0 FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()


FOREIGN = {
    "table": "CREATE TABLE people (name VARCHAR); INSERT INTO people VALUES ('ada'), ('alan')",
    "view": "CREATE VIEW answer AS SELECT 42 AS x",
    "sequence": "CREATE SEQUENCE ids",
    "macro": "CREATE MACRO twice(x) AS x * 2",
    "another tool's ledger": "CREATE TABLE schema_migrations (id INTEGER, applied TIMESTAMP)",
    "a ledger naming other migrations": "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                        "name VARCHAR, checksum VARCHAR, applied_at TIMESTAMPTZ); "
                                        "INSERT INTO schema_migrations VALUES (1, 'users', 'x', now())",
}


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("kind", FOREIGN)
def test_another_programs_database_is_refused_and_left_as_it_was(db_path, kind, read_only):
    with duckdb.connect(str(db_path)) as con:
        con.execute(FOREIGN[kind])
    before = _objects(db_path)
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path, read_only=read_only, lock_wait_s=0.5)
    assert caught.value.code == "warehouse_foreign" and str(db_path) in caught.value.message
    assert _objects(db_path) == before


def test_ingest_into_a_foreign_database_is_a_one_line_error(db_path, seed_path, tmp_path, capsys):
    with duckdb.connect(str(db_path)) as con:
        con.execute(FOREIGN["table"])
    code = main(["ingest", str(seed_path), "--db", str(db_path), "--reports", str(tmp_path / "r"),
                 "--quarantine", str(tmp_path / "q"), "--no-data-docs", "--workers", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip().endswith("[warehouse_foreign]") and "table people" in err
    assert len(err.strip().splitlines()) == 1
    assert [name for name, _ in _objects(db_path)] == ["people"]


def test_an_empty_duckdb_file_becomes_a_warehouse(db_path):
    duckdb.connect(str(db_path)).close()
    with Warehouse(db_path) as wh:
        assert wh.schema_version >= 3


def test_our_own_warehouse_opens_again(db_path):
    Warehouse(db_path).close()
    with Warehouse(db_path, read_only=True) as wh:
        assert wh.query("SELECT count(*) FROM submissions")[1] == [(0,)]
