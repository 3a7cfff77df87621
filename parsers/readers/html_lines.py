"""The short text a web page prints around a table: the lines a spreadsheet holds above and below it.

A bureau's HTML export puts a table's unit and notes outside the ``<table>``:
``<h2>2024年部门收支总表</h2><p>单位：万元</p><table>…</table><p>注：…</p>``. A spreadsheet holds the same
lines as rows above and below the table, where the table reader leaves them out of the table
(:mod:`budget_etl.parsers.tables.partition`) and :mod:`budget_etl.parsers.generic_caption` reads the unit and
title from them; so the HTML reader writes them as cells in column A of the table's sheet, above and below its
cells (:class:`Surroundings` decides which line goes where; html_tables places them).

A *line* is the text of one block outside every table (``<p>``, ``<div>``, ``<li>``, text between ``<br>``).
The heading right before a table is its title (``Sheet.title``, as before) and not repeated as a cell: families
and the caption already read it there, and a cell of it would move every cell of every HTML form below a heading
one row down. A heading or a long block (prose) breaks the page: lines across it stand next to no table. Between
two tables, the lines before a heading stand below the first; with no heading, the notes at the top of the gap
('注：…', '说明', '填报人：…') stand below the first table, the rest above the next. Lines after the last table
stand below it.
"""
from __future__ import annotations

import re

#: Lines kept above a table: a subtitle, who drew it up, its unit. generic_caption reads three rows above a table
#: (CAPTION_ROWS); lines further up belong to the page (a site's banner, a menu), not to the table.
ABOVE = 3
#: Lines kept below a table: a note and its numbered points, who filled it in and when. More is the page going on.
BELOW = 5
#: A title, unit line or note is a sentence or two; a longer block is prose (an explanation section of the
#: report) that would become one huge cell, and it means the lines across it are not next to the table.
MAX_LINE_CHARS = 200

_NOTE = re.compile(r"[(（\[【]?\s*(?:注|附注|备注|说明|资料来源|数据来源|来源|填报|填表|制表|审核|负责人|联系人|联系电话"
                   r"|notes?\b|sources?\b|\*)", re.IGNORECASE)


def is_note(line: str) -> bool:
    """A line that comments on the table above it rather than introducing the one below."""
    return bool(_NOTE.match(line))


class Surroundings:
    """The lines outside the tables of one page as it streams by, handed out when a table opens or the page ends.

    Memory stays bounded whatever the page: a run longer than BELOW + ABOVE lines forgets its middle (near no
    table), and the caller cuts a block at MAX_LINE_CHARS."""

    def __init__(self) -> None:
        self._run: list[str] = []  # short lines since the last table, heading or prose
        self._after_table = False  # the run starts right where a table ended
        self._below: list[str] = []  # lines already given to the table that ended last

    def line(self, text: str) -> None:
        self._run.append(text)
        if len(self._run) > BELOW + ABOVE:
            del self._run[BELOW]

    def brk(self) -> None:
        """A heading or prose: the lines before it stand below the previous table (if right after it) or nowhere."""
        if self._after_table:
            self._below = self._run[:BELOW]
        self._run, self._after_table = [], False

    def table_opens(self) -> tuple[list[str], list[str]]:
        """(lines below the previous table, lines above the table that opens)."""
        below, run = self._below, self._run
        if self._after_table:
            notes = 0
            while notes < min(len(run), BELOW) and is_note(run[notes]):
                notes += 1
            below, run = run[:notes], run[notes:]
        self._run, self._after_table, self._below = [], False, []
        return below, run[-ABOVE:]

    def adjacent(self) -> bool:
        """Whether the table opening now follows the last one with nothing printed between (no line, heading
        or prose)."""
        return self._after_table and not self._run

    def table_closes(self) -> None:
        self._run, self._after_table, self._below = [], True, []

    def page_ends(self) -> list[str]:
        """The lines below the last table."""
        return self._run[:BELOW] if self._after_table else self._below
