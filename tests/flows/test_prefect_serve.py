"""`budget-etl serve` (flows/serve.py): the deployment it serves, and the one-line error without a server.

The deployment is built with ``flow.to_deployment`` and inspected; ``serve`` itself blocks forever, so it is
exercised only up to its server check, in a subprocess with a clean Prefect profile.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
pytest.importorskip("prefect")


@pytest.mark.parametrize("cron", ["*/15 * * * *", "0 2 * * 1-5"])
def test_deployment_has_the_cron_schedule_and_no_overlap(tmp_path, cron, monkeypatch):
    from prefect.client.schemas.objects import ConcurrencyLimitStrategy

    from budget_etl.flows.serve import build_inbox_deployment

    monkeypatch.chdir(tmp_path)
    (tmp_path / "inbox").mkdir()
    deployment = build_inbox_deployment(Path("inbox"), cron, Path("w.duckdb"), Path("reports"),
                                        Path("quarantine"), "budget-inbox", (Path("families"),))
    assert deployment.name == "budget-inbox"
    assert [s.schedule.cron for s in deployment.schedules] == [cron]
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW
    assert deployment.entrypoint == "budget_etl.flows.prefect_flows.inbox_flow"
    # absolute: a served run executes in a fresh process, maybe elsewhere
    assert deployment.parameters == {"inbox": str(tmp_path / "inbox"), "db_path": str(tmp_path / "w.duckdb"),
                                     "reports_dir": str(tmp_path / "reports"),
                                     "quarantine_dir": str(tmp_path / "quarantine"),
                                     "template_dirs": [str(tmp_path / "families")],
                                     "settle_s": 10.0}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free once closed: nothing listens there


@pytest.mark.parametrize("api_url, code", [
    (None, "prefect_server_missing"),
    ("http://127.0.0.1:{port}/api", "prefect_server_unreachable"),
])
def test_serve_without_a_server_says_how_to_start_one(tmp_path, api_url, code):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # no profile that could name a server
    if api_url:
        env["PREFECT_API_URL"] = api_url.format(port=_closed_port())
    (tmp_path / "inbox").mkdir()
    done = subprocess.run([sys.executable, "-m", "budget_etl.flows.cli", "serve", "--inbox", str(tmp_path / "inbox"),
                           "--db", str(tmp_path / "w.duckdb")], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert f"[{code}]" in line and "prefect server start" in line and "PREFECT_API_URL=" in line
