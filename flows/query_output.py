"""Render a query result as an aligned table, CSV or JSON (what `budget-etl query` prints)."""
from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

from budget_etl.flows.visible import visible


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    if fmt == "csv":
        return _csv(columns, rows)
    if fmt == "json":
        # allow_nan=False: the output is always valid JSON (``_json_value`` spells NaN and infinities out).
        return json.dumps([dict(zip(columns, map(_json_value, row))) for row in rows], ensure_ascii=False,
                          allow_nan=False, default=str) + "\n"
    if fmt == "table":
        return _table(columns, rows)
    raise ValueError(f"unknown format {fmt!r}: use table, csv or json")


def _value_text(value: Any) -> str:
    """A query result value as printed: NULL blank, decimals in plain notation (never 1E+2)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or infinity: they become the strings Python and JavaScript print for them.
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Decimal):
        # Exact decimals as JSON numbers: integral ones as int, others by their shortest float text.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):  # DuckDB lists and arrays
        return [_json_value(v) for v in value]
    if isinstance(value, dict):  # structs and maps
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def _csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    from budget_etl.flows.safe_export import neutralise  # a CSV opened in Excel must never run a formula

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([v if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                         else neutralise(_value_text(v)) for v in row])
    return out.getvalue()


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if len(columns) == 1 and len(rows) == 1:
        # A single value prints bare, so `n=$(budget-etl query "select count(*) …")` just works.
        return _value_text(rows[0][0]) + "\n"
    # Invisible and control characters spelt out: a value cannot break the table or hide a difference.
    cells = [[visible(_value_text(v)) for v in row] for row in rows]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows) and bool(rows)
               for i in range(len(columns))]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [" | ".join(_pad(c, widths[i], numeric[i]) for i, c in enumerate(columns)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(_pad(v, widths[i], numeric[i]) for i, v in enumerate(r)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
