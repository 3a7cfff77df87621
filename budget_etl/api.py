"""The public functions behind ``import budget_etl``; the CLI calls these and the library beneath them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from budget_etl.errors import BudgetEtlError

if TYPE_CHECKING:  # imported lazily: `import budget_etl` stays cheap
    from budget_etl.flows.progress import NoProgress
    from budget_etl.flows.summary import RunSummary
    from budget_etl.parsers.cells import Workbook
    from budget_etl.parsers.records import ParsedSubmission
    from budget_etl.parsers.tables import Table
    from budget_etl.warehouse import Warehouse

_PATH_OPTIONS = ("db_path", "reports_dir", "quarantine_dir")


def ingest(paths: Iterable[str | os.PathLike] | str | os.PathLike, *, progress: "NoProgress | None" = None,
           prefect: bool = False, dask_address: str | None = None, **options) -> "RunSummary":
    """Parse, gate and load files and folders (recursively), write the run report; returns the run's summary.

    ``options`` are :class:`budget_etl.flows.pipeline.IngestOptions` fields: ``db_path`` (default
    ``warehouse.duckdb``), ``reports_dir``, ``quarantine_dir``, ``workers``, ``timeout_s``, ``lock_wait_s``,
    ``data_docs`` … ``prefect=True`` runs it as a tracked Prefect flow run (``dask_address``: parse on that
    Dask scheduler, ``"local"`` for a local cluster); otherwise ``progress`` is told each stage.
    A file that fails is in the summary, never raised; what raises (a missing path, a locked warehouse) is a
    :class:`BudgetEtlError`, and then nothing changed.
    """
    from budget_etl.flows.pipeline import IngestOptions

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    settings = IngestOptions(**{name: Path(value) if name in _PATH_OPTIONS else value
                                for name, value in options.items()})
    if prefect:
        from budget_etl.flows.prefect_flows import run_ingest_flow

        return run_ingest_flow([str(p) for p in paths], settings, dask_address=dask_address)
    from budget_etl.flows.pipeline import run_ingest

    return run_ingest(paths, settings, progress)


def connect(db_path: str | os.PathLike = "warehouse.duckdb", read_only: bool = True, **options) -> "Warehouse":
    """The warehouse; use it as a context manager (``wh.query(sql)`` gives columns and rows). Read-only unless
    asked, and then a missing file is ``warehouse_missing``; ``options``: ``lock_wait_s``."""
    from budget_etl.warehouse import Warehouse

    return Warehouse(Path(db_path), read_only=read_only, **options)


def read_workbook(source: str | os.PathLike | bytes, name: str = "") -> "Workbook":
    """Read a file (path or bytes) into cells, whatever its format (detected from its content).
    A file that cannot be read raises :class:`budget_etl.parsers.errors.ReadError` (a BudgetEtlError)."""
    from budget_etl.parsers.readers import read_bytes

    if isinstance(source, bytes):
        return read_bytes(source, name)
    path = Path(source)
    return read_bytes(path.read_bytes(), name or path.name)


def parse(workbook: "Workbook") -> "ParsedSubmission":
    """Recognise the table family of a workbook and parse it into records, each with its source cell
    (``unknown_template`` when no family matches)."""
    from budget_etl.parsers.templates import parse_workbook

    return parse_workbook(workbook)


def tables(source: "str | os.PathLike | bytes | Workbook", name: str = "") -> "list[Table]":
    """Every table of a file (or of a workbook already read), found generically, with no family: each
    ``Table`` has its ``sheet``, ``range``, ``entries`` (value, cell, labels: one per header dimension) and
    ``labels`` (label, cell, parent); ``table.to_json()`` is a line of `budget-etl tables --format jsonl`."""
    from budget_etl.parsers.cells import Workbook
    from budget_etl.parsers.tables import find_tables

    workbook = source if isinstance(source, Workbook) else read_workbook(source, name)
    return [table for sheet in workbook.sheets for table in find_tables(sheet)]


__all__ = ["ingest", "connect", "read_workbook", "parse", "tables", "BudgetEtlError"]
