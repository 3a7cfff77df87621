"""Example blocks: each block reader can write a filled-in example of a block it reads.

The end-to-end family test (tests/families) builds, for every registered family, a sheet with every block
filled from these writers, with amounts that satisfy the family's sum rules, and one variant per rule that
breaks it. A block reader without an example writer makes that test fail for every family using it: register
one with ``@example_writer("reader_name")``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from budget_etl.parsers.templates.declaration import Block, Family

#: A line of an amounts block: (direction, item_path, period, measure).
AmountLine = tuple[str, str, str, str]


@dataclass
class Example:
    """What a writer needs: the family, and the amounts (filled in by the test's solver) by line."""

    family: Family
    amounts: dict[AmountLine, Decimal] = field(default_factory=dict)
    counter: int = 0

    def amount(self, line: AmountLine) -> str:
        value = self.amounts.get(line)
        return "" if value is None else format(value, "f")

    def name(self, what: str) -> str:
        self.counter += 1
        return f"示例{what}{self.counter}"


@dataclass(frozen=True)
class ExampleWriter:
    #: the amount lines the block holds (before any amounts are chosen)
    lines: Callable[[Block], list[AmountLine]]
    #: rows of cell texts (a list per row) for the block, amounts from ``example.amounts``
    rows: Callable[[Block, Example], list[list[str]]]


EXAMPLE_WRITERS: dict[str, ExampleWriter] = {}


def example_writer(reader: str, *, lines: Callable[[Block], list[AmountLine]] | None = None) -> Callable:
    def register(rows: Callable[[Block, Example], list[list[str]]]) -> Callable:
        EXAMPLE_WRITERS[reader] = ExampleWriter(lines or (lambda block: []), rows)
        return rows
    return register


def sheet_rows(family: Family, example: Example, year: int = 2024) -> list[list[str]]:
    """A whole sheet of the family: its title, the year, then every block, a blank row between blocks."""
    from budget_etl.parsers.templates.blocks import BLOCK_READERS  # noqa: F401 - registers the writers

    rows: list[list[str]] = [[family.title], [f"{year}年度"]]
    for block in family.blocks:
        writer = EXAMPLE_WRITERS.get(block.reader)
        if writer is None:
            raise LookupError(f"block reader {block.reader!r} has no example writer (register one with "
                              f"@example_writer({block.reader!r}) beside the reader)")
        rows += writer.rows(block, example) + [[]]
    return rows


def amount_lines(family: Family) -> list[AmountLine]:
    from budget_etl.parsers.templates.blocks import BLOCK_READERS  # noqa: F401 - registers the writers

    return [line for block in family.blocks if block.reader in EXAMPLE_WRITERS
            for line in EXAMPLE_WRITERS[block.reader].lines(block)]
