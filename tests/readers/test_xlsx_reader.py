"""The .xlsx reader: merged headers, offsets, exact numbers, formulas, hidden parts, dates."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from readers_support import read_fixture, sheet_by_name, values


@pytest.mark.parametrize("name, top, left", [
    ("merged-two-level-header.xlsx", 1, 1),
    ("table-at-offset.xlsx", 7, 4),
    ("merged-two-level-header.xls", 1, 1),
    ("macro-enabled-named.xlsm", 1, 1),
])
def test_merged_two_level_header(name, top, left):
    sheet = read_fixture(name).sheets[0]
    grid = {(c.row, c.col): c for c in sheet.cells}

    def at(row, col):
        return grid[(top + row - 1, left + col - 1)]

    from budget_etl.parsers.cells import range_a1
    title = range_a1(top, left, top, left + 5)
    assert at(1, 1).value == "苏州市市级部门整体预算绩效目标表" and at(1, 1).merged == title
    assert all(at(1, c).merged == title and at(1, c).value is None and at(1, c).text == "" for c in range(2, 7))
    assert at(2, 1).value == "项目" and at(3, 1).merged == at(2, 1).merged == range_a1(top + 1, left, top + 2, left)
    assert at(2, 3).value == "半年" and at(2, 4).merged == range_a1(top + 1, left + 2, top + 1, left + 3)
    assert at(3, 3).value == "计划执行数" and at(3, 3).merged is None
    assert sorted(sheet.merged_ranges) == sorted({c.merged for c in sheet.cells if c.merged})
    assert len(sheet.merged_ranges) == 5


@pytest.mark.parametrize("name", ["merged-two-level-header.xlsx", "merged-two-level-header.xls"])
@pytest.mark.parametrize("address, value, text", [
    ("E4", Decimal("1363.41"), "1363.41"),
    ("C5", Decimal("200"), "200"),
    ("E5", Decimal("0.3"), "0.3"),  # 0.1 + 0.2 as stored, shown with Excel's 15 digits
    ("F5", "0", "0"),
    ("D6", Decimal("0"), "0"),
    ("F6", Decimal("0.2315"), "0.2315"),
])
def test_numbers_are_exact(name, address, value, text):
    cell = next(c for c in read_fixture(name).sheets[0].cells if c.address == address)
    assert (cell.value, cell.text) == (value, text)
    assert type(cell.value) is type(value)
    assert str(cell.value) == text  # no 200.0, no 1363.4100000000001, no exponent


def test_numbers_as_text_stay_text():
    assert values(read_fixture("numbers-as-text.xlsx").sheets[0]) == {
        "A1": "as text", "B1": "1363.41", "C1": "0", "D1": "200", "E1": "00123", "F1": " 7 ",
        "A2": "as number", "B2": Decimal("1363.41"), "C2": Decimal("0"), "D2": Decimal("200"),
        "E2": Decimal("123"), "F2": Decimal("7.5"),
    }


def test_formulas_read_through_cached_values():
    workbook = read_fixture("formulas-cached-values.xlsx")
    grid = {c.address: c for c in workbook.sheets[0].cells}
    expected = {"B2": (Decimal("1563.41"), "=B1+C1"), "C2": (Decimal("0.3"), "=0.1+0.2"),
                "D2": ("资金合计", '=A1&"合计"'), "B3": (Decimal("2726.82"), "=B1*2"),
                "C3": (Decimal("400"), "=C1*2"), "D3": ("#DIV/0!", "=1/0"), "A4": (True, "=B1>C1"),
                "B4": ("内联", None), "A3": ("两倍", None)}
    for address, (value, formula) in expected.items():
        assert (grid[address].value, grid[address].formula) == (value, formula), address
    assert [(i.code, i.cell) for i in workbook.issues] == [("formula_error", "D3")]


def test_formula_without_cached_value_is_an_issue_not_a_blank():
    workbook = read_fixture("formula-without-cached-value.xlsx")
    grid = {c.address: c for c in workbook.sheets[0].cells}
    assert grid["C1"].value is None and grid["C1"].formula == "=B1*2"
    assert grid["B2"].formula == "=SUM(B1:B1)"
    issues = [(i.code, i.sheet, i.cell) for i in workbook.issues]
    assert issues == [("formula_without_value", "未计算", "C1"), ("formula_without_value", "未计算", "B2")]


@pytest.mark.parametrize("name", ["hidden-sheet-and-rows.xlsx", "hidden-sheet-and-rows.xls"])
def test_hidden_sheets_and_rows_are_flagged(name):
    workbook = read_fixture(name)
    assert [(s.name, s.hidden) for s in workbook.sheets] == [("填报", False), ("参数", True)]
    assert sheet_by_name(workbook, "填报").hidden_rows == frozenset({3, 5, 6})
    assert values(sheet_by_name(workbook, "参数")) == {"A1": "隐藏的参数"}
    assert [(i.code, i.sheet, i.cell) for i in workbook.issues] == [
        ("hidden_rows", "填报", "A3"), ("hidden_rows", "填报", "A5"), ("hidden_sheet", "参数", "A1")]
    assert values(sheet_by_name(workbook, "填报"))["A5"] == "行5"  # hidden cells are still read


def test_dates_and_booleans():
    cells = {c.address: c for c in read_fixture("dates-and-booleans.xlsx").sheets[0].cells}
    assert (cells["B1"].value, cells["B1"].text) == (datetime(2023, 3, 15), "2023-03-15")
    assert (cells["B2"].value, cells["B2"].text) == (datetime(2023, 6, 30, 17, 30), "2023-06-30 17:30:00")
    assert (cells["B3"].value, cells["B3"].text) == (True, "TRUE")
    assert cells["B4"].value == datetime(2023, 3, 15)  # serial 45000 under a custom date format


def test_every_cell_knows_its_sheet_and_address():
    workbook = read_fixture("table-at-offset.xlsx")
    for sheet in workbook.sheets:
        assert all(cell.sheet == sheet.name for cell in sheet.cells)
        positions = [(c.row, c.col) for c in sheet.cells]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert workbook.sheets[0].cells[0].address == "D7"  # the table starts where it is, not at A1
