"""HTML tables (pages saved from government portals, and "Excel" files that are really HTML).

One sheet per ``<table>`` (``table1``, ``table2``, … in document order; a table
nested in a cell is a sheet of its own and stays out of its parent's text).
rowspan/colspan become merged ranges, placed on an occupancy grid the way
browsers do. Tags inside a cell are dropped; ``<br>`` and block elements (``<p>``,
``<div>``, ``<li>``) become line breaks; other whitespace collapses to one space;
entities are decoded (``&nbsp;`` becomes a space). Values are ``str``.

A form's title is often printed outside its table (``<h3>…</h3><table>``), so each
sheet keeps the heading before its table as ``Sheet.title``: the table's
``<caption>``, else the last ``<h1>``–``<h6>`` between the previous table and this
one, else (first table only) the page's ``<title>``. The other short lines printed
around a table (its unit, its notes; a heading a caption displaced) become cells in
column A above and below the table's cells, as a spreadsheet holds them
(:mod:`.html_lines` says which and why so few); the table's cells move down by the
lines above it. Scripts, styles, form controls and menus are never lines.

Style hints for reading tables generically: a ``<th>`` cell, or one whose text is mostly inside
``<b>``/``<strong>`` (or an element styled ``font-weight: bold``), is bold; ``align="..."`` or a ``text-align``
style gives the alignment; leading ``&nbsp;`` (or ideographic spaces) the indent, two a level, and so does the
cell's (or its first element's) ``padding-left``/``margin-left``/``text-indent``, half an em a level, or a class
named like ``indent2``.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from budget_etl.parsers.cells import Sheet, Workbook, cell_style
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.decoding import decode_text, normalise_label
from budget_etl.parsers.readers.html_continued import continues, join
from budget_etl.parsers.readers.html_lines import ABOVE, MAX_LINE_CHARS, Surroundings
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.sheetbuild import SheetBuilder

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Outside a table, where one line of text ends and the next begins.
_LINE_BREAKS = _BLOCK_TAGS | {"br", "hr", "table", "caption", "section", "article", "header", "footer", "main",
                              "aside", "center", "blockquote", "pre", "dl", "dt", "dd", "form", "fieldset",
                              "address", "figure", "figcaption", "body"}
#: Outside a table, text that is no line about one: what a form offers to choose or type, buttons, menus, and what
#: a browser does not show. Counted open/close, so only elements that must be closed (not <option>).
_NOT_LINES = frozenset({"select", "datalist", "textarea", "button", "label", "nav", "noscript", "template",
                        "iframe", "object", "svg", "math"})
_MAX_SPAN = 65_534  # what browsers clamp rowspan to; colspan is clamped by the column limit
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_SOURCE_SPACES = re.compile(r"[ \t\r\n\f]+")
_PAGE_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always", re.IGNORECASE)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*([a-z]+)", re.IGNORECASE)
_BOLD_TAGS = frozenset({"b", "strong"})
# Inline CSS that says what <b> and &nbsp; say: 'font-weight: bold' (or 600-900), and an indentation by
# 'padding-left', 'margin-left' or 'text-indent' (statistics portals indent their stubs so; Chinese pages write
# 'text-indent: 2em'); a class named 'indent2', 'stub-indent-1' gives its level.
_CSS_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.IGNORECASE)
_CSS_INDENT = re.compile(r"(?:padding-left|margin-left|text-indent)\s*:\s*([\d.]+)\s*(px|pt|em|rem|ch)?",
                         re.IGNORECASE)
_INDENT_CLASS = re.compile(r"indent[-_]?(\d{1,2})\b", re.IGNORECASE)
# Elements with no end tag: they open nothing a style could stay on.
_VOID_TAGS = frozenset({"br", "img", "input", "hr", "wbr", "col", "meta", "link", "area", "source"})


def read_html(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    match = _META_CHARSET.search(data[:4096])
    declared = normalise_label(match.group(1).decode("ascii")) if match else None
    text, encoding = decode_text(data, name, declared)
    parser = _TableParser(limits)
    parser.feed(text)
    parser.close()
    sheets: list[Sheet] = []
    for table in parser.tables:
        sheet = table.finish()
        sheet.title = table.title
        if table.adjacent and sheets and continues(sheets[-1], sheet, table.page_break):
            sheets[-1] = join(sheets[-1], sheet, limits)  # the rest of a table a page break cut (html_continued)
        else:
            sheets.append(sheet)
    if not sheets:
        raise ReadError("unsupported_format", f"{name or 'the file'} is a web page without any table")
    return Workbook("html", sheets, encoding=encoding)


class _Table:
    def __init__(self, index: int, limits: ReadLimits, above: list[str] | None = None):
        self.name = f"table{index + 1}"
        self.builder = SheetBuilder(self.name, limits, index)
        self.limits = limits
        self.row = 0  # the table's own row numbers; the sheet's are ``top`` lower
        self.above = above or []  # the lines printed above the table, written when its first cell comes
        self.top: int | None = None  # rows above the table (its lines), once its first cell is placed
        self.bottom = 0  # the sheet's last row the table's cells reach (spans included)
        self.occupied: set[tuple[int, int]] = set()
        self.cell: tuple[int, int] | None = None
        self.parts: list[str] = []
        self.title: str | None = None
        self.heading: str | None = None  # the heading before the table (its title unless a <caption> is)
        self.caption: list[str] | None = None  # text parts while inside <caption>
        self.bold_cell = False  # a <th>, or a cell styled bold: bold whatever its text
        self.align: str | None = None
        self.bold_depth = 0  # open <b>/<strong> (or elements styled bold) inside the cell
        self.bold_chars = 0
        self.css_indent = 0  # the indent level the cell's style (or its first element's) gives
        self.inner: list[tuple[str, bool]] = []  # elements open inside the cell: (tag, styled bold)
        self.adjacent = False  # a top-level table right after the previous one, nothing printed between
        self.page_break = False  # ... with a page break between them

    def start_row(self) -> None:
        self.end_cell()
        self.row += 1

    def start_cell(self, rowspan: int, colspan: int, bold_cell: bool = False, align: str | None = None,
                   css_indent: int = 0) -> None:
        self.end_cell()
        if self.top is None:  # lines only go with a table that has cells (an empty one stays an empty sheet)
            self.top = len(self.above)
            for row, line in enumerate(self.above, start=1):
                self.builder.set(row, 1, line, line)
        self.bold_cell, self.align, self.bold_depth, self.bold_chars = bold_cell, align, 0, 0
        self.css_indent, self.inner = css_indent, []
        if self.row == 0:  # a cell before any <tr>: browsers open a row for it
            self.row = 1
        col = 1
        while (self.row, col) in self.occupied:
            col += 1
        rowspan = max(1, min(rowspan, _MAX_SPAN))
        colspan = max(1, min(colspan, self.limits.max_cols + 1))
        row = self.row + self.top
        self.builder.merge(row, col, row + rowspan - 1, col + colspan - 1)  # checks the limits
        if rowspan > 1 or colspan > 1:
            self.occupied.update((r, c) for r in range(self.row, self.row + rowspan)
                                 for c in range(col, col + colspan))
        self.occupied.add((self.row, col))
        self.bottom = max(self.bottom, row + rowspan - 1)
        self.cell = (row, col)
        self.parts = []

    def end_cell(self) -> None:
        if self.cell is None:
            return
        raw = "".join(self.parts)
        text = _cell_text(raw)
        if text:
            visible = len(raw.strip())
            bold = self.bold_cell or (visible > 0 and 2 * self.bold_chars >= visible)
            # a stray '&nbsp;20' is no level, nor padding before a number (its column's layout)
            indent = 0 if any(ch.isdigit() for ch in text[:1]) else max(_indent(raw), self.css_indent)
            self.builder.set(*self.cell, text, text, None, cell_style(bold, indent, self.align))
        self.cell = None

    def open_inner(self, tag: str, attributes: dict[str, str | None]) -> None:
        """An element inside the cell: bold when styled so; before any text, its indentation is the cell's."""
        bold = tag in _BOLD_TAGS or _css_bold(attributes)
        if bold:
            self.bold_depth += 1
        indent = _css_indent(attributes)
        if indent > self.css_indent and not any(part.strip() for part in self.parts):  # no text yet
            self.css_indent = indent
        if tag not in _VOID_TAGS:
            self.inner.append((tag, bold))

    def close_inner(self, tag: str) -> None:
        for k in range(len(self.inner) - 1, -1, -1):  # the innermost open one of that name (unclosed ones go with it)
            if self.inner[k][0] == tag:
                self.bold_depth -= sum(bold for _, bold in self.inner[k:])
                del self.inner[k:]
                return

    def end_caption(self) -> None:
        caption = _cell_text("".join(self.caption or ())).replace("\n", " ")
        self.caption = None
        if not caption:
            return
        if self.heading and self.top is None:  # the caption is the title: the heading above it is a line above
            self.above = [self.heading, *self.above][-ABOVE:]
        self.title = caption

    def add_below(self, lines: list[str]) -> None:
        """The lines printed below the table, in the rows right under its cells; none past the sheet's limits (a
        table that fits them is not refused for its notes)."""
        if self.top is None:
            return
        for row, line in enumerate(lines, start=self.bottom + 1):
            try:
                self.builder.set(row, 1, line, line)
            except ReadError:
                return

    def finish(self) -> Sheet:
        self.end_cell()
        return self.builder.build()


class _TableParser(HTMLParser):
    def __init__(self, limits: ReadLimits):
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.tables: list[_Table] = []
        self.open: list[_Table] = []  # nesting stack
        self.skipping = 0  # inside <script>/<style>
        self.heading: list[str] | None = None  # text parts while inside <title> or <h1>-<h6> outside a table
        self.page_title: str | None = None
        self.last_heading: str | None = None  # since the previous table closed
        self.around = Surroundings()  # the lines outside the tables
        self.line: list[str] = []  # text parts of the line being read outside a table
        self.line_chars = 0  # how long it is so far: past MAX_LINE_CHARS it is prose, and no more of it is kept
        self.hidden = 0  # inside a form control or menu outside a table (_NOT_LINES)
        self.last_table: _Table | None = None  # the top-level table that closed last
        self.page_break = False  # a page break outside the tables since the last one closed

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "table":
            self.end_line()
            above: list[str] = []
            adjacent = not self.open and self.around.adjacent() and self.last_heading is None
            if not self.open:
                below, above = self.around.table_opens()
                if self.last_table is not None:
                    self.last_table.add_below(below)
            table = _Table(len(self.tables), self.limits, above)
            table.adjacent, table.page_break = adjacent, adjacent and self.page_break
            self.page_break = False
            table.heading = self.last_heading
            table.title = self.last_heading or (self.page_title if not self.tables else None)
            self.last_heading = None
            self.tables.append(table)
            self.open.append(table)
        elif not self.open:
            if tag in _LINE_BREAKS or tag in _HEADINGS:
                self.end_line()
            if _PAGE_BREAK.search(dict(attrs).get("style") or ""):
                self.page_break = True
            if tag in _NOT_LINES:
                self.hidden += 1
            if tag == "title" or tag in _HEADINGS:
                self.heading = []
            return
        elif tag == "caption":
            self.open[-1].caption = []
        elif tag == "tr":
            self.open[-1].start_row()
        elif tag in ("td", "th"):
            values = dict(attrs)
            self.open[-1].start_cell(_span(values.get("rowspan")), _span(values.get("colspan")),
                                     tag == "th" or _css_bold(values), _alignment(values), _css_indent(values))
        else:
            if self.open[-1].cell is not None:
                self.open[-1].open_inner(tag, dict(attrs))
            if tag == "br" or tag in _BLOCK_TAGS:
                self._append_text("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag == "table" and self.open:
            table = self.open.pop()
            table.end_cell()
            if not self.open:
                self.last_table = table
                self.around.table_closes()
        elif not self.open:
            if tag in _NOT_LINES:
                self.hidden = max(0, self.hidden - 1)
            if self.heading is not None and (tag == "title" or tag in _HEADINGS):
                text = _cell_text("".join(self.heading)).replace("\n", " ") or None
                if tag == "title":
                    self.page_title = text
                elif text:
                    self.last_heading = text
                    self.around.brk()  # a heading starts the next table's part of the page
                self.heading = None
            elif tag in _LINE_BREAKS:
                self.end_line()
            return
        elif tag == "caption" and self.open[-1].caption is not None:
            self.open[-1].end_caption()
        elif tag in ("td", "th"):
            self.open[-1].end_cell()
        else:
            if self.open[-1].cell is not None:
                self.open[-1].close_inner(tag)
            if tag in _BLOCK_TAGS:
                self._append_text("\n")

    def handle_data(self, data):
        if not self.skipping:
            # line breaks in the source are just whitespace; no-break spaces stay until the cell ends (its indent)
            self._append_text(_SOURCE_SPACES.sub(" ", data))

    def close(self):
        super().close()
        self.end_line()
        if self.last_table is not None:
            self.last_table.add_below(self.around.page_ends())

    def end_line(self) -> None:
        """The line read outside the tables ends: a short one is kept, a long one is prose."""
        if not self.line:
            return
        text = " ".join(_cell_text("".join(self.line)).split("\n"))
        prose = self.line_chars > 2 * MAX_LINE_CHARS  # cut short below: its text no longer tells
        self.line, self.line_chars = [], 0
        if prose or len(text) > MAX_LINE_CHARS:
            self.around.brk()
        elif text:
            self.around.line(text)

    def _append_text(self, text: str) -> None:
        if not self.open:
            if self.heading is not None:
                self.heading.append(text)
            elif not self.hidden and self.line_chars <= 2 * MAX_LINE_CHARS:  # (spaces and &nbsp; still count)
                self.line.append(text[:2 * MAX_LINE_CHARS + 1])
                self.line_chars += len(text)
        elif self.open[-1].caption is not None:
            self.open[-1].caption.append(text)
        elif self.open[-1].cell is not None:
            table = self.open[-1]
            table.parts.append(text)
            if table.bold_depth:
                table.bold_chars += len(text.strip())


def _alignment(attributes: dict[str, str | None]) -> str | None:
    """``align="right"`` or ``style="text-align: right"``, lower case; None when neither says."""
    align = (attributes.get("align") or "").strip().lower()
    if not align:
        match = _TEXT_ALIGN.search(attributes.get("style") or "")
        align = match.group(1).lower() if match else ""
    return align or None


def _css_bold(attributes: dict[str, str | None]) -> bool:
    return bool(_CSS_BOLD.search(attributes.get("style") or ""))


def _css_indent(attributes: dict[str, str | None]) -> int:
    """The indent level of ``padding-left``/``margin-left``/``text-indent`` in the style (half an em a level, so
    that 10px, 20px and 30px stay three levels), else of an 'indent2'-like class name; 0 when neither says."""
    half_ems = 0.0
    for number, unit in _CSS_INDENT.findall(attributes.get("style") or ""):
        try:
            value = float(number)
        except ValueError:
            continue
        per_em = {"px": 16.0, "pt": 12.0, "ch": 2.0}.get(unit.lower(), 1.0)  # em, rem, and a bare number as em
        half_ems = max(half_ems, 2 * value / per_em)
    if half_ems:
        return min(15, max(1, round(half_ems)))
    match = _INDENT_CLASS.search(attributes.get("class") or "")
    return min(15, int(match.group(1))) if match else 0


def _span(value: str | None) -> int:
    try:
        return int(value.strip()) if value else 1
    except ValueError:
        return 1


def _indent(raw: str) -> int:
    """The indent level that leading no-break (``&nbsp;``) or ideographic spaces give a cell's text: the one way
    to indent in HTML without styles (ordinary spaces collapse), as stubs show their levels; two a level."""
    lead = raw[:len(raw) - len(raw.lstrip(" \t\r\n\f\u00a0\u3000"))]
    width = lead.count("\u00a0") + 2 * lead.count("\u3000")
    return (width + 1) // 2


def _cell_text(raw: str) -> str:
    """Collapse HTML whitespace within lines; keep one line break between block elements."""
    lines = (_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)
