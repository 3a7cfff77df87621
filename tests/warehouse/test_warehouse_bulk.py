"""Loads are bulk appends: a run of 126,000 target values loads in well under the time
row-by-row inserts would need (~2.4k rows/s: about 50 s)."""
import time

from warehouse_factory import FileSpec, big_department_submission, make_run


def test_a_large_run_loads_in_bulk(wh):
    run = make_run("big", [FileSpec(big_department_submission(f"部门{i:03d}")) for i in range(300)])
    started = time.perf_counter()
    run.load_into(wh)
    seconds = time.perf_counter() - started
    rows = wh.query("SELECT count(*) FROM fact_target")[1][0][0]
    assert rows == 300 * 420
    assert rows / seconds > 20_000, f"{rows / seconds:.0f} rows/s"
