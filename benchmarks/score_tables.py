"""Score the generic table reader (`budget-etl tables`) on real tables nobody here wrote, with the data sets'
own scorers, and time it.

    .venv/bin/python benchmarks/score_tables.py [--datasets ../shared/datasets] [--work DIR]
    .venv/bin/python benchmarks/score_tables.py --tuned-only [--per-table]

- Troy_200 (troy200-dev/): `budget-etl tables troy200-dev.xlsx`, scored by its score.py on C10001–C10050
  (the half the reader was tuned on) and C10051–C10100 (held out); and C10001–C10050 again, read in process,
  as other exports of the same tables would show them (robustness, on the tuned half only): every style hint
  removed (bold, indent, alignment, number format), only the alignment removed, every merged range removed
  (the text stays in the range's first cell).
- IM-TQA (imtqa/): its render.py writes train and dev as .xlsx plus header truth; `budget-etl tables` on
  each; its score.py prints header-cell F1 per table type (tuned on train; dev held out).
- Speed and memory, in process: ms per table for `find_tables` (reading excluded) and for reading plus
  finding, on each set; the peak of Python allocations (tracemalloc) while finding the tables of a whole
  workbook; beside them the family parsers (`parse_workbook`) on the repository's samples.

--tuned-only reads, runs and scores only what the reader may be tuned on (Troy C10001–C10050, with and
without styles, and IM-TQA train): the held-out half and IM-TQA dev are not rendered, read or scored, so
working on the reader never shows a held-out figure by accident. --per-table adds the Troy scorer's line per
table of the tuned half (hits/truth/found for entries, labels, entry-label and label-label pairs), as published
and as each other export reads it; it is refused without --tuned-only, so no per-table figure of the held-out
half is ever printed.

Nothing is written outside --work (a temporary folder by default); no data set file is copied into the
repository.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from budget_etl.parsers.cells import Cell, cell_style

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
TROY_SPLIT = 10050  # C10001–C10050 tuned on, C10051–C10100 held out
PART_SHEETS = 400


def run(cmd: list[str], **kwargs) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
    return done.stdout


def tables_cli(path: Path, out: Path) -> float:
    """`budget-etl tables PATH --format jsonl` > out; the wall time in seconds."""
    started = time.perf_counter()
    text = run([sys.executable, "-m", "budget_etl.flows.cli", "tables", str(path), "--format", "jsonl"])
    seconds = time.perf_counter() - started
    out.write_text(text, encoding="utf-8")
    return seconds


def tuned(name: str) -> bool:
    return int(name[1:]) <= TROY_SPLIT


def troy(datasets: Path, work: Path, tuned_only: bool = False, per_table: bool = False) -> list[str]:
    folder = datasets / "troy200-dev"
    book = folder / "troy200-dev.xlsx"
    truth = [json.loads(line) for line in gzip.open(folder / "troy200-dev-truth.jsonl.gz", "rt", encoding="utf-8")]
    halves = [("C10001–C10050 (tuned on)", tuned)]
    if tuned_only:
        found, lines = troy_in_process(book, tuned), ["Troy_200 (troy200-dev.xlsx, C10001–C10050 only)"]
    else:
        predicted = work / "troy-predicted.jsonl"
        seconds = tables_cli(book, predicted)
        lines = [f"Troy_200 (troy200-dev.xlsx, 100 tables; `budget-etl tables` wall time {seconds:.1f} s)"]
        found = [json.loads(line) for line in predicted.read_text(encoding="utf-8").splitlines() if line.strip()]
        halves.append(("C10051–C10100 (held out)", lambda n: not tuned(n)))
    runs = [(name, keep, found, per_table and keep is tuned) for name, keep in halves]
    for name, change in PERTURBATIONS:
        runs.append((f"C10001–C10050 (tuned on), {name}", tuned, troy_in_process(book, tuned, change), per_table))
    for name, keep, found_here, per in runs:
        truth_half, found_half = work / "troy-truth-half.jsonl", work / "troy-found-half.jsonl"
        truth_half.write_text("".join(json.dumps(t) + "\n" for t in truth if keep(t["table"])), encoding="utf-8")
        found_half.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in found_here
                                      if keep(t["sheet"])), encoding="utf-8")
        scores = run([sys.executable, str(folder / "score.py"), str(truth_half), str(found_half)]
                     + (["--per-table"] if per else []))
        lines += [f"  {name}"] + [f"    {line}" for line in scores.splitlines()]
    return lines


def _no_style(cell: Cell) -> Cell:
    return replace(cell, style=None) if cell.style is not None else cell


def _no_alignment(cell: Cell) -> Cell:
    style = cell.style
    if style is None or style.align is None:
        return cell
    return replace(cell, style=cell_style(style.bold, style.indent, None, style.number_format))


def _no_merge(cell: Cell) -> Cell:
    return replace(cell, merged=None) if cell.merged is not None else cell


# Other exports of the same tables: (what changed, the change to every cell).
PERTURBATIONS = (("every style hint removed", _no_style), ("alignment removed", _no_alignment),
                 ("every merged range removed", _no_merge))


def troy_in_process(book: Path, keep, change=None) -> list[dict]:
    """The tables of the sheets ``keep`` accepts as `budget-etl tables --format jsonl` writes them, read in
    process, each cell first passed through ``change`` (no other sheet is read)."""
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.tables import find_tables

    found = []
    for sheet in read_bytes(book.read_bytes(), book.name).sheets:
        if not keep(sheet.name):
            continue
        if change is not None:
            sheet.cells = [change(cell) for cell in sheet.cells]
            if change is _no_merge:
                sheet.merged_ranges = []
        found += [table.to_json(book.name) for table in find_tables(sheet)]
    return found


def imtqa(datasets: Path, work: Path, tuned_only: bool = False) -> tuple[list[str], dict[str, list[Path]]]:
    """Each split is rendered in parts of at most PART_SHEETS tables: a workbook may hold 500 sheets at most
    (ReadLimits.max_sheets), and train has 936."""
    folder = datasets / "imtqa"
    lines, books = [], {}
    for split in ("train",) if tuned_only else ("train", "dev"):
        tables = json.loads((folder / f"{split}_tables.json").read_text(encoding="utf-8"))
        truth, predicted = work / f"imtqa-{split}-truth.jsonl", work / f"imtqa-{split}-predicted.jsonl"
        parts, truth_text, found_text, seconds = [], [], [], 0.0
        for start in range(0, len(tables), PART_SHEETS):
            part = work / f"imtqa-{split}-{start // PART_SHEETS + 1}"
            book, part_truth = part.with_suffix(".xlsx"), part.with_suffix(".truth.jsonl")
            if not book.exists():
                part_json = part.with_suffix(".json")
                part_json.write_text(json.dumps(tables[start:start + PART_SHEETS], ensure_ascii=False),
                                     encoding="utf-8")
                run([sys.executable, str(folder / "render.py"), str(part_json), str(book), str(part_truth)])
            seconds += tables_cli(book, part.with_suffix(".predicted.jsonl"))
            truth_text.append(part_truth.read_text(encoding="utf-8"))
            found_text.append(part.with_suffix(".predicted.jsonl").read_text(encoding="utf-8"))
            parts.append(book)
        truth.write_text("".join(truth_text), encoding="utf-8")
        predicted.write_text("".join(found_text), encoding="utf-8")
        scores = run([sys.executable, str(folder / "score.py"), str(truth), str(predicted)])
        note = "tuned on" if split == "train" else "held out"
        lines += [f"IM-TQA {split}, {len(tables)} tables ({note}; `budget-etl tables` wall time {seconds:.1f} s)"]
        lines += [f"    {line}" for line in scores.splitlines()]
        books[f"IM-TQA {split}"] = parts
    return lines, books


def speed(books: dict[str, list[Path]]) -> list[str]:
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.tables import find_tables

    lines = ["Speed and memory (in process; median of 3 runs; peak = tracemalloc while finding a whole workbook's tables)",
             f"  {'set':<28} {'tables':>7} {'ms/table find':>14} {'ms/table read+find':>19} {'peak MB':>8}"]
    for name, paths in books.items():
        finds, totals, count, peak = [0.0] * 3, [0.0] * 3, 0, 0
        for path in paths:
            data = path.read_bytes()
            count_here = 0
            for attempt in range(3):
                started = time.perf_counter()
                workbook = read_bytes(data, path.name)
                read_done = time.perf_counter()
                count_here = sum(len(find_tables(sheet)) for sheet in workbook.sheets)
                done = time.perf_counter()
                finds[attempt] += done - read_done
                totals[attempt] += done - started
            count += count_here
            tracemalloc.start()
            for sheet in workbook.sheets:
                find_tables(sheet)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        finds.sort()
        totals.sort()
        lines.append(f"  {name:<28} {count:>7} {1000 * finds[1] / count:>14.2f} {1000 * totals[1] / count:>19.2f} "
                     f"{peak / 2**20:>8.1f}")
    lines += family_parsers()
    return lines


def family_parsers() -> list[str]:
    """The template families' parse time on the repository's samples, for comparison."""
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.tables import find_tables
    from budget_etl.parsers.templates import parse_workbook

    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".xlsx", ".xls"))
    family, generic, sheets = [], [], 0
    for path in samples:
        workbook = read_bytes(path.read_bytes(), path.name)
        sheets += len(workbook.sheets)
        for timings, work in ((family, lambda: parse_workbook(workbook)),
                              (generic, lambda: [find_tables(s) for s in workbook.sheets])):
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                work()
                runs.append(time.perf_counter() - started)
            timings.append(sorted(runs)[2])
    if not samples:
        return []
    return [f"  samples/ ({len(samples)} files, {sheets} sheets): family parsers (parse_workbook) "
            f"{1000 * sum(family) / len(samples):.2f} ms/file, generic reader (find_tables, every sheet) "
            f"{1000 * sum(generic) / len(samples):.2f} ms/file"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--work", type=Path, default=None, help="keep the rendered workbooks and outputs here")
    parser.add_argument("--tuned-only", action="store_true",
                        help="only Troy C10001–C10050 and IM-TQA train: no held-out figure, no speed")
    parser.add_argument("--per-table", action="store_true", help="with --tuned-only: a line per tuned Troy table")
    args = parser.parse_args()
    if args.per_table and not args.tuned_only:
        parser.error("--per-table needs --tuned-only (no per-table figure of the held-out half is printed)")
    work = args.work or Path(tempfile.mkdtemp(prefix="score-tables-"))
    work.mkdir(parents=True, exist_ok=True)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# {when}, {platform.machine()}, CPython {platform.python_version()}, {os.cpu_count()} cores")
    print("\n".join(troy(args.datasets, work, args.tuned_only, args.per_table)))
    lines, books = imtqa(args.datasets, work, args.tuned_only)
    print("\n".join(lines))
    if args.tuned_only:
        return
    books = {"Troy_200": [args.datasets / "troy200-dev" / "troy200-dev.xlsx"], **books}
    print("\n".join(speed(books)))


if __name__ == "__main__":
    main()
