"""A tab-separated export whose cell is quoted across a line break (Excel's 'Text (Tab delimited)' and 'Unicode
Text' write a cell holding a line break so) is read with the quoting rules; one without such a cell reads as
written, quotes and all. The year-end fixtures' excel-text variants (tests/evaluation) check whole forms."""
from __future__ import annotations

from budget_etl.parsers.readers import read_bytes


def cells(text: str, encoding: str = "gb18030") -> dict[str, str]:
    (sheet,) = read_bytes(text.encode(encoding), "export.txt").sheets
    return {cell.address: cell.text for cell in sheet.cells if cell.text}


def test_a_cell_quoted_across_a_line_break_is_one_cell():
    got = cells('年度总体目标\t"（一）按时发放；\n（二）完成数字化。"\t"说""明"\r\n项目名称\t劳模经费\r\n')
    assert got == {"A1": "年度总体目标", "B1": "（一）按时发放；\n（二）完成数字化。", "C1": '说"明',
                   "A2": "项目名称", "B2": "劳模经费"}


def test_without_such_a_cell_quotes_stay_as_written():
    assert cells('项目\t"三公"经费\t"100"\r\n合计\t1\r\n') == {"A1": "项目", "B1": '"三公"经费', "C1": '"100"',
                                                        "A2": "合计", "B2": "1"}


def test_unicode_text_with_its_byte_order_mark():
    assert cells('目标\t"第一行\n第二行"\n', "utf-16") == {"A1": "目标", "B1": "第一行\n第二行"}
