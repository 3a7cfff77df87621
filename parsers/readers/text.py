"""Tab- or comma-separated and fixed-width text exports (.txt/.tsv/.csv, and the .xls files that are really text).

One sheet named ``text``; a cell sits at (line number, field number), so the
seed's value on line 11, field 5 is ``E11`` (a tab-separated file with a cell quoted across a line break, as
Excel writes one, is read with the quoting rules, and a record is then a row). Fields are kept exactly as written:
ragged rows stay ragged and HTML inside a field stays HTML — realigning rows and
removing markup is the templates' job. Every value is ``str`` (what is written is
what is shown: ``0`` stays ``0``).

A file without tabs whose lines are fields apart by two or more spaces, and whose commas (if any) only group
digits ('1,234.5'), is fixed-width: a line's fields go into the columns of the line with the most fields whose
places (in display width: a Chinese character is two) they overlap, so a blank field keeps its column; leading
spaces stay with a first field that lands in the first column (they show the stub's indentation), and do not count
in its place (a header line whose stub is blank starts with its first column header).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from bisect import bisect_left, bisect_right

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.readers.decoding import decode_text
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.sheetbuild import SheetBuilder

SHEET_NAME = "text"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_GAP = re.compile(r"[ \u3000]{2,}")  # two or more spaces (ideographic ones too) between fixed-width fields
_GROUPING_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # '1,234': a thousands mark, not a delimiter
FIXED_WIDTH = "fixed"
#: A field of a tab-separated file quoted Excel's way across a line break: '"…\n…"' between tabs or line ends.
_QUOTED_LINES = re.compile(r'(?:^|(?<=[\t\n]))"(?=(?:[^"]|"")*\n)(?:[^"]|"")*"(?=\t|\r?\n|\r|$)')


def read_text(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    text, encoding = decode_text(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    builder = SheetBuilder(SHEET_NAME, limits)
    for row, fields in enumerate(split_records(text), start=1):
        if fields:
            builder.check_position(row, len(fields))
        for col, field in enumerate(fields, start=1):
            if field != "":
                builder.set(row, col, field, field)
    return Workbook("text", [builder.build()], encoding=encoding)


def detect_delimiter(text: str) -> str:
    """Tab when the file has any tab (fields may contain commas); else fixed-width (:data:`FIXED_WIDTH`) when
    its lines are laid out so and its commas only group digits; else comma if any, else tab."""
    if "\t" in text:
        return "\t"
    if "," not in _GROUPING_COMMA.sub("", text) and _fixed_width(_lines(text)):
        return FIXED_WIDTH
    return "," if "," in text else "\t"


def _lines(text: str) -> list[str]:
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not start another one
    return lines


def _fixed_width(lines: list[str]) -> bool:
    """At least two lines, and most lines that hold something, hold fields apart by two or more spaces."""
    filled = [line for line in lines if line.strip()]
    split = sum(1 for line in filled if len(_fields(line)) > 1)
    return split >= 2 and 2 * split >= len(filled)


def _fields(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each field of a fixed-width line, in display columns; the first keeps its indent in its
    text, but its place starts where its text does (a header line's first field far right of a blank stub is a
    column's header, not the stub's)."""
    body = line.rstrip()
    found, last, width = [], 0, 0  # width: the display width of body[:last], carried along (one pass per line)
    for gap in _GAP.finditer(body):
        if gap.start() == 0:
            continue  # leading spaces: the first field's indentation
        found.append(_placed(body[last:gap.start()], width))
        width += _width(body[last:gap.end()])
        last = gap.end()
    if body[last:].strip():
        found.append(_placed(body[last:], width))
    return found


def _placed(text: str, start: int) -> tuple[int, int, str]:
    """A field that starts at display column ``start``, with its place (leading spaces are not part of it)."""
    lead = text[:len(text) - len(text.lstrip(" \u3000"))]
    return start + _width(lead), start + _width(text), text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fixed_width_records(lines: list[str]) -> list[list[str]]:
    """Each line's fields in the columns of the line with the most fields: the one whose place a field overlaps
    most (the nearest when none), in order; a line that cannot be placed so keeps its fields one after another."""
    split = [_fields(line) for line in lines]
    model = max(split, key=len, default=[])
    places = _Places(model)
    records = []
    for fields in split:
        columns = [places.column(start, end) for start, end, _ in fields]
        if len(fields) == len(model) or any(b <= a for a, b in zip(columns, columns[1:])):
            records.append([text for _, _, text in fields])
            continue
        record = [""] * (columns[-1] + 1) if columns else []
        for column, (_, _, text) in zip(columns, fields):
            record[column] = text if column == 0 else text.lstrip(" \u3000")  # an indent only in the first column
        records.append(record)
    return records


class _Places:
    """The model line's fields, to place another line's field among them: the first that it overlaps most, else
    the one whose middle is nearest (the first of two as near). The fields follow one another with gaps between,
    so their ends and middles are in order and a field is placed by bisection, not by a pass over every field
    of the model (a line of 150 fields placed 150 times over was most of reading a wide export)."""

    def __init__(self, model: list[tuple[int, int, str]]) -> None:
        self.starts = [start for start, _, _ in model]
        self.ends = [end for _, end, _ in model]
        self.middles = [(start + end) / 2 for start, end, _ in model]

    def column(self, start: int, end: int) -> int:
        best, most = -1, 0
        k = bisect_right(self.ends, start)  # the first model field ending after this one starts
        while k < len(self.starts) and self.starts[k] < end:
            overlap = min(end, self.ends[k]) - max(start, self.starts[k])
            if overlap > most:
                best, most = k, overlap
            k += 1
        if best >= 0:
            return best
        middle = (start + end) / 2
        k = bisect_left(self.middles, middle)
        if k == len(self.middles) or k and middle - self.middles[k - 1] <= self.middles[k] - middle:
            return k - 1
        return k


def split_records(text: str) -> list[list[str]]:
    delimiter = detect_delimiter(text)
    if delimiter == FIXED_WIDTH:
        return _fixed_width_records(_lines(text))
    if delimiter == "\t":
        if _QUOTED_LINES.search(text) is None:
            return [line.split("\t") if line else [] for line in _lines(text)]
        # Excel's 'Text (Tab delimited)' and 'Unicode Text' quote a cell holding a line break ("…\n…", its quotes
        # doubled): a self-evaluation's goals written on two lines. Read with the quoting rules, else each line of
        # such a cell is a row of its own and the cells after it shift. Files without one read as written.
        return [list(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    # Comma-separated files quote fields that hold commas or line breaks; csv knows the rules.
    return [list(record) for record in csv.reader(io.StringIO(text, newline=""))]
