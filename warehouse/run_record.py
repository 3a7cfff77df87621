"""The ``ingest_runs`` row of one run, as the pipeline hands it to the warehouse."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class RunRecord:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    files_seen: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    files_rejected: int = 0
    files_skipped: int = 0  # duplicates: the same bytes as an already loaded submission
    report_path: str | None = None
