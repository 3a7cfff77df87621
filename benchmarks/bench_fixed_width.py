"""How reading a fixed-width text export grows with its width (a statistics system's report printed to text).

    .venv/bin/python benchmarks/bench_fixed_width.py [--fields 10,100,300] [--lines 1000] [--repeat 3]

Each size is a header line and ``--lines`` lines of figures, ``--fields`` columns ten characters wide, every
seventh cell blank (so lines have fewer fields than the header and each field must be placed under a column). It
is split by ``budget_etl.parsers.readers.text.split_records``, the fixed-width reader's whole work besides
decoding. Reported: the best of ``--repeat`` reads per size, and microseconds per field read. The budget: placing
a field costs about the same however wide the line is, so the cost per field at the widest size may be at most 2.5
times that at the narrowest (each field used to be compared with every column of the header line: 2,000 lines of
150 fields took 15 s, 35 s beside a test suite); the script exits 1 when it is missed.
"""
from __future__ import annotations

import argparse
import sys
import time

from budget_etl.parsers.readers.text import split_records

BUDGET_GROWTH = 2.5
WIDTH = 10  # characters a column


def export(fields: int, lines: int) -> str:
    rows = ["".join(f"col{k:03d}".ljust(WIDTH) for k in range(fields))]
    for r in range(lines):
        rows.append("".join((str(r * k % 9973) if (r + k) % 7 else "").ljust(WIDTH) for k in range(fields)))
    return "\n".join(rows)


def best_seconds(text: str, repeat: int) -> tuple[float, int]:
    best, cells = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        records = split_records(text)
        best = min(best, time.perf_counter() - started)
        cells = sum(1 for record in records for value in record if value)
    return best, cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fields", default="10,100,300", help="comma-separated widths, in columns")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    widths = [int(w) for w in args.fields.split(",")]
    per_field = []
    print(f"{'fields':>7} {'lines':>6} {'seconds':>8} {'µs/field':>9}")
    for fields in widths:
        seconds, cells = best_seconds(export(fields, args.lines), args.repeat)
        per_field.append(seconds / cells * 1e6)
        print(f"{fields:>7} {args.lines:>6} {seconds:>8.2f} {per_field[-1]:>9.2f}")
    growth = per_field[-1] / per_field[0]
    verdict = "within" if growth <= BUDGET_GROWTH else "OVER"
    print(f"cost per field, widest / narrowest: {growth:.2f} ({verdict} the budget of {BUDGET_GROWTH})")
    return 0 if growth <= BUDGET_GROWTH else 1


if __name__ == "__main__":
    sys.exit(main())
