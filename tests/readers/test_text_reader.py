"""Text exports: encodings, line endings, delimiters, ragged rows, raw fields, and honest failures."""
from __future__ import annotations

import pytest
from readers_support import SEED, read_fixture, values

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes

EXPECTED_TEXT_ROWS = {"A1": "单位名称", "C1": "苏州市总工会（本级）", "A3": "部门整体资金（万元）", "B3": "收入",
                      "C3": "资金总额", "E3": "1363.41", "C4": "政府性基金", "E4": "0", "A5": "工会社工工资",
                      "C5": "157.81", "D5": "315.61"}


@pytest.mark.parametrize("name, encoding", [
    ("gb18030-tab.txt", "gb18030"),
    ("utf16-bom-tab.txt", "utf-16"),
    ("utf8-bom-crlf.txt", "utf-8"),
    ("tsv-named.xls", "gb18030"),
])
def test_encodings_and_line_endings_give_the_same_cells(name, encoding):
    workbook = read_fixture(name)
    assert (workbook.format, workbook.encoding) == ("text", encoding)
    assert [s.name for s in workbook.sheets] == ["text"]
    assert values(workbook.sheets[0]) == EXPECTED_TEXT_ROWS


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_seed_in_every_encoding_reads_the_same(encoding, newline):
    text = SEED.read_bytes().decode("utf-8").replace("\n", newline)
    baseline = read_bytes(SEED.read_bytes(), "seed.txt").sheets[0].cells
    assert read_bytes(text.encode(encoding), "seed.txt").sheets[0].cells == baseline


def test_seed_cells_are_raw_and_positioned_by_line_and_field():
    sheet = read_bytes(SEED.read_bytes(), "seed.txt").sheets[0]
    grid = {c.address: c for c in sheet.cells}
    assert grid["A3"].value == "苏州市市级部门整体预算绩效目标表"
    assert grid["E11"].value == "1363.41" and grid["F14"].value == "0"  # text stays text: "0" is "0"
    assert grid["C8"].value.startswith("<p>") and grid["C8"].value.endswith("</p>")  # HTML kept for templates
    assert grid["A24"].value == "工会社工工资" and grid["C24"].value == "157.81"  # ragged row kept as is
    assert sheet.max_row == 79 and all(c.merged is None for c in sheet.cells)


def test_comma_separated_with_quotes():
    assert values(read_fixture("comma-separated.csv").sheets[0]) == {
        "A1": "单位名称", "B1": "苏州市总工会,本级", "A2": "资金总额", "B2": "1363.41",
        "A3": "备注", "B3": "第一行\n第二行", "A4": "政府性基金", "B4": "0"}


def test_ragged_rows_are_kept():
    assert values(read_fixture("ragged-rows.txt").sheets[0]) == {"A1": "a", "B1": "b", "C1": "c",
                                                                  "E2": "d", "A4": "e"}


@pytest.mark.parametrize("name, line, fragment", [
    ("invalid-bytes-every-encoding.txt", 2, "not valid"),
    ("replacement-character.txt", 1, "replacement character"),
])
def test_undecodable_text_is_an_error_naming_the_line(name, line, fragment):
    with pytest.raises(ReadError) as caught:
        read_fixture(name)
    assert caught.value.code == "encoding_error"
    assert f"line {line} " in caught.value.message and fragment in caught.value.message


def test_no_replacement_characters_or_mojibake_in_any_decoded_cell():
    for name in ("gb18030-tab.txt", "utf16-bom-tab.txt", "utf8-bom-crlf.txt", "tsv-named.xls"):
        for cell in read_fixture(name).sheets[0].cells:
            assert "\ufffd" not in cell.text and "\x00" not in cell.text


def test_gbk_bytes_are_never_read_as_latin_mojibake():
    data = "资金总额\t1363.41\n".encode("gbk")
    assert read_bytes(data, "x.txt").sheets[0].cells[0].value == "资金总额"


def test_fixed_width_export_keeps_its_columns():
    # no tab: the commas only group digits ('1,234.5'), the fields stand apart by runs of spaces; a comma
    # split once cut '1,234.5' in two and shifted every number
    workbook = read_fixture("fixed-width-gb18030.txt")
    assert workbook.encoding == "gb18030"
    cells = values(workbook.sheets[0])
    assert cells["A1"] == "2024年各项收入情况表" and cells["A2"] == "单位：万元"
    assert [cells[a] for a in ("A3", "B3", "C3", "D3")] == ["项目", "2023年", "2024年", "增长%"]
    assert [cells[a] for a in ("A4", "B4", "C4", "D4")] == ["一般公共预算收入", "1,234.5", "1,300.0", "5.3"]
    assert cells["A5"] == "\u3000税收收入"  # the indent stays with the stub
    assert "B6" not in cells and (cells["C6"], cells["D6"]) == ("420.0", "5.0")  # a blank keeps its column
    assert cells["D7"] == "-6.3" and cells["A8"] == "注：本表数据为快报数。"
    assert max(cell.col for cell in workbook.sheets[0].cells) == 4


def test_a_fixed_width_header_line_over_a_blank_stub_heads_its_columns():
    # the header line starts with spaces where the stub is blank: its first field ('2008') was placed by its
    # leading spaces, so it landed in the stub's column and the numbers under it lost their header
    text = ("                        2008        2009\n"
            "All industries         1 000       1 010\n"
            "  Goods                  300         290\n")
    cells = values(read_bytes(text.encode("utf-8"), "x.txt").sheets[0])
    assert "A1" not in cells and (cells["B1"], cells["C1"]) == ("2008", "2009")
    assert cells["A3"] == "  Goods" and cells["B3"] == "300"  # an indent stays with the stub only


def test_commas_between_fields_still_make_a_csv():
    workbook = read_bytes("地区,2023,2024\n北京,\"1,200\",\"1,300\"\n天津,  10,  12\n".encode("utf-8"), "x.csv")
    cells = values(workbook.sheets[0])
    assert (cells["A2"], cells["B2"], cells["C3"]) == ("北京", "1,200", "  12")
