"""Local forms mark their columns with formulas and units where the national form has none: 全年预算数（A）,
全年执行数（B）, 执行率（B/A）, 年度指标值（A）, 得分（分）. Such a file reads exactly as the plain one; a header that
keeps no target value column at all is a warning, never a crash."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.templates import parse_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MARKED = {"全年预算数": "全年预算数（A）", "全年执行数": "全年执行数（B）", "执行率": "执行率（B/A）",
          "年度指标值": "年度指标值（A）", "实际完成值": "实际完成值（B）", "分值": "分值（分）", "得分": "得分（分）",
          "指标值": "指标值（%）", "半年计划执行数": "半年计划执行数（万元）"}


def _rewrite(source: Path, target: Path, words: dict[str, str]) -> int:
    book = openpyxl.load_workbook(source)
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip() in words:
                    cell.value = words[cell.value.strip()]
                    changed += 1
    book.save(target)
    return changed


def _parsed(path: Path):
    parsed = parse_workbook(read_bytes(path.read_bytes(), path.name))
    return (parsed.template, parsed.department_name, parsed.fiscal_year, parsed.project_name, parsed.budget,
            parsed.targets, parsed.results, parsed.fund_scores, parsed.texts,
            [(issue.code, issue.cell) for issue in parsed.issues])


@pytest.mark.parametrize("name", [
    "wujiang-trade-union-2024-department.xlsx",
    "suzhou-trade-union-2023-project-labour-model-funds.xlsx",
    "suzhou-trade-union-2023-department-self-evaluation.xlsx",
    "suzhou-trade-union-2023-project-labour-model-funds-self-evaluation.xlsx",
])
def test_marked_header_words_read_as_the_plain_ones(tmp_path, name):
    plain, marked = tmp_path / "plain.xlsx", tmp_path / "marked.xlsx"
    _rewrite(SAMPLES / name, plain, {})  # the same writer for both: only the words differ
    assert _rewrite(SAMPLES / name, marked, MARKED) >= 1
    expected = _parsed(plain)
    assert expected[4] or expected[5]  # something was read
    assert _parsed(marked) == expected


def test_an_indicator_table_without_a_value_column_is_a_warning(tmp_path):
    renamed = tmp_path / "renamed.xlsx"
    assert _rewrite(SAMPLES / "suzhou-trade-union-2023-project-labour-model-funds.xlsx", renamed,
                    {"指标值": "备注"}) == 1
    parsed = parse_workbook(read_bytes(renamed.read_bytes(), renamed.name))
    assert parsed.template == "project" and parsed.targets == []
    assert [issue.code for issue in parsed.issues] == ["target_values_missing"]


@pytest.mark.parametrize("name", [
    "suzhou-trade-union-2023-department-self-evaluation.xlsx",
    "suzhou-trade-union-2023-project-labour-model-funds-self-evaluation.xlsx",
])
def test_self_evaluations_in_other_provinces_wording_read_the_same(tmp_path, name):
    plain, worded = tmp_path / "plain.xlsx", tmp_path / "worded.xlsx"
    _rewrite(SAMPLES / name, plain, {})
    assert _rewrite(SAMPLES / name, worded, {"全年执行数": "全年实际执行数", "执行率": "预算执行率",
                                             "实际完成值": "全年实际值", "偏差原因分析及改进措施": "未完成原因分析"}) == 4
    assert _parsed(worded) == _parsed(plain)
