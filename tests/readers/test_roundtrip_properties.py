"""Property: random grids with random merges, written as xlsx, xls, HTML and TSV, read back the same."""
from __future__ import annotations

import html
import io
from decimal import Decimal

import openpyxl
import xlwt
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from budget_etl.parsers.cells import a1, number_text, range_a1
from budget_etl.parsers.readers import read_bytes

MAX_ROWS, MAX_COLS = 7, 5
PROPERTY_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a clerk types: CJK, digits ("0" stays "0"), punctuation; no markup-significant whitespace
# at the ends (HTML collapses it) and no leading "=" (that would be a formula).
_text = st.text(alphabet="资金总额财政拨款0123456789.%≥<>&'\"abcXYZ（）-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith("="))
_number = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                      allow_nan=False, allow_infinity=False).map(lambda d: Decimal(number_text(d)))


@st.composite
def grids(draw, numbers: bool = True):
    rows = draw(st.integers(1, MAX_ROWS))
    cols = draw(st.integers(1, MAX_COLS))
    value = st.one_of(st.none(), _text, _number) if numbers else st.one_of(st.none(), _text)
    grid = {(r, c): draw(value) for r in range(1, rows + 1) for c in range(1, cols + 1)}
    merges, taken = [], set()
    for _ in range(draw(st.integers(0, 3))):
        r1, c1 = draw(st.integers(1, rows)), draw(st.integers(1, cols))
        r2, c2 = draw(st.integers(r1, rows)), draw(st.integers(c1, cols))
        area = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        if len(area) > 1 and not area & taken:
            merges.append((r1, c1, r2, c2))
            taken |= area
    return grid, merges


def expected_cells(grid, merges, as_text: bool = False):
    """What any reader must return: values at their cells, covered cells blank with their range."""
    expected = {}
    for (row, col), value in grid.items():
        if value is not None:
            expected[a1(row, col)] = (_shown(value) if as_text else value, _shown(value), None)
    for r1, c1, r2, c2 in merges:
        ref = range_a1(r1, c1, r2, c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                value = grid[(r, c)] if (r, c) == (r1, c1) else None
                shown = _shown(value) if value is not None else ""
                expected[a1(r, c)] = ((shown if as_text else value) if value is not None else None, shown, ref)
    return expected


def actual_cells(data: bytes, name: str):
    sheets = read_bytes(data, name).sheets
    assert len(sheets) == 1
    return {cell.address: (cell.value, cell.text, cell.merged) for cell in sheets[0].cells}


def _shown(value) -> str:
    return number_text(value) if isinstance(value, Decimal) else value


def write_xlsx(grid, merges) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for (row, col), value in grid.items():
        if value is not None:
            sheet.cell(row, col, float(value) if isinstance(value, Decimal) else value)
    for r1, c1, r2, c2 in merges:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xls(grid, merges) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet")
    covered = set()
    for r1, c1, r2, c2 in merges:
        top_left = grid[(r1, c1)]
        sheet.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, _xls_value(top_left))
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for (row, col), value in grid.items():
        if value is not None and (row, col) not in covered:
            sheet.write(row - 1, col - 1, _xls_value(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls_value(value):
    return float(value) if isinstance(value, Decimal) else ("" if value is None else value)


def write_html(grid, merges) -> bytes:
    rows = max(r for r, _ in grid)
    cols = max(c for _, c in grid)
    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in merges}
    covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    lines = ["<html><head><meta charset='utf-8'></head><body><table>"]
    for r in range(1, rows + 1):
        cells = []
        for c in range(1, cols + 1):
            if (r, c) in covered and (r, c) not in spans:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            value = grid[(r, c)]
            text = html.escape(_shown(value)) if value is not None else ""
            cells.append(f"<td rowspan={rowspan} colspan={colspan}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    return "\n".join(lines).encode("utf-8")


def write_tsv(grid) -> bytes:
    rows = max(r for r, _ in grid)
    cols = max(c for _, c in grid)
    lines = ["\t".join(_shown(grid[(r, c)]) if grid[(r, c)] is not None else "" for c in range(1, cols + 1))
             for r in range(1, rows + 1)]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


@PROPERTY_SETTINGS
@given(grids())
def test_xlsx_round_trip(grid_and_merges):
    grid, merges = grid_and_merges
    assert actual_cells(write_xlsx(grid, merges), "random.xlsx") == expected_cells(grid, merges)


@PROPERTY_SETTINGS
@given(grids())
def test_xls_round_trip(grid_and_merges):
    grid, merges = grid_and_merges
    assert actual_cells(write_xls(grid, merges), "random.xls") == expected_cells(grid, merges)


@PROPERTY_SETTINGS
@given(grids())
def test_html_round_trip(grid_and_merges):
    grid, merges = grid_and_merges
    assert actual_cells(write_html(grid, merges), "random.html") == expected_cells(grid, merges, as_text=True)


@PROPERTY_SETTINGS
@given(grids())
def test_tsv_round_trip(grid_and_merges):
    grid, _ = grid_and_merges
    assume(any(value is not None for value in grid.values()))  # an all-blank export is an empty file
    assert actual_cells(write_tsv(grid), "random.xls") == expected_cells(grid, [], as_text=True)
