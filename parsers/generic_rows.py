"""Generic tables as staging rows: each entry with one header path per dimension, each label with its parent.

Kept apart from :mod:`budget_etl.parsers.staging` because it is the one place that turns the JSON form of a
table (``budget_etl.parsers.tables.Table.to_json``, the line `budget-etl tables` prints) into rows: a header
path is the label texts from the top of its dimension down, joined with `` / `` (CONTRACT.md,
``v_generic_entries.headers``).
"""
from __future__ import annotations

from decimal import Decimal

from budget_etl.parsers.values import parse_amount

PATH_SEPARATOR = " / "
#: DECIMAL(20,6) holds 14 digits before the point: a larger number keeps only its text
GENERIC_VALUE_LIMIT = Decimal(10) ** 14


def header_paths(table: dict) -> tuple[dict[str, str], dict[str, str | None]]:
    """label cell -> its header path; label cell -> its parent's cell (None at the top)."""
    text_of = {label["cell"]: label["label"] for label in table["labels"]}
    parent_of = {label["cell"]: (label["parent"][1] if label.get("parent") else None) for label in table["labels"]}
    paths: dict[str, str] = {}
    for cell in text_of:
        chain, seen, node = [], set(), cell
        while node is not None and node not in seen and node in text_of:  # a cycle would be a reader bug
            seen.add(node)
            chain.append(text_of[node])
            node = parent_of.get(node)
        paths[cell] = PATH_SEPARATOR.join(reversed(chain))
    return paths, parent_of


def entry_value(text: str) -> Decimal | None:
    """The number an entry's text states (thousands separators, full-width digits), else None."""
    amount, understood = parse_amount(text)
    if not understood or amount is None or abs(amount) >= GENERIC_VALUE_LIMIT:
        return None
    return amount


def table_rows(file_key: int, table: dict) -> tuple[list[tuple], list[tuple]]:
    """(entry rows, label rows) of one table; see GENERIC_COLUMNS and GENERIC_LABEL_COLUMNS in staging."""
    paths, parent_of = header_paths(table)
    sheet, where = table["sheet"], table["range"]
    entries = []
    for entry in table["entries"]:
        headers = [paths.get(cell, label) for label, cell in entry["labels"]]
        value = entry_value(entry["value"])
        entries.append((file_key, sheet, where, entry["cell"], entry["value"],
                        None if value is None else format(value, "f"), headers, len(headers)))
    labels = [(file_key, sheet, where, label["cell"], label["label"], parent_of[label["cell"]])
              for label in table["labels"]]
    return entries, labels
