"""A sandbox worker's CPU per file, by format and stage: ``bench_worker_cpu.py DIR [--repeat 3] [--calls]``.

Reads every file of DIR (a corpus of ``make_corpus.py``) with ``read_bytes``, then parses every workbook with
``parse_parts``, as ``read_and_parse`` does in a worker (same collector settings), ``--repeat`` times; prints
the best pass's CPU milliseconds per file (process CPU time, which moves less than wall time on a shared
machine; it still grows when the cores are shared, so compare runs taken side by side). ``--calls`` also
counts the Python function calls per file of one more pass under cProfile: a figure the machine's load
does not move, for comparing two versions of the code.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--calls", action="store_true", help="also count function calls per file (cProfile)")
    args = parser.parse_args(argv)

    from budget_etl.flows.sandbox import _collect_less_often
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.templates import parse_parts, registry_for

    files = sorted(p for p in args.directory.iterdir() if p.is_file() and not p.name.startswith("."))
    inputs = [(p.suffix.lstrip(".").lower() or "?", p.name, p.read_bytes()) for p in files]
    registry = registry_for(())
    count: dict[str, int] = defaultdict(int)
    for kind, _, _ in inputs:
        count[kind] += 1

    def read_all(seconds: dict[str, float]) -> list:
        workbooks = []
        for kind, name, data in inputs:
            started = time.process_time()
            try:
                workbooks.append((kind, read_bytes(data, name)))
            except Exception:  # noqa: BLE001 - a rejected file costs its reading time too
                pass
            seconds[kind] += time.process_time() - started
        return workbooks

    def parse_all(workbooks: list, seconds: dict[str, float]) -> None:
        for kind, workbook in workbooks:
            started = time.process_time()
            try:
                parse_parts(workbook, registry)
            except Exception:  # noqa: BLE001 - unknown_template and the like
                pass
            seconds[kind] += time.process_time() - started

    _collect_less_often()  # what a sandbox worker runs with
    best_read: dict[str, float] = {}
    best_parse: dict[str, float] = {}
    for _ in range(max(1, args.repeat)):
        read_s: dict[str, float] = defaultdict(float)
        parse_s: dict[str, float] = defaultdict(float)
        parse_all(read_all(read_s), parse_s)
        for kind in count:
            best_read[kind] = min(best_read.get(kind, float("inf")), read_s[kind])
            best_parse[kind] = min(best_parse.get(kind, float("inf")), parse_s[kind])

    print(f"{len(inputs)} files in {args.directory}; load average {os.getloadavg()[0]:.1f}; "
          f"CPU ms per file, best of {args.repeat}")
    print(f"{'format':8} {'files':>6} {'read':>8} {'parse':>8} {'total':>8}")
    for kind in sorted(count):
        read_ms, parse_ms = 1000 * best_read[kind] / count[kind], 1000 * best_parse[kind] / count[kind]
        print(f"{kind:8} {count[kind]:6d} {read_ms:8.3f} {parse_ms:8.3f} {read_ms + parse_ms:8.3f}")
    read_ms = 1000 * sum(best_read.values()) / max(1, len(inputs))
    parse_ms = 1000 * sum(best_parse.values()) / max(1, len(inputs))
    print(f"{'all':8} {len(inputs):6d} {read_ms:8.3f} {parse_ms:8.3f} {read_ms + parse_ms:8.3f}")

    if args.calls:
        workbooks = read_all(defaultdict(float))  # caches as warm as a worker's after its first files
        for stage, run in (("read", lambda: read_all(defaultdict(float))),
                           ("parse", lambda: parse_all(workbooks, defaultdict(float)))):
            profile = cProfile.Profile()
            profile.runcall(run)
            calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
            print(f"{stage}: {calls / max(1, len(inputs)):,.0f} function calls per file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
