"""Other exports of the tuned Troy tables are read alike (benchmarks/invariance.py), as a test: a change to the
table reader that breaks one of these shapes fails here, not only in RESULTS.md."""
from __future__ import annotations

from pathlib import Path

import invariance
import pytest

BOOK = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "troy200-dev" / "troy200-dev.xlsx"


@pytest.fixture(scope="module")
def totals():
    if not BOOK.exists():
        pytest.skip(f"the Troy_200 development set is not beside the repository ({BOOK})")
    return invariance.measure(BOOK)


def test_every_change_is_tried_on_some_tuned_tables(totals):
    assert set(totals) >= {"remarks column at the right", "flags column after a number column",
                           "unit line right above, at the right", "code column before the stub",
                           "column numbers under the header", "header merges filled, text in every cell",
                           "same table again at the right", "header repeated in the body", "unit row under the header",
                           "placeholders among the numbers", "numbers with spaces and decimal commas",
                           "counts that look like years", "other words in the labels"}
    assert all(total.tables >= 3 for total in totals.values())


def test_other_exports_of_the_tuned_tables_read_every_original_cell_alike(totals):
    broken = {name: total.broken for name, total in totals.items() if total.entries or total.parents}
    assert broken == {}


def test_a_change_that_alters_the_reading_is_counted(monkeypatch):
    """The measure can fail: a reader that drops the last entry of any table it reads changes every table."""
    if not BOOK.exists():
        pytest.skip("no Troy_200 development set")
    real = invariance.find_tables

    def lossy(sheet):
        tables = real(sheet)
        for table in tables:
            if any(cell.text == "revised" for cell in sheet.cells):  # only the changed sheets read worse
                table.entries = table.entries[:-1]
        return tables

    monkeypatch.setattr(invariance, "find_tables", lossy)
    totals = invariance.measure(BOOK)
    assert totals["remarks column at the right"].entries > 0
    assert totals["blank row under the header"].entries == 0
