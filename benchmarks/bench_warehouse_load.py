"""Bulk load speed: one run of 300 department submissions (126,000 target values) into a fresh warehouse.

    .venv/bin/python benchmarks/bench_warehouse_load.py [--files 300] [--repeat 3]

Row-by-row inserts manage about 2,400 rows/s here (some 50 s for this run); the bulk load is budgeted at
20,000 target rows/s or more, and the script exits 1 when a run is slower (it used to be a test's assertion).
The run is built by the warehouse tests' factory (real staging, files and quality frames).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "warehouse"))

from warehouse_factory import FileSpec, big_department_submission, make_run  # noqa: E402

from budget_etl.warehouse import Warehouse  # noqa: E402

BUDGET_ROWS_PER_S = 20_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    run = make_run("bench", [FileSpec(big_department_submission(f"部门{i:04d}")) for i in range(args.files)])
    best = float("inf")
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder, Warehouse(Path(folder) / "w.duckdb") as wh:
            started = time.perf_counter()
            run.load_into(wh)
            best = min(best, time.perf_counter() - started)
            rows = wh.query("SELECT count(*) FROM fact_target")[1][0][0]
    rate = rows / best
    print(f"{args.files} files, {rows:,} target rows: best of {args.repeat} {best:.2f} s, {rate:,.0f} rows/s "
          f"(budget {BUDGET_ROWS_PER_S:,})")
    return 0 if rate >= BUDGET_ROWS_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
