"""`budget-etl report [RUN_ID]`: rebuild a past run's summary, rewrite its report, return the text to print.

The run's JSON twin holds everything the report shows (duplicates included), so it is the first source.
When it is gone (reports folder cleaned), the warehouse still knows the run: its submissions and quality
results rebuild the report, less the duplicate files, which the warehouse never records by design.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from budget_etl.flows.summary import FileSummary, RunSummary, file_summary

_FILE_FIELDS = set(FileSummary.__slots__)


def rewrite_report(db_path: Path, run_id: str | None = None, quarantine_dir: Path | None = None
                   ) -> tuple[str, list[str]]:
    """Rewrite the run's report and re-create its missing quarantine copies (from the files, when they still
    hold the judged bytes): every step after a run's commit can be redone. Returns the text to print and
    the problems (copies that could not be made)."""
    from budget_etl.flows.history import run_history
    from budget_etl.flows.quarantine import restore_copies
    from budget_etl.flows.report import REPORT_JSON, render_text_summary, write_report
    from budget_etl.warehouse import Warehouse

    with Warehouse(db_path, read_only=True, sealed=True) as wh:
        info = wh.run_summary(run_id)
        report_path = info["run"].get("report_path")
        twin = Path(report_path).with_name(REPORT_JSON) if report_path else None
        if twin is not None and twin.exists():
            summary = summary_from_json(json.loads(twin.read_text(encoding="utf-8")))
        else:
            summary = summary_from_warehouse(info)
        summary.db_path = str(db_path)
        history = run_history(summary, wh)  # through this connection: the warehouse is opened once
    reports_dir = Path(report_path).parent.parent if report_path else Path("reports")
    summary.problems = restore_copies(summary, quarantine_dir or _quarantine_dir_of(summary))  # what is still wrong
    write_report(summary, reports_dir, history)
    return render_text_summary(summary), summary.problems


def _quarantine_dir_of(summary: RunSummary) -> Path:
    """Where the run put its quarantine copies (``<quarantine>/<run_id>/<name>``), else ./quarantine."""
    from budget_etl.flows.files import fs_path

    for f in summary.files:
        if f.quarantine_path:
            return fs_path(f.quarantine_path).parent.parent
    return Path("quarantine")


def _time(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def summary_from_json(doc: dict) -> RunSummary:
    """The inverse of the report's JSON twin (``budget_etl.flows.report.report_json``)."""
    files = [FileSummary(**{k: v for k, v in f.items() if k in _FILE_FIELDS}) for f in doc.get("files", [])]
    timings = dict(doc.get("timings", {}))
    chunks = timings.pop("chunks", [])  # --json nests the chunks' figures in the timings
    return RunSummary(
        run_id=doc["run_id"], started_at=_time(doc.get("started_at")), finished_at=_time(doc.get("finished_at")),
        db_path=doc.get("db_path", ""), report_path=doc.get("report_path"),
        report_json_path=doc.get("report_json_path"), data_docs_path=doc.get("data_docs_path"),
        files=files, quality=pd.DataFrame(doc.get("findings", [])).assign(success=False)
        if doc.get("findings") else pd.DataFrame(), timings=timings, chunks=chunks,
    )


def summary_from_warehouse(info: dict) -> RunSummary:
    """Rebuild from ``Warehouse.run_summary``: the run row, its submissions and its quality results."""
    run = info["run"]
    quality = pd.DataFrame(info["quality"])
    if not quality.empty:
        quality = quality.rename(columns={"source_path": "path"})
    by_path: dict[str, list[FileSummary]] = {}
    for s in info["submissions"]:
        mine = quality[(quality["submission_id"] == s["submission_id"]) & ~quality["success"].astype(bool)] \
            if not quality.empty else quality
        by_path.setdefault(s["source_path"], []).append(FileSummary(
            path=s["source_path"], status=s["status"], sha256=s.get("source_sha256"), format=s.get("source_format"),
            submission_id=s["submission_id"], template=s.get("template"), department_name=s.get("department_name"),
            fiscal_year=s.get("fiscal_year"), project_name=s.get("project_name"), version=s.get("version"),
            error_code=s.get("error_code"), error_message=s.get("error_message"),
            failed_checks=sorted(set(mine[mine["severity"] == "error"]["expectation"])) if len(mine) else [],
            warnings=sorted(set(mine[mine["severity"] == "warning"]["expectation"])) if len(mine) else [],
        ))
    files = [file_summary(submissions) for submissions in by_path.values()]  # a file may hold several
    return RunSummary(run_id=run["run_id"], started_at=_time(run.get("started_at")),
                      finished_at=_time(run.get("finished_at")), report_path=run.get("report_path"),
                      files=files, quality=quality)
