"""The per-chunk guarantee under kill -9: a real `budget-etl ingest` in small chunks is killed (SIGKILL, its whole
process group) once at least one chunk committed, as seen by polling the warehouse read-only. Then: only whole
chunks are in the warehouse, every loaded submission has all its facts, the next run loads exactly the rest,
and the warehouse ends up as one uninterrupted run leaves it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FILES, CHUNK = 120, 8  # 15 chunks: the kill lands well before the end
#: what one file's submission holds, per loaded file (path), without what differs between runs (ids, run ids)
FACTS = {
    "budget": "select s.source_path, i.direction, i.item_path, f.period, f.measure, f.amount_wan, f.source_sheet, "
              "f.source_cell from fact_budget f join submissions s using (submission_id) "
              "join dim_fund_item i using (fund_item_id)",
    "targets": "select s.source_path, i.indicator_path, f.period, f.raw_value, f.value, f.unit, f.source_cell "
               "from fact_target f join submissions s using (submission_id) join dim_indicator i using (indicator_id)",
    "texts": "select s.source_path, t.section, t.seq, t.text from submission_texts t join submissions s "
             "using (submission_id)",
    "generic": "select s.source_path, g.sheet, g.cell, g.value_text from generic_entries g join submissions s "
               "using (submission_id)",
    "disclosure": "select s.source_path, f.table_code, f.item, f.amount_wan, f.source_cell from fact_disclosure f "
                  "join submissions s using (submission_id)",
}
LOADED = ("select source_path, source_sha256, template, department_name, fiscal_year, project_name, version, "
          "is_current from submissions where status = 'loaded'")
OUTCOMES = "select distinct source_path, status, error_code from submissions"  # a rerun judges a bad file again


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(FILES), str(folder),
                    "--seed", "5"], check=True, capture_output=True)
    return folder


def _command(corpus: Path, work: Path) -> list[str]:
    return [sys.executable, "-m", "budget_etl.flows.cli", "ingest", str(corpus), "--json", "--db",
            str(work / "w.duckdb"), "--reports", str(work / "reports"), "--quarantine", str(work / "quarantine"),
            "--no-data-docs", "--chunk-files", str(CHUNK), "--lock-wait", "120"]


def _ingest(corpus: Path, work: Path) -> dict:
    work.mkdir(exist_ok=True)
    done = subprocess.run(_command(corpus, work), capture_output=True, text=True, cwd=work, timeout=1200)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


def _query(db: Path, sql: str) -> list[tuple] | None:
    """Rows, or None while the ingest holds the warehouse (it opens it for each chunk's checks and load)."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error:  # not migrated yet
        return None
    finally:
        con.close()


def _kill_after_a_chunk(corpus: Path, work: Path) -> int:
    """Start the ingest; SIGKILL it (and its reader workers) once a chunk committed; returns files committed."""
    work.mkdir()
    db = work / "w.duckdb"
    process = subprocess.Popen(_command(corpus, work), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=work, start_new_session=True)
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            assert process.poll() is None, "the ingest ended before a chunk was seen committed"
            rows = _query(db, "select files_seen from ingest_runs") if db.exists() else None
            if rows:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("no chunk committed within 900 s")
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    [(seen,)] = _query(db, "select files_seen from ingest_runs")
    return seen


def _all(db: Path, sql: str) -> list[tuple]:
    rows = _query(db, sql + " order by all")
    assert rows is not None, sql
    return rows


def test_a_run_killed_between_chunks_keeps_whole_chunks_and_the_next_run_finishes_it(tmp_path, corpus):
    reference = _ingest(corpus, tmp_path / "reference")  # one uninterrupted run (in the same chunks)
    ref_db = tmp_path / "reference" / "w.duckdb"

    work = tmp_path / "killed"
    committed = _kill_after_a_chunk(corpus, work)
    db = work / "w.duckdb"
    # Whole chunks only: the run's files (file_key 0..FILES-1, in path order) are exactly the first chunks.
    assert committed % CHUNK == 0 and CHUNK <= committed < FILES
    keys = {k for (k,) in _all(db, "select distinct file_key from submissions where file_key < %d" % FILES)}
    assert keys == set(range(committed))
    # Every loaded submission has all its facts: the same rows as the same file in the uninterrupted run.
    loaded = {path for (path, *_) in _all(db, LOADED)}
    assert loaded and loaded < {path for (path, *_) in _all(ref_db, LOADED)}
    for name, sql in FACTS.items():
        assert _all(db, sql) == [row for row in _all(ref_db, sql) if row[0] in loaded], name

    rerun = _ingest(corpus, work)
    statuses = {Path(f["path"]).name: f["status"] for f in rerun["files"]}
    assert len(statuses) == FILES  # the rerun's summary (and report) covers every file
    assert sum(1 for s in statuses.values() if s == "duplicate") == len(loaded)
    assert rerun["counts"]["loaded"] == reference["counts"]["loaded"] - len(loaded)
    assert _all(db, LOADED) == _all(ref_db, LOADED)
    assert _all(db, OUTCOMES) == _all(ref_db, OUTCOMES)
    for name, sql in FACTS.items():
        assert _all(db, sql) == _all(ref_db, sql), name
    # Each run's ingest_runs row counts its own committed files: the killed one its chunks, the rerun every file.
    assert _all(db, "select files_seen, files_skipped from ingest_runs") == sorted(
        [(committed, 0), (FILES, len(loaded))])
    report = json.loads(Path(rerun["report_json_path"]).read_text(encoding="utf-8"))
    assert len(report["files"]) == FILES
