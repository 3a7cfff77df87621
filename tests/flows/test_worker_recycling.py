"""A long run replaces each sandbox worker after ``pipeline.WORKER_FILES`` files (memory, issue 18): every
file still gets the result a run with long-lived workers gives it. Real files, workers, GX and DuckDB."""
from __future__ import annotations

from pathlib import Path

import pytest

from budget_etl.flows import pipeline, sandbox
from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.flows.stages import read_and_parse

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _run(work: Path) -> dict:
    options = IngestOptions(db_path=work / "w.duckdb", reports_dir=work / "reports", quarantine_dir=work / "q",
                            data_docs=False, workers=1, batch_size=1)
    summary = run_ingest([SAMPLES], options)
    return {Path(f.path).name: (f.status, f.template, f.error_code, f.failed_checks, f.warnings,
                                len(f.submissions)) for f in summary.files}


@pytest.mark.slow
def test_recycled_workers_give_every_file_the_result_long_lived_ones_give(tmp_path, monkeypatch):
    starts: list[int] = []
    start = sandbox._Supervisor._start

    def counted(self):
        if self.fn is read_and_parse:  # not the annotating workers started after the load
            starts.append(1)
        return start(self)

    monkeypatch.setattr(sandbox._Supervisor, "_start", counted)
    monkeypatch.setattr(pipeline, "WORKER_FILES", None)
    kept = _run(tmp_path / "kept")
    assert len(starts) == 1, "without recycling one worker reads every file"

    starts.clear()
    monkeypatch.setattr(pipeline, "WORKER_FILES", 2)
    recycled = _run(tmp_path / "recycled")
    files = len(list(SAMPLES.iterdir()))
    assert len(starts) == -(-files // 2), "a fresh worker every 2 files"
    assert recycled == kept



def test_a_recycled_worker_is_gone_before_its_replacement_starts(monkeypatch):
    """The tree's memory never holds a retired worker beside its replacement (one worker's memory at the peak)."""
    alive_at_start: list[int] = []
    start = sandbox._Supervisor._start

    def checked(self):
        alive_at_start.append(sum(w.process.is_alive() for w in self.retired))
        return start(self)

    monkeypatch.setattr(sandbox._Supervisor, "_start", checked)
    results = dict(sandbox.run_sandboxed(abs, list(range(-6, 0)), workers=1, timeout_s=30, memory_mb=512,
                                         batch_size=1, recycle_after=2))
    assert results == {i: abs(v) for i, v in enumerate(range(-6, 0))}
    assert alive_at_start == [0, 0, 0]  # the first worker, then two replacements
