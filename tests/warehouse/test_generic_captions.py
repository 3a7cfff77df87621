"""The title and unit lines above a generic table, read back for the warehouse (parsers/generic_caption.py), on
the table fixtures of tests/fixtures/make_table_fixtures.py."""
from __future__ import annotations

from pathlib import Path

import budget_etl
from budget_etl.parsers.generic_caption import captions, unit_of
from budget_etl.parsers.tables import find_tables

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


def _captions(name: str) -> dict[str, list[tuple]]:
    out = {}
    for sheet in budget_etl.read_workbook(TABLES / name).sheets:
        ranges = [table.range for table in find_tables(sheet)]
        out[sheet.name] = list(zip(ranges, captions(sheet, ranges)))
    return out


def test_the_unit_line_names_the_unit_and_who_drew_the_table_up_does_not():
    found = _captions("unit-lines.xlsx")
    assert found["单位"] == [("A3:D6", ("2024年部门支出表", "万元"))]
    # '编制单位：某某区教育局' is who drew it up: part of the caption, not its unit
    assert found["编制单位"] == [("A4:D7", ("2024年部门支出预算表 编制单位：某某区教育局", "元"))]


def test_two_tables_of_one_sheet_each_have_their_own_title():
    assert _captions("two-tables-one-sheet.xlsx")["Summary"] == [
        ("A2:C5", ("Income by source", None)), ("A10:D12", ("Spending by programme", None))]


def test_unit_statements_as_bureaus_write_them():
    assert [unit_of(text) for text in ("单位：万元", "金额单位: 元", "（单位：万元）", "单位:元/人", "预算单位：某局",
                                       "Unit: thousand yuan", "2024年项目支出明细表")] == [
        "万元", "元", "万元", "元/人", None, "thousand yuan", None]
