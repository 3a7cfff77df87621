"""Numbered schema migrations, recorded in ``schema_migrations``.

A warehouse made by an older budget-etl is brought up to date when it is opened
for writing: each pending ``NNNN_*.sql`` of :mod:`budget_etl.warehouse.migrations` runs in its
own transaction together with its ``schema_migrations`` row, so a crash leaves the
schema at a whole migration, never half of one.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from budget_etl.warehouse.sql import scalar

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
