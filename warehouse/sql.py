"""Small helpers over DuckDB results.

DuckDB 2 refuses new work on a connection while a result is unfinished, and a
``fetchone()`` that got its row has not finished the result yet; so these helpers
always fetch everything.
"""
from __future__ import annotations

import duckdb


def quoted(identifier: str) -> str:
    """An identifier (a column, table or database name) as SQL writes it, whatever it holds: in double quotes, each
    double quote inside it doubled."""
    return '"' + identifier.replace('"', '""') + '"'


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    """The first column of the first row, or None when there is no row."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def records(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
