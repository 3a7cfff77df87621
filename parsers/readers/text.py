"""Tab- or comma-separated and fixed-width text exports (.txt/.tsv/.csv, and the .xls files that are really text).

One sheet named ``text``; a cell sits at (line number, field number), so the
seed's value on line 11, field 5 is ``E11``. Fields are kept exactly as written:
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

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.readers.decoding import decode_text
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.sheetbuild import SheetBuilder

SHEET_NAME = "text"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_GAP = re.compile(r"[ \u3000]{2,}")  # two or more spaces (ideographic ones too) between fixed-width fields
_GROUPING_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # '1,234': a thousands mark, not a delimiter
FIXED_WIDTH = "fixed"


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
    records = []
    for fields in split:
        columns = [_column(model, start, end) for start, end, _ in fields]
        if len(fields) == len(model) or any(b <= a for a, b in zip(columns, columns[1:])):
            records.append([text for _, _, text in fields])
            continue
        record = [""] * (columns[-1] + 1) if columns else []
        for column, (_, _, text) in zip(columns, fields):
            record[column] = text if column == 0 else text.lstrip(" \u3000")  # an indent only in the first column
        records.append(record)
    return records


def _column(model: list[tuple[int, int, str]], start: int, end: int) -> int:
    overlaps = [min(end, m_end) - max(start, m_start) for m_start, m_end, _ in model]
    best = max(range(len(model)), key=lambda k: overlaps[k])
    if overlaps[best] > 0:
        return best
    middle = (start + end) / 2
    return min(range(len(model)), key=lambda k: abs((model[k][0] + model[k][1]) / 2 - middle))


def split_records(text: str) -> list[list[str]]:
    delimiter = detect_delimiter(text)
    if delimiter == FIXED_WIDTH:
        return _fixed_width_records(_lines(text))
    if delimiter == "\t":
        return [line.split("\t") if line else [] for line in _lines(text)]
    # Comma-separated files quote fields that hold commas or line breaks; csv knows the rules.
    return [list(record) for record in csv.reader(io.StringIO(text, newline=""))]
