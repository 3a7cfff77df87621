"""A run is one transaction: an error or a kill -9 at any step leaves the warehouse as it was."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from warehouse_factory import FileSpec, department_submission, make_run, project_submission, table_counts

from budget_etl.warehouse import Warehouse, WarehouseError
from budget_etl.warehouse.load import STEPS

HERE = Path(__file__).parent
CRASH_FILES = 300  # 126,000 target rows: more than a DuckDB row group, so data reaches the file before COMMIT


def _first_run(wh):
    make_run("r1", [FileSpec(department_submission()), FileSpec(project_submission()),
                    FileSpec(department_submission("苏州市教育局"), status="quarantined")]).load_into(wh)


def _second_run():
    return make_run("r2", [FileSpec(department_submission(total="1400")),
                           FileSpec(department_submission("苏州市财政局")),
                           FileSpec(None, status="rejected")])


def _integrity_problems(con) -> list:
    """Rows that point at no loaded submission, and loaded submissions missing their rows."""
    return con.execute("""
        SELECT 'orphan ' || t, n FROM (
            SELECT 'fact_budget' AS t, count(*) AS n FROM fact_budget f
             WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.submission_id = f.submission_id AND s.status = 'loaded')
            UNION ALL SELECT 'fact_target', count(*) FROM fact_target f
             WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.submission_id = f.submission_id AND s.status = 'loaded')
            UNION ALL SELECT 'submission_texts', count(*) FROM submission_texts f
             WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.submission_id = f.submission_id AND s.status = 'loaded')
            UNION ALL SELECT 'submissions', count(*) FROM submissions s
             WHERE NOT EXISTS (SELECT 1 FROM ingest_runs r WHERE r.run_id = s.run_id)
            UNION ALL SELECT 'incomplete loaded submission', count(*) FROM submissions s
             WHERE s.status = 'loaded' AND (
                NOT EXISTS (SELECT 1 FROM fact_budget f WHERE f.submission_id = s.submission_id)
                OR NOT EXISTS (SELECT 1 FROM fact_target f WHERE f.submission_id = s.submission_id))
            UNION ALL SELECT 'identities without exactly one current version', count(*) FROM (
                SELECT template, department_name, fiscal_year, project_name FROM submissions
                WHERE status = 'loaded' GROUP BY ALL HAVING count(*) FILTER (WHERE is_current) <> 1)
        ) WHERE n > 0
    """).fetchall()


class StopHere(Exception):
    pass


@pytest.mark.parametrize("failing_step", [s for s in STEPS if s != "commit"])
def test_an_error_at_any_step_leaves_the_warehouse_unchanged(db_path, failing_step):
    def fail_at(step):
        if step == failing_step:
            raise StopHere(step)

    with Warehouse(db_path) as wh:
        _first_run(wh)
        before = table_counts(wh.connection)
        wh.progress = fail_at
        with pytest.raises(StopHere):
            _second_run().load_into(wh)
        assert table_counts(wh.connection) == before
        assert _integrity_problems(wh.connection) == []
        wh.progress = None
        _second_run().load_into(wh)  # the same run loads completely afterwards
        assert wh.query("SELECT count(*) FROM submissions WHERE run_id = 'r2'")[1] == [(3,)]
        assert _integrity_problems(wh.connection) == []


@pytest.mark.parametrize("amount", ["123456789012345.5", "NaN"])
def test_a_database_error_rolls_back_and_is_reported_as_data(wh, amount):
    _first_run(wh)
    before = table_counts(wh.connection)
    bad = make_run("r2", [FileSpec(department_submission("苏州市财政局")),
                          FileSpec(department_submission("苏州市教育局", total=amount))])
    with pytest.raises(WarehouseError) as caught:
        bad.load_into(wh)
    assert caught.value.code == "load_failed" and "r2" in caught.value.message
    assert table_counts(wh.connection) == before


def test_a_run_id_cannot_be_loaded_twice(wh):
    _first_run(wh)
    before = table_counts(wh.connection)
    with pytest.raises(WarehouseError, match="load_failed"):
        _first_run(wh)
    assert table_counts(wh.connection) == before


def _start_crash_loader(db_path, run_id, stop_at):
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    return subprocess.Popen([sys.executable, str(HERE / "crash_loader.py"), str(db_path), run_id,
                             str(CRASH_FILES), stop_at],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=HERE)


@pytest.mark.slow
@pytest.mark.parametrize("stop_at", ["submissions", "dimensions", "fact_target", "quality"])
def test_kill_9_mid_transaction_leaves_no_trace_and_the_next_load_completes(db_path, stop_at):
    with Warehouse(db_path) as wh:
        _first_run(wh)
        before = table_counts(wh.connection)
    loader = _start_crash_loader(db_path, "big", stop_at)
    try:
        line = loader.stdout.readline().strip()
        assert line == f"AT {stop_at}", loader.stderr.read()
        os.kill(loader.pid, signal.SIGKILL)
    finally:
        loader.kill()
        loader.wait(timeout=30)
    assert loader.returncode == -signal.SIGKILL

    with Warehouse(db_path, lock_wait_s=10) as wh:
        assert table_counts(wh.connection) == before
        assert _integrity_problems(wh.connection) == []

    # the next run does the work completely
    finisher = _start_crash_loader(db_path, "big", "none")
    out, err = finisher.communicate(timeout=120)
    assert finisher.returncode == 0 and "DONE" in out, err
    with Warehouse(db_path) as wh:
        counts = table_counts(wh.connection)
        assert counts["submissions"] == before["submissions"] + CRASH_FILES
        assert counts["fact_target"] == before["fact_target"] + CRASH_FILES * 420
        assert _integrity_problems(wh.connection) == []
