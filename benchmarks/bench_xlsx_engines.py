"""Would python-calamine make the .xlsx reading faster? CPU ms per file over a corpus's .xlsx files.

    .venv/bin/python benchmarks/bench_xlsx_engines.py DIR [--repeat 3]

Times, per file, in this process (CPU time, best of ``--repeat`` passes over all files, caches warm):

- ``read_bytes``: our reader (``parsers/readers/xlsx.py``), cells and style hints included;
- ``calamine``: python-calamine opening the bytes and reading every sheet's values and merged ranges —
  the least a calamine path would do, before building a single ``Cell``;
- ``zip + XML checks``: what a calamine path would still have to do first so that the limits in
  ``parsers/readers/limits.py`` and the DOCTYPE/ENTITY refusal hold (calamine checks neither): our
  ``Package`` budget checks and ``read_xml`` of every part.

Issue 18 names calamine as a lever; this is the measurement the choice was made on (benchmarks/RESULTS.md).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS
from budget_etl.parsers.readers.package import Package


def ours(name: str, data: bytes) -> None:
    try:
        read_bytes(data, name)
    except ReadError:
        pass  # a broken file costs what it costs to refuse


def calamine(name: str, data: bytes) -> None:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index in range(len(book.sheet_names)):
            sheet = book.get_sheet_by_index(index)
            sheet.to_python(skip_empty_area=False)
            sheet.merged_cell_ranges  # noqa: B018 - reading them is the cost measured
    except Exception:  # noqa: BLE001 - calamine's errors for broken files
        pass


def safety_checks(name: str, data: bytes) -> None:
    try:
        package = Package(data, name, DEFAULT_LIMITS)
        for part in package._infos:  # every part a reader could parse
            if part.endswith((".xml", ".rels")):
                package.read_xml(part)
    except ReadError:
        pass


ENGINES = {"read_bytes (ours)": ours, "calamine (values + merges)": calamine, "zip + XML checks": safety_checks}


def measure(files: list[tuple[str, bytes]], repeat: int) -> dict[str, float]:
    """CPU ms per file of each engine, best of ``repeat`` passes (one unmeasured warm-up pass first)."""
    out = {}
    for label, engine in ENGINES.items():
        for name, data in files:
            engine(name, data)
        best = float("inf")
        for _ in range(repeat):
            started = time.process_time()
            for name, data in files:
                engine(name, data)
            best = min(best, time.process_time() - started)
        out[label] = best / len(files) * 1000
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="a folder of .xlsx files (e.g. a make_corpus.py corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files = [(p.name, p.read_bytes()) for p in sorted(args.directory.iterdir()) if p.suffix == ".xlsx"]
    if not files:
        print(f"no .xlsx files in {args.directory}", file=sys.stderr)
        return 2
    print(f"{len(files):,} .xlsx files, CPU ms per file, best of {args.repeat}")
    for label, ms in measure(files, args.repeat).items():
        print(f"  {label:28} {ms:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
