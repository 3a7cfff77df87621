"""Opening the DuckDB file: one writer process at a time, with a bounded wait.

DuckDB lets one process write a database file (readers in other processes are
refused too while it does). A second process gets ``IO Error: Could not set lock on
file ... Conflicting lock is held in ... (PID n)``. An ingest that starts while
another one finishes should simply wait, so we retry with a growing pause until
``lock_wait_s`` has passed, then give up with :class:`WarehouseLocked`.

A connection that runs SQL a user typed (``query``) or that only reads the warehouse
(``report``, ``export``) is *sealed*: DuckDB may then touch no file and no URL but the
warehouse (``read_text('/etc/shadow')``, ``glob``, ``read_csv``, ``http://`` paths,
``ATTACH``, ``INSTALL`` are refused), except writing into one folder when the caller
names it (``export``), and the seal is locked so SQL cannot lift it.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from budget_etl.warehouse.errors import WarehouseError, WarehouseLocked

_LOCK_MESSAGE = "Could not set lock on file"
_HOLDER = re.compile(r"Conflicting lock is held in (.+?)(?:\. See also|$)")
_FIRST_PAUSE_S = 0.05
_LONGEST_PAUSE_S = 1.0


def open_connection(path: Path, *, read_only: bool, lock_wait_s: float) -> duckdb.DuckDBPyConnection:
    """A connection to ``path``, waiting up to ``lock_wait_s`` for another writer to let go."""
    try:
        return _connect(path, read_only=read_only, lock_wait_s=lock_wait_s)
    except PermissionError as exc:  # the folder may not be searched (``path.exists()`` raises)
        raise unreadable(path, exc.strerror or str(exc)) from None


def seal(con: duckdb.DuckDBPyConnection, writable_dir: Path | None = None) -> None:
    """Let ``con`` reach the warehouse only (and write into ``writable_dir``, if given), for good."""
    if writable_dir is not None:
        # The trailing separator: '/out' must not also allow '/out-elsewhere'.
        folder = str(Path(writable_dir).resolve()).rstrip("/\\") + "/"
        con.execute("SET allowed_directories = $dirs", {"dirs": [folder]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _connect(path: Path, *, read_only: bool, lock_wait_s: float) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise WarehouseError(
            "warehouse_missing",
            f"The warehouse {path} does not exist. Run `budget-etl ingest` first, or pass --db.")
    started = time.monotonic()
    pause = _FIRST_PAUSE_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if _LOCK_MESSAGE not in text:
                raise _not_a_warehouse(path, text) from exc
            waited = time.monotonic() - started
            if waited >= lock_wait_s:
                holder = _HOLDER.search(text)
                raise WarehouseLocked(path, waited, holder.group(1) if holder else "") from None
            # Never sleep past the deadline: the last try happens right at it.
            time.sleep(min(pause, max(lock_wait_s - waited, 0.0)))
            pause = min(pause * 2, _LONGEST_PAUSE_S)


def unreadable(path: Path, reason: str) -> WarehouseError:
    return WarehouseError(
        "warehouse_unreadable",
        f"The warehouse {path} cannot be opened: {reason}. Check the permissions of the file and its folder "
        "(this user must be able to read it, and to write it and its folder for ingest), or pass another --db.")


def _not_a_warehouse(path: Path, text: str) -> WarehouseError:
    if "Permission denied" in text:
        return unreadable(path, "permission denied")
    if "not a valid DuckDB database file" in text:
        return WarehouseError(
            "warehouse_corrupt",
            f"{path} exists but is not a DuckDB warehouse; pass another --db or move the file away.")
    return WarehouseError("warehouse_corrupt", f"The warehouse {path} cannot be opened: {text}")
