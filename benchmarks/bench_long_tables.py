"""How the generic table reader's time grows with a table's length (a register of projects, a long statistics table).

    .venv/bin/python benchmarks/bench_long_tables.py [--rows 1000,4000,16000] [--repeat 3]

Two shapes are written in memory as CSV text and read by ``budget_etl.tables``: a list whose body is text
(序号 | 单位名称 | 项目名称 | …: the header-cell model's second opinion reads it) and a statistics table whose
body is numbers (a stub column and year columns: the rules read it). Reported: the best of ``--repeat`` reads
per size, and milliseconds per 1,000 rows. The budget: a table's time grows linearly with its rows, so the cost
per row at the largest size may be at most 2.5 times that at the smallest (the nearest-header search of the
model's reading used to be quadratic: 4,000 text rows took 16 s, 20,000 would have passed the workers' time
limit); the script exits 1 when a shape misses it.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
import time

from budget_etl import tables

BUDGET_GROWTH = 2.5


def text_register(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "单位名称", "项目名称", "负责人", "类别", "备注"])
    for i in range(rows):
        writer.writerow([i + 1, f"单位{i % 37}", f"项目{i}", f"负责人{i % 91}", "甲乙丙"[i % 3], ("", "无", "见附件")[i % 3]])
    return out.getvalue().encode("utf-8")


def statistics_table(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["地区", "2021", "2022", "2023", "2024"])
    for i in range(rows):
        writer.writerow([f"地区{i}"] + [f"{(i * 7 + year * 13) % 9973}.{year}" for year in range(4)])
    return out.getvalue().encode("utf-8")


def best_seconds(data: bytes, repeat: int) -> tuple[float, int]:
    best, entries = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = tables(data, "long.csv")
        best = min(best, time.perf_counter() - started)
        entries = sum(len(table.entries) for table in found)
    return best, entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,4000,16000", help="table lengths, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.rows.split(","))
    missed = []
    for shape, write in (("text register", text_register), ("statistics table", statistics_table)):
        per_row = []
        for rows in sizes:
            seconds, entries = best_seconds(write(rows), args.repeat)
            per_row.append(seconds / rows)
            print(f"{shape:17} {rows:>7,} rows  {entries:>8,} entries  {seconds * 1000:>9.1f} ms"
                  f"  {seconds / rows * 1e6:>7.1f} ms per 1,000 rows", flush=True)
        growth = per_row[-1] / per_row[0]
        print(f"{shape:17} cost per row, largest / smallest: {growth:.2f} (budget {BUDGET_GROWTH})")
        if growth > BUDGET_GROWTH:
            missed.append(shape)
    if missed:
        print(f"over budget: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
