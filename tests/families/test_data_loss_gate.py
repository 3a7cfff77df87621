"""A file that lost data must not load silently (issue 11, point 13): each of these loaded and became the
current version before the families declared what they must hold. Each now quarantines its file, naming why."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from budget_etl.flows.pipeline import IngestOptions, run_ingest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"
XLSX = ROOT / "tests" / "fixtures" / "templates" / "department-merged-cells.xlsx"
FUNDS_LINES = range(9, 28)  # 0-based: 部门整体资金 … 劳模“三金”专项经费
INCOME_LINES = range(10, 19)  # the rows under 部门整体资金 收入 (资金总额's amount … 其他资金)
EXPENSE_LINES = range(19, 28)  # 支出 基本支出 … the last project line
AMOUNT = re.compile(r"(?<=\t)\d+(?:\.\d+)?(?=\t|$)")


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _write(path, lines) -> str:
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


def _blank_amounts(tmp_path):
    lines = _seed_lines()
    for n in FUNDS_LINES:
        lines[n] = AMOUNT.sub("", lines[n])
    return _write(tmp_path / "blank-amounts.txt", lines)


def _without(tmp_path, name, dropped):
    lines = _seed_lines()
    if dropped is INCOME_LINES:  # keep the block's label, lose the income rows
        lines[9] = "部门整体资金（万元）"
    return _write(tmp_path / name, [line for n, line in enumerate(lines) if n not in dropped])


def _truncated(tmp_path):
    return _write(tmp_path / "cut-after-line-36.txt", _seed_lines()[:36])


def _total_as_date(tmp_path):
    book = load_workbook(XLSX)
    book.active["F7"].number_format = "yyyy-mm-dd"  # 资金总额's 1363.41 shows as 1903-09-24
    path = tmp_path / "total-as-date.xlsx"
    book.save(path)
    return str(path)


CASES = {
    "blank_amounts": (_blank_amounts, "amounts_present", "income, expense"),
    "no_income": (lambda tmp: _without(tmp, "no-income.txt", INCOME_LINES), "amounts_present", "income"),
    "no_expense": (lambda tmp: _without(tmp, "no-expense.txt", EXPENSE_LINES), "amounts_present", "expense"),
    "truncated": (_truncated, "indicator_groups_present", "效益, 满意度"),
    "total_as_date": (_total_as_date, "amount_is_date", "绩效目标表!F7"),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("loss")
    inputs = tmp / "in"
    inputs.mkdir()
    paths = {case: make(inputs) for case, (make, _, _) in CASES.items()}
    paths["seed"] = _write(inputs / "seed.txt", _seed_lines())
    summary = run_ingest([inputs], IngestOptions(db_path=tmp / "w.duckdb", reports_dir=tmp / "r",
                                                 quarantine_dir=tmp / "q", workers=0))
    files = {f.path: f for f in summary.files}
    return {case: files[path] for case, path in paths.items()}, summary.quality


def test_the_intact_seed_still_loads(ingested):
    files, _ = ingested
    assert files["seed"].status == "loaded"


@pytest.mark.parametrize("case", CASES)
def test_a_file_that_lost_data_is_quarantined_saying_what(ingested, case):
    files, quality = ingested
    _, check, detail = CASES[case]
    result = files[case]
    assert result.status == "quarantined" and check in result.failed_checks, (result.status, result.failed_checks)
    row = quality[(quality["path"] == result.path) & (quality["expectation"] == check)].iloc[0]
    assert detail in f"{row['observed']} {row['source_cells']} {row['message']}"
