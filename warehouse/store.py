"""The one class that owns the DuckDB connection."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from budget_etl.parsers.staging import Staging
from budget_etl.warehouse import load, reads
from budget_etl.warehouse.connection import open_connection, seal, unreadable
from budget_etl.warehouse.errors import WarehouseError
from budget_etl.warehouse.migrate import (
    applied_versions,
    available_migrations,
    changed_migrations,
    foreign_objects,
    migrate,
)
from budget_etl.warehouse.run_record import RunRecord


class Warehouse:
    """A budget-etl warehouse file, created and migrated when opened for writing.

    >>> with Warehouse("warehouse.duckdb") as wh:            # doctest: +SKIP
    ...     wh.load_run(run, files, staging, quality)
    """

    def __init__(self, path: str | Path, read_only: bool = False, lock_wait_s: float = 30.0,
                 progress: load.Progress | None = None, *, sealed: bool = False, writable_dir: Path | None = None):
        """``sealed``: SQL on this connection reaches the warehouse only, no other file, no network
        (:func:`budget_etl.warehouse.connection.seal`); ``writable_dir`` seals too, but lets SQL write into
        that one folder (``COPY … TO``)."""
        self.path = Path(path)
        self.read_only = read_only
        #: called with each load step's name (see :data:`budget_etl.warehouse.load.STEPS`)
        self.progress = progress
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except PermissionError as exc:
                raise unreadable(self.path.parent, exc.strerror or str(exc)) from None
        self._con: duckdb.DuckDBPyConnection | None = open_connection(
            self.path, read_only=read_only, lock_wait_s=lock_wait_s)
        try:
            if sealed or writable_dir is not None:
                seal(self._con, writable_dir)
            self._refuse_foreign()
            self._bring_schema_up_to_date()
        except BaseException:
            self._con.close()
            raise

    def _refuse_foreign(self) -> None:
        """Never migrate (write 17 tables beside) another program's data: only an empty file or ours."""
        found = foreign_objects(self.connection)
        if found:
            shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
            raise WarehouseError(
                "warehouse_foreign",
                f"{self.path} is a DuckDB database of another program (it holds {shown}), not a budget-etl "
                "warehouse; budget-etl leaves it untouched. Pass a new file or a budget-etl warehouse as --db.")

    def _bring_schema_up_to_date(self) -> None:
        shipped = len(available_migrations())
        done = applied_versions(self.connection)
        if done and max(done) > shipped:
            raise WarehouseError(
                "warehouse_too_new",
                f"The warehouse {self.path} has schema version {max(done)}, this budget-etl knows "
                f"up to {shipped}: upgrade budget-etl.")
        changed = changed_migrations(self.connection)
        if changed:
            migration, recorded = changed[0]
            raise WarehouseError(
                "migration_changed",
                f"The warehouse {self.path} applied migration {migration.version:04d}_{migration.name}.sql with "
                f"sha256 {recorded[:12]}…, but this budget-etl ships it as {migration.checksum[:12]}…: an applied "
                "migration must not change (restore it, and put the change in a new migration).")
        if len(done) == shipped:
            return
        if self.read_only:
            raise WarehouseError(
                "warehouse_outdated",
                f"The warehouse {self.path} has schema version {max(done, default=0)} of {shipped}: "
                "run `budget-etl ingest` once (it migrates the file), then try again.")
        migrate(self.connection)

    # -- life cycle -------------------------------------------------------------------

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise WarehouseError("warehouse_closed", f"The warehouse {self.path} is closed.")
        return self._con

    @property
    def schema_version(self) -> int:
        return max(applied_versions(self.connection), default=0)

    # -- writing ----------------------------------------------------------------------

    def load_run(self, run: RunRecord, files: pd.DataFrame, staging: Staging,
                 quality: pd.DataFrame) -> pd.DataFrame:
        """Write one run, or one chunk of a run's files (``run`` holds the chunk's counts, added to the run's
        row), in one transaction; one ``file_key, submission_id, version, is_current, status`` row per file."""
        if self.read_only:
            raise WarehouseError("load_failed", f"The warehouse {self.path} was opened read-only.")
        try:
            return load.load_run(self.connection, run, files, staging, quality, self.progress)
        except duckdb.Error as exc:
            raise WarehouseError(
                "load_failed",
                f"Run {run.run_id} could not be loaded into {self.path} and nothing of this load was kept "
                f"(chunks of the run committed before it stay loaded): {exc}",
            ) from exc

    # -- reading ----------------------------------------------------------------------

    def loaded_sha256(self, shas: Iterable[str]) -> dict[str, str]:
        """sha256 -> submission_id of an already loaded submission with those exact bytes."""
        return reads.loaded_sha256(self.connection, shas)

    def query(self, sql: str, timeout_s: float | None = None) -> tuple[list[str], list[tuple]]:
        """Columns and rows of one read-only statement (SELECT, WITH, FROM, SHOW, DESCRIBE), stopped with
        ``query_timeout`` after ``timeout_s`` seconds (None: no limit)."""
        return reads.read_only_query(self.connection, sql, timeout_s)

    def run_summary(self, run_id: str | None = None) -> dict:
        """``{"run": ingest_runs row, "submissions": [...], "quality": [...]}``; the last run by default."""
        return reads.run_summary(self.connection, run_id)
