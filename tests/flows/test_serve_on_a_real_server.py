"""`budget-etl serve` against a real `prefect server start`, as an operator runs it (SCHEDULING.md).

``prefect_test_harness`` cannot catch what this catches: the server's own scheduler loop (it failed on every
loop with SQLAlchemy 2.1, so no scheduled run ever happened), the served deployment's cron, and the flow
run in the process ``serve`` starts for it. Slow (a server start, then up to two cron minutes), in CI.
"""
from __future__ import annotations

import random
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from real_prefect import prefect_env, session_members, start, start_prefect_server, stop

pytestmark = pytest.mark.slow
pytest.importorskip("prefect")

HANDLED_WITHIN_S = 180  # a per-minute cron: the next run starts within 60 s, and takes seconds


@pytest.fixture
def prefect_server(tmp_path):
    home = tmp_path / "prefect-home"
    log = tmp_path / "server.log"
    server, url = start_prefect_server(home, log, tmp_path)
    yield home, url, log
    stop(server, signal.SIGTERM)
    assert session_members(server.pid) == [], "the Prefect server left processes behind"


def _wait_for(condition, timeout_s: float, what: str, log: Path) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if condition():
            return time.monotonic() - started
        time.sleep(1)
    raise AssertionError(f"{what} not within {timeout_s} s; serve's log:\n{log.read_text(errors='replace')[-6000:]}")


def test_serve_handles_a_good_and_a_bad_file_dropped_into_the_inbox(tmp_path, prefect_server, seed_path):
    home, url, server_log = prefect_server
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    serve_log = tmp_path / "serve.log"
    serve = start([sys.executable, "-m", "budget_etl.flows.cli", "serve", "--inbox", str(inbox),
                   "--cron", "* * * * *", "--db", str(tmp_path / "w.duckdb"), "--reports", str(tmp_path / "reports"),
                   "--quarantine", str(tmp_path / "quarantine"), "--name", "inbox-test"],
                  prefect_env(home, url), serve_log, tmp_path)
    try:
        # Registered and polling: serve prints how to trigger its deployment once it is.
        _wait_for(lambda: serve.poll() is not None or "prefect deployment run" in serve_log.read_text(errors="replace"),
                  120, "serve registering its deployment", serve_log)
        assert serve.poll() is None, serve_log.read_text(errors="replace")

        shutil.copy(seed_path, inbox / "seed-department-overall.txt")
        (inbox / "random-bytes.xlsx").write_bytes(random.Random(11).randbytes(4096))

        processed = inbox / "processed" / "seed-department-overall.txt"
        failed = inbox / "failed" / "random-bytes.xlsx"
        reason = inbox / "failed" / "random-bytes.xlsx.reason.txt"
        seconds = _wait_for(lambda: processed.exists() and reason.exists(), HANDLED_WITHIN_S,
                            "both files handled and moved", serve_log)
        print(f"both files moved {seconds:.0f} s after the drop")
        assert processed.read_bytes() == seed_path.read_bytes()
        assert failed.exists() and not (inbox / "random-bytes.xlsx").exists()
        assert "status: rejected" in reason.read_text(encoding="utf-8")
        assert "Traceback" not in server_log.read_text(errors="replace"), server_log.read_text(errors="replace")
    finally:
        stop(serve, signal.SIGINT)  # Ctrl-C: pauses the schedule, while the server still answers
    assert session_members(serve.pid) == [], "serve left processes behind"
