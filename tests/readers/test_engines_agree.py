"""The fast ElementTree reader (both parse modes) and the openpyxl reference give the same cells on every xlsx fixture."""
from __future__ import annotations

import pytest
from readers_support import FIXTURES

from budget_etl.parsers.readers.limits import DEFAULT_LIMITS
from budget_etl.parsers.readers.xlsx import read_xlsx
from budget_etl.parsers.readers.xlsx_reference import read_xlsx_reference

# Hostile fixtures are rejected before either engine would parse them; openpyxl itself would
# hang on some (a cell at XFD1048576), which is why it is only the reference.
READABLE_XLSX = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".xlsm"))


def _readable(name: str) -> bool:
    from budget_etl.parsers.errors import ReadError
    try:
        read_xlsx((FIXTURES / name).read_bytes(), name, DEFAULT_LIMITS)
        return True
    except ReadError:
        return False


FIXTURES_READ = [name for name in READABLE_XLSX if _readable(name)]


def test_there_are_enough_fixtures_to_compare():
    assert len(FIXTURES_READ) >= 7


@pytest.fixture(params=["whole", "row_by_row"])
def parse_mode(request, monkeypatch):
    """Parts over TREE_MAX_BYTES are parsed row by row to keep memory flat: check that mode too."""
    if request.param == "row_by_row":
        monkeypatch.setattr("budget_etl.parsers.readers.package.TREE_MAX_BYTES", 0)
    return request.param


@pytest.mark.parametrize("name", FIXTURES_READ)
def test_same_cells_issues_and_flags(name, parse_mode):
    data = (FIXTURES / name).read_bytes()
    fast = read_xlsx(data, name, DEFAULT_LIMITS)
    reference = read_xlsx_reference(data, name)
    assert [s.name for s in fast.sheets] == [s.name for s in reference.sheets]
    for mine, theirs in zip(fast.sheets, reference.sheets):
        assert mine.cells == theirs.cells
        assert mine.merged_ranges == theirs.merged_ranges
        assert (mine.hidden, mine.hidden_rows, mine.index) == (theirs.hidden, theirs.hidden_rows, theirs.index)
    assert fast.issues == reference.issues
