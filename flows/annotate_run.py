"""Which files of a run get an annotated workbook, and writing them in the sandboxed workers.

Quarantined files always do (beside their quarantine copy); loaded files with warnings do when the run asks
(``IngestOptions.annotate_warnings``), in ``<reports>/<run_id>/annotated/``. A workbook that cannot be written
costs only its link: the run is committed by then, and the reason file still says everything.
"""
from __future__ import annotations

import logging
import math
import os
from pathlib import Path

import pandas as pd

from budget_etl.flows.annotate import (
    ANNOTATED_DIR,
    ANNOTATED_SUFFIX,
    AnnotateTask,
    annotate_task,
    catalogue_for,
)
from budget_etl.flows.report import FINDING_FIELDS, run_report_dir
from budget_etl.flows.summary import FileSummary, RunSummary
from budget_etl.parsers.errors import ReadError

#: Formats the readers turn into cells, hence into a rebuilt workbook.
ANNOTATABLE_FORMATS = frozenset({"xlsx", "xls", "text", "html"})

_log = logging.getLogger("budget_etl")


def annotate_run(summary: RunSummary, *, reports_dir: Path, annotate_warnings: bool, workers: int | None,
                 timeout_s: float, memory_mb: int, limits) -> int:
    """Write the run's annotated workbooks, record each on its file (``annotated_path``); returns how many."""
    tasks, owners = _tasks(summary, Path(reports_dir), annotate_warnings, limits)
    if not tasks:
        return 0
    from budget_etl.flows.sandbox import run_sandboxed

    if workers is None:
        workers = min(os.cpu_count() or 1, len(tasks))
    written = 0
    for index, result in run_sandboxed(annotate_task, tasks, workers=workers,
                                       timeout_s=timeout_s, memory_mb=memory_mb, batch_size=4):
        if isinstance(result, ReadError):
            _log.warning("no annotated workbook for %s: %s", tasks[index].source, result.message)
            continue
        position, f = owners[index]
        f.annotated_path = result
        summary.files[position] = f  # type: ignore[index]  # a run's files are a copy when read (summary_store)
        written += 1
    return written


def _free_target(folder: Path, name: str) -> Path:
    """``<name>.annotated.xlsx``, or ``<stem> (2)<ext>.annotated.xlsx`` … when taken: two loaded files
    called 预算.xlsx get two workbooks."""
    base = Path(name)
    candidate, n = folder / (name + ANNOTATED_SUFFIX), 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base.stem} ({n}){base.suffix}{ANNOTATED_SUFFIX}"
    candidate.touch()  # claims the name before the worker writes it
    return candidate


def _tasks(summary: RunSummary, reports_dir: Path, annotate_warnings: bool,
           limits) -> tuple[list[AnnotateTask], list[tuple[int, FileSummary]]]:
    """The workbooks to annotate, and for each its file's (position in ``summary.files``, summary)."""
    wanted = [(i, f) for i, f in enumerate(summary.files) if f.format in ANNOTATABLE_FORMATS and (
        (f.status == "quarantined" and f.quarantine_path)
        or (annotate_warnings and f.status == "loaded" and f.warnings))]
    if not wanted:
        return [], []
    quality = summary.quality
    failed = quality[~quality["success"].astype(bool) & quality["path"].isin({f.path for _, f in wanted})] \
        if not quality.empty and "path" in quality else pd.DataFrame(columns=FINDING_FIELDS)
    # Grouped once, as plain values: a scan of all findings per file is quadratic in the run's size, and pandas
    # once per file cost ~1 ms a file.
    by_path: dict[str, list[dict]] = {}
    for rec in failed.reindex(columns=FINDING_FIELDS).to_dict("records"):
        by_path.setdefault(rec["path"], []).append({k: _plain(v) for k, v in rec.items()})
    tasks, owners = [], []
    for position, f in wanted:
        rows = by_path.get(f.path)
        if rows is None:
            continue
        findings = tuple(rows)
        if f.status == "quarantined":
            target = Path(f.quarantine_path + ANNOTATED_SUFFIX)
        else:
            folder = run_report_dir(reports_dir, summary.run_id) / ANNOTATED_DIR
            folder.mkdir(parents=True, exist_ok=True)
            target = _free_target(folder, Path(f.path).name)
        tasks.append(AnnotateTask(source=f.path, target=str(target), status=f.status,
                                  department_name=f.department_name, fiscal_year=f.fiscal_year,
                                  findings=findings, limits=limits,
                                  catalogue=catalogue_for({finding.get("expectation") for finding in findings})))
        owners.append((position, f))
    return tasks, owners


def _plain(value):
    """Plain Python values for the worker's pickle (no numpy scalars, no NaN)."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
