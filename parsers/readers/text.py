"""Tab- or comma-separated text exports (placeholder: UTF-8 only; widened in the readers issue)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from parsers.cells import Cell, Sheet, Workbook, number_text
from parsers.errors import ReadError
from parsers.readers.limits import ReadLimits


def read_text(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError("encoding_error", f"cannot decode {name}: {exc}") from None
    sheet_name = "text"
    cells: list[Cell] = []
    for r, line in enumerate(text.splitlines(), start=1):
        for c, raw in enumerate(line.split("\t"), start=1):
            if raw == "":
                continue
            cells.append(Cell(sheet_name, r, c, raw, raw))
    return Workbook("text", [Sheet(sheet_name, cells)], encoding="utf-8")
