"""Helpers for the generic table reader's tests: they read real files from tests/fixtures/tables (written by
tests/fixtures/make_table_fixtures.py)."""
from __future__ import annotations

from pathlib import Path

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.tables import find_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


def tables_of(name: str):
    workbook = read_bytes((FIXTURES / name).read_bytes(), name)
    return [table for sheet in workbook.sheets for table in find_tables(sheet)]


def by_cell(table) -> dict[str, object]:
    return {entry.cell: entry for entry in table.entries}


def paths(entry) -> list[str]:
    """Each of the entry's labels as the path from the top of its dimension: 'North / 2022 / Exports'."""
    return [" / ".join(label.path()) for label in entry.labels]

