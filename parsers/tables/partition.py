"""Split a sheet into table regions (unpivotr's ``partition``): runs of rows between blank rows, joined
where a header block stands apart from its body; title, unit and note lines around a table dropped.

A *line* is a row that holds one piece of text in the table's first column (or spanning it), like
"Table 4. Port calls", "(Number of persons)", "Source: Statistics Canada", or a note mark and its
text ("1 | DAC countries are ..."). Lines at the top and bottom of a region are not part of the table;
inside a table the same shape is a section label of the stub.
"""
from __future__ import annotations

from dataclasses import dataclass

from budget_etl.parsers.tables.grid import Box, Grid

_LONG_TEXT = 20  # characters: a note or title beside a short mark, not a header
_SENTENCE = 30  # characters: a lone text this long is a title or a note wherever it stands, not a header


@dataclass(slots=True)
class Region:
    rows: list[int]  # the table's rows, top to bottom (blank rows inside left out)
    left: int
    right: int

    @property
    def top(self) -> int:
        return self.rows[0]

    @property
    def bottom(self) -> int:
        return self.rows[-1]


def partition(grid: Grid) -> list[Region]:
    regions = []
    for rows in _join(grid, _runs(grid)):
        region = _trim(grid, rows)
        if region is not None:
            regions.append(region)
    return regions


def _runs(grid: Grid) -> list[list[int]]:
    """Runs of consecutive non-blank rows."""
    runs: list[list[int]] = []
    for row in grid.rows:
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _multi(grid: Grid, rows: list[int]) -> list[int]:
    return [r for r in rows if len(grid.touching_row(r)) > 1]


def _join(grid: Grid, runs: list[list[int]]) -> list[list[int]]:
    """A run of header rows and the run of data below it (a blank row between), or a body that goes on
    after a blank row (perhaps with a section label first), are one table."""
    joined: list[list[int]] = []
    for run in runs:
        if joined and _multi(grid, joined[-1]) and _multi(grid, run) and _compatible(grid, joined[-1], run):
            before_has_numbers = any(_has_numbers(grid, r) for r in joined[-1])
            left = min(b.col for r in _multi(grid, joined[-1]) for b in grid.touching_row(r))
            first = next(r for r in run if not is_line(grid, r, left))
            if not before_has_numbers or (_has_numbers(grid, first) and not _header_like(grid, first)):
                joined[-1] = joined[-1] + run
                continue
        joined.append(list(run))
    return joined


def _compatible(grid: Grid, above: list[int], below: list[int]) -> bool:
    cols_above = {b.col for r in above for b in grid.touching_row(r)}
    cols_below = {b.col for r in below for b in grid.touching_row(r)}
    return len(cols_above & cols_below) >= max(1, min(len(cols_above), len(cols_below)) // 2)


def _has_numbers(grid: Grid, row: int) -> bool:
    return any(b.number for b in grid.own(row)[1:])


def _header_like(grid: Grid, row: int) -> bool:
    boxes = grid.own(row)
    return len(boxes) > 1 and not any(b.numeric for b in boxes[1:])


def is_line(grid: Grid, row: int, left: int) -> bool:
    """One piece of text at the region's left (a title, unit line, note, or a stub's section label)."""
    boxes = grid.touching_row(row)
    if len(boxes) == 1:
        return boxes[0].col <= left or len(boxes[0].text) >= _SENTENCE
    texts = [b for b in boxes if len(b.text) > 3]
    if len(texts) != 1:
        return False
    main: Box = texts[0]
    # a short mark (a note number) before one long text, nothing after it
    return len(main.text) > _LONG_TEXT and all(b.col <= main.col for b in boxes)


def _trim(grid: Grid, rows: list[int]) -> Region | None:
    multi = _multi(grid, rows)
    if not multi:
        return None
    left = min(b.col for r in multi for b in grid.touching_row(r))
    while rows and is_line(grid, rows[0], left):
        rows = rows[1:]
    while rows and is_line(grid, rows[-1], left):
        rows = rows[:-1]
    if not rows:
        return None
    boxes = [b for r in rows for b in grid.touching_row(r)]
    return Region(rows, min(b.col for b in boxes), max(b.last_col for b in boxes))
