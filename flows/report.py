"""What a run tells its reader: the HTML report and its JSON twin, the quarantine
reason file, and the text ``budget-etl report`` prints.

Layout of a run's report folder::

    <reports>/<run_id>/report.html    one self-contained page (see flows.report_html); for a run of more than
                                      PAGE_SIZE files the overview, with files-001.html … holding the files
    <reports>/<run_id>/report.json    the same facts for scripts
    <reports>/<run_id>/data_docs/     Great Expectations Data Docs (built by expectations.validate)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from budget_etl.flows.history import History, run_history
from budget_etl.flows.report_html import REPORT_PAGE, iter_pages, when
from budget_etl.flows.summary import STATUSES, FileSummary, RunSummary, generic_size
from budget_etl.flows.visible import visible

REPORT_HTML = REPORT_PAGE
REPORT_JSON = "report.json"
DATA_DOCS = "data_docs"

FINDING_FIELDS = ["path", "submission_id", "suite", "expectation", "severity", "observed",
                  "expected", "source_cells", "message"]


def run_report_dir(reports_dir: Path, run_id: str) -> Path:
    return Path(reports_dir) / run_id


def data_docs_dir(reports_dir: Path, run_id: str) -> Path:
    """Where the pipeline asks ``budget_etl.expectations.validate`` to build the run's Data Docs."""
    return run_report_dir(reports_dir, run_id) / DATA_DOCS


def write_report(summary: RunSummary, reports_dir: Path, history: History | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` (and its further pages for a large run) and ``report.json``; returns (html, json).

    ``history``: the run's departments' quality history; read from the warehouse when not given.

    Also records both paths on ``summary`` (``report_path``, ``report_json_path``),
    so the JSON twin and ``ingest --json`` name them.
    """
    folder = run_report_dir(reports_dir, summary.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    html_path, json_path = folder / REPORT_HTML, folder / REPORT_JSON
    summary.report_path, summary.report_json_path = str(html_path), str(json_path)
    history = history if history is not None else run_history(summary)
    for name, page in iter_pages(summary, folder, history):  # one page in memory at a time
        (folder / name).write_text(page, encoding="utf-8")
    doc = report_json(summary, stream_files=True)
    doc["history"] = history.to_json()
    with open(json_path, "w", encoding="utf-8") as out:
        summary.write_json(out, doc, ensure_ascii=False, indent=2, default=_plain)
    return html_path, json_path


def report_json(summary: RunSummary, *, stream_files: bool = False) -> dict:
    """The run summary plus every failed or warned check (``findings``); ``stream_files``: see
    :meth:`RunSummary.to_json`."""
    doc = summary.to_json(stream_files=stream_files)
    doc["findings"] = _records(_failed(summary.quality))
    return doc


def reason_file_text(file: FileSummary, rows: pd.DataFrame | list[dict]) -> str:
    """The plain-text reason file copied next to a quarantined file.

    ``rows``: the file's quality rows, or its failed ones as :func:`failed_by_path` gives them (a run's
    quarantine copies sort and split the findings once, not with pandas once per file)."""
    failed = rows if isinstance(rows, list) else _failed(rows).to_dict("records")
    errors = [r for r in failed if r["severity"] == "error"]
    warnings = [r for r in failed if r["severity"] == "warning"]
    lines = [
        "budget-etl: this file was quarantined 本文件未通过质量检查，未入库",
        "",
        f"File:        {_safe(file.path)}",
        f"sha256:      {file.sha256 or ''}",
        f"Template:    {file.template or ''}",
        f"Department:  {_safe(file.department_name)}",
        f"Year:        {file.fiscal_year if file.fiscal_year is not None else ''}",
    ]
    if file.project_name:
        lines.append(f"Project:     {_safe(file.project_name)}")
    lines += ["", f"Failed checks (each blocks the load): {len(errors)}"]
    lines += _numbered(errors)
    if len(warnings):
        lines += ["", f"Warnings (reported, would not block the load): {len(warnings)}"]
        lines += _numbered(warnings)
    lines += ["", "Correct the cells listed above and submit the file again."]
    return "\n".join(lines) + "\n"


def render_text_summary(summary: RunSummary) -> str:
    """What ``budget-etl report`` prints: counts, one line per file, where the report is."""
    counts = " · ".join(f"{s} {summary.count(s)}" for s in STATUSES)
    lines = [f"Run {summary.run_id}  started {when(summary.started_at)}  finished {when(summary.finished_at)}",
             counts]
    failed = _failed(summary.quality)
    width = max((len(s) for s in STATUSES), default=0)
    for f in summary.files:
        lines.append(f"  {f.status:<{width}}  {_safe(f.path)}  {_describe(f, failed)}".rstrip())
        if len(f.submissions) > 1:
            lines.extend(f"  {'':<{width}}    sheet {_safe(s['sheet'])}: {s['status']} {s['template'] or ''} "
                         f"{generic_size(s.get('generic_tables'), s.get('generic_entries'))} "
                         f"{_safe(s['error_code'] or '')}".rstrip() for s in f.submissions)
    if summary.report_path:
        lines.append(f"Report: {_safe(summary.report_path)}")
    if summary.data_docs_path:
        lines.append(f"Data Docs: {_safe(summary.data_docs_path)}")
    return "\n".join(lines) + "\n"


def _describe(f: FileSummary, failed: pd.DataFrame) -> str:
    who = " ".join(_safe(v) for v in (f.department_name, f.fiscal_year, f.project_name) if v not in (None, ""))
    if f.generic_tables is not None and len(f.submissions) <= 1:  # a generic file: what was kept of it
        who = f"generic {generic_size(f.generic_tables, f.generic_entries)}"
    if f.status == "rejected":
        from budget_etl.parsers.templates import short_message

        # one sentence, as `ingest` prints it: what every family looks for is in report.html
        said = short_message(f.error_message) if f.error_code == "unknown_template" and f.error_message else \
            f.error_message
        return f"{who} {f.error_code or ''}: {_safe(said or '')}".strip()
    mine = failed[failed["path"] == f.path] if "path" in failed else failed.iloc[0:0]
    errors = mine.loc[mine["severity"] == "error", "expectation"].tolist() if not mine.empty else list(f.failed_checks)
    warnings = mine.loc[mine["severity"] == "warning", "expectation"].tolist() if not mine.empty else list(f.warnings)
    notes = []
    if errors:
        notes.append("failed: " + ", ".join(dict.fromkeys(errors)))
    if warnings:
        notes.append("warnings: " + ", ".join(dict.fromkeys(warnings)))
    if f.identity_note:
        notes.append("identity: " + _safe(f.identity_note))
    return " — ".join([who] + notes) if notes else who


def _numbered(rows: list[dict]) -> list[str]:
    out = []
    for n, r in enumerate(rows, start=1):
        out += [f"{n}. [{r['suite']}] {r['expectation']}", f"   {_safe(r['message'])}"]
        if r["observed"]:
            out.append(f"   Observed: {_safe(r['observed'])}")
        if r["expected"]:
            out.append(f"   Expected: {_safe(r['expected'])}")
        if r["source_cells"]:
            out.append(f"   Cells:    {_safe(r['source_cells'])}")
    return out


def failed_by_path(rows: pd.DataFrame | None) -> dict[str, list[dict]]:
    """path -> the file's failed rows, in the order its reason file lists them (:func:`reason_file_text`)."""
    grouped: dict[str, list[dict]] = {}
    for row in _failed(rows).to_dict("records"):
        grouped.setdefault(row["path"], []).append(row)
    return grouped


def _failed(rows: pd.DataFrame | None) -> pd.DataFrame:
    if rows is None or rows.empty or "success" not in rows:
        return pd.DataFrame(columns=FINDING_FIELDS)
    failed = rows[~rows["success"].astype(bool)].copy()
    for column in FINDING_FIELDS:
        if column not in failed:
            failed[column] = None
    failed["_errors_first"] = (failed["severity"] != "error").astype(int)
    return failed.sort_values(["_errors_first", "suite", "expectation"], kind="stable").drop(columns="_errors_first")


def _records(rows: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in rec.items()} for rec in rows[FINDING_FIELDS].to_dict("records")]


def _plain(value):
    """numpy / pandas scalars and missing values as JSON-friendly Python values."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _safe(value) -> str:
    """Shown in a terminal or a text file: control and invisible characters escaped (see flows.visible)."""
    return visible(value)
