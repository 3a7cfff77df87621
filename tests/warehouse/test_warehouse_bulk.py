"""A large run loads whole: 300 submissions with 126,000 target values in one transaction. How fast it loads
(bulk appends, not row-by-row inserts) is measured by benchmarks/bench_warehouse_load.py, not here."""
from warehouse_factory import FileSpec, big_department_submission, make_run


def test_a_large_run_loads_whole(wh):
    run = make_run("big", [FileSpec(big_department_submission(f"部门{i:03d}")) for i in range(300)])
    run.load_into(wh)
    assert wh.query("SELECT count(*) FROM fact_target")[1][0][0] == 300 * 420
    assert wh.query("SELECT count(*) FROM submissions WHERE status = 'loaded' AND is_current")[1] == [(300,)]
