"""Chunks validated and loaded on their own thread (flows/chunk_thread.py): in order, one at a time, and a failure
on either side stops the run the way it did when the main thread loaded them."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from budget_etl.flows.chunk_thread import ChunkThread
from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.warehouse import Warehouse
from budget_etl.warehouse.errors import WarehouseError

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"


def test_chunks_load_in_order_on_another_thread():
    seen: list[tuple[int, str]] = []
    loading = ChunkThread(lambda chunk: seen.append((chunk, threading.current_thread().name)))
    loading.put(range(5))
    loading.put([5, 6])
    loading.finish()
    assert [chunk for chunk, _ in seen] == list(range(7))
    assert {name for _, name in seen} == {"load-chunks"}


def test_a_failed_chunk_stops_the_later_ones_and_its_error_reaches_the_caller():
    loaded: list[int] = []
    release = threading.Event()

    def load(chunk: int) -> None:
        if chunk == 1:
            release.wait(5)
            raise WarehouseError("io_error", "disk full")
        loaded.append(chunk)

    loading = ChunkThread(load)
    loading.put([0, 1, 2])  # 2 waits in the hand-off while 1 is loading
    release.set()
    with pytest.raises(WarehouseError, match="disk full"):
        loading.put([3])
        loading.finish()
    assert loaded == [0]


def test_abandon_lets_the_chunk_in_progress_finish_and_starts_no_other():
    loaded: list[int] = []
    started, release = threading.Event(), threading.Event()

    def load(chunk: int) -> None:
        started.set()
        release.wait(5)
        loaded.append(chunk)

    loading = ChunkThread(load)
    loading.put([0, 1])  # 0 is loading, 1 waits
    started.wait(5)
    threading.Timer(0.2, release.set).start()
    loading.abandon()
    assert loaded == [0]


def test_a_run_whose_second_chunk_fails_to_load_keeps_the_first_and_loads_no_later_one(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SEED, inbox / "a-first.txt")
    shutil.copy2(SAMPLES / "wujiang-trade-union-2024-department.xlsx", inbox / "b-second.xlsx")
    shutil.copy2(SAMPLES / "suzhou-trade-union-2023.txt", inbox / "c-third.txt")
    real_load = Warehouse.load_run
    calls: list[int] = []

    def load_run(self, *args, **kwargs):  # the second chunk's transaction fails as a full disk would fail it
        calls.append(1)
        if len(calls) == 2:
            raise WarehouseError("io_error", "cannot write the warehouse (No space left on device)")
        return real_load(self, *args, **kwargs)

    monkeypatch.setattr(Warehouse, "load_run", load_run)
    work = tmp_path / "run"
    work.mkdir()
    options = IngestOptions(db_path=work / "w.duckdb", reports_dir=work / "reports", quarantine_dir=work / "q",
                            data_docs=False, workers=0, chunk_files=1)
    with pytest.raises(WarehouseError, match="No space left"):
        run_ingest([inbox], options)
    assert len(calls) == 2  # the third chunk was never loaded
    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        paths = con.execute("select regexp_extract(source_path, '[^/]+$') from submissions").fetchall()
    finally:
        con.close()
    assert paths == [("a-first.txt",)]
