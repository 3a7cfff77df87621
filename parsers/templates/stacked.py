"""Several forms of one family on one sheet, one under another: a submission each.

An office reporting on several projects often puts their 项目支出绩效自评表 one under another on one sheet (or
copies a second 评价表 below the first), each under its own title. Read as one form, the second project's
indicators were the first's (indicator_unique failed, the 分值 added up to 200) and its name, funds and goals
lost. A sheet whose family's title stands on two or more rows is cut above each title row (the rows above the
first title go with the first form); one whose titles stand on one row, forms side by side, is cut left of each
title's column. The cells keep their places, so each record still names its cell.

The cut is kept only when every piece is a whole form: each parses with every required block found and holds
records. Otherwise (a note that quotes the title, a subtitle repeating it) the sheet is read whole, as before.
"""
from __future__ import annotations

from collections.abc import Callable

from budget_etl.parsers.cells import Sheet, parse_range
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.declaration import Family
from budget_etl.parsers.templates.labels import index_of


def title_cells(family: Family, sheet: Sheet) -> list[tuple[int, int]]:
    """(row, column) of each cell that passes the family's title pattern, in reading order."""
    return sorted({(cell.row, cell.col) for cell, text in index_of(sheet).labels if family.title_pattern.matches(text)})


def pieces(sheet: Sheet, starts: list[int], across: bool = False) -> list[Sheet]:
    """The sheet cut before each of ``starts`` (rows; columns when ``across``) after the first: one sheet of the
    same name per form, its cells at their places."""
    end = (sheet.max_col if across else sheet.max_row) + 1
    bounds = [(1, starts[1] - 1)] + [(a, b - 1) for a, b in zip(starts[1:], starts[2:] + [end])]
    axis = (1, 3) if across else (0, 2)  # the bounds of a merged range along the cut's axis
    out = []
    for number, (low, high) in enumerate(bounds):
        merges = [ref for ref in sheet.merged_ranges
                  if low <= parse_range(ref)[axis[0]] and parse_range(ref)[axis[1]] <= high]
        cells = [cell for cell in sheet.cells if low <= (cell.col if across else cell.row) <= high
                 and (cell.merged is None or cell.merged in merges)]
        hidden_rows = sheet.hidden_rows if across else frozenset(r for r in sheet.hidden_rows if low <= r <= high)
        out.append(Sheet(sheet.name, cells, merges, sheet.hidden, hidden_rows, sheet.index,
                         sheet.title if number == 0 else None))
    return out


def stacked_forms(family: Family, sheet: Sheet, parse: Callable[[Sheet], ParsedSubmission]
                  ) -> list[ParsedSubmission] | None:
    """Each form of a sheet holding several of ``family`` one under another (each title on a row of its own) or
    side by side (every title on one row), parsed by ``parse``; None when the sheet holds one (or its pieces are
    not whole forms)."""
    titles = title_cells(family, sheet)
    rows = sorted({row for row, _ in titles})
    if len(titles) < 2 or len(rows) not in (1, len(titles)):
        return None
    across = len(rows) == 1
    starts = [col for _, col in titles] if across else rows
    parsed = [parse(piece) for piece in pieces(sheet, starts, across)]
    whole = all(not p.missing_blocks and (p.results or p.targets or p.budget) for p in parsed)
    return parsed if whole else None
