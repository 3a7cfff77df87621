"""The ingest pipeline as Prefect flow runs (flows/prefect_flows.py), against a real Prefect API.

One temporary Prefect server for the whole module (`prefect_test_harness`, ~15 s), real files, real
DuckDB, real GX. Every test here is slow: each flow run talks to the server.
"""
from __future__ import annotations

import errno
import logging
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

prefect = pytest.importorskip("prefect")
from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from budget_etl.flows import inbox as inbox_mod  # noqa: E402
from budget_etl.flows import pipeline, prefect_flows  # noqa: E402
from budget_etl.flows.inbox import FAILED_DIR, PROCESSED_DIR  # noqa: E402
from budget_etl.flows.pipeline import IngestOptions  # noqa: E402
from budget_etl.warehouse.errors import WarehouseLocked  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def prefect_api():
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def inbox(tmp_path, seed_path) -> Path:
    """A department's good export in a sub-folder and a broken 'workbook' (random bytes named .xlsx)."""
    folder = tmp_path / "inbox"
    (folder / "总工会").mkdir(parents=True)
    shutil.copy(seed_path, folder / "总工会" / "seed-department-overall.txt")
    (folder / "random-bytes.xlsx").write_bytes(random.Random(7).randbytes(4096))
    return folder


def _inbox_params(tmp_path: Path, inbox: Path) -> dict:
    return {"inbox": str(inbox), "db_path": str(tmp_path / "w.duckdb"), "settle_s": 0.0,  # files written just now
            "reports_dir": str(tmp_path / "reports"), "quarantine_dir": str(tmp_path / "quarantine")}


def _options(tmp_path: Path) -> IngestOptions:
    return IngestOptions(db_path=tmp_path / "w.duckdb", reports_dir=tmp_path / "reports",
                         quarantine_dir=tmp_path / "quarantine", data_docs=False)


def _sql(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def _files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _artifacts_of(flow_run_id) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {a.key: a for a in found}


def test_inbox_run_loads_moves_and_publishes_artifacts(tmp_path, inbox):
    params = _inbox_params(tmp_path, inbox)
    state = prefect_flows.inbox_flow(**params, return_state=True)
    outcome = state.result()
    assert outcome["counts"]["loaded"] == 1 and outcome["counts"]["rejected"] == 1 and outcome["left"] == 0
    assert _files_under(inbox) == [f"{FAILED_DIR}/random-bytes.xlsx", f"{FAILED_DIR}/random-bytes.xlsx.reason.txt",
                                   f"{PROCESSED_DIR}/总工会/seed-department-overall.txt"]
    assert "status: rejected" in (inbox / FAILED_DIR / "random-bytes.xlsx.reason.txt").read_text(encoding="utf-8")
    assert _sql(tmp_path / "w.duckdb", "select status, count(*) from submissions group by all order by all") == [
        ("loaded", 1), ("rejected", 1)]

    artifacts = _artifacts_of(state.state_details.flow_run_id)
    assert set(artifacts) == {"budget-etl-run-summary", "budget-etl-run-files", "budget-etl-run-report"}
    summary_md = artifacts["budget-etl-run-summary"].data
    assert "| 1 | 0 | 1 | 0 |" in summary_md and "**rejected** `" in summary_md and "random-bytes.xlsx" in summary_md
    table = artifacts["budget-etl-run-files"]
    assert table.type == "table" and "seed-department-overall.txt" in str(table.data) and "rejected" in str(table.data)
    link = artifacts["budget-etl-run-report"].data
    assert link.startswith("[HTML run report](file://") and link.endswith("/report.html)")

    # the same bytes dropped again: a duplicate, moved to processed/ beside the first under a free name
    shutil.copy(inbox / PROCESSED_DIR / "总工会" / "seed-department-overall.txt",
                inbox / "总工会" / "seed-department-overall.txt")
    again = prefect_flows.inbox_flow(**params)
    assert again["counts"]["duplicate"] == 1 and again["moved"] == 1
    assert (inbox / PROCESSED_DIR / "总工会" / "seed-department-overall (2).txt").exists()
    assert prefect_flows.inbox_flow(**params) == {"run_id": None, "counts": {}, "moved": 0, "left": 0}


def _fail_in_load_run(monkeypatch):
    """Dies inside the warehouse's load, before the commit: the transaction never happened."""
    from budget_etl import warehouse
    def broken(*args, **kwargs):
        raise RuntimeError("killed mid-load")
    monkeypatch.setattr(warehouse.Warehouse, "load_run", broken)


def _fail_after_commit(monkeypatch):
    """Dies writing the report, after the load committed and before any file was moved."""
    from budget_etl.flows import outputs
    def broken(*args, **kwargs):
        raise RuntimeError("killed after the commit")
    monkeypatch.setattr(outputs, "write_report", broken)


@pytest.mark.parametrize("break_run, runs_committed_by_failure, next_status", [
    (_fail_in_load_run, 0, "loaded"),
    (_fail_after_commit, 1, "duplicate"),
])
def test_failed_run_leaves_inbox_and_warehouse_consistent_and_next_run_recovers(
        tmp_path, inbox, monkeypatch, break_run, runs_committed_by_failure, next_status):
    params = _inbox_params(tmp_path, inbox)
    before = _files_under(inbox)
    with monkeypatch.context() as patch:
        break_run(patch)
        state = prefect_flows.inbox_flow(**params, return_state=True)
    assert state.is_failed()
    assert _files_under(inbox) == before  # nothing moved
    db = tmp_path / "w.duckdb"
    assert _sql(db, "select count(*) from ingest_runs") == [(runs_committed_by_failure,)]
    assert _sql(db, "select count(*) from submissions where status = 'loaded'") == [(runs_committed_by_failure,)]

    outcome = prefect_flows.inbox_flow(**params)
    assert outcome["counts"][next_status] == 1 and outcome["left"] == 0
    assert (inbox / PROCESSED_DIR / "总工会" / "seed-department-overall.txt").exists()
    assert _sql(db, "select count(*) from submissions where status = 'loaded'") == [(1,)]


@pytest.mark.parametrize("error, calls_expected, succeeds", [
    (WarehouseLocked("w.duckdb", 0.1), 2, True),  # transient: retried, then loads
    (ValueError("a bug, not the weather"), 1, False),  # never retried
])
def test_only_transient_errors_are_retried(tmp_path, seed_path, monkeypatch, error, calls_expected, succeeds):
    monkeypatch.setattr(prefect_flows, "load_task", prefect_flows.load_task.with_options(retry_delay_seconds=0))
    real_load, calls = pipeline.load_parsed, []

    def flaky_load(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return real_load(*args, **kwargs)
    monkeypatch.setattr(pipeline, "load_parsed", flaky_load)
    state = prefect_flows.ingest_flow([str(seed_path)], _options(tmp_path), return_state=True)
    assert len(calls) == calls_expected
    assert state.is_completed() == succeeds


def test_parse_batches_run_on_a_dask_local_cluster(tmp_path, inbox, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(prefect_flows, "FILES_PER_TASK", 1)  # two files: two parse tasks on the cluster
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as stream:
            summary = prefect_flows.run_ingest_flow([str(inbox)], _options(tmp_path),
                                                    dask_address=cluster.scheduler_address)
    assert sorted(f.status for f in summary.files) == ["loaded", "rejected"]
    assert len(stream.data) == 2  # the parse batches ran on Dask; the load did not
    assert _sql(tmp_path / "w.duckdb", "select count(*) from submissions where status = 'loaded'") == [(1,)]


def test_dask_local_starts_its_own_cluster_for_the_run(tmp_path, inbox):
    summary = prefect_flows.run_ingest_flow([str(inbox)], _options(tmp_path), dask_address="local")
    assert sorted(f.status for f in summary.files) == ["loaded", "rejected"]


def _run_log(flow_run_id) -> list[tuple[int, str, bool]]:
    """The flow run's log as the server keeps it (what the UI and `prefect flow-run logs` show), its tasks' lines
    included: (level, message, whether the flow itself logged it)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)  # logs are sent in batches, in the background
    with get_client(sync_client=True) as client:
        found = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [(log.level, log.message, log.task_run_id is None) for log in found]


def test_an_error_of_ours_fails_the_inbox_run_with_one_line_and_no_traceback(tmp_path, inbox):
    """A served run that meets one of our errors (here a warehouse path holding another file) is Failed with the
    one line `message [code]` in its log, as an error, and no traceback there; the files stay for the next run."""
    params = _inbox_params(tmp_path, inbox)
    Path(params["db_path"]).write_text("not a warehouse")
    before = _files_under(inbox)
    state = prefect_flows.inbox_flow(**params, return_state=True)
    assert state.is_failed()
    assert state.message.endswith("is not a DuckDB warehouse; pass another --db or move the file away. "
                                  "[warehouse_corrupt]"), state.message
    assert _files_under(inbox) == before

    log = _run_log(state.state_details.flow_run_id)
    assert not [m for _, m, _ in log if "Traceback" in m], log
    assert [m for level, m, own in log if own and level >= logging.ERROR] == [state.message], log


def test_a_defect_in_the_inbox_run_keeps_prefects_traceback(tmp_path, inbox, monkeypatch):
    """Anything but our errors is a bug: the run's log keeps the traceback that finds it."""
    _fail_in_load_run(monkeypatch)
    state = prefect_flows.inbox_flow(**_inbox_params(tmp_path, inbox), return_state=True)
    assert state.is_failed()
    log = _run_log(state.state_details.flow_run_id)
    assert [m for level, m, own in log if own and level >= logging.ERROR and "Traceback" in m
            and "killed mid-load" in m], log


@pytest.fixture
def locked_warehouse(tmp_path):
    """A warehouse file another process holds open for writing (DuckDB's lock: one writer process) for the test."""
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield db
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def _plan_tries(monkeypatch, error: Exception | None = None) -> list[int]:
    """Count the plan task's tries (retried at once); with ``error``, every try raises it."""
    monkeypatch.setattr(prefect_flows, "plan_task", prefect_flows.plan_task.with_options(retry_delay_seconds=0))
    real_plan, tries = pipeline.plan_run, []

    def plan(*args, **kwargs):
        tries.append(1)
        if error is not None:
            raise error
        return real_plan(*args, **kwargs)
    monkeypatch.setattr(pipeline, "plan_run", plan)
    return tries


def test_a_transient_error_that_outlasts_its_retries_fails_the_run_with_one_line(
        tmp_path, inbox, locked_warehouse, monkeypatch):
    """A warehouse locked through every retry (transient, so retried 3 times) ends the served run as a non-transient
    error of ours does: Failed with the one line `message [code]` as the run's own ERROR, no traceback at ERROR level
    (Prefect's task engine logged 'Retries are exhausted' with the whole traceback), the task's only ERROR line its
    'Finished in state Failed(…)'. The files stay for the next run."""
    tries = _plan_tries(monkeypatch)
    real_options = inbox_mod.inbox_options
    monkeypatch.setattr(inbox_mod, "inbox_options", lambda *a, **k: replace(real_options(*a, **k), lock_wait_s=0.2))
    before = _files_under(inbox)
    state = prefect_flows.inbox_flow(**_inbox_params(tmp_path, inbox), return_state=True)
    assert state.is_failed()
    assert state.message.endswith("then run the command again. [warehouse_locked]"), state.message
    assert len(tries) == 1 + prefect_flows.RETRIES  # still retried as often as before
    assert _files_under(inbox) == before

    log = _run_log(state.state_details.flow_run_id)
    errors = [(m, own) for level, m, own in log if level >= logging.ERROR]
    assert not [m for m, _ in errors if "Traceback" in m], errors
    assert [m for m, own in errors if own] == [state.message], errors
    assert [m for m, own in errors if not own and not m.startswith("Finished in state Failed(")] == [], errors


def test_a_transient_defect_that_outlasts_its_retries_keeps_prefects_traceback(tmp_path, inbox, monkeypatch):
    """An OSError that may pass (EIO) is retried too, but it is no error of ours: when it outlasts its retries, the
    run's log keeps the traceback that finds it."""
    tries = _plan_tries(monkeypatch, OSError(errno.EIO, "the disk hiccuped"))
    state = prefect_flows.inbox_flow(**_inbox_params(tmp_path, inbox), return_state=True)
    assert state.is_failed()
    assert len(tries) == 1 + prefect_flows.RETRIES
    log = _run_log(state.state_details.flow_run_id)
    assert [m for level, m, own in log if own and level >= logging.ERROR and "Traceback" in m
            and "the disk hiccuped" in m], log
