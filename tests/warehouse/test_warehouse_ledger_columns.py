"""The ledger check reads ``main.schema_migrations`` alone, not the whole catalog, yet must answer what
``duckdb_columns()`` answers: otherwise a file another program made (or ours, altered) would pass as ours and
be migrated. Each case is a real DuckDB file; the catalog-wide query is the reference."""
import shutil

import duckdb
import pytest

from budget_etl.warehouse import Warehouse, WarehouseError
from budget_etl.warehouse.migrate import available_migrations, foreign_objects, ledger_columns

OURS = ["version", "name", "checksum", "applied_at"]
SHAPE = "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMPTZ)"


def _catalog_wide(con):
    return [name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name = 'schema_migrations' ORDER BY column_index").fetchall()]


CASES = {
    "no ledger": (["CREATE TABLE people (name VARCHAR)"], []),
    "our shape": ([f"CREATE TABLE schema_migrations {SHAPE}"], OURS),
    # DuckDB resolves names whatever their case; duckdb_columns() compares them exactly.
    "our shape, another case": ([f'CREATE TABLE "Schema_Migrations" {SHAPE}'], []),
    "our shape, upper case": ([f"CREATE TABLE SCHEMA_MIGRATIONS {SHAPE}"], []),
    "in another schema": (["CREATE SCHEMA tool", f"CREATE TABLE tool.schema_migrations {SHAPE}"], []),
    "a column added": ([f"CREATE TABLE schema_migrations {SHAPE}", "ALTER TABLE schema_migrations ADD COLUMN note VARCHAR"],
                       OURS + ["note"]),
    "columns in another order": (["CREATE TABLE schema_migrations (name VARCHAR, version INTEGER, checksum VARCHAR, "
                                  "applied_at TIMESTAMPTZ)"], ["name", "version", "checksum", "applied_at"]),
    "a column dropped before ours": (["CREATE TABLE schema_migrations (id INTEGER, version INTEGER, name VARCHAR, "
                                      "checksum VARCHAR, applied_at TIMESTAMPTZ)",
                                      "ALTER TABLE schema_migrations DROP COLUMN id"], OURS),
    "a generated column": (["CREATE TABLE schema_migrations (version INTEGER, name VARCHAR, checksum VARCHAR, "
                            "applied_at TIMESTAMPTZ, twice INTEGER GENERATED ALWAYS AS (version * 2))"], OURS + ["twice"]),
    "a view of our shape": (["CREATE TABLE t (a INTEGER, b VARCHAR, c VARCHAR, d TIMESTAMPTZ)",
                             "CREATE VIEW schema_migrations (version, name, checksum, applied_at) AS FROM t"], OURS),
    "another tool's ledger": (["CREATE TABLE schema_migrations (id INTEGER, applied TIMESTAMP)"], ["id", "applied"]),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("file_name", ["warehouse.duckdb", "main.duckdb", 'odd "name".v2.duckdb'])
def test_ledger_columns_are_what_duckdb_columns_lists(tmp_path, case, file_name):
    statements, expected = CASES[case]
    path = tmp_path / file_name
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    with duckdb.connect(str(path), read_only=True) as con:
        assert _catalog_wide(con) == expected
        assert ledger_columns(con) == expected


@pytest.mark.parametrize("extra", [
    f"CREATE TEMP TABLE schema_migrations {SHAPE}",
    "CREATE TEMP VIEW schema_migrations AS SELECT 1 AS version",
    "ATTACH '{other}' AS other (READ_ONLY)",
])
@pytest.mark.parametrize("ours", [False, True])
def test_a_second_schema_migrations_elsewhere_is_listed_too(tmp_path, extra, ours):
    other = tmp_path / "other.duckdb"
    Warehouse(other).close()
    path = tmp_path / "warehouse.duckdb"
    if ours:
        Warehouse(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute(extra.format(other=other))
        assert len(_catalog_wide(con)) == (4 if ours else 0) + (1 if "VIEW" in extra else 4)
        assert ledger_columns(con) == _catalog_wide(con)


def test_a_ledger_named_in_another_case_is_foreign(db_path):
    """Of our shape and naming our migrations, but not named ``schema_migrations``: another program's."""
    Warehouse(db_path).close()
    with duckdb.connect(str(db_path)) as con:
        con.execute('ALTER TABLE schema_migrations RENAME TO "Schema_Migrations"')
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert "table Schema_Migrations" in foreign_objects(con)
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path, lock_wait_s=0.5)
    assert caught.value.code == "warehouse_foreign"


@pytest.mark.parametrize("change", [
    "ALTER TABLE schema_migrations ADD COLUMN note VARCHAR",
    "ALTER TABLE schema_migrations RENAME COLUMN name TO migration",
    "UPDATE schema_migrations SET name = 'users' WHERE version = 1",
])
@pytest.mark.parametrize("read_only", [False, True])
def test_our_warehouse_with_its_ledger_altered_is_refused(db_path, tmp_path, change, read_only):
    Warehouse(db_path).close()
    untouched = tmp_path / "untouched.duckdb"
    shutil.copy(db_path, untouched)
    with duckdb.connect(str(db_path)) as con:
        con.execute(change)
    with pytest.raises(WarehouseError) as caught:
        Warehouse(db_path, read_only=read_only, lock_wait_s=0.5)
    assert caught.value.code == "warehouse_foreign" and str(db_path) in caught.value.message
    with Warehouse(untouched, read_only=read_only) as wh:
        assert wh.schema_version == len(available_migrations())
