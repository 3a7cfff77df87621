"""A run summary like the pipeline builds: a loaded, a quarantined (hostile names), a rejected and a duplicate file."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from budget_etl.expectations import RESULT_COLUMNS
from budget_etl.flows.summary import FileSummary, RunSummary

HOSTILE = "<script>alert(1)</script>"

REPORT_QUALITY_COLUMNS = ["submission_id", "path"] + RESULT_COLUMNS


def _row(key, path, suite, check, severity, success, observed="", expected="", cells="", message=""):
    return dict(file_key=key, submission_id=f"sub-{key}", path=path, suite=suite, expectation=check,
                severity=severity, success=success, observed=observed, expected=expected,
                source_cells=cells, message=message)


@pytest.fixture
def summary(tmp_path) -> RunSummary:
    good, bad = "/in/good.txt", f"/in/{HOSTILE}.txt"
    files = [
        FileSummary(path=good, status="loaded", sha256="a" * 64, format="text", submission_id="sub-1",
                    template="department_overall", department_name="苏州市总工会（本级）", fiscal_year=2023, version=1,
                    warnings=["rate_percent_within_0_100"]),
        FileSummary(path=bad, status="quarantined", sha256="b" * 64, format="text", submission_id="sub-2",
                    template="department_overall", department_name=HOSTILE, fiscal_year=2023,
                    failed_checks=["funds_total_reconciles"], quarantine_path=f"/q/run-1/{HOSTILE}.txt"),
        FileSummary(path="/in/broken.xlsx", status="rejected", sha256="c" * 64, format="xlsx",
                    error_code="corrupt_file", error_message="The file is damaged & truncated"),
        FileSummary(path="/in/again.txt", status="duplicate", sha256="a" * 64),
    ]
    quality = pd.DataFrame([
        _row(1, good, "reconcile", "funds_total_reconciles", "error", True, expected="equal within 0.005 万元"),
        _row(1, good, "targets", "rate_percent_within_0_100", "warning", False, "=120%", "0–100%", "Sheet1!E81",
             "A percentage of a 率/度 indicator is between 0% and 100%. 满意度/劳模满意度 (全年预算数): =120%, expected 0–100%"),
        _row(2, bad, "reconcile", "funds_total_reconciles", "error", False, "1400",
             "1363.41 = 财政拨款 1363.41 + 国有资本金 0", "Sheet1!E13, Sheet1!F14",
             f"资金总额 = 财政拨款 + … {HOSTILE}: 1400, expected 1363.41"),
        _row(2, bad, "targets", "quantitative_target_readable", "error", False, HOSTILE, "an operator and a number",
             "Sheet1!F70", "A target that looks like a quantity has an operator"),
        _row(2, bad, "structure", "year_plausible", "error", True, expected="2000–2100"),
    ], columns=REPORT_QUALITY_COLUMNS)
    docs = tmp_path / "reports" / "run-1" / "data_docs"
    docs.mkdir(parents=True)
    (docs / "index.html").write_text("<html>docs</html>", encoding="utf-8")
    return RunSummary(run_id="run-1", started_at=datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc),
                      finished_at=datetime(2024, 5, 1, 9, 1, tzinfo=timezone.utc), db_path=str(tmp_path / "w.duckdb"),
                      data_docs_path=str(docs / "index.html"), files=files, quality=quality)


@pytest.fixture(scope="session")
def pages(tmp_path_factory) -> dict:
    """A real run's report and the dashboard over its warehouse, for the page tests and the browser test.

    Two runs: the samples and the feedback fixtures (a loaded department and a quarantined one under a
    ``<script>`` name, the bad-sums table in every format), then the bad-sums table again, so the history
    has a repeat failure.
    """
    import shutil
    from pathlib import Path

    from budget_etl.flows.dashboard import write_dashboard
    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    root = Path(__file__).resolve().parents[2]
    tmp = tmp_path_factory.mktemp("pages")
    inbox, again = tmp / "inbox", tmp / "again"
    inbox.mkdir()
    again.mkdir()
    for source in [*sorted((root / "samples").iterdir()), *sorted((root / "tests/fixtures/feedback").iterdir())]:
        shutil.copy2(source, inbox / source.name)
    shutil.copy2(root / "tests/fixtures/feedback/bad-sums.html", again / "bad-sums-again.html")
    options = IngestOptions(db_path=tmp / "w.duckdb", reports_dir=tmp / "reports", quarantine_dir=tmp / "q",
                            data_docs=False, workers=0)
    first = run_ingest([inbox], options)
    second = run_ingest([again], options)
    dashboard = write_dashboard(tmp / "w.duckdb", tmp / "dash")
    return {"db": tmp / "w.duckdb", "first": first, "second": second, "report": Path(first.report_path),
            "report_again": Path(second.report_path), "dashboard": dashboard}
