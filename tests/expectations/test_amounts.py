"""Amounts are not negative; an expense line's half-year amount does not exceed its full-year amount."""
import pytest

CASES = {
    "good": lambda m: m.department(),
    "negative_line": lambda m: m.set_amount(
        m.set_amount(m.department(), "项目支出/专项奖励表彰费", "full_year", "-110"),
        "项目支出", "full_year", "759.88"),
    "two_negative_lines": lambda m: m.set_amount(
        m.set_amount(m.department(), "国有资本金", "full_year", "-1"), "社保基金", "full_year", "-2"),
    "half_above_full": lambda m: m.set_amount(
        m.set_amount(m.department(), "项目支出/工会社工工资", "half_year", "400"), "项目支出", "half_year", "898.76"),
    "half_within_tolerance": lambda m: m.set_amount(
        m.set_amount(m.department(), "项目支出/工会社工工资", "half_year", "315.614"), "项目支出", "half_year", "814.384"),
}


@pytest.fixture(scope="module")
def run(make):
    return make.validate_cases({name: build(make) for name, build in CASES.items()})


@pytest.mark.parametrize("case, check, success, observed, cells", [
    ("good", "amount_not_negative", True, "", ""),
    ("negative_line", "amount_not_negative", False, "-110", "Sheet1!D28"),
    ("two_negative_lines", "amount_not_negative", False, "-1; -2", "Sheet1!E18, Sheet1!E19"),
    ("good", "half_year_within_full_year", True, "", ""),
    ("half_within_tolerance", "half_year_within_full_year", True, "", ""),
    ("half_above_full", "half_year_within_full_year", False, "400", "Sheet1!C26, Sheet1!D26"),
])
def test_amount_check(make, run, case, check, success, observed, cells):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["severity"] == "error"
    assert bool(row["success"]) is success
    assert row["observed"] == observed
    assert row["source_cells"] == cells
    if not success:
        assert keys[case] in outcome.failed_keys


def test_a_half_year_excess_fails_only_its_own_check(run):
    """项目支出's half year was raised with the line, so only the half ≤ full check fails."""
    outcome, keys = run
    rows = outcome.for_file(keys["half_above_full"])
    assert rows.loc[~rows["success"], "expectation"].tolist() == ["half_year_within_full_year"]


def test_messages_say_which_line_and_period(make, run):
    outcome, keys = run
    negative = make.result_of(outcome, keys["negative_line"], "amount_not_negative")["message"]
    assert "项目支出/专项奖励表彰费 (全年预算数) = -110" in negative
    half = make.result_of(outcome, keys["half_above_full"], "half_year_within_full_year")
    assert half["expected"] == "≤ 315.61"
    assert "项目支出/工会社工工资: 400, expected ≤ 315.61" in half["message"]
