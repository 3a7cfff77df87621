"""The public functions behind ``import budget_etl``; the CLI calls these and the library beneath them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from budget_etl.errors import BudgetEtlError

if TYPE_CHECKING:  # imported lazily: `import budget_etl` stays cheap
    from budget_etl.flows.summary import RunSummary
    from budget_etl.parsers.cells import Workbook
    from budget_etl.parsers.records import ParsedSubmission
    from budget_etl.warehouse import Warehouse


def ingest(paths: Iterable[str | os.PathLike] | str | os.PathLike, **options) -> "RunSummary":
    """Parse, gate and load files and folders, write the run report; the options are
    :class:`budget_etl.flows.pipeline.IngestOptions` fields (``db_path``, ``reports_dir``, ``quarantine_dir``,
    ``workers``, ``timeout_s`` …)."""
    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return run_ingest(list(paths), IngestOptions(**options))


def connect(db_path: str | os.PathLike = "warehouse.duckdb", read_only: bool = True, **options) -> "Warehouse":
    """The warehouse; use it as a context manager. Read-only unless asked, and refused if the file is missing
    when read-only (``warehouse_missing``)."""
    from budget_etl.warehouse import Warehouse

    return Warehouse(Path(db_path), read_only=read_only, **options)


def read_workbook(source: str | os.PathLike | bytes, name: str = "") -> "Workbook":
    """Read a file (path or bytes) into cells, whatever its format (detected from its content)."""
    from budget_etl.parsers.readers import read_bytes

    if isinstance(source, bytes):
        return read_bytes(source, name)
    path = Path(source)
    return read_bytes(path.read_bytes(), name or path.name)


def parse(workbook: "Workbook") -> "ParsedSubmission":
    """Recognise the table family of a workbook and parse it into records, each with its source cell."""
    from budget_etl.parsers.templates import parse_workbook

    return parse_workbook(workbook)


__all__ = ["ingest", "connect", "read_workbook", "parse", "BudgetEtlError"]
