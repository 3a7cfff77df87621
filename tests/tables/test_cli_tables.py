"""`budget-etl tables`: JSON lines (CONTRACT.md) or a table for people; read errors as one line; no warehouse."""
from __future__ import annotations

import json
import subprocess
import sys

from tables_support import FIXTURES

from budget_etl.flows.cli import main

READER_FIXTURES = FIXTURES.parent / "readers"


def test_jsonl_one_line_per_table(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = FIXTURES / "two-tables-one-sheet.xlsx"
    assert main(["tables", str(path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(t["file"], t["sheet"], t["range"]) for t in lines] == [(str(path), "Summary", "A2:C5"),
                                                                      (str(path), "Summary", "A10:D12")]
    assert {"value": "130.25", "cell": "C3", "labels": [["Grants", "A3"], ["2024", "C2"]]} in lines[0]["entries"]
    assert {"label": "Grants", "cell": "A3", "parent": None} in lines[0]["labels"]
    assert list(tmp_path.iterdir()) == []  # writes nothing, needs no warehouse


def test_table_format_shows_label_paths(capsys):
    assert main(["tables", str(FIXTURES / "multi-level-header.xlsx"), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "Trade!B4:J12  48 entries, 21 labels" in out
    line = next(line for line in out.splitlines() if line.split()[:1] == ["H9"])
    assert " ".join(line.split()) == "H9 3050.5 All products / Food / Grain | South / 2022 / Imports"


def test_unreadable_file_is_one_error_line_and_the_others_still_print(capsys):
    good, bad = FIXTURES / "th-header.html", READER_FIXTURES / "truncated-zip.xlsx"
    assert main(["tables", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("error: ") and errors[0].endswith("[corrupt_file]") and "truncated-zip.xlsx" in errors[0]
    assert [json.loads(line)["sheet"] for line in captured.out.splitlines()] == ["table1"]


def test_nothing_readable_exits_2(capsys):
    assert main(["tables", str(READER_FIXTURES / "random-bytes.xlsx")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_missing_file_is_a_usage_error(capsys, tmp_path):
    assert main(["tables", str(tmp_path / "nope.xlsx")]) == 2
    assert capsys.readouterr().err == f"error: no such file: {tmp_path / 'nope.xlsx'} [path_not_found]\n"


def test_a_folder_is_a_usage_error_with_its_code(capsys, tmp_path):
    assert main(["tables", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path} is not a file: give the files to read [not_regular_file]\n"


def test_formulas_without_a_saved_result_are_named_not_dropped_in_silence(capsys):
    # their cells hold no value to print: neither entries nor labels, and the table alone did not say so
    path = READER_FIXTURES / "formula-without-cached-value.xlsx"
    assert main(["tables", str(path)]) == 0
    err = capsys.readouterr().err
    assert err == (f"warning: {path}: 2 formula cell(s) have no saved result and are not read (未计算!C1, 未计算!B2); "
                   "open the file in Excel, let it calculate, and save it again [formula_without_value]\n")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    # `budget-etl tables big.csv | head -1`: 'error: [Errno 32] Broken pipe' and exit 2 before
    rows = ["项目,预算数,执行数,上年数"] + [f"项目{i},{i * 10},{i * 9},{i * 8}" for i in range(1, 4001)]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "budget_etl.flows.cli", "tables", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.read(100)  # the first table has begun; far more than a pipe holds is to come
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""
