"""How fast broken and hostile files are rejected (zip bombs, entity expansion, huge declared ranges …).

    .venv/bin/python benchmarks/bench_hostile_files.py [--repeat 5]

Each fixture of tests/fixtures/readers that must be rejected is read ``--repeat`` times; the worst time is
reported. A hostile file must never cost the run much: each is budgeted at 1 s (it used to be a test's
assertion), and the script exits 1 when one takes longer.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "readers"
HOSTILE = ("empty.xlsx", "truncated-zip.xlsx", "bit-flipped-zip.xlsx", "random-bytes.xlsx", "ole2-encrypted-as.xlsx",
           "zip-bomb.xlsx", "huge-declared-range.xlsx", "huge-merged-range.xlsx", "billion-laughs.xlsx",
           "external-entity.xlsx", "word-document-as.xlsx", "pdf-as.xls")
BUDGET_S = 1.0


def rejection_seconds(name: str, repeat: int) -> tuple[str, float]:
    data = (FIXTURES / name).read_bytes()
    worst, code = 0.0, "read"
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            read_bytes(data, name)
        except ReadError as exc:
            code = exc.code
        worst = max(worst, time.perf_counter() - started)
    return code, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    over = 0
    print(f"{'file':28} {'code':20} {'worst (ms)':>10}")
    for name in HOSTILE:
        code, seconds = rejection_seconds(name, args.repeat)
        over += seconds > BUDGET_S
        print(f"{name:28} {code:20} {seconds * 1000:10.1f}" + ("  over the 1 s budget" if seconds > BUDGET_S else ""))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
