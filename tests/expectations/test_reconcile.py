"""Reconciliation within 0.005 万元: funds total, 财政拨款, expenses vs funds, project lines, project template."""
import pytest

CASES = {
    "good_department": lambda m: m.department(),
    "good_project": lambda m: m.project(),
    "total_too_high": lambda m: m.set_amount(m.department(), "资金总额", "full_year", "1400"),
    "total_within_tolerance": lambda m: m.set_amount(m.department(), "资金总额", "full_year", "1363.414"),
    "total_just_outside_tolerance": lambda m: m.set_amount(m.department(), "资金总额", "full_year", "1363.416"),
    "appropriation_part_wrong": lambda m: m.set_amount(m.department(), "财政拨款/一般公共预算资金", "full_year", "1300"),
    "basic_expense_wrong": lambda m: m.set_amount(m.department(), "基本支出", "full_year", "383"),
    "project_line_half_wrong": lambda m: m.set_amount(m.department(), "项目支出/工会社工工资", "half_year", "157"),
    "blank_other_funds": lambda m: m.set_amount(m.department(), "其他资金", "full_year", None),
    "no_state_capital_line": lambda m: m.department(
        budget=[b for b in m.department().budget if b.item_path != "国有资本金"]),
    "project_total_wrong": lambda m: m.set_amount(m.project(), "资金总额", "full_year", "400"),
}


@pytest.fixture(scope="module")
def run(make):
    return make.validate_cases({name: build(make) for name, build in CASES.items()})


@pytest.mark.parametrize("case, check, success", [
    ("good_department", "funds_total_reconciles", True),
    ("total_within_tolerance", "funds_total_reconciles", True),
    ("blank_other_funds", "funds_total_reconciles", True),
    ("no_state_capital_line", "funds_total_reconciles", True),
    ("total_too_high", "funds_total_reconciles", False),
    ("total_just_outside_tolerance", "funds_total_reconciles", False),
    ("good_department", "appropriation_reconciles", True),
    ("appropriation_part_wrong", "appropriation_reconciles", False),
    ("good_department", "expenses_match_funds", True),
    ("basic_expense_wrong", "expenses_match_funds", False),
    ("total_too_high", "expenses_match_funds", False),
    ("good_project", "project_funds_reconcile", True),
    ("project_total_wrong", "project_funds_reconcile", False),
])
def test_reconcile_check(make, run, case, check, success):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert (row["suite"], row["severity"]) == ("reconcile", "error")
    assert bool(row["success"]) is success
    if not success:
        assert keys[case] in outcome.failed_keys


@pytest.mark.parametrize("case, check, observed, expected_starts, cells_include", [
    ("total_too_high", "funds_total_reconciles", "1400", "1363.41 = 财政拨款 1363.41 + 国有资本金 0",
     ["Sheet1!E13", "Sheet1!F14", "Sheet1!D21"]),
    ("appropriation_part_wrong", "appropriation_reconciles", "1363.41", "1300 = 财政拨款/一般公共预算资金 1300",
     ["Sheet1!F14", "Sheet1!F15"]),
    ("basic_expense_wrong", "expenses_match_funds", "1363.41", "1362.88 = 基本支出 383 + 项目支出 979.88",
     ["Sheet1!E13", "Sheet1!F23", "Sheet1!F24"]),
    ("project_line_half_wrong", "project_lines_reconcile", "656.57", "655.76 = 项目支出/退休人员体检费 0",
     ["Sheet1!E24", "Sheet1!C26"]),
    ("project_total_wrong", "project_funds_reconcile", "400", "395 = 财政拨款 300 + 上年结转资金 45 + 其他资金 50",
     ["Sheet1!C7", "Sheet1!C10"]),
])
def test_a_failed_sum_names_observed_expected_and_cells(make, run, case, check, observed, expected_starts, cells_include):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["observed"] == observed
    assert row["expected"].startswith(expected_starts)
    for cell in cells_include:
        assert cell in row["source_cells"].split(", ")
    assert observed in row["message"] and "expected" in row["message"]


def test_project_lines_are_checked_per_period(make, run):
    """A wrong half-year line fails the half-year sum only: one result row, naming the half-year period."""
    outcome, keys = run
    row = make.result_of(outcome, keys["project_line_half_wrong"], "project_lines_reconcile")
    assert not row["success"]
    assert "半年计划执行数" in row["message"] and "全年预算数" not in row["message"]
    good = make.result_of(outcome, keys["good_department"], "project_lines_reconcile")
    assert bool(good["success"])


@pytest.mark.parametrize("case, check", [
    ("good_project", "funds_total_reconciles"),
    ("good_project", "expenses_match_funds"),
    ("good_department", "project_funds_reconcile"),
])
def test_rules_of_the_other_template_do_not_apply(run, case, check):
    outcome, keys = run
    rows = outcome.results
    assert rows[(rows["file_key"] == keys[case]) & (rows["expectation"] == check)].empty
