"""What the CLI reads: duplicate look-ups, user queries (reads only) and run summaries."""
from __future__ import annotations

import threading
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


def read_only_query(con: duckdb.DuckDBPyConnection, sql: str,
                    timeout_s: float | None = None) -> tuple[list[str], list[tuple]]:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WarehouseError("query_failed", f"The query cannot be parsed: {first_line(exc)}") from exc
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
    # A long query must not hold the warehouse (and so every ingest) forever: a timer interrupts it.
    deadline = _Deadline(con, timeout_s)
    try:
        with deadline:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
    except duckdb.InterruptException as exc:
        raise WarehouseError(
            "query_timeout",
            f"The query was stopped after {timeout_s:g} s (--timeout); narrow it, or allow it more time.") from exc
    except duckdb.PermissionException as exc:
        raise WarehouseError(
            "query_outside",
            "Queries read the warehouse's tables and views only, no other file and no URL: "
            f"{first_line(exc)}") from exc
    except duckdb.Error as exc:
        raise WarehouseError("query_failed", f"The query failed: {first_line(exc)}") from exc
    finally:
        con.execute("ROLLBACK")
    return columns, rows


class _Deadline:
    """Interrupts ``con`` if the ``with`` block still runs after ``timeout_s`` (None: never).

    The lock makes "interrupt" and "finished" exclusive, so a timer firing just as the query ends cannot
    interrupt whatever runs on the connection next (the ROLLBACK).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, timeout_s: float | None):
        self._con, self._lock, self._finished = con, threading.Lock(), False
        self._timer = threading.Timer(timeout_s, self._interrupt) if timeout_s is not None else None

    def _interrupt(self) -> None:
        with self._lock:
            if not self._finished:
                self._con.interrupt()

    def __enter__(self) -> "_Deadline":
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._finished = True
        if self._timer is not None:
            self._timer.cancel()


def first_line(exc: BaseException) -> str:
    """DuckDB's message without the query excerpt it adds on further lines (errors are one line)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


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

