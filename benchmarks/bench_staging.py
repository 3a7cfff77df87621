"""The parent's hot loop: staging each arriving result (``StagingBuilder.add``) and building the tables.

    .venv/bin/python benchmarks/bench_staging.py [--files 2000] [--repeat 7]

The samples are parsed once; their records are then staged ``--files`` times (as a run of that many
files would) and the best of ``--repeat`` rounds is reported, in CPU time (the machine is shared).
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import budget_etl
from budget_etl.parsers.records import FileResult
from budget_etl.parsers.staging import StagingBuilder

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    parsed = [budget_etl.parse(budget_etl.read_workbook(path)) for path in sorted(SAMPLES.iterdir())]
    results = [FileResult(key=key, path=f"/corpus/{key}", sha256=f"{key:064x}", size=1, format="xlsx",
                          parsed=parsed[key % len(parsed)]) for key in range(args.files)]
    best_add = best_build = float("inf")
    for _ in range(args.repeat):
        builder = StagingBuilder()
        started = time.process_time()
        for result in results:
            builder.add(result)
        added = time.process_time()
        staging = builder.build()
        best_add, best_build = min(best_add, added - started), min(best_build, time.process_time() - added)
    rows = len(staging.budget) + len(staging.targets) + len(staging.texts)
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.python_implementation()} "
          f"{platform.python_version()}, {args.files} files, {rows:,} rows, best of {args.repeat} (CPU time)")
    print(f"add   {best_add / args.files * 1000:.3f} ms/file")
    print(f"build {best_build:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
