"""The generic table reader on real files: where the tables are, what is an entry, which labels it has."""
from __future__ import annotations

import pytest
from tables_support import FIXTURES, by_cell, paths, tables_of

from budget_etl.parsers.cells import Cell, Sheet
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.tables import find_tables


def test_three_level_merged_header_bold_and_indented_stub():
    (table,) = tables_of("multi-level-header.xlsx")
    assert table.sheet == "Trade"
    assert table.range == "B4:J12"  # the title, the units line and the notes are not part of it
    assert len(table.entries) == 6 * 8
    entry = by_cell(table)["H9"]
    assert entry.value == "3050.5"
    assert paths(entry) == ["All products / Food / Grain", "South / 2022 / Imports"]
    assert [(label.label, label.cell) for label in entry.labels] == [("Grain", "B9"), ("Imports", "H6")]
    assert paths(by_cell(table)["C12"]) == ["All products / Machinery / Engines", "North / 2022 / Exports"]


def test_titles_units_and_notes_are_neither_entries_nor_labels():
    (table,) = tables_of("multi-level-header.xlsx")
    texts = {label.label for label in table.labels} | {entry.value for entry in table.entries}
    assert not any("Table 7" in text or "Millions" in text or "Source" in text or "re-exports" in text
                   for text in texts)
    assert all(int(cell[1:]) in range(4, 13) for cell in [label.cell for label in table.labels])


def test_footnote_marks_are_dropped_from_labels():
    (table,) = tables_of("multi-level-header.xlsx")
    assert {label.cell: label.label for label in table.labels}["B7"] == "All products"


def test_the_corner_names_the_stub():
    (table,) = tables_of("multi-level-header.xlsx")
    corner = next(label for label in table.labels if label.cell == "B4")
    assert (corner.label, corner.parent) == ("Product", None)
    assert all(corner not in entry.labels for entry in table.entries)


def test_xls_stub_indented_by_spaces_with_section_rows():
    (table,) = tables_of("indented-stub.xls")
    assert table.range == "A3:E11"
    parents = {label.cell: label.parent.cell if label.parent else None for label in table.labels}
    assert parents["A6"] == parents["A7"] == "A5"  # Finance, Legal under Administration (a row without numbers)
    assert parents["A9"] == parents["A10"] == "A8"
    assert parents["A11"] is None  # the bold total is not under Operations
    assert parents["B4"] == "B3" and parents["E4"] == "D3"  # under the merged years
    assert "A5" not in {entry.cell for entry in table.entries}
    assert len(table.entries) == 20
    assert paths(by_cell(table)["E11"]) == ["Total", "2024 / Junior"]
    assert not any("Source" in label.label for label in table.labels)


def test_two_tables_on_one_sheet():
    first, second = tables_of("two-tables-one-sheet.xlsx")
    assert (first.range, second.range) == ("A2:C5", "A10:D12")
    assert paths(by_cell(first)["C4"]) == ["Fees", "2024"]
    assert by_cell(first)["C4"].value == "42.75"
    assert paths(by_cell(second)["D12"]) == ["Roads", "Total"]
    assert {label.label for label in first.labels}.isdisjoint({"Schools", "Roads", "Staff"})
    assert not any("Income" in label.label or "Spending" in label.label for t in (first, second) for label in t.labels)


def test_key_value_pairs_side_by_side():
    (table,) = tables_of("key-value-block.xlsx")
    entries = by_cell(table)
    assert set(entries) == {"C2", "E2", "C3", "E3", "C4", "E4", "C5", "E5"}  # the keys are labels, not entries
    assert paths(entries["E2"]) == ["主变压器", "额定容量（kVA）", "主要参数"]
    assert paths(entries["C5"]) == ["站用变压器", "额定电压（kV）", "主要参数"]
    assert entries["E5"].value == "AN"
    keys = {label.cell for label in table.labels}
    assert {"B2", "D2", "B3", "D3", "B4", "D4", "B5", "D5"} <= keys


def test_html_th_headers_with_colspan():
    (table,) = tables_of("th-header.html")
    assert table.sheet == "table1"
    assert table.range == "A2:D6"  # the title row above is not part of it
    entries = by_cell(table)
    assert paths(entries["C5"]) == ["Planting", "2024 / Spent"]
    assert paths(entries["D6"]) == ["Total", "Change"]
    assert entries["B6"].value == "1,500"
    assert len(entries) == 9


def test_json_line_is_the_contract_format():
    (table,) = tables_of("th-header.html")
    line = table.to_json("th-header.html")
    assert list(line) == ["file", "sheet", "range", "entries", "labels"]
    assert line["entries"][0] == {"value": "1,200", "cell": "B4", "labels": [["Maintenance", "A4"], ["Planned", "B3"]]}
    assert {"label": "Spent", "cell": "C3", "parent": ["2024", "B2"]} in line["labels"]
    assert {"label": "2024", "cell": "B2", "parent": None} in line["labels"]


def _sheet(rows: list[list[str]]) -> Sheet:
    cells = [Cell("S", r, c, text, text) for r, row in enumerate(rows, start=1)
             for c, text in enumerate(row, start=1) if text]
    return Sheet("S", cells)


def test_placeholders_are_not_entries_but_suppressed_values_are():
    (table,) = find_tables(_sheet([["", "2019", "2020", "2021"], ["Wheat", "..", "x", "12"], ["Rye", "-", "3", "4"]]))
    assert sorted(entry.cell for entry in table.entries) == ["C2", "C3", "D2", "D3"]
    assert by_cell(table)["C2"].value == "x"


def test_an_empty_or_text_only_sheet_has_no_table():
    assert find_tables(Sheet("S", [])) == []
    assert find_tables(_sheet([["Only a title here, nothing else"], [""], ["Source: nowhere"]])) == []


@pytest.mark.parametrize("name", ["multi-level-header.xlsx", "indented-stub.xls", "two-tables-one-sheet.xlsx",
                                  "key-value-block.xlsx", "th-header.html", "side-by-side.xlsx", "infobox.xlsx",
                                  "continued-rows.xlsx", "stub-heading.xlsx", "checklist.xlsx", "numbers-as-text.xlsx",
                                  "of-which.xlsx", "staircase-stub.xlsx", "totals.xlsx"])
def test_every_entry_has_a_label_and_every_label_cell_is_in_the_table(name):
    for table in tables_of(name):
        assert table.entries
        cells = {label.cell for label in table.labels}
        for entry in table.entries:
            assert entry.labels
            assert {label.cell for label in entry.labels} <= cells
        for label in table.labels:
            assert label.parent is None or label.parent.cell in cells


def test_tables_side_by_side_with_an_empty_column_between():
    first, second, *_ = tables_of("side-by-side.xlsx")
    assert (first.sheet, first.range, second.range) == ("Apart", "A2:C4", "E2:G5")
    assert paths(by_cell(first)["C4"]) == ["Fees", "2024"]
    assert paths(by_cell(second)["G5"]) == ["Parks", "Goods"]


def test_a_table_wrapped_side_by_side_under_a_repeated_header_is_read_as_its_halves():
    halves = [t for t in tables_of("side-by-side.xlsx") if t.sheet == "Wrapped"]
    assert [t.range for t in halves] == ["A1:C4", "D1:F4"]
    assert paths(by_cell(halves[1])["F3"]) == ["湖北", "标准差"]
    assert by_cell(halves[1])["F3"].value == "3"
    assert "D2" not in by_cell(halves[1])  # 河南 is the second half's stub, not an entry


def test_blocks_side_by_side_that_restate_their_stub_header_are_tables_of_their_own():
    income, spending = [t for t in tables_of("side-by-side.xlsx") if t.sheet == "收支"]
    assert (income.range, spending.range) == ("A4:B10", "C4:E10")  # the title and the unit line are not in them
    assert paths(by_cell(income)["B6"]) == ["一、财政拨款收入", "本年收入 / 预算数"]
    assert paths(by_cell(spending)["E7"]) == ["二、社会保障和就业支出", "本年支出 / 基本支出"]
    assert paths(by_cell(spending)["D10"]) == ["支出总计", "本年支出 / 合计"]
    # the spending items label the spending amounts; they are not entries of the income block
    assert not any(entry.cell.startswith("C") for entry in income.entries + spending.entries)
    assert len(income.entries) == 4 and len(spending.entries) == 10


def test_infobox_key_value_pairs_without_a_header():
    (table,) = tables_of("infobox.xlsx")
    assert table.range == "A2:D5"  # the title merged across the top is not part of it
    entries = by_cell(table)
    assert sorted(entries) == ["B2", "B3", "B4", "B5", "D2", "D3", "D4", "D5"]
    assert [(label.label, label.cell) for label in entries["D3"].labels] == [("投运时间", "C3")]
    assert entries["D5"].value == "3.2公顷"
    assert all(label.parent is None for label in table.labels)


def test_a_stub_label_wrapped_onto_two_rows_is_one_label():
    (table,) = tables_of("continued-rows.xlsx")
    entries = by_cell(table)
    assert [(label.label, label.cell) for label in entries["D7"].labels] == [("Percent change, 2021-2023", "B7"),
                                                                             ("Water", "D2")]
    assert "B8" not in {label.cell for label in table.labels}


def test_column_headers_repeated_in_the_body_are_labels_not_entries():
    (table,) = tables_of("continued-rows.xlsx")
    entries = by_cell(table)
    assert not {"C5", "D5", "E5"} & set(entries)
    assert paths(entries["E6"]) == ["2023", "Air"]
    assert {"C5", "D5", "E5"} <= {label.cell for label in table.labels}


def test_a_corner_label_in_the_lowest_header_row():
    rows = [["", "2008", "", "2009", ""], ["Province", "Males", "Females", "Males", "Females"],
            ["Ontario", "10", "11", "12", "13"], ["Quebec", "5", "6", "7", "8"]]
    merges = {(1, 2): "B1:C1", (1, 3): "B1:C1", (1, 4): "D1:E1", (1, 5): "D1:E1"}
    cells = [Cell("S", r, c, text or None, text, merges.get((r, c))) for r, row in enumerate(rows, start=1)
             for c, text in enumerate(row, start=1) if text or (r, c) in merges]
    (table,) = find_tables(Sheet("S", cells, sorted(set(merges.values()))))
    assert sorted(by_cell(table)) == ["B3", "B4", "C3", "C4", "D3", "D4", "E3", "E4"]
    assert paths(by_cell(table)["E4"]) == ["Quebec", "2009 / Females"]
    assert next(label for label in table.labels if label.cell == "A2").label == "Province"


def test_the_stub_heading_in_the_first_body_row_is_the_parent_of_the_rows_below():
    (table,) = tables_of("stub-heading.xlsx")
    assert table.range == "A2:D11"
    parents = {label.cell: label.parent.cell if label.parent else None for label in table.labels}
    assert parents["A5"] == parents["A6"] == parents["A8"] == "A4"  # under 'Province'
    assert parents["A9"] == "A4"  # a bold row is still under the stub's heading
    assert parents["A10"] == parents["A11"] == "A9"  # indented under the bold row
    assert paths(by_cell(table)["C11"]) == ["Province / Mountain / Lower valleys", "Quarter / 2024/III"]


def test_a_row_with_all_its_numbers_blank_heads_nothing():
    (table,) = tables_of("stub-heading.xlsx")
    parents = {label.cell: label.parent.cell if label.parent else None for label in table.labels}
    assert parents["A7"] == "A4"
    assert parents["A8"] == "A4"  # 'Inland' is not under 'Northern (not surveyed)'
    assert not any(entry.cell.endswith("7") for entry in table.entries)


def test_a_checklist_of_marks_has_a_one_column_stub():
    (table,) = tables_of("checklist.xlsx")
    entries = by_cell(table)
    assert paths(entries["B3"]) == ["Household budget survey", "Frequency"]  # text data, not a second stub
    assert paths(entries["E5"]) == ["Census", "Housing"]
    assert entries["E5"].value == "x"
    assert "C4" not in entries  # '..' holds no value
    assert {label.cell for label in table.labels} == {"A1", "B1", "C1", "D1", "E1", "A2", "A3", "A4", "A5"}


def test_numbers_written_as_text_with_marks_are_data_not_stub():
    (table,) = tables_of("numbers-as-text.xlsx")
    entries = by_cell(table)
    assert len(entries) == 20
    assert paths(entries["B2"]) == ["Paid work", "Persons"] and entries["B2"].value == "1 234 (r)"
    assert paths(entries["E3"]) == ["Housework", "Hours a day"]
    assert {label.cell for label in table.labels} == {"A1", "B1", "C1", "D1", "E1", "F1", "A2", "A3", "A4", "A5"}


def test_of_which_rows_are_under_the_row_above():
    (table,) = tables_of("of-which.xlsx")
    parents = {label.cell: label.parent.cell if label.parent else None for label in table.labels}
    assert parents["A3"] == parents["A4"] == "A2"  # both parts of 'Employees', not of each other
    assert parents["A5"] is None and parents["A6"] is None
    assert parents["A7"] == "A6"  # 其中：
    assert paths(by_cell(table)["C4"]) == ["Employees / of which: part-time", "2024"]


def test_a_stub_with_its_levels_in_columns_of_their_own_is_one_hierarchy():
    (table,) = tables_of("staircase-stub.xlsx")
    assert table.range == "A1:E9"
    entries = by_cell(table)
    assert sorted(entries) == [f"{col}{row}" for col in "DE" for row in range(2, 10)]  # no label is an entry
    assert paths(entries["E4"]) == ["Canada / Ontario / Toronto", "2024"]
    assert paths(entries["D6"]) == ["Canada / Quebec", "2023"]
    assert paths(entries["D9"]) == ["Mexico / Jalisco", "2023"]
    assert [label.cell for label in entries["D8"].labels] == ["A8", "D1"]


def test_an_asterisk_flag_stays_on_a_year_header_and_it_is_still_a_header():
    (table,) = find_tables(_sheet([["", "2005", "2006*"], ["Wheat", "10", "12"], ["Rye", "3", "4"]]))
    assert paths(by_cell(table)["C3"]) == ["Rye", "2006*"]
    assert sorted(by_cell(table)) == ["B2", "B3", "C2", "C3"]


def test_a_bold_bare_total_is_the_sum_of_the_rows_below_not_their_heading():
    bare, named = tables_of("totals.xlsx")
    assert (bare.sheet, named.sheet) == ("Bare", "Named")
    assert all(label.parent is None for label in bare.labels)
    assert paths(by_cell(bare)["C5"]) == ["Three or more", "2024"]
    parents = {label.cell: label.parent.cell if label.parent else None for label in named.labels}
    assert parents["A3"] == parents["A4"] == parents["A5"] == "A2"
    assert paths(by_cell(named)["C5"]) == ["Total households / Three or more", "2024"]


def test_unmerged_top_header_stands_over_the_blanks_at_its_right():
    # the quarters are written once with blanks at their right (no merged cells, no styles); the size classes
    # under them are headers though some read as numbers ('50000', '>500 000')
    (table,) = tables_of("unmerged-header.xlsx")
    assert table.range == "A3:K7"
    assert len(table.entries) == 3 * 10  # the size classes are not entries
    assert paths(by_cell(table)["C6"]) == ["Oslo", "1st quarter 2024 / 50000"]
    assert paths(by_cell(table)["K7"]) == ["Bergen", "1st quarter 2025 / >500 000"]
    assert by_cell(table)["G5"].value == "740"


def test_a_bold_header_over_a_plain_body_is_a_formatted_table():
    # the style hints are all in the header row: the name column beside the rank is still a stub column,
    # as in a table whose body is formatted too
    (table,) = tables_of("plain-body.xlsx")
    assert table.range == "A3:E6"
    assert len(table.entries) == 3 * 3  # the states are labels, not entries
    assert paths(by_cell(table)["D5"]) == ["2", "Illinois", "Exports"]


def test_a_note_after_a_blank_row_below_the_table():
    # a run of rows holding only a note line once stopped the reader (StopIteration from partition)
    (table,) = tables_of("note-after-gap.xlsx")
    assert table.range == "A1:C3"
    assert paths(by_cell(table)["C3"]) == ["Projects", "2024"]
    texts = {label.label for label in table.labels} | {entry.value for entry in table.entries}
    assert not any("provisional" in text for text in texts)


def test_unit_and_preparer_statements_are_not_part_of_the_table():
    # '单位：万元' right above the header, '编制单位：… | 单位：元' on one line, '填报人：… | 填报日期：…' below: lines
    # about the table, not a header row above the real one nor entries
    alone, prepared = tables_of("unit-lines.xlsx")
    assert (alone.range, prepared.range) == ("A3:D6", "A4:D7")
    assert paths(by_cell(alone)["C5"]) == ["项目支出", "执行数"]
    assert len(alone.entries) == 9
    assert paths(by_cell(prepared)["D7"]) == ["普通教育", "支出预算 / 项目支出"]
    assert {entry.cell for entry in prepared.entries} == {f"{col}{row}" for col in "BCD" for row in (6, 7)}
    texts = {label.label for t in (alone, prepared) for label in t.labels}
    texts |= {entry.value for t in (alone, prepared) for entry in t.entries}
    assert not any("：" in text for text in texts)


def test_a_form_of_nothing_but_statements_is_still_read():
    # 'key：value' statements, two a row, with no table among them are the sheet's content: every one of them
    # is in the table (an entry or a label), the title above them is not
    (table,) = tables_of("statement-form.xlsx")
    assert table.range == "A2:B5"
    texts = {label.label for label in table.labels} | {entry.value for entry in table.entries}
    assert texts == {"项目名称：城市绿化工程", "实施单位：园林局", "主管部门：住建局", "资金总额：120万元",
                     "项目负责人：张三", "联系电话：12345678", "开始日期：2024-01-01", "结束日期：2024-12-31"}
    assert all(entry.labels for entry in table.entries)


def test_a_label_merged_across_the_stub_columns_is_one_label():
    # '合计' spans the code and the name column: it labels its row once, not once per stub column
    (table,) = tables_of("coded-stub.html")
    entries = by_cell(table)
    assert paths(entries["C5"]) == ["合计", "本年支出 / 合计"]
    assert paths(entries["E3"]) == ["201", "一般公共服务支出", "本年支出 / 项目支出"]
    assert all(len(entry.labels) == len(set(entry.labels)) for entry in table.entries)


def test_code_columns_and_the_name_they_code_are_one_stub():
    # no style anywhere: the names were entries labelled by the first code column only
    (table,) = tables_of("code-columns.xlsx")
    entries = by_cell(table)
    assert set(entries) == {f"{col}{row}" for col in "EFG" for row in range(5, 11)}
    assert paths(entries["F7"]) == ["201 / 29 / 01", "一般公共服务支出 / 群众团体事务 / 行政运行", "支出预算 / 基本支出"]
    assert paths(entries["E5"]) == ["201", "一般公共服务支出", "支出预算 / 合计"]
    assert "单位：元" not in {label.label for label in table.labels}


def _parents(table) -> dict[str, str | None]:
    return {label.cell: label.parent.cell if label.parent is not None else None for label in table.labels}


def test_split_code_columns_are_one_dimension_nesting_by_code():
    # '201 | 29 | 01' with 类 repeated on every row: the three code columns were three flat dimensions ('201',
    # '29', '01') and the names had no parents; the row's code is its cells one after the other, and a row is
    # under the nearest row above whose code its code extends
    (table,) = tables_of("code-columns.xlsx")
    entries, parents = by_cell(table), _parents(table)
    assert [(label.label, label.cell) for label in entries["F7"].labels] == [
        ("01", "C7"), ("行政运行", "D7"), ("基本支出", "F4")]
    assert parents["C7"] == "B6" and parents["B6"] == "A5" and parents["A5"] is None
    assert parents["D7"] == "D6" and parents["D6"] == "D5" and parents["D5"] is None
    # '208 | 05 | 05' has no row of its own for '208 | 05': its 项 is under the row's 款, the 款 under '208';
    # its name under the name of '208'
    assert paths(entries["E10"]) == ["208 / 05 / 05", "社会保障和就业支出 / 机关事业单位基本养老保险缴费支出", "支出预算 / 合计"]
    # the 类 repeated on the rows of deeper codes is that level again, a label under nothing
    assert parents["A6"] is None and parents["B7"] == "A5"
    assert all(len(entry.labels) == 3 for entry in table.entries)


def test_a_code_column_nests_by_prefix():
    # one column of whole codes ('201', '20129', '2012901'): a code prefix makes a parent, of the code and of the
    # name beside it; '2101101' has no row for '21011' and is under '210'; the '合计' written in the code column is
    # a row without a code, at the top
    one = next(t for t in tables_of("code-hierarchy.xlsx") if t.sheet == "一列")
    entries, parents = by_cell(one), _parents(one)
    assert paths(entries["D6"]) == ["201 / 20129 / 2012901", "一般公共服务支出 / 群众团体事务 / 行政运行", "执行数"]
    assert paths(entries["C7"]) == ["201 / 20129 / 2012902", "一般公共服务支出 / 群众团体事务 / 一般行政管理事务", "预算数"]
    assert paths(entries["C9"]) == ["210 / 2101101", "卫生健康支出 / 行政单位医疗", "预算数"]
    assert paths(entries["C10"]) == ["合计", "预算数"]
    assert parents["A8"] is None and parents["B8"] is None


def test_split_codes_written_once_per_group_continue_the_code_above():
    # ' | 29 | ' and ' | | 01': the levels left blank are the ones of the rows above
    split = next(t for t in tables_of("code-hierarchy.xlsx") if t.sheet == "类款项")
    entries = by_cell(split)
    assert paths(entries["F6"]) == ["201 / 29 / 02", "一般公共服务支出 / 群众团体事务 / 一般行政管理事务", "本年支出 / 项目支出"]
    assert paths(entries["E9"]) == ["208 / 05 / 05", "社会保障和就业支出 / 行政事业单位养老支出 / 机关事业单位基本养老保险缴费支出",
                                    "本年支出 / 基本支出"]
    assert paths(entries["E10"]) == ["合计", "本年支出 / 基本支出"]


def test_a_blank_template_keeps_its_names_under_their_codes():
    # no amounts at all: the code columns are the stub and the names what the table holds (entries, each under its
    # whole code); the 款 and 项 codes were entries labelled by the 类 alone, and every name by its 类 alone
    blank = next(t for t in tables_of("code-hierarchy.xlsx") if t.sheet == "空白模板")
    entries = by_cell(blank)
    assert set(entries) == {"D6", "D7", "D8", "D10", "D11"}
    assert paths(entries["D8"]) == ["205 / 02 / 05", "项目 / 功能分类科目名称"]
    assert paths(entries["D11"]) == ["207 / 99", "项目 / 功能分类科目名称"]
    codes = {label.cell: label.label for label in blank.labels}
    assert {codes[cell] for cell in ("B7", "B8", "C8", "B11")} == {"02", "05", "99"}  # every code kept, as a label


def test_codes_that_do_not_nest_leave_the_stub_as_it_was():
    # '201', '205': no code extends another; each stub column stays a dimension of its own, no parents
    (table,) = tables_of("coded-stub.html")
    assert paths(by_cell(table)["D4"]) == ["205", "教育支出", "本年支出 / 基本支出"]
    assert all(label.parent is None for label in table.labels if label.cell[0] in "AB")


def test_html_stub_levels_shown_by_leading_no_break_spaces():
    # '&nbsp;&nbsp;人大事务': the readers collapsed the spaces before the table reader saw them (no levels)
    (table,) = tables_of("nbsp-indented-stub.html")
    entries = by_cell(table)
    assert paths(entries["B4"]) == ["一般公共服务支出 / 人大事务 / 行政运行", "预算数"]
    assert paths(entries["C5"]) == ["一般公共服务支出 / 政府办公厅事务", "执行数"]
    assert paths(entries["B6"]) == ["教育支出", "预算数"]
    assert entries["C3"].value == "118"  # a stray no-break space before a number is not a level


def test_html_stub_levels_and_bold_rows_shown_by_inline_css():
    # padding-left in px, text-indent on a paragraph inside the cell, a span's padding, a class 'indent2', and
    # 'font-weight' for bold: the reader kept none of them, so the stub was flat
    (table,) = tables_of("css-indented-stub.html")
    entries = by_cell(table)
    assert paths(entries["B4"]) == ["All industries / Goods-producing / Agriculture", "2008"]
    assert paths(entries["C5"]) == ["All industries / Goods-producing / Manufacturing", "2009"]
    assert paths(entries["B7"]) == ["All industries / Services-producing / Trade", "2008"]
    assert paths(entries["C8"]) == ["Public sector", "2009"]
    assert entries["B4"].value == "30"


@pytest.mark.parametrize("sheet", ["Remarks", "Flags", "Unit"])
def test_a_remarks_or_flags_column_or_a_unit_line_does_not_change_how_the_table_is_read(sheet):
    (table,) = [t for t in tables_of("other-exports.xlsx") if t.sheet == sheet]
    entries = by_cell(table)
    assert table.range.startswith("A4:")  # the unit line '(thousands)' above the header is not a header row
    assert paths(entries["D6"]) == ["East", "Fujian", "2023"]  # both text columns are the stub
    assert paths(entries["C8"]) == ["West", "Qinghai", "2022"]
    assert {label.label for label in table.labels} >= {"Region", "Province", "2022", "2023"}
    assert "(thousands)" not in {label.label for label in table.labels}


def test_remarks_and_flags_are_entries_of_their_row():
    remarks, flags = ([t for t in tables_of("other-exports.xlsx") if t.sheet == sheet][0] for sheet in ("Remarks", "Flags"))
    assert paths(by_cell(remarks)["E6"]) == ["East", "Fujian", "Remarks"]
    assert (by_cell(flags)["E7"].value, paths(by_cell(flags)["E7"])) == ("e", ["West", "Gansu"])


def test_a_stub_heading_and_section_rows_without_a_code_beside_a_code_column():
    (table,) = [t for t in tables_of("other-exports.xlsx") if t.sheet == "Coded"]
    entries = by_cell(table)
    assert table.range == "A3:D10"  # the heading and the section row are body rows, not header rows
    assert paths(entries["D7"]) == ["35", "Province / East / Fujian", "2023"]
    assert paths(entries["C9"]) == ["62", "Province / West / Gansu", "2022"]


def test_a_blank_row_between_a_spanning_header_and_its_sub_headers_stays_inside_the_header():
    (table,) = [t for t in tables_of("other-exports.xlsx") if t.sheet == "Gap"]
    assert table.range == "A3:D9"
    assert paths(by_cell(table)["D7"]) == ["East", "Fujian", "Population / 2023"]


def test_tables_apart_whose_stubs_start_with_a_rank_are_tables_of_their_own():
    exports, imports = [t for t in tables_of("side-by-side.xlsx") if t.sheet == "Ranked"]
    assert (exports.range, imports.range) == ("A1:C4", "E1:G4")
    assert paths(by_cell(imports)["G3"]) == ["2", "Ohio", "Imports"]


def test_a_stub_heading_is_read_within_its_own_table_not_beside_another():
    for table in [t for t in tables_of("side-by-side.xlsx") if t.sheet == "Headed"]:
        (entry,) = [e for e in table.entries if e.cell.endswith("4")]
        assert paths(entry)[0] == "Sex / Females"


def test_merged_ranges_an_export_filled_with_their_text_read_as_the_merged_ones():
    gap, filled = ([t for t in tables_of("other-exports.xlsx") if t.sheet == sheet] for sheet in ("Gap", "Filled"))
    (table,) = filled
    assert table.range == "A3:D8"  # the title written into four cells is still a title
    assert paths(by_cell(table)["D6"]) == ["East", "Fujian", "Population / 2023"]
    assert paths(by_cell(table)["C8"]) == paths(by_cell(gap[0])["C9"]) == ["West", "Qinghai", "Population / 2022"]


def test_column_numbers_under_the_header_are_labels_of_their_column_not_entries():
    (table,) = [t for t in tables_of("other-exports.xlsx") if t.sheet == "Numbered"]
    assert not [entry for entry in table.entries if entry.cell.endswith("2")]  # '(1)' is not the number -1
    assert paths(by_cell(table)["D4"]) == ["East", "Fujian", "2023"]
    number = next(label for label in table.labels if label.cell == "D2")
    assert (number.label, number.parent.label) == ("(2)", "2023")


def test_a_header_printed_again_inside_the_body_with_its_group_header_holds_no_entries():
    (table,) = [t for t in tables_of("other-exports.xlsx") if t.sheet == "Repeated"]
    assert table.range == "A1:D8"
    assert not [entry.cell for entry in table.entries if entry.cell[1:] in ("5", "6")]
    assert paths(by_cell(table)["C7"]) == ["West", "Gansu", "Population / 2022"]


def test_a_stub_numbered_as_an_outline_nests_by_its_numbers():
    chinese, decimal = tables_of("outline-stub.xlsx")
    entries = by_cell(chinese)
    assert paths(entries["B6"])[0] == "一、基本支出 / 1. 人员经费 / （1）基本工资"
    assert paths(entries["B8"])[0] == "一、基本支出 / 1. 人员经费 / （2）津贴补贴 / 其中：奖金"  # a part of the row above
    assert paths(entries["B9"])[0] == "一、基本支出 / 2. 公用经费"
    assert paths(entries["B11"])[0] == "二、项目支出 / 1. 专项业务费"
    assert paths(entries["B12"])[0] == "合计"  # unnumbered: under nothing
    assert paths(by_cell(decimal)["C5"])[0] == "1 Operating costs / 1.1 Staff / 1.1.2 Pensions"
    assert paths(by_cell(decimal)["C8"])[0] == "2 Investment / 2.1 Buildings"


def test_a_table_one_column_wide_keeps_its_numbers_under_its_header():
    (table,) = tables_of("one-column.xlsx")
    assert table.range == "A3:A6"  # the title above and the note below are not part of it
    assert [(entry.cell, entry.value, paths(entry)) for entry in table.entries] == [
        ("A4", "10", ["金额（万元）"]), ("A5", "20", ["金额（万元）"]), ("A6", "30.5", ["金额（万元）"])]


def _layout(sheet: str):
    (table,) = [t for t in tables_of("other-layouts.xlsx") if t.sheet == sheet]
    return table


def test_a_header_of_the_numbers_1_2_3_alone_labels_its_columns():
    entries = by_cell(_layout("Sizes"))
    assert paths(entries["B2"]) == ["North", "1"] and paths(entries["D4"]) == ["East", "3"]


def test_one_row_of_numbers_under_headers_has_no_stub():
    table = _layout("Summary")
    assert [(entry.cell, paths(entry)) for entry in table.entries] == [
        ("A2", ["Men"]), ("B2", ["Women"]), ("C2", ["Total"])]


def test_a_stub_written_again_at_the_right_leaves_no_entry_without_a_label():
    table = _layout("Bilingual")
    assert all(entry.labels for entry in table.entries)
    entries = by_cell(table)
    assert paths(entries["B2"]) == ["Total", "2008"] and paths(entries["C6"]) == ["Girls", "2009"]
    assert "A2" not in entries  # 'Total' names its row; the header-cell model's reading made it an entry


def test_a_stub_label_wrapped_over_two_lines_is_one_label():
    table = _layout("Wrapped")
    entries = by_cell(table)
    assert paths(entries["B3"]) == ["Manufacturing of food and beverages", "2008"]
    assert paths(entries["C5"]) == ["Percent change, 1990–2008", "2009"]
    assert paths(entries["B4"]) == ["Mining", "2008"] and paths(entries["B7"]) == ["Construction", "2008"]
    assert {label.cell for label in table.labels} == {"A1", "B1", "C1", "A2", "A4", "A5", "A7"}


def test_a_bold_stub_heading_does_not_make_a_bare_total_the_heading_of_the_rows_below():
    parents = {label.cell: label.parent.cell if label.parent else None for label in _layout("Heading").labels}
    assert parents["A4"] == parents["A5"] == parents["A7"] == "A3"  # 'Total' is a sibling of the provinces


def test_sections_of_a_plain_stub_head_the_rows_up_to_the_next_one():
    for sheet, first, second in (("Sections", "A2", "A6"), ("Colons", "A2", "A5")):
        table = _layout(sheet)
        parents = {label.cell: label.parent.cell if label.parent else None for label in table.labels}
        assert parents[first] is None and parents[second] is None
        below_first = [cell for cell, parent in parents.items() if parent == first]
        below_second = [cell for cell, parent in parents.items() if parent == second]
        assert below_first and below_second and all(int(c[1:]) < int(second[1:]) for c in below_first)
        assert all(int(c[1:]) > int(second[1:]) for c in below_second)


def test_a_section_merged_across_right_under_the_header_is_not_a_header_row():
    entries = by_cell(_layout("Sections"))
    assert paths(entries["C3"]) == ["NUMBER / Total", "2009"]
    assert paths(entries["B9"]) == ["PERCENT DISTRIBUTION / Women", "2008"]


def test_footnote_marks_written_1_slash_or_in_square_brackets_are_dropped():
    table = _layout("Footnotes")
    entries = by_cell(table)
    assert paths(entries["C2"]) == ["Total", "2009"] and paths(entries["B3"]) == ["Exports", "2008"]
    assert "B1" not in entries  # '2008 1/' is a year with a footnote mark: the header, not data


def test_a_header_of_dates_or_flagged_years_is_a_header_not_data():
    entries = by_cell(_layout("Dates"))
    assert not {"B1", "C1", "D1"} & set(entries)
    assert paths(entries["B2"]) == ["Assets", "31.12.2008"] and paths(entries["D3"]) == ["Debt", "2010 p"]


def test_an_unnumbered_row_after_a_part_among_numbered_rows_is_a_part_too():
    parents = {label.label: label.parent.label if label.parent else None for label in _layout("三公").labels}
    assert parents["其中：公务用车购置费"] == parents["公务用车运行费"] == "2.公务用车购置及运行费"
    assert parents["3.公务接待费"] is None and parents["合计"] is None


def test_a_blank_template_that_is_all_header_has_labels_and_no_entries():
    table = _layout("空白")
    assert table.entries == []
    parents = {label.label: label.parent.label if label.parent else None for label in table.labels}
    assert parents["合计"] == parents["公务接待费"] == "“三公”经费预算数"
    assert parents["运行费"] == "公务用车购置及运行费" and parents["机关运行经费预算数"] is None


def test_sections_as_far_left_as_the_rows_under_them_head_those_rows():
    entries = by_cell(_layout("Survey"))
    assert paths(entries["B3"]) == ["TOTAL / Civilian population", "Oct. 2008"]
    assert paths(entries["C8"]) == ["Men, 16 years and over / Civilian population / Labor force", "Oct. 2009"]
    assert paths(entries["B11"]) == ["Women, 16 years and over / Civilian population / Labor force", "Oct. 2008"]


@pytest.mark.parametrize("sheet", ["Pivot", "Pivot again"])
def test_a_pivot_tables_export_groups_by_its_first_column(sheet):
    entries = by_cell(_layout(sheet))
    assert sorted(entries) == ["C2", "C3", "C4", "C5", "D2", "D3", "D4", "D5"]  # 'Male', 'Female' name rows
    assert paths(entries["D3"]) == ["Ontario", "Female", "2009"]
    assert paths(entries["C5"]) == ["Quebec", "Female", "2008"]


def test_a_pivot_tables_export_over_three_levels_labels_each_row_with_each_level():
    entries = by_cell(_layout("Three levels"))
    assert sorted(entries) == [f"{c}{r}" for c in "DE" for r in range(2, 8)]
    assert paths(entries["E3"]) == ["Ohio", "Utility", "Gas", "2009"]
    assert paths(entries["D5"]) == ["Ohio", "Industrial", "Gas", "2008"]
    assert paths(entries["E7"]) == ["Iowa", "Utility", "Gas", "2009"]


def test_bold_sections_side_by_side_and_a_bold_grand_total_below_them():
    parents = {label.label: label.parent.label if label.parent else None for label in _layout("Goods").labels}
    assert parents["Goods"] is None and parents["Services"] is None and parents["Total"] is None
    assert parents["Food"] == "Goods" and parents["Housing"] == "Services"


def test_a_column_of_units_does_not_cost_the_years_their_place_as_headers():
    entries = by_cell(_layout("Units"))
    assert not {"B1", "C1", "D1"} & set(entries)
    assert paths(entries["D2"]) == ["Population", "2008"] and paths(entries["C3"]) == ["Employment rate", "2007"]


def test_a_title_over_a_repeated_header_heads_the_block_under_it():
    entries = by_cell(_layout("Stacked"))
    assert paths(entries["B7"]) == ["Table B. Imports / Canada", "2008"]
    assert paths(entries["C4"]) == ["Mexico", "2009"]  # the first block: its title is above the table


def test_a_short_numbered_note_and_a_legend_right_under_the_table_are_not_part_of_it():
    table = _layout("Notes")
    assert table.range == "A1:C3"
    assert sorted(by_cell(table)) == ["B2", "B3", "C2", "C3"]


def test_a_block_continued_under_a_header_of_other_years_takes_its_labels_from_it():
    entries = by_cell(_layout("Blocks"))
    assert not {"B4", "C4", "D4"} & set(entries)  # the second header's years are labels, not entries
    assert paths(entries["B5"]) == ["North", "2003"] and paths(entries["D6"]) == ["South", "2005"]
    assert paths(entries["C3"]) == ["South", "2001"]


def test_labels_that_come_again_as_leaves_are_leaves_wherever_they_stand():
    parents = {label.cell: label.parent.cell if label.parent else None for label in _layout("Leaves").labels}
    assert parents["A3"] == parents["A4"] == "A2"  # 'Men', 'Women' under 'All regions', not siblings of it
    assert parents["A5"] == parents["A8"] == "A2"  # the regions under 'All regions', not under 'Women'
    assert parents["A6"] == parents["A7"] == "A5" and parents["A10"] == "A8"


def test_a_leaf_elsewhere_standing_alone_in_bold_still_heads_the_rows_below_it():
    parents = {label.cell: label.parent.cell if label.parent else None for label in _layout("Leaves alone").labels}
    assert parents["A3"] == parents["A4"] == "A2" and parents["A6"] == parents["A7"] == "A5"  # age groups
    assert parents["A9"] == parents["A10"] == "A8" and parents["A12"] == parents["A13"] == "A11"


def test_a_long_table_s_years_beside_its_regions_name_the_rows():
    for sheet in ("Long", "Long merged"):  # region on its first row only (years as numbers); merged down (as text)
        entries = by_cell(_layout(sheet))
        assert not {f"B{r}" for r in range(2, 8)} & set(entries), sheet  # the years are labels, not entries
        assert paths(entries["C3"]) == ["North", "2009", "Population"], sheet
        assert paths(entries["C7"]) == ["South", "2010", "Population"], sheet


def test_a_date_written_again_on_each_row_of_its_group_stays_data():
    entries = by_cell(_layout("Dated"))
    assert "B2" in entries and "B4" in entries


def test_a_row_of_suppressed_figures_after_a_blank_row_goes_on_with_the_table():
    entries = by_cell(_layout("Suppressed"))
    assert paths(entries["B6"]) == ["Construction", "2008"] and paths(entries["C3"]) == ["Forestry", "2009"]


def test_estimates_flagged_by_a_mark_before_the_number_are_numbers_under_the_header():
    entries = by_cell(_layout("Flagged"))
    assert not {"B1", "C1", "D1"} & set(entries)  # the years stay the header
    assert paths(entries["C3"]) == ["Tas.", "2009"] and entries["C3"].value == "**0.4"


def test_a_header_written_again_in_short_under_a_section_row_holds_no_entries():
    entries = by_cell(_layout("Restated"))
    assert not {"B5", "C5", "D5"} & set(entries)  # '借款金额' for '借款金额（万元）', '借款期限' for '借款期限（年）'
    assert paths(entries["C6"]) == ["本年借款 / 上海银行", "借款期限（年）"]


def test_two_lists_side_by_side_each_with_its_own_stub_heading_are_two_tables():
    tables = [t for t in tables_of("other-layouts.xlsx") if t.sheet == "Two lists"]
    assert [t.range for t in tables] == ["A1:B5", "C1:D5"]
    assert paths(by_cell(tables[1])["D3"]) == ["教育支出", "预算数"]  # not under the income item beside it


@pytest.mark.parametrize("sheet, codes, cell, path", [
    ("Column codes", {"A2", "B2", "C2", "D2", "E2"}, "D3", ["一、营业收入", "本年"]),
    ("Column counts", {"A2", "B2", "C2"}, "C4", ["二、支出", "上年数"])])
def test_a_report_form_s_row_of_column_codes_is_neither_data_nor_the_header(sheet, codes, cell, path):
    # '甲 | 乙 | 丙 | 1 | 2' and '栏次 | 1 | 2' under the header number its columns: they were read as a row of data
    table = _layout(sheet)
    entries = by_cell(table)
    assert not codes & set(entries)
    assert not any(label.cell in codes for entry in table.entries for label in entry.labels)
    assert paths(entries[cell]) == path


def test_a_row_of_statements_signing_off_a_table_is_not_part_of_it():
    # '单位负责人：张三 | | 财务负责人：李四 | 制表人：王五' right under a table was a row of it, its statements
    # entries labelled by the first; after a blank row it was a table of its own
    tables = [t for t in tables_of("other-layouts.xlsx") if t.sheet == "Signed"]
    assert [t.range for t in tables] == ["A1:D3", "A6:D7"]
    assert paths(by_cell(tables[1])["B7"]) == ["一、一般公共预算拨款", "本年预算数"]


def test_a_block_of_figures_under_a_header_row_of_its_own_takes_its_labels():
    # '本期 | 上年同期' in the body, the stub blank, between rows of numbers: its cells were entries under the
    # header above, and the figures below them were '本期期末' and '本期期初'
    entries = by_cell(_layout("Own headers"))
    assert not {"B4", "C4", "D4"} & set(entries)
    assert paths(entries["C5"]) == ["营业收入", "上年同期"] and paths(entries["B2"]) == ["资产总计", "本期期末"]


def test_a_row_whose_value_is_a_target_written_as_text_heads_no_block():
    # '“三金”发放准确率 | =100%' between rows of figures ('300', '≥98%'), its stub blank under merged-down groups:
    # a row of the list, not a header of its own over the rows below ('=100%' is a value, not a name)
    workbook = read_bytes((FIXTURES.parent / "templates" / "project-gb18030.txt").read_bytes(), "project.txt")
    entries = {e.cell: e for t in find_tables(workbook.sheets[0]) for e in t.entries}
    assert "D13" not in {label.cell for label in entries["D14"].labels}


def test_a_line_of_fields_over_a_form_s_grid_is_read_as_fields_not_as_a_header_level():
    # '项目名称 | 职工疗休养 | | 主管部门 | 苏州市总工会' over '一级指标 | … | 得分': the line was the grid's header and
    # the grid's own header row its first row of entries ('分值' labelled '主管部门')
    fields, grid = [t for t in tables_of("other-layouts.xlsx") if t.sheet == "Form head"]
    assert {e.cell: paths(e) for e in fields.entries} == {"B2": ["项目名称"], "E2": ["主管部门"]}
    entries = by_cell(grid)
    assert grid.range == "A3:H8" and not {"B3", "D3", "G3"} & set(entries)
    assert paths(entries["D4"]) == ["决策", "分值"] and paths(entries["G6"]) == ["过程", "得分"]
    assert paths(entries["H7"]) == ["产出", "扣分原因"] and paths(entries["G8"]) == ["合计", "得分"]


def test_an_evaluation_grid_s_group_written_on_its_first_row_only_labels_the_rows_after_it():
    # ' | 绩效目标 | 目标合理性 | 5' under '决策 | 项目立项 | …' (an export without merges): its entries had no 一级指标
    _, grid = [t for t in tables_of("other-layouts.xlsx") if t.sheet == "Form head"]
    entries = by_cell(grid)
    assert paths(entries["B5"]) == ["决策", "二级指标"] and paths(entries["G5"]) == ["决策", "得分"]
    assert paths(entries["D8"]) == ["合计", "分值"]


def test_a_form_s_lines_of_fields_laid_out_each_its_own_way_are_read():
    # a value merged across B1:E1 above the key D2: no header rows, no aligned 'key | value' columns, and
    # nothing was read (labels only)
    entries = by_cell(_layout("Fields"))
    assert {cell: paths(e) for cell, e in entries.items()} == {
        "B1": ["项目名称"], "B2": ["主管部门"], "E2": ["实施单位"]}


def test_a_header_written_twice_with_nothing_under_it_is_no_form_s_fields():
    # '类别 | 金额' over '类别 | 金额' (a blank template's header, written again as an export repeats it), nothing
    # under it: read line by line as fields, each '金额' would be a value of its '类别'
    tables = find_tables(_sheet([["类别", "金额", "类别", "金额"], ["类别", "金额", "类别", "金额"]]))
    assert tables and not any(table.entries for table in tables)


def test_a_total_row_under_numbered_rows_is_not_in_the_last_one():
    # '4 | 工会干部培训 | 18.6' over ' | 合计 | 484.35': the row numbers are no groups written once, and a total
    # row names no item of the row above
    workbook = read_bytes((FIXTURES.parent / "generic" / "project-list.xlsx").read_bytes(), "project-list.xlsx")
    (table,) = find_tables(workbook.sheets[0])
    assert paths(by_cell(table)["C8"]) == ["金额"] and paths(by_cell(table)["C7"]) == ["4", "金额"]


def _form_blocks():
    return {t.range: t for t in tables_of("other-layouts.xlsx") if t.sheet == "Form blocks"}


def test_a_form_s_blocks_stacked_under_labels_merged_down_are_tables_of_their_own():
    # '年度总体目标' and '绩效指标' merged down the first column, each over a header row of its own, with no blank row
    # between: one region, whose indicators were labelled by the goals' texts ('组织2000名职工疗休养 / 三级指标')
    blocks = _form_blocks()
    assert list(blocks) == ["A2:I3", "A4:I7", "A8:I9", "A10:I14"]
    assert {e.cell: paths(e) for e in blocks["A2:I3"].entries} == {
        "C2": ["项目名称"], "C3": ["主管部门"], "G3": ["实施单位"]}
    indicators = by_cell(blocks["A10:I14"])
    assert [label.path() for label in indicators["E11"].labels] == [
        ["绩效指标"], ["产出指标"], ["数量指标"], ["年度指标值"]]
    assert paths(indicators["H12"]) == ["绩效指标", "产出指标", "质量指标", "得分"]
    assert paths(indicators["G14"]) == ["总分", "分值"]


def test_a_block_of_statements_under_their_headers_is_read():
    # '预期目标' over what was planned, '实际完成情况' over what was done, each merged across four columns: a header
    # over one row of values, which read as a header of two levels and gave no entry
    goals = by_cell(_form_blocks()["A8:I9"])
    assert paths(goals["B9"]) == ["年度总体目标", "预期目标"] and paths(goals["F9"]) == ["年度总体目标", "实际完成情况"]


def test_names_under_a_blank_corner_beside_a_block_label_are_the_stub():
    # '年度资金总额' under nothing, beside '项目资金（万元）' merged down, left of headed columns of figures: the rows'
    # names, not entries of their own
    funds = by_cell(_form_blocks()["A4:I7"])
    assert "B5" not in funds
    assert paths(funds["D5"]) == ["项目资金（万元）", "年度资金总额", "年初预算数"]
    assert paths(funds["F7"]) == ["项目资金（万元）", "其他资金", "全年执行数"]


def test_names_after_a_column_of_a_classification_s_letter_codes_are_the_stub():
    # 'A | Agriculture | 100', 'C10-C12 | Manufacture of food | 300', no style: the names were entries labelled by
    # their codes, and the figures had no name
    entries = by_cell(_layout("Letter codes"))
    assert "B4" not in entries
    assert [label.cell for label in entries["C4"].labels] == ["A4", "B4", "C1"]
    assert paths(entries["D5"]) == ["D", "Electricity", "2020"]


def test_counts_that_look_like_years_under_a_header_of_years_are_entries():
    # 'North | 1998 | 2001 | 2005' under '2019 | 2020 | 2021': every row was read as one more header level, and
    # the table had no entry at all
    entries = by_cell(_layout("Counts like years"))
    assert set(entries) >= {"B3", "C3", "D3", "B4", "C4", "D4"}
    assert paths(entries["C4"]) == ["South", "2020"] and entries["C4"].value == "2012"


def test_labels_ending_in_a_colon_head_the_rows_under_them():
    # 'Male:' (with its own figures) over 'Under 5 years', no indentation: every row was a label of its own, and
    # the two 'Under 5 years' rows could not be told apart; the bare 'Total' at the end is under no section
    table = _layout("Colon headings")
    entries = by_cell(table)
    assert [label.path() for label in entries["B3"].labels] == [["Male:", "Under 5 years"], ["Estimate"]]
    assert [label.path() for label in entries["C6"].labels] == [["Female:", "Under 5 years"], ["Margin of error"]]
    assert [label.path() for label in entries["B2"].labels] == [["Male:"], ["Estimate"]]
    assert [label.path() for label in entries["B8"].labels] == [["Total"], ["Estimate"]]


def test_a_line_of_fields_over_a_grid_with_a_header_of_two_rows_is_read_as_fields():
    # '项目名称 | 职工疗休养 | 主管部门 | 苏州市总工会' over '一级指标 | … | 指标值 | 得分', whose cells are merged down
    # beside '年度目标值 | 实际完成值': the line was the grid's top header level ('年度目标值' under '职工疗休养 / 三级
    # 指标 / 指标值', '得分' under '苏州市总工会') and its stub was lost
    fields, grid = [t for t in tables_of("other-layouts.xlsx") if t.sheet == "Form head, two rows"]
    assert {e.cell: paths(e) for e in fields.entries} == {"B2": ["项目名称"], "E2": ["主管部门"]}
    entries = by_cell(grid)
    assert grid.range == "A3:F7"
    assert paths(entries["E5"]) == ["产出指标", "数量指标", "指标值 / 实际完成值"]
    assert paths(entries["F6"]) == ["产出指标", "质量指标", "得分"]
