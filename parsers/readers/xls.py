"""Legacy .xls (BIFF in an OLE2 container) through xlrd.

``formatting_info=True`` is what makes xlrd report merged ranges and hidden rows.
BIFF stores numbers as doubles; they go through the same 15-significant-digit
rule as .xlsx, so ``1363.41`` reads as ``Decimal('1363.41')`` in both formats.
Formulas are read through their cached results (BIFF always stores one).
"""
from __future__ import annotations

import io

import xlrd

from budget_etl.parsers.cells import CellStyle, Workbook, cell_style, number_text
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.readers.numbers import datetime_text, decimal_from_float
from budget_etl.parsers.readers.sheetbuild import SheetBuilder
from budget_etl.parsers.readers.workbook_issues import visibility_issues


def read_xls(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    book = _open(data, name or "the file")
    if book.nsheets > limits.max_sheets:
        raise ReadError("too_large", f"{name} has {book.nsheets:,} sheets; the limit is {limits.max_sheets:,}")
    workbook = Workbook("xls", [])
    hints = _StyleHints(book)
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        builder = SheetBuilder(sheet.name, limits, index)
        if sheet.nrows and sheet.ncols:
            builder.check_position(sheet.nrows, sheet.ncols)
        for rlo, rhi, clo, chi in sheet.merged_cells:  # half-open, 0-based
            builder.merge(rlo + 1, clo + 1, rhi, chi)
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                value, text = _typed(cell, book.datemode)
                if value is not None:
                    builder.set(r + 1, c + 1, value, text, None, hints(cell.xf_index))
        hidden_rows = frozenset(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden)
        built = builder.build(hidden=sheet.visibility != 0, hidden_rows=hidden_rows)
        workbook.sheets.append(built)
        workbook.issues.extend(visibility_issues(built))
    return workbook


# BIFF horizontal alignment codes, named as in .xlsx.
_ALIGN = {1: "left", 2: "center", 3: "right", 4: "fill", 5: "justify", 6: "centerContinuous", 7: "distributed"}


class _StyleHints:
    """Cell style hints (bold, indent, alignment, number format) by XF record, each worked out once."""

    def __init__(self, book: xlrd.book.Book):
        self.book = book
        self.by_xf: dict[int | None, CellStyle | None] = {None: None}

    def __call__(self, xf_index: int | None) -> CellStyle | None:
        try:
            return self.by_xf[xf_index]
        except KeyError:
            pass
        style = None
        book = self.book
        if xf_index is not None and 0 <= xf_index < len(book.xf_list):
            xf = book.xf_list[xf_index]
            font = book.font_list[xf.font_index] if 0 <= xf.font_index < len(book.font_list) else None
            fmt = book.format_map.get(xf.format_key)
            style = cell_style(bool(font is not None and font.bold), xf.alignment.indent_level,
                               _ALIGN.get(xf.alignment.hor_align), fmt.format_str if fmt is not None else None)
        self.by_xf[xf_index] = style
        return style


def _open(data: bytes, name: str) -> xlrd.book.Book:
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        message = str(exc)
        if "encrypted" in message.lower():
            raise ReadError("encrypted_file", f"{name} is password-protected; ask for an unprotected copy") from None
        if "can't find workbook" in message.lower():
            raise ReadError("unsupported_format", f"{name} is an Office file but not an Excel workbook") from None
        raise ReadError("corrupt_file", f"{name} is a damaged .xls workbook ({message})") from None
    except MemoryError:
        raise ReadError("too_large", f"{name} needs more memory than a reader may use") from None
    except Exception as exc:  # xlrd fails on damaged BIFF with whatever its struct unpacking hits
        raise ReadError("corrupt_file", f"{name} is a damaged .xls workbook ({type(exc).__name__})") from None


def _typed(cell: xlrd.sheet.Cell, datemode: int):
    kind = cell.ctype
    if kind == xlrd.XL_CELL_TEXT:
        return (cell.value or None), cell.value
    if kind == xlrd.XL_CELL_NUMBER:
        number = decimal_from_float(cell.value)
        return number, number_text(number)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            number = decimal_from_float(cell.value)
            return number, number_text(number)
        return moment, datetime_text(moment)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value), "TRUE" if cell.value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        text = xlrd.error_text_from_code.get(cell.value, "#N/A")
        return text, text
    return None, ""
