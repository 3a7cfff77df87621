"""Rich-text sections (单位主要职能, 年度目标 …) as numbered items."""
from __future__ import annotations

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.normalise import text_items
from budget_etl.parsers.records import TextItem, TextSection


def section_items(section: TextSection, cell: Cell) -> list[TextItem]:
    """One :class:`TextItem` per numbered item of the cell (HTML removed), all pointing at the cell."""
    return [TextItem(section, seq, text, cell.sheet, cell.address)
            for seq, text in enumerate(text_items(cell.text), start=1)]


def next_item(items: list[TextItem], section: TextSection, text: str, sheet: str, cell: str) -> TextItem:
    """The next item of ``section`` after those ``items`` already hold (its seq one more than their count), at
    ``sheet``!``cell``: a section built a row at a time, one text per row."""
    return TextItem(section, 1 + sum(1 for item in items if item.section == section), text, sheet, cell)
