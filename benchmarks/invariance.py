"""Other exports of the same tables: changes to the tuned Troy tables that must not change how their cells are read.

    .venv/bin/python benchmarks/invariance.py [--datasets ../shared/datasets] [--show C10013 ...]

A bureau's table reaches us in many exports: a remarks column added at the right, flags beside the numbers, a unit
line above the header, a code column before the names or a unit column after them, blank spacer rows and columns, a
title or a source line right against the table, a total row below it, merged ranges filled with their text, column
numbers '(1) | (2) | …' under the header, the header printed again inside the body; or only the look differs, as
other sites' exports differ: indentation as an indent level or as more spaces, alignment set on every cell or on
none, a header in bold or plain, number formats on the numbers, header spans without merges (the text in the first
cell, or centred across the selection); or only the values differ, as sites write them: placeholders for missing
numbers ('..', ':', 'x', 'F'; a row or a column of them), numbers with a space and a decimal comma, negatives in
brackets, counts that look like years, footnote marks after stub labels, other words in the labels (every letter
replaced, bare totals kept: a rule leaning on the words of these tables would show). A row of units under the
header, or a corner label merged down the header rows, adds a level or a label; a blank row after every row of the
body (double-spaced) or a blank spacer column after every column moves every cell; and the whole sheet as a web page
(read back by the HTML reader). None of these changes what the
table's own cells mean, so the generic reader must read every original cell of it the same way. For each change,
each tuned Troy table (C10001–C10050 only: the held-out half is never read here) is read as published and as
changed, and the script counts the original entries whose labels changed and the labels whose parent changed
(cells compared at their original place; cells the change adds are left out, except that a title, unit or source
line, note, corner label, row of column numbers or repeated header must not become an entry). A change is applied
only where it fits (no merged range across the inserted row or column).

What "the same" means per change: equal innermost labels for most; for placeholders, the cells they replaced are
left out (a placeholder is no entry, in the truth as here); for a unit row, each label path of an entry comes back
one level longer at most (the unit under its header); for a code column before the stub or a unit
column after it, the entry keeps its labels and gains the code or unit (a subset); for filled merges, equal label
texts (the labels stand in other cells). A code column before a stub of mostly years is not tried: nobody codes
years.

--show prints, for the named tables, the first cells that changed (tuned half only).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from budget_etl.parsers.cells import Cell, Sheet, a1, cell_style, parse_a1, parse_range
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.tables import Table, find_tables
from budget_etl.parsers.tables import text as tx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
TROY_SPLIT = 10050  # C10001–C10050 tuned on; the rest is held out and never read here

Back = Callable[[int, int], "tuple[int, int] | None"]  # a changed sheet's (row, col) -> the original's, None if added


@dataclass
class Reading:
    entries: dict[str, tuple[str, ...]]  # entry cell -> its label cells, sorted
    parents: dict[str, str | None]  # label cell -> its parent's cell
    paths: dict[str, tuple[str, ...]]  # entry cell -> its labels' texts from the top down ('North / 2022'), sorted
    added: int = 0  # entries in cells the change added


def reading(sheet: Sheet, back: Back) -> Reading:
    def original(ref: str) -> str | None:
        where = back(*parse_a1(ref))
        return None if where is None else a1(*where)

    found = Reading({}, {}, {})
    for table in find_tables(sheet):
        for entry in table.entries:
            if (cell := original(entry.cell)) is None:
                found.added += 1
            else:
                found.entries[cell] = tuple(sorted(original(label.cell) or "added" for label in entry.labels))
                found.paths[cell] = tuple(sorted(" / ".join(label.path()) for label in entry.labels))
        for label in table.labels:
            if (cell := original(label.cell)) is not None:
                found.parents[cell] = original(label.parent.cell) if label.parent else None
    return found


def _moved(merged: str | None, move: Callable[[int, int], tuple[int, int]]) -> str | None:
    if not merged:
        return merged
    r1, c1, r2, c2 = parse_range(merged)
    return f"{a1(*move(r1, c1))}:{a1(*move(r2, c2))}"


def changed_sheet(sheet: Sheet, cells: list[Cell]) -> Sheet:
    new = Sheet(sheet.name, cells)
    new.merged_ranges = [c.merged for c in cells if c.merged and parse_range(c.merged)[:2] == (c.row, c.col)]
    return new


def insert(sheet: Sheet, row: int | None = None, col: int | None = None, rows: tuple[int, int] | None = None,
           added: list[tuple[int, int, str]] = ()) -> tuple[Sheet, Back]:
    """The sheet with a blank row inserted before ``row`` or a blank column before ``col`` (only within ``rows``
    when given: the table's rows, so that titles and notes stay in their column), then ``added`` cells."""
    def inside(r: int) -> bool:
        return rows is None or rows[0] <= r <= rows[1]

    def move(r: int, c: int) -> tuple[int, int]:
        return r + (row is not None and r >= row), c + (col is not None and c >= col and inside(r))

    cells = [replace(c, row=move(c.row, c.col)[0], col=move(c.row, c.col)[1], merged=_moved(c.merged, move))
             for c in sheet.cells]
    cells += [Cell(sheet.name, r, c, text, text) for r, c, text in added]
    new_cells = {(r, c) for r, c, _ in added}

    def back(r: int, c: int) -> tuple[int, int] | None:
        if (r, c) in new_cells or r == row or (c == col and inside(r)):
            return None
        return r - (row is not None and r > row), c - (col is not None and c > col and inside(r))

    return changed_sheet(sheet, cells), back


def _spread(sheet: Sheet, rows: Collection[int] = (), cols: Collection[int] = ()) -> tuple[Sheet, Back]:
    """The sheet with a blank row after each of ``rows`` and a blank column after each of ``cols``, as exports that
    space their lines or put narrow spacer columns between the figures write it; merged ranges stretch over the
    spacers they span."""
    rows, cols = sorted(rows), sorted(cols)

    def move(r: int, c: int) -> tuple[int, int]:
        return r + sum(x < r for x in rows), c + sum(x < c for x in cols)

    cells = [replace(c, row=move(c.row, c.col)[0], col=move(c.row, c.col)[1], merged=_moved(c.merged, move))
             for c in sheet.cells]
    before = {move(r, c): (r, c) for r, c in {(c.row, c.col) for c in sheet.cells}}
    made = changed_sheet(sheet, cells)
    made.merged_ranges = [_moved(m, move) or m for m in sheet.merged_ranges]
    return made, lambda r, c: before.get((r, c))


def crosses(sheet: Sheet, row: int | None = None, col: int | None = None) -> bool:
    """A merged range spans the place where a row (column) would be inserted."""
    for merged in sheet.merged_ranges:
        r1, c1, r2, c2 = parse_range(merged)
        if row is not None and r1 < row <= r2 or col is not None and c1 < col <= c2:
            return True
    return False


_GROUPED = re.compile(r"-?[\d, ]+(?:\.\d+)?")
_SEPARATOR = re.compile(r"(?<=\d)[, ](?=\d{3}\b)")


def changes(sheet: Sheet, table: Table) -> dict[str, tuple[Sheet, Back]]:
    """Each change that fits this table, as (changed sheet, map back to the original)."""
    top, left, bottom, right = parse_range(table.range)
    entry_rows = sorted({parse_a1(e.cell)[0] for e in table.entries})
    entry_cols = sorted({parse_a1(e.cell)[1] for e in table.entries})
    stub = min(parse_a1(label.cell)[1] for e in table.entries for label in e.labels)
    header_rows = sorted({parse_a1(label.cell)[0] for label in table.labels  # the column headers' rows
                          if parse_a1(label.cell)[0] < entry_rows[0] and parse_a1(label.cell)[1] > stub})
    occupied = {(c.row, c.col) for c in sheet.cells if c.text}
    for merged in sheet.merged_ranges:
        r1, c1, r2, c2 = parse_range(merged)
        occupied |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    middle_col = entry_cols[len(entry_cols) // 2] if len(entry_cols) > 1 else None
    found: dict[str, tuple[Sheet, Back]] = {}

    def add(name: str, made: tuple[Sheet, Back]) -> None:
        found[name] = made

    if not crosses(sheet, row=entry_rows[0]):
        add("blank row under the header", insert(sheet, row=entry_rows[0]))
    if not crosses(sheet, row=entry_rows[len(entry_rows) // 2]):
        add("blank row in the body", insert(sheet, row=entry_rows[len(entry_rows) // 2]))
    under = header_rows[-1] + 1 if header_rows else entry_rows[0]  # the first row below the header
    if not crosses(sheet, row=under):
        numbers = [(under, c, f"({k})") for k, c in enumerate(range(stub + 1, right + 1), start=1)]
        add("column numbers under the header", insert(sheet, row=under, added=numbers))
    middle = entry_rows[len(entry_rows) // 2]
    if header_rows and not crosses(sheet, row=middle) and all(r + 1 == s for r, s in zip(header_rows, header_rows[1:])):
        # the column headers printed again inside the body, as after a page break (without their merges)
        again = [(middle + k, c.col, c.text) for k, r in enumerate(header_rows)
                 for c in sheet.cells if c.row == r and c.col > stub and c.text]
        made, back = insert(sheet, row=middle, added=[])
        for _ in header_rows[1:]:
            made, back2 = insert(made, row=middle, added=[])
            back = (lambda b1, b2: lambda r, c: None if b2(r, c) is None else b1(*b2(r, c)))(back, back2)
        cells = made.cells + [Cell(sheet.name, r, c, text, text) for r, c, text in again]
        add("header repeated in the body", (changed_sheet(sheet, cells), back))
    if len(header_rows) >= 2 and not crosses(sheet, row=header_rows[-1]):
        add("blank row inside the header", insert(sheet, row=header_rows[-1]))
    if middle_col and not crosses(sheet, col=middle_col):
        add("blank column among the data", insert(sheet, col=middle_col))
    # Not where a row's figures all lie between 1800 and 2100: alone between blank rows, such a row reads as a header
    # of years (a block under a header of its own), as it would when printed that way.
    text = _texts(sheet)
    yearly = {r for r in entry_rows if all(tx.is_year(tx.clean(text.get((r, c), ""))) for c in entry_cols
                                           if tx.clean(text.get((r, c), "")))}
    if not yearly:
        add("a blank row after every row of the body", _spread(sheet, rows=entry_rows[:-1]))
    add("a blank column after every column", _spread(sheet, cols=list(range(left, right))))
    if len(header_rows) >= 2 and not any(crosses(sheet, row=r + 1) for r in header_rows[:-1]):
        add("a blank row after every header row", _spread(sheet, rows=header_rows[:-1]))
    if not crosses(sheet, row=middle):
        add("two blank rows in the body", _spread(sheet, rows=[middle - 1, middle - 1]))
    if not crosses(sheet, col=stub + 1):
        add("blank column after the stub", insert(sheet, col=stub + 1))
        units = [(r, stub + 1, "%" if k % 2 else "persons") for k, r in enumerate(entry_rows)]
        if header_rows:
            units.append((header_rows[-1], stub + 1, "Unit"))
        add("unit column after the stub", insert(sheet, col=stub + 1, rows=(top, bottom), added=units))
    remarks = [(r, max(right, entry_cols[-1]) + 1, "see note 2" if k % 2 else "revised")
               for k, r in enumerate(entry_rows) if k % 3 == 1]
    add("remarks column at the right", insert(sheet, added=remarks))
    if middle_col and not crosses(sheet, col=middle_col + 1):
        flags = [(r, middle_col + 1, "p" if k % 2 else "e") for k, r in enumerate(entry_rows) if k % 3 == 0]
        add("flags column after a number column", insert(sheet, col=middle_col + 1, added=flags))
    stub_texts = [c.text.strip() for c in sheet.cells if c.col == stub and c.row in entry_rows and c.text.strip()]
    if not crosses(sheet, col=stub) and 2 * sum(text[:4].isdigit() for text in stub_texts) <= len(stub_texts):
        codes = [(r, stub, str(100 + 7 * k)) for k, r in enumerate(entry_rows)]
        add("code column before the stub", insert(sheet, col=stub, rows=(top, bottom), added=codes))
    if top > 1 and not any((top - 1, c) in occupied for c in range(left, right + 1)):
        add("title right above", insert(sheet, added=[(top - 1, left, "Table 12. Population by region, 2001-2009")]))
        add("unit line right above, at the right", insert(sheet, added=[(top - 1, right, "(thousands)")]))
    if not any((bottom + 1, c) in occupied for c in range(left, right + 1)):
        add("source line right below", insert(sheet, added=[(bottom + 1, left, "Source: national statistics office.")]))
        add("numbered note right below", insert(sheet, added=[(bottom + 1, left, "1"), (bottom + 1, left + 1,
                                                        "Figures for the last year are provisional and may be revised.")]))
    if header_rows and not any((r, left) in occupied for r in header_rows):
        add("corner label added", insert(sheet, added=[(header_rows[-1], left, "Item")]))
        if len(header_rows) >= 2:
            corner = f"{a1(header_rows[0], left)}:{a1(header_rows[-1], left)}"
            made, back = insert(sheet, added=[(header_rows[0], left, "Item")])
            made.cells = [replace(c, merged=corner) if (c.row, c.col) == (header_rows[0], left) else c
                          for c in made.cells]
            made.merged_ranges = [*made.merged_ranges, corner]
            add("corner label merged down the header", (made, back))
    if header_rows and not crosses(sheet, row=under):
        units = ["number", "%", "NOK million", "per cent"]
        unit_cells = [(under, c, units[k % len(units)]) for k, c in enumerate(entry_cols)]
        add("unit row under the header", insert(sheet, row=under, added=unit_cells))
    width = right - left + 1
    if not any((r, c) in occupied for r in range(top, bottom + 1) for c in range(right + 1, right + width + 3)):
        copy = [replace(c, col=c.col + width + 1, merged=_moved(c.merged, lambda r, k: (r, k + width + 1)))
                for c in sheet.cells if top <= c.row <= bottom and left <= c.col <= right]
        add("same table again at the right", (changed_sheet(sheet, list(sheet.cells) + copy),
                                              lambda r, c: (r, c) if c <= right else None))
    sections = [r for r in range(entry_rows[0], bottom + 1) if (r, stub) in occupied and r not in entry_rows
                and not any((r, c) in occupied for c in range(stub + 1, right + 1))]
    if sections:
        merged = [replace(c, merged=f"{a1(c.row, c.col)}:{a1(c.row, right)}") if c.row in sections and c.col == stub
                  else c for c in sheet.cells]
        add("section rows merged across", (changed_sheet(sheet, merged), lambda r, c: (r, c)))
    if any(top <= parse_range(m)[0] < entry_rows[0] for m in sheet.merged_ranges):
        add("header merges filled, text in every cell", (_filled_header(sheet, top, entry_rows[0]), lambda r, c: (r, c)))
    if not any((bottom + 1, c) in occupied for c in range(left, right + 1)) and not crosses(sheet, row=bottom + 1):
        total = [(bottom + 1, stub, "Total")] + [(bottom + 1, c, str(1000 + c)) for c in entry_cols]
        made, back = insert(sheet, added=total)
        made.cells = [replace(c, style=cell_style(bold=True)) if (c.row, c.col) == (bottom + 1, stub) else c
                      for c in made.cells]
        add("total row added at the bottom", (made, back))
    plain = [replace(c, text=_SEPARATOR.sub("", c.text)) if _GROUPED.fullmatch(c.text.strip()) else c
             for c in sheet.cells]
    add("thousands separators removed", (changed_sheet(sheet, plain), lambda r, c: (r, c)))
    found.update(_restyled(sheet, set(header_rows), entry_rows[0], stub))
    found.update(_revalued(sheet, table, stub))
    found["as a web page"] = (_as_html(sheet), _same)
    return found


def _same(r: int, c: int) -> tuple[int, int]:
    return r, c


def _styled(cell: Cell, **hints: object) -> Cell:
    """The cell with some of its style hints replaced."""
    style = cell.style
    current = {"bold": bool(style and style.bold), "indent": style.indent if style else 0,
               "align": style.align if style else None, "number_format": style.number_format if style else None}
    return replace(cell, style=cell_style(**{**current, **hints}))


def _restyled(sheet: Sheet, header: set[int], body: int, stub: int) -> dict[str, tuple[Sheet, Back]]:
    """Changes of look only, as other sites' exports differ: indentation as an indent level or as plain spaces,
    alignment set on every cell or on none, a bold header or a plain one, number formats on every number,
    header spans written without merges (text in the first cell, or centred across the selection)."""
    found: dict[str, tuple[Sheet, Back]] = {}

    def numeric(cell: Cell) -> bool:
        return bool(cell.text.strip()) and tx.is_numeric(tx.clean(cell.text))

    spaced = [c for c in sheet.cells if c.col == stub and c.row >= body and tx.text_indent(c.text) > 0
              and not numeric(c)]
    if spaced:
        as_level = {(c.row, c.col): _styled(replace(c, text=c.text.lstrip(" \u00a0")),
                                            indent=max(1, tx.text_indent(c.text) // 2))
                    for c in spaced if c.text[:1] in " \u00a0"}
        if as_level:
            cells = [as_level.get((c.row, c.col), c) for c in sheet.cells]
            found["indentation as an indent level"] = (changed_sheet(sheet, cells), _same)
        wider = [replace(c, text="    " * tx.text_indent(c.text) + c.text.lstrip(" \u00a0"))
                 if c in spaced and c.text[:1] in " \u00a0" else c for c in sheet.cells]
        found["indentation as more plain spaces"] = (changed_sheet(sheet, wider), _same)
    everywhere = [c if (c.style and c.style.align) or not c.text.strip()
                  else _styled(c, align="right" if numeric(c) else "left") for c in sheet.cells]
    found["alignment set on every cell"] = (changed_sheet(sheet, everywhere), _same)
    if any(c.style and c.style.align for c in sheet.cells):
        found["alignment removed"] = (changed_sheet(sheet, [_styled(c, align=None) for c in sheet.cells]), _same)
    in_header = [c for c in sheet.cells if c.row in header and c.text.strip()]  # the column headers' rows only
    if in_header and not all(c.style and c.style.bold for c in in_header):
        bold = [_styled(c, bold=True) if c.row in header and c.text.strip() else c for c in sheet.cells]
        found["header in bold"] = (changed_sheet(sheet, bold), _same)
    if any(c.style and c.style.bold for c in in_header):
        plain = [_styled(c, bold=False) if c.row in header else c for c in sheet.cells]
        found["header not bold"] = (changed_sheet(sheet, plain), _same)
    formats = [_styled(c, number_format="#,##0.0") if c.row >= body and numeric(c) else c for c in sheet.cells]
    found["number formats on the numbers"] = (changed_sheet(sheet, formats), _same)
    spans = [parse_range(m) for m in sheet.merged_ranges]
    spans = [(r1, c1, r2, c2) for r1, c1, r2, c2 in spans if r1 in header and r1 == r2 and c2 > c1]
    if spans:
        found["header spans unmerged, text in the first cell"] = (_unmerged(sheet, spans, None), _same)
        found["header spans centred across the selection"] = (_unmerged(sheet, spans, "centerContinuous"), _same)
    return found


def _as_html(sheet: Sheet) -> Sheet:
    """The sheet as a web page shows it (these tables were published so), read back by the HTML reader: one
    ``<table>`` from A1, merged ranges as rowspan/colspan, bold as ``<b>``, an indent and leading spaces as
    ``&nbsp;`` (ordinary spaces collapse in HTML), alignment as ``align``."""
    import html

    at = {(c.row, c.col): c for c in sheet.cells}
    covered = set()
    for merged in sheet.merged_ranges:
        r1, c1, r2, c2 = parse_range(merged)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    spans = {parse_range(m)[:2]: parse_range(m) for m in sheet.merged_ranges}
    rows = max((c.row for c in sheet.cells), default=0)
    cols = max((c.col for c in sheet.cells), default=0)
    lines = ["<html><head><meta charset='utf-8'></head><body><table>"]
    for r in range(1, rows + 1):
        tds = []
        for c in range(1, cols + 1):
            if (r, c) in covered:
                continue
            cell = at.get((r, c))
            attrs = ""
            if (r, c) in spans:
                r1, c1, r2, c2 = spans[(r, c)]
                attrs += f" rowspan={r2 - r1 + 1}" * (r2 > r1) + f" colspan={c2 - c1 + 1}" * (c2 > c1)
            text = ""
            if cell is not None and cell.text:
                lead = len(cell.text) - len(cell.text.lstrip(" \u00a0"))
                indent = 2 * (cell.style.indent if cell.style else 0) + lead
                text = "&nbsp;" * indent + html.escape(cell.text.strip())
                if cell.style and cell.style.bold:
                    text = f"<b>{text}</b>"
                if cell.style and cell.style.align in ("left", "right", "center"):
                    attrs += f" align={cell.style.align}"
            tds.append(f"<td{attrs}>{text}</td>")
        lines.append("<tr>" + "".join(tds) + "</tr>")
    lines.append("</table></body></html>")
    (page,) = read_bytes("\n".join(lines).encode("utf-8"), f"{sheet.name}.html").sheets
    return page


def _revalued(sheet: Sheet, table: Table, stub: int) -> dict[str, tuple[Sheet, Back]]:
    """Changes of the values only, as other sites write them: placeholders for missing numbers ('..', ':', 'x', 'F'),
    a row or a column of them (a year not yet published), numbers with a space and a decimal comma, negatives in
    brackets, counts that look like years, footnote marks after stub labels, and other words in the labels (every
    letter replaced: a rule that leans on the words of these tables shows here; bare totals keep their word)."""
    found: dict[str, tuple[Sheet, Back]] = {}
    entries = sorted((parse_a1(e.cell) for e in table.entries))
    text = _texts(sheet)
    numeric = [(r, c) for r, c in entries if tx.is_number(tx.clean(text.get((r, c), "")))]

    def retexted(texts: dict[tuple[int, int], str], compared: bool = True) -> tuple[Sheet, Back]:
        """The sheet with these cells' texts; ``compared=False``: the changed cells themselves are left out (a
        placeholder is not an entry, in the truth as here)."""
        cells = [replace(c, text=texts[(c.row, c.col)], value=texts[(c.row, c.col)]) if (c.row, c.col) in texts
                 else c for c in sheet.cells]
        return changed_sheet(sheet, cells), (_same if compared else lambda r, c: None if (r, c) in texts else (r, c))

    marks = ["..", ":", "x", "-", "F", "…"]
    found["placeholders among the numbers"] = retexted(
        {at: marks[k % len(marks)] for k, at in enumerate(numeric) if k % 7 == 3}, compared=False)
    rows = sorted({r for r, _ in entries})
    cols = sorted({c for _, c in entries})
    middle_row, middle_col = rows[len(rows) // 2], cols[len(cols) // 2]
    if len(rows) > 2:
        found["a row of placeholders"] = retexted({(r, c): ".." for r, c in entries if r == middle_row}, compared=False)
    if len(cols) > 2:
        found["a column of placeholders"] = retexted({(r, c): ".." for r, c in entries if c == middle_col}, compared=False)
    european = {}
    for at in numeric:
        value = tx.number_value(tx.clean(text.get(at, "")))
        if value is not None and (abs(value) >= 1000 or value != value.to_integral_value()):
            european[at] = f"{value:,.1f}".replace(",", " ").replace(".", ",")
    if european:
        found["numbers with spaces and decimal commas"] = retexted(european)
    found["negatives in brackets"] = retexted(
        {at: f"({tx.clean(text[at]).lstrip('-')})" for k, at in enumerate(numeric) if k % 5 == 2})
    found["counts that look like years"] = retexted(
        {(r, c): str(1985 + (r * 7 + c) % 30) for r, c in numeric if (r * 3 + c * 5) % 11 == 0})
    stub_labels = sorted({parse_a1(label.cell) for e in table.entries for label in e.labels
                          if parse_a1(label.cell)[1] == stub})
    notes = ["1)", "(2)", "³", "[4]"]
    found["footnote marks after stub labels"] = retexted(
        {at: text.get(at, "").rstrip() + (" " if k % 2 else "") + notes[k % len(notes)]
         for k, at in enumerate(stub_labels) if k % 3 == 1 and not tx.is_year(text.get(at, "").strip())})
    labels = {parse_a1(label.cell) for label in table.labels}
    found["other words in the labels"] = retexted(
        {at: _other_words(text.get(at, "")) for at in labels if not tx.is_bare_total(tx.clean(text.get(at, "")))})
    return found


def _texts(sheet: Sheet) -> dict[tuple[int, int], str]:
    """(row, col) -> the cell's text, once per sheet (a blank cell is absent: ask with .get(at, ""))."""
    return {(c.row, c.col): c.text for c in sheet.cells}


def _other_words(text: str) -> str:
    """Every letter replaced by another of the same case (the same one each time), digits, spaces and marks kept."""
    def other(ch: str) -> str:
        if "a" <= ch <= "z":
            return chr((ord(ch) - 97 + 11) % 26 + 97)
        if "A" <= ch <= "Z":
            return chr((ord(ch) - 65 + 11) % 26 + 65)
        return ch
    return "".join(other(ch) for ch in text)


def _unmerged(sheet: Sheet, spans: list[tuple[int, int, int, int]], align: str | None) -> Sheet:
    """The header's one-row merged ranges undone: the text stays in the first cell; with ``align`` every cell of the
    range carries that alignment (Excel's 'centre across selection' looks the same as a merge)."""
    inside = {(r1, c) for r1, c1, _, c2 in spans for c in range(c1, c2 + 1)}
    cells = []
    for c in sheet.cells:
        if (c.row, c.col) in inside:
            c = replace(c, merged=None)
            if align:
                c = _styled(c, align=align)
        cells.append(c)
    if align:
        present = {(c.row, c.col) for c in cells}
        cells += [_styled(Cell(sheet.name, r, c, None, ""), align=align) for (r, c) in inside if (r, c) not in present]
        cells.sort(key=lambda c: (c.row, c.col))
    return changed_sheet(sheet, cells)


def _filled_header(sheet: Sheet, top: int, body: int) -> Sheet:
    """The header's merged ranges undone the way some exports do it: the text written into every cell of the range."""
    texts = {}
    for merged in sheet.merged_ranges:
        r1, c1, r2, c2 = parse_range(merged)
        if top <= r1 < body:
            first = next(c for c in sheet.cells if (c.row, c.col) == (r1, c1))
            texts.update({(r, c): first for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)})
    cells = [replace(texts[(c.row, c.col)], row=c.row, col=c.col, merged=None) if (c.row, c.col) in texts
             else c for c in sheet.cells]
    present = {(c.row, c.col) for c in cells}
    cells += [replace(first, row=r, col=c, merged=None) for (r, c), first in texts.items() if (r, c) not in present]
    cells.sort(key=lambda c: (c.row, c.col))
    return changed_sheet(sheet, cells)


# Changes whose added cells hold no data: a title, unit or source line, a note, column numbers, a corner label; any
# entry in them is counted as an error too.
ADDS_NO_DATA = {"title right above", "unit line right above, at the right", "source line right below",
                "numbered note right below", "column numbers under the header", "corner label added",
                "header repeated in the body", "unit row under the header", "corner label merged down the header"}
# Changes that put placeholders where numbers were, in place (no row or column moves): the cells they changed are not
# entries any more (nor in the truth: a placeholder is no entry), so only the other cells are compared.
LEAVES_OUT = {"placeholders among the numbers", "a row of placeholders", "a column of placeholders"}
# Changes after which labels stand in other cells: the entries' label texts are compared, not the labels' cells.
BY_TEXT = {"header merges filled, text in every cell"}
# Changes that add a level under the column headers (a unit under each): each label path of an entry comes back as
# it was or one level longer.
BY_PREFIX = {"unit row under the header"}


def _extends(before: tuple[str, ...], after: tuple[str, ...] | None) -> bool:
    return after is not None and len(after) == len(before) and all(
        any(a == b or a.startswith(b + " / ") and a.count(" / ") == b.count(" / ") + 1 for a in after)
        for b in before)


def keeps(name: str, before: tuple[str, ...], after: tuple[str, ...] | None) -> bool:
    if after is None:
        return False
    if name in ("code column before the stub", "unit column after the stub"):
        return set(before) <= set(after)
    return before == after


@dataclass
class Total:
    tables: int = 0
    entries: int = 0  # original entries read differently (and entries in added cells that hold no data)
    parents: int = 0  # labels whose parent changed
    broken: list[str] = field(default_factory=list)  # 'C10013 9/3': tables with changes (entries/parents)


def measure(book: Path, show: Collection[str] = ()) -> dict[str, Total]:
    """Each change's totals over the tuned half of ``book`` (troy200-dev.xlsx); prints the changed cells of the
    tables named in ``show``."""
    totals: dict[str, Total] = {}
    for sheet in read_bytes(book.read_bytes(), book.name).sheets:
        if int(sheet.name[1:]) > TROY_SPLIT:
            continue  # held out: never read
        tables = find_tables(sheet)
        if not tables or not tables[0].entries:
            continue
        before = reading(sheet, lambda r, c: (r, c))
        for name, (changed, back) in changes(sheet, tables[0]).items():
            after = reading(changed, back)
            if name in BY_TEXT:
                entries = [cell for cell, paths in before.paths.items() if after.paths.get(cell) != paths]
                parents = []
            elif name in BY_PREFIX:
                entries = [cell for cell, paths in before.paths.items() if not _extends(paths, after.paths.get(cell))]
                parents = []
            else:
                entries = [cell for cell, labels in before.entries.items()
                           if not keeps(name, labels, after.entries.get(cell))
                           and not (name in LEAVES_OUT and back(*parse_a1(cell)) is None)]
                parents = [cell for cell, parent in before.parents.items() if after.parents.get(cell, "gone") != parent]
            added = after.added if name in ADDS_NO_DATA else 0
            total = totals.setdefault(name, Total())
            total.tables += 1
            total.entries += len(entries) + added
            total.parents += len(parents)
            if entries or parents or added:
                total.broken.append(f"{sheet.name} {len(entries) + added}/{len(parents)}")
            if sheet.name in show and (entries or parents or added):
                print(f"{sheet.name}, {name}:" + (f" {added} entries in added cells" if added else ""))
                for cell in entries[:6]:
                    print(f"  entry {cell}: labels {before.entries[cell]} -> {after.entries.get(cell)}")
                for cell in parents[:6]:
                    print(f"  label {cell}: parent {before.parents[cell]} -> {after.parents.get(cell, 'gone')}")
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--show", nargs="*", default=[], help="tuned tables whose changed cells to print")
    args = parser.parse_args()
    if any(int(name[1:]) > TROY_SPLIT for name in args.show):
        parser.error("--show takes tuned tables only (C10001–C10050)")
    totals = measure(args.datasets / "troy200-dev" / "troy200-dev.xlsx", args.show)
    print(f"{'change':<48} {'tables':>6} {'entries changed':>16} {'parents changed':>16}  tables (entries/parents)")
    for name, total in totals.items():
        print(f"{name:<48} {total.tables:>6} {total.entries:>16} {total.parents:>16}  {' '.join(total.broken)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
