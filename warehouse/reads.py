"""What the CLI reads: duplicate look-ups, user queries (reads only) and run summaries."""
from __future__ import annotations

from typing import Iterable

import duckdb
import pandas as pd

from budget_etl.warehouse.errors import WarehouseError
from budget_etl.warehouse.sql import records, scalar

# DuckDB parses SHOW, DESCRIBE, SUMMARIZE, VALUES and FROM-first queries as SELECT too.
_READ_STATEMENTS = {duckdb.StatementType.SELECT}


def loaded_sha256(con: duckdb.DuckDBPyConnection, shas: Iterable[str]) -> dict[str, str]:
    wanted = pd.DataFrame({"sha256": sorted(set(shas))}, dtype=object)
    if wanted.empty:
        return {}
    con.register("wanted_sha256", wanted)
    try:
        # The latest loaded submission of those bytes (a file may be re-sent after a newer one).
        rows = con.execute("""
            SELECT s.source_sha256, arg_max(s.submission_id, s.loaded_at)
            FROM submissions s JOIN wanted_sha256 w ON w.sha256 = s.source_sha256
            WHERE s.status = 'loaded'
            GROUP BY s.source_sha256
        """).fetchall()
    finally:
        con.unregister("wanted_sha256")
    return dict(rows)


def read_only_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WarehouseError("query_failed", f"The query cannot be parsed: {exc}") from exc
    if len(statements) != 1:
        raise WarehouseError("query_refused", f"Give exactly one statement, got {len(statements)}.")
    kind = statements[0].type
    if kind not in _READ_STATEMENTS:
        raise WarehouseError(
            "query_refused",
            f"Only reads are allowed (SELECT, WITH, SHOW, DESCRIBE); this is a {kind.name} statement.")
    # Belt and braces: even a read runs in a transaction that is rolled back, so a
    # side effect DuckDB allows inside a SELECT (nextval) cannot persist.
    con.execute("BEGIN TRANSACTION")
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except duckdb.Error as exc:
        raise WarehouseError("query_failed", f"The query failed: {exc}") from exc
    finally:
        con.execute("ROLLBACK")
    return columns, rows


def run_summary(con: duckdb.DuckDBPyConnection, run_id: str | None) -> dict:
    if run_id is None:
        run_id = scalar(con, "SELECT run_id FROM ingest_runs ORDER BY started_at DESC, run_id DESC LIMIT 1")
        if run_id is None:
            raise WarehouseError("run_not_found", "The warehouse holds no runs yet: run `budget-etl ingest` first.")
    run = records(con, "SELECT * FROM ingest_runs WHERE run_id = ?", [run_id])
    if not run:
        raise WarehouseError("run_not_found", f"No run {run_id!r} in the warehouse; see `SELECT * FROM ingest_runs`.")
    return {
        "run": run[0],
        "submissions": records(con, "SELECT * FROM v_load_history WHERE run_id = ? ORDER BY file_key", [run_id]),
        "quality": records(con, """
            SELECT q.*, s.source_path FROM quality_results q
            LEFT JOIN submissions s ON s.submission_id = q.submission_id
            WHERE q.run_id = ? ORDER BY q.file_key, q.suite, q.expectation""", [run_id]),
    }

