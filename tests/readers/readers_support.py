"""Shared helpers for the reader tests: the committed fixtures and a compact view of cells."""
from __future__ import annotations

from pathlib import Path

from budget_etl.parsers.cells import Sheet, Workbook
from budget_etl.parsers.readers import read_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed-department-overall.txt"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read_fixture(name: str) -> Workbook:
    return read_bytes(fixture_bytes(name), name)


def values(sheet: Sheet) -> dict[str, object]:
    """A1 address -> value, for cells that hold one."""
    return {cell.address: cell.value for cell in sheet.cells if cell.value is not None}


def sheet_by_name(workbook: Workbook, name: str) -> Sheet:
    return next(sheet for sheet in workbook.sheets if sheet.name == name)
