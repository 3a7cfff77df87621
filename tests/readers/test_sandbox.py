"""flows.sandbox: crashing or hanging items fail alone; their batch-mates get real results."""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter

import pytest
from sandbox_jobs import collector_settings, misbehave

from budget_etl.flows.sandbox import run_sandboxed
from budget_etl.parsers.errors import ReadError

pytestmark = pytest.mark.timeout(120)


def _run(items, **options):
    results = dict(run_sandboxed(misbehave, items, **options))
    assert sorted(results) == list(range(len(items))), "every item gets exactly one result"
    return [results[i] for i in range(len(items))]


@pytest.mark.slow
@pytest.mark.parametrize("culprit, code", [
    ("abort", "worker_crashed"),
    ("segfault", "worker_crashed"),
    ("exit", "worker_crashed"),
    ("oom", "worker_crashed"),
    ("raise", "worker_crashed"),
    ("hang", "timeout"),
])
def test_culprit_fails_alone_and_batch_mates_succeed(culprit, code):
    items = ["ok-1", "ok-2", culprit, "ok-3", "ok-4", "ok-5"]
    started = time.monotonic()
    results = _run(items, workers=2, timeout_s=2.0, memory_mb=256, batch_size=6)
    assert isinstance(results[2], ReadError) and results[2].code == code
    for index in (0, 1, 3, 4, 5):
        assert results[index].startswith(f"done:{items[index]}:")
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == [], "no worker outlives the run"


@pytest.mark.slow
def test_uses_both_workers_and_survives_several_crashes():
    items = [f"ok-{i}" for i in range(20)] + ["abort", "segfault"] + [f"ok-{i}" for i in range(20, 30)]
    results = _run(items, workers=2, timeout_s=5.0, batch_size=4)
    pids = {r.split(":")[2] for r in results if isinstance(r, str)}
    assert len(pids) >= 2
    assert [r.code for r in results if isinstance(r, ReadError)] == ["worker_crashed", "worker_crashed"]
    assert sum(isinstance(r, str) for r in results) == 30


def test_workers_collect_cycles_less_often_than_python_does():
    """Speed (issue 18): the default thresholds (700, 10, 10) cost a worker ~20 % of its CPU on small files."""
    (_, (thresholds, frozen)), = run_sandboxed(collector_settings, ["x"], workers=1)
    assert thresholds[0] >= 10_000 and thresholds[1:] >= (10, 10)
    assert frozen > 0, "the worker's start-up objects are frozen out of every collection"


@pytest.mark.slow
def test_workers_are_recycled_after_their_share_and_every_item_still_gets_its_result():
    """Memory (issue 18): a worker's heap only grows, so a long run replaces each worker after
    ``recycle_after`` items (at the end of a batch) instead of letting it grow with the run."""
    items = [f"ok-{i}" for i in range(30)] + ["abort"] + [f"ok-{i}" for i in range(30, 40)]
    results = _run(items, workers=2, timeout_s=10.0, batch_size=2, recycle_after=5)
    per_pid = Counter(r.split(":")[2] for r in results if isinstance(r, str))
    assert sum(per_pid.values()) == 40 and results[30].code == "worker_crashed"
    assert len(per_pid) >= 7, "40 items at most 6 a worker (a batch of 2 overruns 5 by 1): at least 7 workers"
    assert max(per_pid.values()) <= 6, "no worker goes on past the batch that reached its share"
    assert multiprocessing.active_children() == [], "retired workers are reaped too"


def test_workers_are_kept_for_the_whole_run_unless_asked():
    results = _run([f"ok-{i}" for i in range(12)], workers=1, batch_size=2)
    assert len({r.split(":")[2] for r in results}) == 1


def test_inline_mode_runs_in_process_and_reports_exceptions():
    results = _run(["ok-1", "raise", "ok-2"], workers=0)
    assert results[0] == f"done:ok-1:{os.getpid()}"
    assert results[1].code == "worker_crashed" and "ValueError" in results[1].message
    assert results[2] == f"done:ok-2:{os.getpid()}"


def test_empty_input_starts_nothing():
    assert list(run_sandboxed(misbehave, [], workers=2)) == []
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_stopping_early_leaves_no_process_behind():
    stream = run_sandboxed(misbehave, [f"ok-{i}" for i in range(40)] + ["hang"], workers=2, batch_size=2)
    next(stream)
    stream.close()
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_real_readers_in_workers_give_the_same_answers_as_inline():
    from readers_support import FIXTURES
    from sandbox_jobs import read_fixture

    paths = sorted(str(p) for p in FIXTURES.iterdir())
    inline = dict(run_sandboxed(read_fixture, paths, workers=0))
    sandboxed = dict(run_sandboxed(read_fixture, paths, workers=2, timeout_s=20.0))

    def outcome(result):
        return ("error", result.code) if isinstance(result, ReadError) else ("cells", result)

    assert {i: outcome(r) for i, r in sandboxed.items()} == {i: outcome(r) for i, r in inline.items()}
    assert sum(isinstance(r, ReadError) for r in sandboxed.values()) == 14
