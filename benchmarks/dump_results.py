"""Dump what the sandbox workers compute for each file, to prove a speed change changed no result.

    .venv/bin/python benchmarks/dump_results.py OUT.jsonl PATH [PATH ...]     # files and folders (recursive)
    .venv/bin/python benchmarks/dump_results.py --compare BEFORE.jsonl AFTER.jsonl

One JSON line per file: the worker's ``read_and_parse`` result after a pickle round trip (what the parent
receives: records, issues, scores, errors, generic tables, further parts; the timings zeroed), the reader's
cells (``read_bytes``: every sheet and cell with its style, merges, issues) and the recognition of every
(family, sheet) pair with its evidence (what `explain` and the unknown-template messages show). Run it on
the code before and after a change; ``--compare`` names every file whose line differs and exits 1 if any.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path


def dump_one(path: Path) -> dict:
    from budget_etl.flows.stages import FileTask, read_and_parse
    from budget_etl.parsers.errors import ReadError
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.templates import load_registry, recognise

    data = path.read_bytes()
    task = FileTask(0, str(path), hashlib.sha256(data).hexdigest(), len(data))
    result = pickle.loads(pickle.dumps(read_and_parse(task), protocol=pickle.HIGHEST_PROTOCOL))
    for part in [result, *result.more]:
        part.seconds_read = part.seconds_parse = 0.0
    try:
        workbook = read_bytes(data, path.name)
    except ReadError as error:
        cells, ranked = f"ReadError({error.code!r}, {error.message!r})", ""
    else:
        cells = repr(workbook)
        ranked = repr(recognise(workbook, load_registry()))
    return {"path": str(path), "result": repr(result),
            "cells": hashlib.sha256(cells.encode()).hexdigest(),
            "recognition": hashlib.sha256(ranked.encode()).hexdigest()}


def files_under(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path])
    return found


def compare(before: Path, after: Path) -> int:
    def load(path: Path) -> dict[str, dict]:
        with path.open(encoding="utf-8") as lines:
            return {row["path"]: row for row in map(json.loads, lines)}

    old, new = load(before), load(after)
    differ = 0
    for path in sorted(old.keys() | new.keys()):
        a, b = old.get(path), new.get(path)
        if a != b:
            differ += 1
            what = "missing" if a is None or b is None else ", ".join(k for k in a if a[k] != b.get(k))
            print(f"DIFFERENT {path}: {what}")
    print(f"{len(old)} before, {len(new)} after, {differ} different")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="compare two dumps instead")
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args.out, args.paths[0])
    with args.out.open("w", encoding="utf-8") as out:
        for path in files_under(args.paths):
            out.write(json.dumps(dump_one(path), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
