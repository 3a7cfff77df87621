"""A table a page break cut in two (a Word document saved as a web page) is one sheet again; tables that only
stand next to each other stay apart. The year-end fixtures' word.html variants (tests/evaluation) check the
forms read from such pages."""
from __future__ import annotations

from budget_etl.parsers.readers import read_bytes

HEAD = "<tr><td>一级指标</td><td>三级指标</td><td>分值</td></tr>"
BREAK = "<p>&nbsp;</p><br clear=all style='page-break-before:always'><p>&nbsp;</p>"


def read(markup: str):
    return read_bytes(f"<html><body>{markup}</body></html>".encode(), "page.html").sheets


def texts(sheet) -> list[tuple[str, str]]:
    return [(cell.address, cell.text) for cell in sheet.cells if cell.text]


def test_a_table_continued_after_a_page_break_with_its_header_again_is_one_sheet():
    (sheet,) = read(f"<table>{HEAD}<tr><td rowspan=2>产出</td><td>人数</td><td>10</td></tr>"
                    f"<tr><td>页数</td><td>10</td></tr></table>{BREAK}"
                    f"<table>{HEAD}<tr><td>&nbsp;</td><td>准确率</td><td>10</td></tr>"
                    "<tr><td rowspan=2>效益</td><td>影响力</td><td>15</td></tr><tr><td>机制</td><td>15</td></tr></table>")
    assert texts(sheet) == [("A1", "一级指标"), ("B1", "三级指标"), ("C1", "分值"), ("A2", "产出"), ("B2", "人数"),
                            ("C2", "10"), ("B3", "页数"), ("C3", "10"), ("B4", "准确率"), ("C4", "10"),
                            ("A5", "效益"), ("B5", "影响力"), ("C5", "15"), ("B6", "机制"), ("C6", "15")]
    # 产出 merged down to the page's end, its last row an empty cell on the next page: one cell again
    assert sheet.merged_ranges == ["A2:A4", "A5:A6"]


def test_a_cell_merged_across_the_break_and_restarted_empty_is_merged_again():
    (sheet,) = read(f"<table>{HEAD}<tr><td rowspan=2>产出</td><td>人数</td><td>10</td></tr>"
                    f"<tr><td>页数</td><td>10</td></tr></table>{BREAK}"
                    "<table><tr><td rowspan=2>&nbsp;</td><td>准确率</td><td>10</td></tr>"
                    "<tr><td>时限</td><td>10</td></tr></table>")
    assert sheet.merged_ranges == ["A2:A5"]  # no header printed again: the page break says it goes on
    assert [c.text for c in sheet.cells if c.col == 2] == ["三级指标", "人数", "页数", "准确率", "时限"]


def test_tables_with_a_heading_or_a_line_between_or_of_other_widths_stay_apart():
    one = f"<table>{HEAD}<tr><td>产出</td><td>人数</td><td>10</td></tr></table>"
    assert len(read(one + "<h3>第二张表</h3>" + one)) == 2
    assert len(read(one + "<p>单位：万元</p>" + one)) == 2
    assert len(read(one + BREAK + "<table><tr><td>项目</td><td>金额</td></tr></table>")) == 2
    # side by side without a page break and without the header again: two tables
    assert len(read(one + "<table><tr><td>效益</td><td>影响力</td><td>15</td></tr></table>")) == 2
