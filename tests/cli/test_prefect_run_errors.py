"""`ingest --prefect`: an error of ours inside the flow run (a warehouse that cannot be opened) reaches the user as the
one line `error: … [code]`, as without --prefect; Prefect no longer logs its traceback first. `--debug` shows it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a real flow run on Prefect's temporary server (~15 s)

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "wujiang-trade-union-2024-department.xlsx"


def _ingest_prefect(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    (tmp_path / "w.duckdb").write_text("not a warehouse")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}  # no server of the machine
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")
    return subprocess.run([sys.executable, "-m", "budget_etl.flows.cli", *extra, "ingest", "--prefect", str(SAMPLE),
                           "--db", str(tmp_path / "w.duckdb"), "--reports", str(tmp_path / "reports"),
                           "--quarantine", str(tmp_path / "quarantine"), "--no-data-docs"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)


def test_an_error_in_the_flow_run_is_one_line_with_its_code(tmp_path):
    done = _ingest_prefect(tmp_path)
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].endswith(
        "w.duckdb exists but is not a DuckDB warehouse; pass another --db or move the file away. [warehouse_corrupt]"
    ), done.stderr[-3000:]
    # the run is still tracked as failed, and says why
    assert "Finished in state Failed(" in done.stderr and "[warehouse_corrupt]')" in done.stderr


def test_debug_shows_the_traceback(tmp_path):
    done = _ingest_prefect(tmp_path, "--debug")
    assert done.returncode != 0
    assert "Traceback" in done.stderr and "WarehouseError: warehouse_corrupt" in done.stderr, done.stderr[-3000:]
