"""The reference .xlsx reader: openpyxl in normal mode (the only mode that sees merged cells).

Slow (16–28 ms per seed-sized sheet) but long established; the tests read every
fixture with both this and :mod:`budget_etl.parsers.readers.xlsx` and require the same
cells, issues and flags. Not used by the pipeline.
"""
from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
from openpyxl.utils.escape import unescape

from budget_etl.parsers.cells import CellStyle, Workbook, cell_style, number_text
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits
from budget_etl.parsers.readers.numbers import canonical_decimal, datetime_text, decimal_from_float
from budget_etl.parsers.readers.package import Package
from budget_etl.parsers.readers.sheetbuild import SheetBuilder
from budget_etl.parsers.readers.workbook_issues import formula_issue, visibility_issues


def read_xlsx_reference(data: bytes, name: str = "", limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    Package(data, name, limits)  # the same zip budgets before openpyxl inflates anything
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    workbook = Workbook("xlsx", [])
    for ws in values.worksheets:
        builder = SheetBuilder(ws.title, limits, values.sheetnames.index(ws.title))
        issues = []
        for ref in ws.merged_cells.ranges:
            builder.merge_a1(ref.coord)
        formula_ws = formulas[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if not hasattr(cell, "column") or cell.__class__.__name__ == "MergedCell":
                    continue
                formula = _formula(formula_ws.cell(cell.row, cell.column).value)
                value, text = _typed(cell.value)
                if value is None and formula is not None:
                    issues.append(formula_issue(ws.title, cell.coordinate, formula))
                elif isinstance(value, str) and cell.data_type == "e":
                    issues.append(Issue("formula_error", f"cell {cell.coordinate} shows the error {value}",
                                        "warning", ws.title, cell.coordinate))
                if value is not None or formula is not None:
                    builder.set(cell.row, cell.column, value, text, formula, _style(cell))
        hidden_rows = frozenset(r for r, dim in ws.row_dimensions.items() if dim.hidden)
        sheet = builder.build(hidden=ws.sheet_state != "visible", hidden_rows=hidden_rows)
        workbook.sheets.append(sheet)
        workbook.issues.extend(sorted(issues, key=lambda i: (_row_col(i.cell))))
        workbook.issues.extend(visibility_issues(sheet))
    return workbook


def _style(cell) -> CellStyle | None:
    """The same style hints as the fast reader: bold font, indent, horizontal alignment, number format."""
    font, alignment = cell.font, cell.alignment
    return cell_style(bool(font is not None and font.b), int(alignment.indent or 0) if alignment is not None else 0,
                      alignment.horizontal if alignment is not None else None, cell.number_format)


def _formula(value) -> str | None:
    if isinstance(value, str) and value.startswith("="):
        return value
    text = getattr(value, "text", None)  # ArrayFormula
    return text if isinstance(text, str) else None


def _typed(value):
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return value, "TRUE" if value else "FALSE"
    if isinstance(value, int):
        number = canonical_decimal(Decimal(value))
        return number, number_text(number)
    if isinstance(value, float):
        number = decimal_from_float(value)
        return number, number_text(number)
    if isinstance(value, datetime):
        return value, datetime_text(value)
    if isinstance(value, date):
        moment = datetime.combine(value, time())
        return moment, datetime_text(moment)
    text = unescape(str(value))  # openpyxl keeps _xHHHH_ in cell text; its own unescape decodes it
    return text, text


def _row_col(address: str | None) -> tuple[int, int]:
    from budget_etl.parsers.cells import parse_a1
    return parse_a1(address) if address else (0, 0)
