"""HTML tables: one sheet per table, spans as merged ranges, tags stripped, entities decoded."""
from __future__ import annotations

import pytest
from readers_support import read_fixture, values

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes


def test_rowspan_and_colspan_become_merged_ranges():
    workbook = read_fixture("rowspan-colspan.html")
    assert (workbook.format, workbook.encoding, len(workbook.sheets)) == ("html", "utf-8", 1)
    sheet = workbook.sheets[0]
    assert sheet.merged_ranges == ["A1:D1", "A2:A4", "B2:B3", "B5:D5", "B6:D6"]
    assert values(sheet) == {
        "A1": "苏州市市级部门整体预算绩效目标表", "A2": "部门整体资金（万元）", "B2": "收入", "C2": "资金总额",
        "D2": "1363.41", "C3": "财政&拨款 小计", "D3": "0", "B4": "支出", "C4": "基本支出", "D4": "383.53",
        "A5": "单位主要职能", "B5": "一、实施思想政治领航行动。\n二、实施建功立业行动。", "A6": "备注",
        "B6": "第一行\n第二行"}
    covered = {c.address: c.merged for c in sheet.cells if c.value is None}
    assert covered["A3"] == covered["A4"] == "A2:A4" and covered["B3"] == "B2:B3" and covered["D6"] == "B6:D6"


def test_every_table_is_a_sheet_and_gb2312_is_decoded():
    workbook = read_fixture("two-tables-gb2312.html")
    assert workbook.encoding == "gb18030"
    assert [s.name for s in workbook.sheets] == ["table1", "table2"]
    first, second = workbook.sheets
    assert first.merged_ranges == ["A2:A3"] and values(first)["B3"] == "质量指标"
    assert values(second) == {"A1": "填报人", "B1": "张三"}


def test_html_saved_as_xls_is_read_as_html():
    workbook = read_fixture("html-named.xls")
    assert workbook.format == "html"
    assert values(workbook.sheets[0]) == {"A1": "项目支出绩效目标表", "A2": "项目名称", "B2": "劳模健康关爱工程",
                                          "A3": "年度资金总额", "B3": "28.8"}


@pytest.mark.parametrize("markup, expected", [
    ("<table><tr><td>a<table><tr><td>inner</td></tr></table>b</td></tr></table>", [{"A1": "ab"}, {"A1": "inner"}]),
    ("<table><td>no tr</td><td>x</td></table>", [{"A1": "no tr", "B1": "x"}]),
    ("<table><tr><td rowspan='x' colspan='0'>bad spans</td></tr></table>", [{"A1": "bad spans"}]),
    ("<html><body><table><tr><td><script>alert(1)</script>ok &lt;tag&gt;</td></tr></table>", [{"A1": "ok <tag>"}]),
])
def test_odd_markup(markup, expected):
    assert [values(s) for s in read_bytes(markup.encode(), "x.html").sheets] == expected


def test_page_without_a_table_is_unsupported():
    with pytest.raises(ReadError) as caught:
        read_bytes(b"<html><body><p>no table</p></body></html>", "x.html")
    assert caught.value.code == "unsupported_format"
