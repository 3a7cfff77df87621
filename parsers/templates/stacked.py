"""Several forms of one family on one sheet, one under another: a submission each.

An office reporting on several projects often puts their 项目支出绩效自评表 one under another on one sheet (or
copies a second 评价表 below the first), each under its own title. Read as one form, the second project's
indicators were the first's (indicator_unique failed, the 分值 added up to 200) and its name, funds and goals
lost. A sheet whose family's title stands on two or more rows is cut above each title row (the rows above the
first title go with the first form); the cells keep their rows, so each record still names its cell.

The cut is kept only when every piece is a whole form: each parses with every required block found and holds
records. Otherwise (a note that quotes the title, a subtitle repeating it) the sheet is read whole, as before.
"""
from __future__ import annotations

from collections.abc import Callable

from budget_etl.parsers.cells import Sheet, parse_range
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.declaration import Family
from budget_etl.parsers.templates.labels import index_of


def title_rows(family: Family, sheet: Sheet) -> list[int]:
    """The rows holding a cell that passes the family's title pattern, top to bottom."""
    return sorted({cell.row for cell, text in index_of(sheet).labels if family.title_pattern.matches(text)})


def pieces(sheet: Sheet, tops: list[int]) -> list[Sheet]:
    """The sheet cut above each of ``tops`` (after the first): one sheet of the same name per form."""
    bounds = [(1, tops[1] - 1)] + [(top, bottom - 1) for top, bottom in zip(tops[1:], tops[2:] + [sheet.max_row + 1])]
    out = []
    for number, (top, bottom) in enumerate(bounds):
        merges = [ref for ref in sheet.merged_ranges if top <= parse_range(ref)[0] and parse_range(ref)[2] <= bottom]
        cells = [cell for cell in sheet.cells if top <= cell.row <= bottom
                 and (cell.merged is None or cell.merged in merges)]
        out.append(Sheet(sheet.name, cells, merges, sheet.hidden, frozenset(r for r in sheet.hidden_rows
                                                                            if top <= r <= bottom), sheet.index,
                         sheet.title if number == 0 else None))
    return out


def stacked_forms(family: Family, sheet: Sheet, parse: Callable[[Sheet], ParsedSubmission]
                  ) -> list[ParsedSubmission] | None:
    """Each form of a sheet holding several of ``family`` one under another, parsed by ``parse``; None when the
    sheet holds one (or its pieces are not whole forms)."""
    tops = title_rows(family, sheet)
    if len(tops) < 2:
        return None
    parsed = [parse(piece) for piece in pieces(sheet, tops)]
    whole = all(not p.missing_blocks and (p.results or p.targets or p.budget) for p in parsed)
    return parsed if whole else None
