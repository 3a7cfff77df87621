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
GENERIC_COLUMNS = ["file_key", "sheet", "table_range", "cell", "value_text", "value", "headers", "n_labels",
                   "table_title", "unit"]
GENERIC_LABEL_COLUMNS = ["file_key", "sheet", "table_range", "cell", "label", "parent_cell"]
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


def table_rows(file_key: int, table: dict) -> tuple[dict[str, list], dict[str, list]]:
    """(entry columns, label columns) of one table, by column name (GENERIC_COLUMNS, GENERIC_LABEL_COLUMNS)."""
    paths, parent_of = header_paths(table)
    entries, labels = table["entries"], table["labels"]
    headers = [[paths.get(cell, label) for label, cell in entry["labels"]] for entry in entries]
    values = [entry_value(entry["value"]) for entry in entries]
    entry_columns = {
        "file_key": [file_key] * len(entries), "sheet": [table["sheet"]] * len(entries),
        "table_range": [table["range"]] * len(entries), "cell": [entry["cell"] for entry in entries],
        "value_text": [entry["value"] for entry in entries],
        "value": [None if value is None else format(value, "f") for value in values],
        "headers": headers, "n_labels": [len(h) for h in headers],
        # the lines above the table (parsers.generic_caption): one text per table, repeated on its entries
        "table_title": [table.get("title")] * len(entries), "unit": [table.get("unit")] * len(entries),
    }
    label_columns = {
        "file_key": [file_key] * len(labels), "sheet": [table["sheet"]] * len(labels),
        "table_range": [table["range"]] * len(labels), "cell": [label["cell"] for label in labels],
        "label": [label["label"] for label in labels], "parent_cell": [parent_of[label["cell"]] for label in labels],
    }
    return entry_columns, label_columns
