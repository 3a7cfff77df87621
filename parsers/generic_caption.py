"""What the lines above a generic table say about it: its title and its unit.

The table reader (:mod:`budget_etl.parsers.tables`) leaves a table's title and unit lines out of the table, as it
should: they are neither entries nor labels. But they say what the numbers are: '单位：元' above one table and
'单位：万元' above another make 635000 and 484.35 comparable only once the unit is known, and a sheet of two
tables tells them apart by their titles. This module reads them back from the sheet for the warehouse
(``generic_tables.title`` and ``unit``, ``v_generic_entries.table_title`` and ``unit``); it does not change what
the reader finds.

A table's caption is the text of the non-blank rows above it, up to :data:`CAPTION_ROWS` of them, below the
nearest table above that shares a column with it (for the first table: the sheet's top). An HTML page's heading
(``Sheet.title``) comes first. Its unit is what a '单位：…' / 'Unit: …' statement names; its title the caption
without such statements.
"""
from __future__ import annotations

import re

from budget_etl.parsers.cells import Sheet, parse_range

#: Rows above a table read as its caption (a title, a subtitle, a unit line): more is another part of the sheet.
CAPTION_ROWS = 3
#: '单位：万元', '金额单位: 元', '（单位：万元）', 'Unit: thousand yuan'; the unit ends at a separator or bracket.
#: Not '编制单位：…' or '预算单位：…' (who drew the table up, not what its numbers count).
_UNIT = re.compile(r"(?:金额|(?<![\u4e00-\u9fff]))(?:单\s*位|[Uu]nits?)\s*[:：]\s*"
                   r"([^\s,，;；、()（）\[\]【】]+(?: [A-Za-z]+)*)")
def unit_of(text: str) -> str | None:
    """The unit a '单位：万元' statement names, else None."""
    match = _UNIT.search(text)
    return match.group(1) if match else None


def captions(sheet: Sheet, ranges: list[str]) -> list[tuple[str | None, str | None]]:
    """(title, unit) of each table of ``sheet`` (``ranges``: every table the reader found on it, A1)."""
    bounds = [parse_range(r) for r in ranges]  # (top, left, bottom, right)
    rows: dict[int, list[str]] = {}
    for cell in sheet.cells:
        text = " ".join(cell.text.split())
        if text and text not in rows.setdefault(cell.row, []):  # a merged title's covered cells repeat nothing
            rows[cell.row].append(text)
    out = []
    for top, left, _bottom, right in bounds:
        above = [b for t, lft, b, rgt in bounds if b < top and lft <= right and rgt >= left]
        start = max(above, default=0)
        lines = [" ".join(rows[r]) for r in sorted(rows) if start < r < top][-CAPTION_ROWS:]
        if not above and sheet.title:
            lines.insert(0, " ".join(sheet.title.split()))
        units = [u for u in map(unit_of, lines) if u]
        rest = (_UNIT.sub("", line).strip(" ()（）") for line in lines)  # each line without its unit statement
        out.append((" ".join(line for line in rest if line) or None, units[0] if units else None))
    return out
