"""The seed export parses to exactly the reviewed record set (every line, target and text, with its cell)."""
import json
from collections import Counter

import pytest
from template_records import SEED, SEED_GOLDEN, as_json, parse_file


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_seed_matches_the_reviewed_golden_file(seed):
    golden = json.loads(SEED_GOLDEN.read_text(encoding="utf-8"))
    actual = as_json(seed)
    for part in ("budget", "targets", "texts", "issues", "blocks", "sources", "attributes"):
        assert actual[part] == golden[part], part
    assert actual == golden


def test_seed_totals_as_the_lead_counted(seed):
    assert (seed.template, seed.department_name, seed.fiscal_year) == ("department_overall", "苏州市总工会（本级）", 2023)
    assert Counter((b.direction, b.period) for b in seed.budget) == {
        ("income", "full_year"): 9, ("expense", "half_year"): 9, ("expense", "full_year"): 9}
    assert len(seed.targets) == 88 and len({(t.level1, t.level2, t.key_task, t.level3) for t in seed.targets}) == 44
    assert Counter(t.section for t in seed.texts) == {"functions": 11, "organization": 2, "mid_term_goal": 1,
                                                     "annual_goal": 5}
    assert seed.missing_blocks == []


@pytest.mark.parametrize("path, period, amount, cell", [
    ("资金总额", "full_year", "1363.41", "E11"),  # the value sits one row below its label
    ("财政拨款", "full_year", "1363.41", "F12"),  # the 小计 row takes its parent's path
    ("其他资金", "full_year", "0", "D19"),  # shifted left by one
    ("基本支出", "half_year", "191.76", "E21"),
    ("项目支出/工会社工工资", "full_year", "315.61", "D24"),  # lost its leading blanks
])
def test_shifted_funds_cells_are_read_by_label_not_position(seed, path, period, amount, cell):
    line = next(b for b in seed.budget if b.item_path == path and b.period == period)
    assert (str(line.amount_wan), line.sheet, line.cell) == (amount, "text", cell)


@pytest.mark.parametrize("cell", ["A73", "C74"])
def test_shifted_indicator_rows_are_realigned_and_reported(seed, cell):
    issue = next(i for i in seed.issues if i.cell == cell)
    assert (issue.code, issue.severity) == ("row_realigned", "warning")
    row = cell[1:]
    targets = [t for t in seed.targets if t.cell[1:] == row]
    assert {t.level2 for t in targets} == {"研究指导工会的自身建设和改革"}
    assert {t.key_task for t in targets} == {"激发基层工会活力"}
