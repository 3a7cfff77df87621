"""Per-file time of each reader on a seed-sized sheet, beside a bare ``openpyxl.load_workbook``.

    .venv/bin/python benchmarks/bench_readers.py [--repeat 200]

The seed export (tests/fixtures/seed-department-overall.txt, 79 lines × 7 fields) is
written as .xlsx (with the seed's merged cells), .xls, HTML and GB18030 text; each
file is then read many times in this process and the median per-file time reported.
python-calamine is timed for comparison only (the pipeline does not use it).
"""
from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import xlwt

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.readers.xlsx_reference import read_xlsx_reference

ROOT = Path(__file__).resolve().parents[1]

SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"
# The merges a department's sheet has in the original workbook (fund block and indicator headers).
SEED_MERGES = ["A3:G3", "A5:G5", "A7:B7", "C7:G7", "A8:B8", "C8:G8", "A9:B9", "C9:G9", "A10:A29", "B10:B19",
               "B20:B29", "A30:B30", "C30:G30", "A31:B31", "C31:G31", "A34:A39", "B34:B35", "A40:A65"]


def seed_rows() -> list[list[str]]:
    return [line.split("\t") for line in SEED.read_text("utf-8").split("\n")][:79]


def as_xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, fields in enumerate(rows, start=1):
        for c, text in enumerate(fields, start=1):
            if text:
                sheet.cell(r, c, _typed(text))
    for ref in SEED_MERGES:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_xls(rows) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    for r, fields in enumerate(rows):
        for c, text in enumerate(fields):
            if text:
                sheet.write(r, c, _typed(text))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_html(rows) -> bytes:
    import html
    body = "".join("<tr>" + "".join(f"<td>{html.escape(t)}</td>" for t in fields) + "</tr>" for fields in rows)
    return f"<html><head><meta charset='gb2312'></head><body><table>{body}</table></body></html>".encode("gb18030")


def _typed(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def median_ms(fn, data: bytes, repeat: int) -> float:
    fn(data)  # warm up imports and caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rows = seed_rows()
    files = {"xlsx": as_xlsx(rows), "xls": as_xls(rows), "html": as_html(rows),
             "text": "\n".join("\t".join(f) for f in rows).encode("gb18030")}
    cases = [
        ("openpyxl.load_workbook (bare, normal mode)", "xlsx",
         lambda d: openpyxl.load_workbook(io.BytesIO(d))),
        ("read_bytes: xlsx (ElementTree reader)", "xlsx", lambda d: read_bytes(d, "seed.xlsx")),
        ("xlsx_reference (openpyxl, 2 loads)", "xlsx", lambda d: read_xlsx_reference(d, "seed.xlsx")),
        ("read_bytes: xls (xlrd)", "xls", lambda d: read_bytes(d, "seed.xls")),
        ("read_bytes: html", "html", lambda d: read_bytes(d, "seed.html")),
        ("read_bytes: text (GB18030 TSV)", "text", lambda d: read_bytes(d, "seed.txt")),
    ]
    try:
        import python_calamine

        def calamine(d):
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(d))
            return book.get_sheet_by_index(0).to_python()
        cases.append(("python-calamine (comparison only)", "xlsx", calamine))
    except ImportError:
        pass
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
          f"{platform.python_implementation()} {platform.python_version()}, repeat={args.repeat}")
    print(f"{'reader':46} {'format':6} {'bytes':>7} {'ms/file':>8}")
    for label, fmt, fn in cases:
        print(f"{label:46} {fmt:6} {len(files[fmt]):7,} {median_ms(fn, files[fmt], args.repeat):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
