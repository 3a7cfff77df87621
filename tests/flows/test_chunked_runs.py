"""A run validated and loaded in chunks (``chunk_files``) decides what a run loaded at once decides: the same
bytes in two chunks, one identity in two chunks, self-evaluations after their target tables, the run's counts
and report. Real files, real GX, a real DuckDB warehouse; one file per chunk where the point is across chunks."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.flows.progress import NoProgress

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"


class Recorder(NoProgress):
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.calls.append(("stage", name, total))

    def chunk(self, number: int, total: int, step: str) -> None:
        self.calls.append(("chunk", number, total, step))


def _ingest(folder: Path, work: Path, chunk_files: int, progress: NoProgress | None = None):
    work.mkdir()
    options = IngestOptions(db_path=work / "w.duckdb", reports_dir=work / "reports", quarantine_dir=work / "q",
                            data_docs=False, workers=0, chunk_files=chunk_files)
    return run_ingest([folder], options, progress)


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _by_name(summary) -> dict:
    return {Path(f.path).name: f for f in summary.files}


def test_the_same_bytes_in_a_later_chunk_are_a_duplicate_of_the_first(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SEED, inbox / "a-first.txt")
    shutil.copy2(SAMPLES / "wujiang-trade-union-2024-department.xlsx", inbox / "b-other.xlsx")
    shutil.copy2(SEED, inbox / "c-again.txt")

    summary = _ingest(inbox, tmp_path / "run", chunk_files=1)

    files = _by_name(summary)
    assert len(summary.chunks) == 3
    assert (files["a-first.txt"].status, files["c-again.txt"].status) == ("loaded", "duplicate")
    assert files["c-again.txt"].submission_id == files["a-first.txt"].submission_id
    db = tmp_path / "run" / "w.duckdb"
    assert _rows(db, "select regexp_extract(source_path, '[^/]+$') from submissions order by 1") == [
        ("a-first.txt",), ("b-other.xlsx",)]
    assert _rows(db, "select files_seen, files_loaded, files_skipped from ingest_runs") == [(3, 2, 1)]


def test_one_identity_in_two_chunks_loads_as_successive_versions_with_the_warning(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    (inbox / "a-first.txt").write_text(seed, encoding="utf-8")
    # Other bytes, same identity once the name is normalised (as tests/cli/test_versions_in_one_run.py).
    (inbox / "b-resent.txt").write_text(seed.replace("苏州市总工会（本级）", " 苏州市总工会(本级)"), encoding="utf-8")

    summary = _ingest(inbox, tmp_path / "run", chunk_files=1)

    files = _by_name(summary)
    assert len(summary.chunks) == 2
    assert [files[n].version for n in ("a-first.txt", "b-resent.txt")] == [1, 2]
    # The later chunk's file carries the warning, naming the file of the earlier (committed) chunk.
    assert "identity_unique_in_run" in files["b-resent.txt"].warnings
    warning = summary.quality[(summary.quality["expectation"] == "identity_unique_in_run")]
    assert list(warning["path"].map(lambda p: Path(p).name)) == ["b-resent.txt"]
    assert "a-first.txt" in warning["message"].iloc[0] and "version 2 of 2" in warning["message"].iloc[0]
    db = tmp_path / "run" / "w.duckdb"
    assert _rows(db, "select regexp_extract(source_path, '[^/]+$'), version, is_current from submissions "
                     "order by version") == [("a-first.txt", 1, False), ("b-resent.txt", 2, True)]


@pytest.fixture(scope="module")
def targets_then_self_evaluations(tmp_path_factory) -> Path:
    """The target tables sort before their self-evaluations: in one-file chunks they are committed first."""
    inbox = tmp_path_factory.mktemp("year-end") / "inbox"
    inbox.mkdir()
    for order, name in enumerate(("suzhou-trade-union-2023.txt",
                                  "suzhou-trade-union-2023-project-labour-model-funds.xlsx",
                                  "suzhou-trade-union-2023-department-self-evaluation.xlsx",
                                  "suzhou-trade-union-2023-project-labour-model-funds-self-evaluation.xlsx")):
        shutil.copy2(SAMPLES / name, inbox / f"{order}-{name}")
    return inbox


def _self_evaluation_checks(summary) -> list[tuple]:
    q = summary.quality
    mine = q[q["path"].str.contains("self-evaluation")]
    return sorted((Path(p).name, e, s, str(o)) for p, e, s, o in
                  zip(mine["path"], mine["expectation"], mine["success"], mine["observed"]))


def _crossdoc_results(db: Path) -> list[tuple]:
    return _rows(db, """select regexp_extract(s.source_path, '[^/]+$'), q.expectation, q.success, q.observed
                        from quality_results q join submissions s using (submission_id)
                        where q.suite like 'crossdoc%' order by all""")


def test_self_evaluations_in_a_later_chunk_are_compared_with_the_committed_target_tables(
        tmp_path, targets_then_self_evaluations):
    chunked = _ingest(targets_then_self_evaluations, tmp_path / "chunked", chunk_files=1)
    whole = _ingest(targets_then_self_evaluations, tmp_path / "whole", chunk_files=1000)

    assert (len(chunked.chunks), len(whole.chunks)) == (4, 1)
    assert {f.status for f in chunked.files} == {"loaded"}
    crossdoc = _crossdoc_results(tmp_path / "chunked" / "w.duckdb")
    assert ("3-suzhou-trade-union-2023-project-labour-model-funds-self-evaluation.xlsx",
            "budget_matches_target_table", True) in {row[:3] for row in crossdoc}
    assert not any(row[3] == "not loaded" for row in crossdoc)  # the target tables were found
    assert crossdoc == _crossdoc_results(tmp_path / "whole" / "w.duckdb")
    assert _self_evaluation_checks(chunked) == _self_evaluation_checks(whole)


def test_a_chunked_run_records_reports_and_loads_what_a_run_at_once_does(tmp_path):
    progress = Recorder()
    chunked = _ingest(SAMPLES, tmp_path / "chunked", chunk_files=3, progress=progress)
    whole = _ingest(SAMPLES, tmp_path / "whole", chunk_files=1000)
    files = len(list(SAMPLES.iterdir()))

    # One read+parse stage over the whole run (its count and ETA), each chunk shown under it.
    assert progress.calls == [("stage", "hash", files), ("stage", "read+parse", files),
                              *[("chunk", n, 3, step) for n in (1, 2, 3) for step in ("validate", "load")],
                              ("stage", "report", None)]

    assert [c["files"] for c in chunked.chunks] == [3, 3, files - 6]
    assert all(set(c) >= {"chunk", "files", "submissions", "stage", "validate", "load"} for c in chunked.chunks)
    # The run's one ingest_runs row counts every chunk.
    counts = chunked.counts
    db = tmp_path / "chunked" / "w.duckdb"
    assert _rows(db, "select count(*), sum(files_seen), sum(files_loaded), sum(files_quarantined), "
                     "sum(files_rejected), sum(files_skipped) from ingest_runs") == [
        (1, files, counts["loaded"], counts["quarantined"], counts["rejected"], counts["duplicate"])]
    # The report covers the whole run: every file, every failed check.
    report = json.loads(Path(chunked.report_json_path).read_text(encoding="utf-8"))
    assert len(report["files"]) == files and report["timings"]["chunks"] == chunked.chunks
    statuses = lambda s: sorted((Path(f.path).name, f.status, tuple(f.failed_checks)) for f in s.files)  # noqa: E731
    assert statuses(chunked) == statuses(whole)
    assert any(f.status == "quarantined" for f in chunked.files)
    assert len(list((tmp_path / "chunked" / "q" / chunked.run_id).glob("*.reason.txt"))) == 1
    # The same facts and quality rows (the run keeps only failed rows in memory; the warehouse keeps them all),
    # but for the cross-document warnings: in path order the samples' self-evaluations and disclosure come before
    # their target tables, so in 3-file chunks they are validated before those are committed (README: Chunks).
    for sql in ("select department_name, fiscal_year, project_name, direction, item_path, period, amount_wan, "
                "source_sheet, source_cell, source_path from v_budget order by all",
                "select count(*) from fact_target",
                "select suite, expectation, severity, success, observed, count(*) from quality_results "
                "where suite not like 'crossdoc%' and expectation <> 'disclosure_matches_target_table' "
                "group by all order by all",
                "select regexp_extract(source_path, '[^/]+$'), status, version, is_current from submissions "
                "order by all"):
        assert _rows(db, sql) == _rows(tmp_path / "whole" / "w.duckdb", sql), sql
    assert not chunked.quality["success"].astype(bool).any()


def test_a_chunks_cyclic_garbage_is_freed_before_its_load_and_the_next_chunk(tmp_path, monkeypatch):
    """The parent's memory stays flat across chunks only if what a chunk built is freed when it is committed;
    objects in reference cycles (frames, Great Expectations' objects) wait for a full collection, which Python
    runs rarely in a process with many long-lived objects. Automatic collection is off here, so only the
    pipeline's own collection can free the cycle made while the first chunk is validated."""
    import gc
    import weakref

    import budget_etl.flows.chunked_load as chunked_load

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SEED, inbox / "a.txt")
    shutil.copy2(SAMPLES / "wujiang-trade-union-2024-department.xlsx", inbox / "b.xlsx")

    class Cycle:
        pass

    made: list[weakref.ref] = []
    validate = chunked_load._validate

    def validate_with_a_cycle(*args, **kwargs):
        cycle = Cycle()
        cycle.itself = cycle
        made.append(weakref.ref(cycle))
        return validate(*args, **kwargs)

    class Watch(NoProgress):
        alive: dict[tuple[int, str], bool] = {}

        def chunk(self, number: int, total: int, step: str) -> None:
            if made:
                self.alive[(number, step)] = made[0]() is not None

    monkeypatch.setattr(chunked_load, "_validate", validate_with_a_cycle)
    watch = Watch()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        summary = _ingest(inbox, tmp_path / "run", chunk_files=1, progress=watch)
    finally:
        if was_enabled:
            gc.enable()
    assert len(summary.chunks) == 2
    # freed before the first chunk's load (the load's peak comes on top of what is still held), and so before the
    # second chunk
    assert watch.alive == {(1, "load"): False, (2, "validate"): False, (2, "load"): False}
