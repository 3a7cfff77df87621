"""Tab- or comma-separated text exports (.txt/.tsv/.csv, and the .xls files that are really text).

One sheet named ``text``; a cell sits at (line number, field number), so the
seed's value on line 11, field 5 is ``E11``. Fields are kept exactly as written:
ragged rows stay ragged and HTML inside a field stays HTML — realigning rows and
removing markup is the templates' job. Every value is ``str`` (what is written is
what is shown: ``0`` stays ``0``).
"""
from __future__ import annotations

import csv
import io
import re

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.readers.decoding import decode_text
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.sheetbuild import SheetBuilder

SHEET_NAME = "text"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
    """Tab when the file has any tab (fields may contain commas), else comma if any, else tab."""
    if "\t" in text:
        return "\t"
    return "," if "," in text else "\t"


def split_records(text: str) -> list[list[str]]:
    if detect_delimiter(text) == "\t":
        lines = _LINE_BREAK.split(text)
        if lines and lines[-1] == "":
            lines.pop()  # the newline that ends the last line does not start another one
        return [line.split("\t") if line else [] for line in lines]
    # Comma-separated files quote fields that hold commas or line breaks; csv knows the rules.
    return [list(record) for record in csv.reader(io.StringIO(text, newline=""))]
