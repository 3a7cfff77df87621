"""Exports never carry live formulas: text starting with = + - @ tab CR gets a leading apostrophe."""
import csv

import openpyxl
import pandas as pd
import pytest

from budget_etl.flows.safe_export import neutralise, neutralise_frame, neutralise_row


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("苏州市总工会", "苏州市总工会"),
    ("≥100%", "≥100%"),
    ("a=b", "a=b"),
    ("", ""),
    (None, None),
    (-12.5, -12.5),
    (3, 3),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_a_frame_keeps_numbers_as_numbers():
    frame = pd.DataFrame({"label": ["=cmd|' /C calc'!A0", "资金总额"], "amount": [-5.0, 1363.41]})
    out = neutralise_frame(frame)
    assert out["label"].tolist() == ["'=cmd|' /C calc'!A0", "资金总额"]
    assert out["amount"].tolist() == [-5.0, 1363.41] and out["amount"].dtype == "float64"
    assert frame["label"][0].startswith("=")  # the input is not modified


def test_an_xlsx_written_with_neutralised_cells_has_no_formula(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(neutralise_row(["=1+1", "@A1", -3, "正常"]))
    book.save(tmp_path / "out.xlsx")
    cells = list(openpyxl.load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))[0]
    assert cells == ("'=1+1", "'@A1", -3, "正常")
    raw = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert [c.data_type for c in raw[1]] == ["s", "s", "n", "s"]


def test_a_csv_written_with_neutralised_cells_reads_back_as_text(tmp_path):
    with open(tmp_path / "out.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(neutralise_row(["+SUM(1)", 12.5]))
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["'+SUM(1)", "12.5"]
