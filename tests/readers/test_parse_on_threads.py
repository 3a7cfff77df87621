"""`ingest --prefect --workers 0` parses batches on threads of one process: the readers' module-level caches
(parsed workbook parts, column letters, cell positions) must give every thread what one thread gets.

The threads run in a fresh interpreter, so every cache starts empty and fills while they race (the riskiest
moment), with a tiny switch interval so that they interleave as often as they can. Each file is parsed by
several threads at once, then once more on one thread; the workbooks and the results must be equal."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, os, sys
from concurrent.futures import ThreadPoolExecutor

sys.setswitchinterval(1e-6)
from budget_etl.flows.stages import FileTask, read_and_parse
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes

paths = sys.argv[1:]


def one(path):
    task = FileTask(key=0, path=path, sha256="", size=os.path.getsize(path))
    result = read_and_parse(task)
    try:
        workbook = read_bytes(open(path, "rb").read(), os.path.basename(path))
    except ReadError as exc:
        workbook = exc.code
    return (result.format, result.parsed, result.error_code, result.error_message, result.issues, workbook)


with ThreadPoolExecutor(max_workers=6) as pool:
    threaded = list(pool.map(one, paths * 4))  # each file on several threads, all caches cold
alone = [one(path) for path in paths]
mismatches = [path for index, path in enumerate(threaded and paths * 4) if threaded[index] != alone[index % len(paths)]]
print(json.dumps({"files": len(paths), "parsed": sum(r[1] is not None for r in alone),
                  "rejected": sum(r[2] is not None for r in alone), "mismatches": sorted(set(mismatches))}))
"""


def _wide_workbooks(folder: Path, count: int) -> list[Path]:
    """Sheets reaching far right (columns up to 'AMJ'-ish), with merges there: column letters get cached."""
    paths = []
    for n in range(count):
        book = openpyxl.Workbook()
        sheet = book.active
        last = 200 + 70 * n
        for col in range(1, last + 1, 7):
            sheet.cell(row=1 + col % 5, column=col, value=f"c{col}")
        sheet.merge_cells(start_row=8, start_column=last - 3, end_row=9, end_column=last)
        sheet.cell(row=8, column=last - 3, value=f"merged {n}")
        path = folder / f"wide-{n:02d}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def test_threads_parse_every_file_as_one_thread_does(tmp_path):
    fixtures = ROOT / "tests" / "fixtures"
    # the wide ones first: several threads then grow the column-letter cache at once
    files = _wide_workbooks(tmp_path, 12) + sorted((fixtures / "templates").iterdir()) \
        + sorted((fixtures / "readers").iterdir()) + sorted((ROOT / "samples").iterdir())
    files = [path for path in files if path.is_file()]
    done = subprocess.run([sys.executable, "-c", PROBE, *map(str, files)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["files"] == len(files) and report["parsed"] >= 20 and report["rejected"] >= 10  # both kinds ran
    assert report["mismatches"] == []


CACHE_PROBE = r"""
import json, random, sys, threading

sys.setswitchinterval(1e-6)
from budget_etl.parsers.cells import column_letter
from budget_etl.parsers.readers import xlsx
from budget_etl.parsers.readers.sheetbuild import cached_column_letter

wrong = []


def spell(seed):
    columns = list(range(1, 3000))
    random.Random(seed).shuffle(columns)
    for col in columns:
        if cached_column_letter(col) != column_letter(col):
            wrong.append(col)


def parse_parts(seed):
    for n in range(400):  # more distinct parts than the cache keeps: threads evict at once
        key = ("rels", f"part-{(seed * 7 + n) % 150}", b"xml")
        if xlsx._parsed_once(key, lambda: key[1]) != key[1]:
            wrong.append(key[1])


threads = [threading.Thread(target=fn, args=(seed,)) for seed in range(8) for fn in (spell, parse_parts)]
errors = []
threading.excepthook = lambda args: errors.append(repr(args.exc_value))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"wrong": sorted(set(map(str, wrong)))[:20], "errors": errors[:5]}))
"""


def test_the_reader_caches_fill_and_evict_correctly_on_many_threads():
    done = subprocess.run([sys.executable, "-c", CACHE_PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == {"wrong": [], "errors": []}
