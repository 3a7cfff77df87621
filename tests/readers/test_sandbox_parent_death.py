"""kill -9 of the process that runs the sandbox (an `ingest`) leaves no worker running: workers exit with
their parent (PR_SET_PDEATHSIG on Linux, a parent watchdog everywhere), even in the middle of a file.

Real processes: the parent runs in its own session, so the test finds every process it started.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
GRACE_S = 30.0  # how long the test waits for orphans to go: a bound against a hang, not a speed assertion


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if state[state.rindex(")") + 2] != "Z":
            alive.append(pid)
    return alive


def _wait_gone(pids: list[int]) -> list[int]:
    deadline = time.monotonic() + GRACE_S
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _alive(pids)


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


_PARENT = """
import sys
sys.path.insert(0, {here!r})
from budget_etl.flows.sandbox import run_sandboxed
from sandbox_jobs import mark_then_hang
items = [{marks!r} + "/a", {marks!r} + "/b"]
for _ in run_sandboxed(mark_then_hang, items, workers=2, timeout_s=3600, batch_size=1):
    pass
"""


def test_workers_busy_on_a_file_die_with_a_killed_parent(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = subprocess.Popen([sys.executable, "-c", _PARENT.format(here=str(HERE), marks=str(marks))],
                              start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len([p for p in marks.iterdir() if p.suffix != ".tmp"]) < 2 and time.monotonic() < deadline:  # both workers inside their item
            assert parent.poll() is None, "the parent ended early"
            time.sleep(0.2)
        workers = [int(p.read_text()) for p in marks.iterdir() if p.suffix != ".tmp"]
        assert len(workers) == 2 and set(workers) <= set(_children(parent.pid))

        parent.send_signal(signal.SIGKILL)
        parent.wait(30)

        assert _wait_gone(workers) == []
    finally:
        _kill_all(_alive(workers) + ([parent.pid] if parent.poll() is None else []))


def test_kill_9_of_an_ingest_mid_run_leaves_no_worker(tmp_path, seed_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text = seed_path.read_bytes()
    for n in range(400):  # distinct bytes, so every file is parsed: the workers are busy for a while
        (inbox / f"dept-{n:03}.txt").write_bytes(text + f"\\n备注\\t{n}\\n".encode("gb18030"))
    ingest = subprocess.Popen([sys.executable, "-m", "budget_etl.flows.cli", "ingest", str(inbox),
                               "--db", str(tmp_path / "w.duckdb"), "--reports", str(tmp_path / "r"),
                               "--quarantine", str(tmp_path / "q"), "--no-data-docs", "--workers", "2"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while len(workers) < 2 and ingest.poll() is None and time.monotonic() < deadline:
            workers = _children(ingest.pid)
            time.sleep(0.05)
        assert ingest.poll() is None and len(workers) >= 2, "the ingest ended before its workers could be seen"

        ingest.send_signal(signal.SIGKILL)
        ingest.wait(30)

        assert _wait_gone(workers) == []
    finally:
        _kill_all(_alive(workers) + ([ingest.pid] if ingest.poll() is None else []))
