"""The short lines a web page prints around a table (its unit, its notes) are cells above and below the table's
cells, as a spreadsheet holds them; scripts, forms, menus and prose are not. Fixture written by
tests/fixtures/make_generic_fixtures.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from readers_support import values

from budget_etl.parsers.generic_caption import captions
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.readers.html_lines import ABOVE, BELOW, MAX_LINE_CHARS
from budget_etl.parsers.readers.limits import ReadLimits
from budget_etl.parsers.tables import find_tables

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "generic" / "budget-page-gbk.html"


def sheets(markup: str, limits: ReadLimits | None = None) -> list[dict[str, object]]:
    page = f"<html><body>{markup}</body></html>"  # what the format is detected by
    workbook = read_bytes(page.encode(), "page.html", *([limits] if limits else []))
    return [values(sheet) for sheet in workbook.sheets]


def test_a_bureau_page_keeps_each_table_s_unit_above_it_and_its_note_below():
    workbook = read_bytes(PAGE.read_bytes(), PAGE.name)
    assert workbook.encoding == "gb18030"  # declared gbk
    income, procurement = workbook.sheets
    assert values(income) == {
        "A1": "单位：万元", "A2": "项目", "B2": "预算数", "A3": "一般公共预算拨款收入", "B3": "1250.60",
        "A4": "事业收入", "B4": "86.40", "A5": "合计", "B5": "1337.00", "A6": "注：本表反映部门年度总体收支预算情况。"}
    # the menu, the search form, the script, the prose and the footer after it are no cells
    assert values(procurement) == {
        "A1": "单位：元", "A2": "采购项目", "B2": "预算金额", "A3": "办公设备", "B3": "120000.00",
        "A4": "物业管理服务", "B4": "480000.00", "A5": "说明：本年度无政府采购预算调整。"}
    assert (income.title, procurement.title) == ("2024年部门收支总表", "2024年政府采购预算表")


def test_the_generic_reader_leaves_the_lines_out_and_the_caption_reads_title_and_unit():
    workbook = read_bytes(PAGE.read_bytes(), PAGE.name)
    read = []
    for sheet in workbook.sheets:
        ranges = [table.range for table in find_tables(sheet)]
        read.append((ranges, captions(sheet, ranges)))
    assert read == [(["A2:B5"], [("2024年部门收支总表", "万元")]), (["A2:B4"], [("2024年政府采购预算表", "元")])]


def test_between_two_tables_the_notes_go_below_the_first_and_the_rest_above_the_second():
    page = ("<table><tr><td>a</td><td>1</td></tr></table><p>注：快报数。</p><div>填报人：张三</div>"
            "<p>表二 资产</p>单位：元<br>"
            "<table><tr><td>b</td><td>2</td></tr></table>")
    assert sheets(page) == [{"A1": "a", "B1": "1", "A2": "注：快报数。", "A3": "填报人：张三"},
                            {"A1": "表二 资产", "A2": "单位：元", "A3": "b", "B3": "2"}]


def test_a_heading_between_two_tables_ends_the_first_one_s_notes():
    page = ("<table><tr><td>a</td></tr></table><p>单位：万元</p><h3>表二</h3><p>单位：元</p>"
            "<table><tr><td>b</td></tr></table>")
    # '单位：万元' right after the first table and before the heading is printed under the first table
    assert sheets(page) == [{"A1": "a", "A2": "单位：万元"}, {"A1": "单位：元", "A2": "b"}]


def test_only_the_nearest_lines_are_kept_and_prose_cuts_them_off():
    above = "".join(f"<p>上{n}</p>" for n in range(ABOVE + 2))
    below = "".join(f"<p>下{n}</p>" for n in range(BELOW + 2))
    (sheet,) = sheets(f"<p>远</p><p>{'长' * (MAX_LINE_CHARS + 1)}</p>{above}<table><tr><td>x</td></tr></table>{below}")
    kept_above = [f"上{n}" for n in range(2, ABOVE + 2)]
    assert list(sheet.values()) == [*kept_above, "x", *(f"下{n}" for n in range(BELOW))]
    # a long paragraph right before a table: neither it nor anything before it
    (sheet,) = sheets(f"<p>单位：元</p><div>{'长' * (MAX_LINE_CHARS + 1)}</div><table><tr><td>x</td></tr></table>")
    assert sheet == {"A1": "x"}


def test_a_caption_is_the_title_and_the_heading_it_displaces_a_line_above():
    workbook = read_bytes("<html><h2>二、政府采购</h2><p>单位：元</p><table><caption>采购预算表</caption>"
                          "<tr><td>x</td></tr></table>".encode(), "page.html")
    (sheet,) = workbook.sheets
    assert (sheet.title, values(sheet)) == ("采购预算表", {"A1": "二、政府采购", "A2": "单位：元", "A3": "x"})


@pytest.mark.parametrize("markup, expected", [
    # text around a nested table is its parent cell's text, not lines
    ("<p>单位：元</p><table><tr><td>a<p>注</p><table><tr><td>in</td></tr></table>b</td></tr></table>",
     [{"A1": "单位：元", "A2": "a\n注\nb"}, {"A1": "in"}]),
    # a table without a cell gets no lines: still an empty sheet
    ("<p>单位：元</p><table></table><p>注：无</p>", [{}]),
    # what a form offers, buttons, scripts and styles are no lines
    ("<select><option>单位：元<option>单位：万元</select><textarea>说明</textarea><button>查询</button>"
     "<style>p{}</style><script>x='单位：元'</script><table><tr><td>a</td></tr></table>", [{"A1": "a"}]),
])
def test_what_is_not_a_line(markup, expected):
    assert sheets(markup) == expected


def test_a_note_past_the_sheet_s_limits_is_left_out_not_the_table():
    limits = ReadLimits(max_rows=2)
    assert sheets("<table><tr><td>a</td></tr><tr><td>b</td></tr></table><p>注：无</p>", limits) == [
        {"A1": "a", "A2": "b"}]
