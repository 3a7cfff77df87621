"""A second writer waits a bounded time, then gets a clear, transient error; never a corrupt file."""
import pickle
import subprocess
import sys
import time

import pytest
from warehouse_factory import FileSpec, department_submission, make_run

from budget_etl.errors import BudgetEtlError
from budget_etl.warehouse import Warehouse, WarehouseError, WarehouseLocked

# Another process that holds the file open for writing (an ingest, a SQL client) for HOLD_S seconds.
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold(db_path, seconds):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.fixture
def existing_db(db_path):
    with Warehouse(db_path) as wh:
        make_run("r1", [FileSpec(department_submission())]).load_into(wh)
    return db_path


@pytest.mark.parametrize("read_only", [False, True])
def test_a_held_warehouse_raises_warehouse_locked_after_the_wait(existing_db, read_only):
    holder = _hold(existing_db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked) as caught:
            Warehouse(existing_db, read_only=read_only, lock_wait_s=0.6)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    error = caught.value
    assert 0.6 <= waited < 3.0
    assert isinstance(error, BudgetEtlError) and error.code == "warehouse_locked" and error.transient
    assert str(existing_db) in error.message and f"PID {holder.pid}" in error.message
    assert "close it" in error.message  # says what to do
    assert pickle.loads(pickle.dumps(error)).message == error.message


def test_a_writer_that_lets_go_within_the_wait_is_waited_for(existing_db):
    holder = _hold(existing_db, 1.0)
    try:
        started = time.monotonic()
        with Warehouse(existing_db, lock_wait_s=20) as wh:
            waited = time.monotonic() - started
            make_run("r2", [FileSpec(department_submission(total="1400"))]).load_into(wh)
            assert wh.query("SELECT count(*) FROM submissions")[1] == [(2,)]
    finally:
        holder.wait(timeout=30)
    assert 0.3 < waited < 10


def test_the_file_stays_intact_after_a_refused_writer(existing_db):
    holder = _hold(existing_db, 30)
    try:
        with pytest.raises(WarehouseLocked):
            Warehouse(existing_db, lock_wait_s=0.2)
    finally:
        holder.kill()
        holder.wait()
    with Warehouse(existing_db, read_only=True) as wh:
        assert wh.query("SELECT count(*) FROM fact_budget")[1] == [(8,)]


@pytest.mark.parametrize("content, read_only, code", [
    (b"this is not a database", False, "warehouse_corrupt"),
    (b"this is not a database", True, "warehouse_corrupt"),
    (None, True, "warehouse_missing"),
])
def test_unusable_files_are_clear_errors(tmp_path, content, read_only, code):
    path = tmp_path / "w.duckdb"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WarehouseError) as caught:
        Warehouse(path, read_only=read_only, lock_wait_s=0.1)
    assert caught.value.code == code and not caught.value.transient
    assert str(path) in caught.value.message
    if content is not None:
        assert path.read_bytes() == content  # never overwritten
