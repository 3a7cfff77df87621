"""What the table reader returns: tables of entries, each entry with its labels, labels with their parents."""
from __future__ import annotations

from dataclasses import dataclass, field

from budget_etl.parsers.readers.sheetbuild import cached_column_letter


@dataclass(eq=False, slots=True)
class Label:
    """A header cell: its text (footnote marks dropped), its A1 cell, the header one level up (or None)."""

    label: str
    cell: str
    parent: "Label | None" = None

    def path(self) -> list[str]:
        """The label texts from the top of its dimension down to this one."""
        chain: list[str] = []
        seen: set[int] = set()
        node: Label | None = self
        while node is not None and id(node) not in seen:
            seen.add(id(node))
            chain.append(node.label)
            node = node.parent
        return chain[::-1]

    def to_json(self) -> dict:
        return {"label": self.label, "cell": self.cell,
                "parent": [self.parent.label, self.parent.cell] if self.parent is not None else None}


@dataclass(eq=False, slots=True)
class Entry:
    """A data cell: its text as shown, its A1 cell (a merged cell's top-left), its innermost labels, one per
    header dimension (row stub, column header, key of a 'key: value' pair)."""

    value: str
    cell: str
    labels: list[Label] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"value": self.value, "cell": self.cell, "labels": [[lab.label, lab.cell] for lab in self.labels]}


@dataclass(eq=False, slots=True)
class Table:
    """One table found on a sheet: its range (A1, 'B3:T11'), its entries and every label of it."""

    sheet: str
    range: str
    entries: list[Entry]
    labels: list[Label]

    def to_json(self, file: str | None = None) -> dict:
        """The JSON line of ``budget-etl tables --format jsonl`` (CONTRACT.md)."""
        return {"file": file, "sheet": self.sheet, "range": self.range,
                "entries": [entry.to_json() for entry in self.entries],
                "labels": [label.to_json() for label in self.labels]}


def cell_a1(row: int, col: int) -> str:
    """(10, 3) -> 'C10', the column's letters from the readers' cache."""
    return f"{cached_column_letter(col)}{row}"


def region_a1(top: int, left: int, bottom: int, right: int) -> str:
    return f"{cell_a1(top, left)}:{cell_a1(bottom, right)}"
