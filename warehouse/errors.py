"""The warehouse's errors, as data like every other error of budget-etl.

They are :class:`budget_etl.errors.BudgetEtlError`, like every error of budget-etl: the CLI prints
``message [code]``, never a traceback, and only what is ``transient`` is retried.
"""
from __future__ import annotations

from pathlib import Path

from budget_etl.errors import BudgetEtlError

#: The stable codes of the warehouse, with a title each (for reports and docs).
WAREHOUSE_CODES: dict[str, str] = {
    "warehouse_locked": "Another program is writing to the warehouse",
    "warehouse_missing": "The warehouse file does not exist",
    "warehouse_corrupt": "The file is not a DuckDB warehouse",
    "warehouse_unreadable": "The warehouse file (or its folder) may not be read or written by this user",
    "warehouse_foreign": "The DuckDB file holds another program's data, not a budget-etl warehouse",
    "warehouse_outdated": "The warehouse needs migrating before it can be read",
    "warehouse_too_new": "The warehouse was made by a newer budget-etl",
    "migration_changed": "A migration the warehouse applied has changed since",
    "load_failed": "The run could not be loaded; the warehouse is unchanged",
    "query_refused": "Only read-only queries are allowed",
    "query_failed": "The query failed",
    "query_outside": "The query reached for files or the network; it may read the warehouse only",
    "query_timeout": "The query ran longer than its time limit and was stopped",
    "run_not_found": "No such run in the warehouse",
    "warehouse_closed": "The warehouse was closed",
}


class WarehouseError(BudgetEtlError):
    """Something the user can act on went wrong with the warehouse file."""


class WarehouseLocked(WarehouseError):
    """Another process holds DuckDB's single-writer lock and did not let go in time."""

    def __init__(self, path: str | Path, waited_s: float, holder: str = ""):
        self.path = str(path)
        self.waited_s = waited_s
        self.holder = holder
        held_by = f" by {holder}" if holder else ""
        super().__init__(
            "warehouse_locked",
            f"The warehouse {self.path} is locked{held_by}; waited {waited_s:.1f} s. "
            "Another ingest may still be running, or a program (a SQL client, a notebook) "
            "has the file open: wait for it to finish or close it, then run the command again.",
            transient=True,
        )

