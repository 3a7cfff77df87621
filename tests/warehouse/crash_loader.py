"""Subprocess of the atomicity tests: load a large run and stop dead at a chosen step.

    python crash_loader.py DB RUN_ID FILES STEP

Prints ``AT <step>`` when the load reaches STEP (a name of warehouse.load.STEPS, or
``start`` for just before the load begins) and then sleeps, so the test can
``kill -9`` it right there, mid-transaction. With STEP ``none`` it loads to the end.
"""
from __future__ import annotations

import sys
import time

from warehouse_factory import FileSpec, big_department_submission, make_run

from budget_etl.warehouse import Warehouse


def main(db: str, run_id: str, n_files: int, stop_at: str) -> None:
    run = make_run(run_id, [FileSpec(big_department_submission(f"部门{i:03d}")) for i in range(n_files)])

    def progress(step: str) -> None:
        if step == stop_at:
            print(f"AT {step}", flush=True)
            time.sleep(120)

    with Warehouse(db, lock_wait_s=30.0, progress=progress) as wh:
        progress("start")
        run.load_into(wh)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
