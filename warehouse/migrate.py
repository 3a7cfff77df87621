"""Numbered schema migrations, recorded in ``schema_migrations``.

A warehouse made by an older budget-etl is brought up to date when it is opened
for writing: each pending ``NNNN_*.sql`` of :mod:`budget_etl.warehouse.migrations` runs in its
own transaction together with its ``schema_migrations`` row, so a crash leaves the
schema at a whole migration, never half of one. Each row keeps the sha256 of the SQL as
applied; a shipped migration that no longer matches it is refused on open (``migration_changed``):
an applied migration is history, and a change to the schema is a new migration.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from budget_etl.warehouse.sql import quoted, scalar

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    checksum   VARCHAR NOT NULL,   -- sha256 of the SQL as applied
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def available_migrations() -> list[Migration]:
    """The migrations shipped with this code, in order."""
    found = []
    for entry in resources.files("budget_etl.warehouse.migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions recorded in the warehouse; [] for a new (or pre-migration) file."""
    exists = scalar(
        con, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations'")
    if not exists:
        return []
    return [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def foreign_objects(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What in this database budget-etl did not make: [] for an empty file or a budget-etl warehouse.

    Ours means a ``schema_migrations`` ledger of our shape whose every row names the shipped migration of
    its version; then every table and view is ours. Without such a ledger, any table, view, sequence or
    macro is someone else's.
    """
    if _is_our_ledger(con):
        return []
    return [f"{kind} {name}" for kind, name in con.execute("""
        SELECT 'table', table_name FROM duckdb_tables() WHERE NOT internal
        UNION ALL SELECT 'view', view_name FROM duckdb_views() WHERE NOT internal
        UNION ALL SELECT 'sequence', sequence_name FROM duckdb_sequences() WHERE NOT temporary
        UNION ALL SELECT 'macro', function_name FROM duckdb_functions()
            WHERE NOT internal AND function_type IN ('macro', 'table_macro')
        ORDER BY 1, 2
    """).fetchall()]


def _is_our_ledger(con: duckdb.DuckDBPyConnection) -> bool:
    if ledger_columns(con) != ["version", "name", "checksum", "applied_at"]:
        return False
    shipped = {m.version: m.name for m in available_migrations()}
    rows = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    # A version beyond ours is a newer budget-etl's (warehouse_too_new says so), not a stranger's.
    return all(shipped.get(version, name) == name for version, name in rows)


def ledger_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The columns, in order, of every table or view named exactly ``main.schema_migrations`` in any
    attached database, as ``duckdb_columns()`` lists them.

    ``duckdb_columns()`` itself costs ~20 ms on a fresh connection, i.e. on every open: it binds the columns
    of every view, ~900 of them (ours and DuckDB's own). When the name is one table, as in every warehouse,
    its columns are read from that table alone (``pragma_table_info``, the same list in the same order);
    the catalog-wide query stays for anything else (a view of that name, one in another database too).
    The names are found with ``duckdb_tables()``/``duckdb_views()``, not by resolving them in SQL, because
    they must match exactly, as in ``duckdb_columns()``: SQL resolves a name whatever its case, and a table
    ``Schema_Migrations`` is not the ledger. (Their first scan, ~10 ms of DuckDB building its own views,
    would be paid by :func:`applied_versions` right after anyway.)
    """
    holders = con.execute("""
        SELECT 'table', database_name FROM duckdb_tables()
            WHERE schema_name = 'main' AND table_name = 'schema_migrations'
        UNION ALL SELECT 'view', database_name FROM duckdb_views()
            WHERE schema_name = 'main' AND view_name = 'schema_migrations'
    """).fetchall()
    if not holders:
        return []
    if len(holders) == 1 and holders[0][0] == "table":
        qualified = ".".join(quoted(part) for part in (holders[0][1], "main", "schema_migrations"))
        return [name for (name,) in con.execute(
            "SELECT name FROM pragma_table_info(?) ORDER BY cid", [qualified]).fetchall()]
    return [name for (name,) in con.execute("""
        SELECT column_name FROM duckdb_columns()
        WHERE schema_name = 'main' AND table_name = 'schema_migrations' ORDER BY column_index
    """).fetchall()]


def changed_migrations(con: duckdb.DuckDBPyConnection) -> list[tuple[Migration, str]]:
    """Applied migrations whose shipped SQL is not what was applied: (the shipped one, the recorded checksum)."""
    if not applied_versions(con):
        return []
    recorded = dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    return [(m, recorded[m.version]) for m in available_migrations()
            if m.version in recorded and recorded[m.version] != m.checksum]


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    done = set(applied_versions(con))
    return [m for m in available_migrations() if m.version not in done]


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply the pending migrations (up to version ``upto``); returns the versions applied."""
    con.execute(_CREATE_LEDGER)
    applied = []
    for migration in pending_migrations(con):
        if upto is not None and migration.version > upto:
            break
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [migration.version, migration.name, migration.checksum],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
