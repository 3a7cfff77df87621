"""How the table reader reads a cell's text: numbers as statistics tables write them, years, indices, marks."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budget_etl.parsers.tables import text as tx


@pytest.mark.parametrize("text", ["450 210,00", "450,210.00", "-3,7", "(12)", "3.4%", "<0.5", "12.3!", "1,234*",
                                  "12 345 r", "$1,200", "\u22122.5", "12.3 (r)", "311(p)", "3.1 [a]", "12.5\u00b9",
                                  "$ 1,200", "- 12", "1.2E+05", "2:35"])
def test_numbers_as_tables_write_them(text):
    assert tx.is_numeric(text) and tx.is_number(text)


@pytest.mark.parametrize("text", ["..", "-", "—", "x", "(NA)", "#"])
def test_placeholders_are_numeric_but_not_numbers(text):
    assert tx.is_numeric(text) and not tx.is_number(text)


@pytest.mark.parametrize("text", ["2006-2007", "Level 1", "1st quarter 2009", "Total", "5万吨/日", "SZ11-50000"])
def test_text_is_not_a_number(text):
    assert not tx.is_numeric(text)


def test_years_and_index_sequences_are_headers_not_measurements():
    assert tx.is_year("2008") and tx.is_year("2006*") and not tx.is_number("2008")
    assert not tx.is_year("1363") and not tx.is_year("20081")
    assert tx.is_sequence(["1", "2", "3", "合计"]) and not tx.is_sequence(["1", "3", "4"])


@pytest.mark.parametrize("text", ["2009 r", "2010p", "2008 1/", "2009 [2]", "31.12.2008", "12/31/2008", "2008-12-31",
                                  "2022.1.2"])
def test_flagged_years_and_dates_name_a_row_or_column(text):
    assert tx.is_year(text) and not tx.is_number(text)


@pytest.mark.parametrize("text", ["2022.1", "1.234.567", "12.5 1/", "2009.5"])
def test_numbers_that_look_a_little_like_dates_stay_numbers(text):
    assert tx.is_number(text) and not tx.is_year(text)


@pytest.mark.parametrize("text, label", [("Operating margin1", "Operating margin"), ("Manufacturing, total 1)",
                                          "Manufacturing, total"), ("Not elsewhere included(2)", "Not elsewhere included"),
                                         ("2006*", "2006*"), ("COVID19", "COVID19"), ("Level 1", "Level 1"),
                                         ("Total 1/", "Total"), ("Exports [3]", "Exports"), ("Males [a]", "Males"),
                                         ("Other4", "Other"), ("Canada¹", "Canada"), ("km2", "km2"), ("Area, km²", "Area, km²"),
                                         ("m3", "m3")])
def test_footnote_marks_dropped_from_labels(text, label):
    assert tx.strip_footnote(text) == label


def test_indent_written_into_the_text():
    assert tx.text_indent("\u00a0\u00a0Wheat") == 2
    assert tx.text_indent("- Postal services") > tx.text_indent("Postal services") == 0
    assert tx.text_indent("-3.7") == 0


@pytest.mark.parametrize("text, value", [("450 210,00", "450210.00"), ("450,210.00", "450210.00"), ("450210", "450210"),
                                         ("-3,7", "-3.7"), ("(12)", "-12"), ("3.4%", "3.4"), ("12e", "12"),
                                         ("1\u202f234", "1234"), ("12,345", "12345"), ("0,125", "0.125"),
                                         ("\u22122.5", "-2.5"), ("2008", "2008"), ("$1,200", "1200"), ("1 234,5 r", "1234.5"),
                                         ("1 234 (r)", "1234"), ("12.5\u00b9", "12.5"), ("$ 1,200", "1200"),
                                         ("1.2E+05", "120000"), ("- 12", "-12"), ("*1.3", "1.3"), ("**-0.4", "-0.4"),
                                         ("#2.1", "2.1")])
def test_number_value_exactly_as_shown(text, value):
    assert tx.number_value(text) == Decimal(value)


@pytest.mark.parametrize("text", ["..", "x", "-", "<0.5", "Total", "2006-2007", "1.2.3", "2:35", "*", "**", "*<0.5"])
def test_number_value_none_for_text_placeholders_and_bounds(text):
    assert tx.number_value(text) is None


@pytest.mark.parametrize("text, part", [("of which: women", True), ("Of which exports", True), ("thereof", True),
                                        ("其中：基本支出", True), ("- including bonuses", True), ("Income", False),
                                        ("Includes re-exports", False), ("Inclusive growth", False)])
def test_labels_that_say_they_are_a_part_of_the_row_above(text, part):
    assert tx.is_part_of_above(text) is part


@pytest.mark.parametrize("text, bare", [("Total", True), ("TOTAL", True), ("Total:", True), ("All", True),
                                        ("I alt", True), ("合计", True), ("Insgesamt", True),
                                        ("Total households", False), ("All industries", False), ("Totals by age", False)])
def test_a_label_that_only_says_total(text, bare):
    assert tx.is_bare_total(text) is bare


def test_statements_about_a_table():
    for text in ("单位：万元", "金额单位：元", "编制部门：", "Unit: USD thousand", "Prepared by: Finance Office",
                 "填报日期：2024-12-31"):
        assert tx.is_statement(text), text
    for text in ("其中：基本支出", "12:30", "Note 1: see below", "2024年：", "Total", "预算数"):
        assert not tx.is_statement(text), text


@pytest.mark.parametrize("texts, numbering", [(["(1)", "(2)", "(3)"], True), (["1", "2", "3"], True),
                                              (["（1）", "（2）"], True), (["(1)", "(3)"], False),
                                              (["(1)", "Total"], False), (["120", "60"], False)])
def test_a_row_of_column_numbers(texts, numbering):
    assert tx.is_index_row(texts) is numbering


@pytest.mark.parametrize("text, bracketed", [("(thousands)", True), ("（万元）", True), ("[persons]", True),
                                             ("(1) Total", False), ("Total (1)", False), ("thousands", False)])
def test_a_remark_in_brackets(text, bracketed):
    assert tx.is_bracketed(text) is bracketed


@pytest.mark.parametrize("text, flag", [("p", True), ("e", True), ("bp", True), ("*", True), ("abc", False),
                                        ("12", False), ("职务", False)])
def test_a_flag(text, flag):
    assert tx.is_flag(text) is flag


@pytest.mark.parametrize("texts, codes", [(["甲", "乙", "丙", "1", "2"], True), (["栏次", "", "1", "2"], True),
                                          (["A", "B", "1", "2", "3"], True), (["A", "C", "1", "2"], False),
                                          (["Total", "1", "2", "3"], False), (["甲", "1"], False),
                                          (["1", "2", "3"], False), (["A", "B", "3", "4"], False)])
def test_a_row_of_column_codes(texts, codes):
    assert tx.is_column_codes(texts) is codes
