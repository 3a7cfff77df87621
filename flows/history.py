"""The quality history of the departments in a run, from the warehouse's ``v_quality_history`` view.

The report shows it so that a reader sees at once whether a quarantined department fails for the first time
or keeps failing the same check. Read after the run's load committed, so the run itself is counted. A
warehouse that cannot be read (gone, locked by the next run) costs only this section: :class:`History` then
carries the reason instead of rows.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path

from budget_etl.flows.summary import RunSummary

#: Departments shown in the report at most (the repeat offenders first); the view has them all.
MAX_ROWS = 300
COLUMNS = ["department_name", "template", "submissions", "loaded", "quarantined", "rejected", "repeat_failures",
           "repeated_checks", "first_seen", "last_seen"]


@dataclass(slots=True)
class History:
    rows: list[dict] = field(default_factory=list)
    departments: int = 0  # departments of the run with a history (rows may be cut at MAX_ROWS)
    unavailable: str | None = None  # why there is no history, when there is none

    def to_json(self) -> dict:
        return {"rows": self.rows, "departments": self.departments, "unavailable": self.unavailable}


def run_history(summary: RunSummary, warehouse=None, lock_wait_s: float = 5.0) -> History:
    """History rows for the run's departments, repeat offenders first; through ``warehouse`` when one is open,
    else on a read-only, sealed connection of its own (it reads the warehouse and nothing else)."""
    import duckdb

    from budget_etl.errors import BudgetEtlError
    from budget_etl.warehouse import Warehouse
    from budget_etl.warehouse.names import normalise_name

    names = sorted({n for n in (normalise_name(f.department_name) for f in summary.files) if n})
    if not names:
        return History(unavailable="no file of this run named its department")
    if warehouse is None and (not summary.db_path or not Path(summary.db_path).exists()):
        return History(unavailable=f"the warehouse {summary.db_path or '(none)'} is not there")
    try:
        with nullcontext(warehouse) if warehouse is not None else \
                Warehouse(summary.db_path, read_only=True, lock_wait_s=lock_wait_s, sealed=True) as wh:
            con = wh.connection
            found = con.execute("SELECT count(DISTINCT department_name) FROM v_quality_history "
                                "WHERE department_name IN (SELECT unnest(?))", [names]).fetchone()[0]
            cursor = con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM v_quality_history WHERE department_name IN (SELECT unnest(?)) "
                "ORDER BY repeat_failures DESC, quarantined DESC, department_name, template LIMIT ?",
                [names, MAX_ROWS])
            rows = [dict(zip(COLUMNS, row)) for row in cursor.fetchall()]
    except BudgetEtlError as exc:
        return History(unavailable=f"{exc.message} [{exc.code}]")
    except duckdb.Error as exc:  # the run is committed: a failed read costs only this section
        return History(unavailable=f"the warehouse could not be read ({type(exc).__name__}: {exc})")
    for row in rows:
        for key in ("first_seen", "last_seen"):
            if row[key] is not None:  # UTC, to the minute: the table stays narrow
                row[key] = row[key].astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        row["repeated_checks"] = list(row["repeated_checks"] or [])
    return History(rows=rows, departments=int(found))
