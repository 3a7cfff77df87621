"""Profile one ingest in this process with cProfile: ``profile_ingest.py DIR [--top 30] [--out FILE.prof]``.

Reading and parsing run in this process too (``workers=0``) so the profile sees them; the real run spreads
them over sandboxed workers. Prints the per-stage seconds of the run and the functions with the most
cumulative and own time; ``--out`` keeps the raw profile for ``python -m pstats`` or snakeviz.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="write the raw profile here")
    parser.add_argument("--no-data-docs", action="store_true")
    parser.add_argument("--workers", type=int, default=0, help="0 (default): read and parse in this process")
    args = parser.parse_args(argv)

    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    with tempfile.TemporaryDirectory(prefix="budget-etl-profile-") as tmp:
        work = Path(tmp)
        options = IngestOptions(db_path=work / "warehouse.duckdb", reports_dir=work / "reports",
                                quarantine_dir=work / "quarantine", workers=args.workers,
                                data_docs=not args.no_data_docs)
        profile = cProfile.Profile()
        started = time.perf_counter()
        summary = profile.runcall(run_ingest, [args.directory], options)
        seconds = time.perf_counter() - started
    print(f"{len(summary.files)} files in {seconds:.2f} s (under cProfile): {summary.counts}")
    print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.timings.items()))
    if args.out:
        profile.dump_stats(args.out)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n-- by {order} --")
        print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[:20000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
