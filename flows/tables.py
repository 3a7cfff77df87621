"""`budget-etl tables`: read files' tables generically and print them (no template, no warehouse).

Each file is read in a sandboxed worker (flows.sandbox) with the same read limits as ``ingest``;
the worker returns the tables as JSON-ready dicts (CONTRACT.md's line format), or the read error.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from budget_etl.parsers.readers.limits import DEFAULT_LIMITS

TIMEOUT_S = 60.0  # per file, as for ingest
MEMORY_MB = 2048


def read_file_tables(path: str) -> tuple[str, tuple[list[dict], list[tuple[str, str]]] | tuple[str, str]]:
    """('ok', (tables as JSON dicts, warnings as (code, message))) or ('error', (code, message)). Never raises
    (runs in a worker)."""
    from budget_etl.parsers.errors import ReadError
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.tables import find_tables

    try:
        size = os.path.getsize(path)
        if size > DEFAULT_LIMITS.max_file_bytes:
            raise ReadError("too_large", f"{path} is {size:,} bytes; the limit is {DEFAULT_LIMITS.max_file_bytes:,}")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError("io_error", f"cannot read {path}: {exc.strerror or exc}") from None
        workbook = read_bytes(data, Path(path).name, DEFAULT_LIMITS)
        tables = [table.to_json(path) for sheet in workbook.sheets for table in find_tables(sheet)]
        return "ok", (tables, unread_cells(workbook.issues))
    except ReadError as exc:
        return "error", (exc.code, exc.message)
    except MemoryError:
        return "error", ("too_large", f"reading {path} needed more memory than allowed")
    except RecursionError:
        return "error", ("corrupt_file", f"{path} is nested too deeply to read")


def unread_cells(issues: list) -> list[tuple[str, str]]:
    """Cells whose value is not in the file: formulas saved without their result. Neither an entry nor a label, so
    say so, once per file (how many, the first few cells) rather than let them vanish from the tables."""
    cells = [f"{issue.sheet}!{issue.cell}" for issue in issues if issue.code == "formula_without_value"]
    if not cells:
        return []
    shown = ", ".join(cells[:5]) + (", …" if len(cells) > 5 else "")
    return [("formula_without_value", f"{len(cells)} formula cell(s) have no saved result and are not read ({shown}); "
                                      "open the file in Excel, let it calculate, and save it again")]


def tables_of_files(paths: list[str], workers: int | None = None) -> Iterator[tuple[str, str, object]]:
    """``(path, 'ok', tables)`` or ``(path, 'error', (code, message))`` per file, in the order given."""
    from budget_etl.flows.sandbox import run_sandboxed
    from budget_etl.parsers.errors import ReadError

    if workers is None:
        workers = min(os.cpu_count() or 1, len(paths))
    done: dict[int, tuple[str, object]] = {}
    following = 0
    for index, result in run_sandboxed(read_file_tables, paths, workers=workers, timeout_s=TIMEOUT_S,
                                       memory_mb=MEMORY_MB, batch_size=1):
        if isinstance(result, ReadError):  # the worker crashed or ran out of time on this file
            result = ("error", (result.code, result.message))
        done[index] = result
        while following in done:
            status, payload = done.pop(following)
            yield paths[following], status, payload
            following += 1


def format_table(table: dict) -> str:
    """A table for people: where it is, then one line per entry with its label paths."""
    parents = {label["cell"]: label for label in table["labels"]}

    def path(label_text: str, cell: str) -> str:
        names, seen = [label_text], {cell}
        parent = parents.get(cell, {}).get("parent")
        while parent and parent[1] not in seen:
            seen.add(parent[1])
            names.append(parent[0])
            parent = parents.get(parent[1], {}).get("parent")
        return " / ".join(reversed(names))

    lines = [f"{table['file']}  {table['sheet']}!{table['range']}  "
             f"{len(table['entries'])} entries, {len(table['labels'])} labels"]
    width = max((len(e["cell"]) for e in table["entries"]), default=0)
    value_width = min(max((len(e["value"]) for e in table["entries"]), default=0), 24)
    for entry in table["entries"]:
        labels = " | ".join(path(text, cell) for text, cell in entry["labels"])
        lines.append(f"  {entry['cell']:<{width}}  {entry['value']:>{value_width}}  {labels}")
    return "\n".join(lines)
