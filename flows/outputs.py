"""A run's outputs besides the warehouse: the report folder and the quarantine folder.

Before a run reads anything, :func:`check_output_dirs` makes sure both can be written (a regular file where
a folder should be, or a read-only parent, stops the run with one line and nothing loaded). After the
load committed, :func:`finish_committed_run` writes the quarantine copies and the report; a failure there
cannot undo the load, so it is recorded on the summary as a problem (the CLI prints it and exits 1, not 2:
files *were* loaded) with the command that redoes the step.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from budget_etl.errors import BudgetEtlError
from budget_etl.flows.files import kind_of, path_text
from budget_etl.flows.quarantine import quarantine_copies
from budget_etl.flows.report import write_report
from budget_etl.flows.summary import RunSummary


class OutputUnusable(BudgetEtlError):
    def __init__(self, message: str):
        super().__init__("output_unusable", message)


def check_output_dirs(reports_dir: Path, quarantine_dir: Path) -> None:
    """Raise OutputUnusable unless each folder exists and is writable, or can be created (it is not)."""
    for what, folder in (("reports", reports_dir), ("quarantine", quarantine_dir)):
        folder = Path(folder)
        existing = folder
        while not os.path.lexists(existing) and existing != existing.parent:
            existing = existing.parent
        shown = path_text(existing)
        if not existing.is_dir():
            kind = "a regular file" if existing.is_file() else kind_of(os.stat(existing).st_mode) \
                if existing.exists() else "a broken symbolic link"
            raise OutputUnusable(f"the {what} folder cannot be used: {shown} is {kind}, not a folder; "
                                 "nothing was read or loaded")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputUnusable(f"the {what} folder cannot be used: {shown} is not writable; "
                                 "nothing was read or loaded")


def finish_committed_run(summary: RunSummary, reports_dir: Path, quarantine_dir: Path,
                         annotate: Callable[[], object] | None = None) -> None:
    """Quarantine copies, annotated workbooks (``annotate``) and report of a committed run; failures go to
    ``summary.problems``."""
    summary.problems.extend(quarantine_copies(summary, quarantine_dir))
    if annotate is not None:
        try:
            annotate()
        except OSError as exc:
            summary.problems.append(f"annotated workbooks of run {summary.run_id} not written "
                                    f"({exc.strerror or exc})")
    try:
        write_report(summary, Path(reports_dir))
    except OSError as exc:
        summary.problems.append(f"report of run {summary.run_id} not written ({exc.strerror or exc}); "
                                f"rebuild it with `budget-etl report {summary.run_id}`")
