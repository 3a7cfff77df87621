"""Scale-out on a real Dask cluster: a scheduler and two workers as separate processes on loopback, as separate
machines would run them. `ingest --prefect --dask-address tcp://…` parses there and loads here; the warehouse
must hold exactly what a local run of the same files gives."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow
pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
FILES = 300  # two parse batches (FILES_PER_TASK is 200): one for each worker
#: a run's facts without what differs between two runs of the same files (run ids, paths of the two copies)
FACTS = {
    "budget": "select department_name, fiscal_year, project_name, direction, item_path, period, amount_wan, "
              "source_sheet, source_cell from v_budget order by all",
    "targets": "select department_name, fiscal_year, project_name, level1, level2, key_task, level3, period, "
               "raw_value, operator, value, unit, source_cell from v_targets order by all",
    "quality": "select q.suite, q.expectation, q.severity, q.success, q.observed, q.source_cells, "
               "regexp_extract(s.source_path, '[^/]+$') as name from quality_results q "
               "left join submissions s using (submission_id) order by all",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the Dask scheduler exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


@pytest.fixture
def dask_cluster(tmp_path):
    """`dask scheduler` and two `dask worker`s, each its own process group (killed whole at the end)."""
    port = _free_port()
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}  # workers start the reader sandbox
    started = []

    def start(*args: str, log: str) -> subprocess.Popen:
        out = open(tmp_path / log, "wb")
        process = subprocess.Popen([sys.executable, "-m", *args], stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=tmp_path, start_new_session=True)
        started.append(process)
        return process

    scheduler = start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--dashboard-address", ":0", log="scheduler.log")
    _wait_for_port(port, scheduler)
    address = f"tcp://127.0.0.1:{port}"
    for n in range(2):
        start("distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1",
              "--dashboard-address", ":0", "--name", f"worker-{n}", log=f"worker-{n}.log")
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
        workers = client.scheduler_info()["workers"]
    assert len(workers) == 2 and all(w["host"] == "127.0.0.1" for w in workers.values())
    try:
        yield address, set(workers)
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(FILES), str(folder),
                    "--seed", "11"], check=True, capture_output=True)
    return folder


def _ingest(corpus: Path, work: Path, *extra: str) -> dict:
    work.mkdir()
    done = subprocess.run([sys.executable, "-m", "budget_etl.flows.cli", "ingest", str(corpus), "--json",
                           "--db", str(work / "w.duckdb"), "--reports", str(work / "reports"),
                           "--quarantine", str(work / "quarantine"), "--no-data-docs", *extra],
                          capture_output=True, text=True, cwd=work, timeout=1200)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


def _facts(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in FACTS.items()}
    finally:
        con.close()


def test_a_run_parsed_on_separate_dask_worker_processes_equals_a_local_run(tmp_path, corpus, dask_cluster):
    address, workers = dask_cluster
    from distributed import Client, get_task_stream

    local = _ingest(corpus, tmp_path / "local")
    with Client(address, timeout=60) as client, get_task_stream(client) as stream:
        remote = _ingest(corpus, tmp_path / "remote", "--prefect", "--dask-address", address)

    statuses = lambda summary: sorted((Path(f["path"]).name, f["status"], f.get("error_code"))  # noqa: E731
                                      for f in summary["files"])
    assert len(remote["files"]) == FILES
    assert statuses(remote) == statuses(local)
    assert {f["status"] for f in local["files"]} >= {"loaded", "rejected", "quarantined"}
    local_facts, remote_facts = _facts(tmp_path / "local" / "w.duckdb"), _facts(tmp_path / "remote" / "w.duckdb")
    assert all(local_facts[name] for name in FACTS)
    assert remote_facts == local_facts
    # Both worker processes parsed (one batch each); the load ran in the ingest process, not on the cluster.
    assert {task["worker"] for task in stream.data} == workers
    assert len(stream.data) == 2
