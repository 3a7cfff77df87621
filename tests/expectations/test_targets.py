"""Targets: quantities readable; 率/度 percentages in 0–100 (warning); half-year count ≤ full (warning); no duplicates."""
import dataclasses

import pytest

CASES = {
    "good": lambda m: m.department(),
    "quantity_without_operator": lambda m: m.set_target(m.department(), "评选五一劳动奖章人数", "full_year", "300人", parse=False),
    "operator_without_number": lambda m: m.set_target(m.department(), "预算执行率", "full_year", "≥百分之百", parse=False),
    "digit_after_operator_unparsed": lambda m: m.set_target(m.department(), "预算执行率", "full_year", "= 100", parse=False),
    "word_target": lambda m: m.set_target(m.department(), "工作计划制定健全性", "full_year", "基本健全", parse=False),
    "date_in_words": lambda m: m.set_target(m.department(), "工作计划制定健全性", "full_year", "2023年度完成", parse=False),
    "rate_above_100": lambda m: m.set_target(m.department(), "劳模满意度", "full_year", "=120%"),
    "rate_exactly_100": lambda m: m.set_target(m.department(), "劳模满意度", "full_year", "=100%"),
    "half_count_above_full": lambda m: m.set_target(m.department(), "评选五一劳动奖章人数", "half_year", "=400人"),
    "half_rate_above_full": lambda m: m.set_target(m.department(), "预算执行率", "half_year", "=100%"),
    "duplicate_indicator": lambda m: m.department(targets=m.department().targets + [
        dataclasses.replace(m.department().targets[-1], cell="E99")]),
    "same_name_other_group": lambda m: m.department(targets=m.department().targets + [
        dataclasses.replace(m.department().targets[-1], level2="其他满意度", cell="E99")]),
}


@pytest.fixture(scope="module")
def run(make):
    return make.validate_cases({name: build(make) for name, build in CASES.items()})


@pytest.mark.parametrize("case, check, severity, success", [
    ("good", "quantitative_target_readable", "error", True),
    ("word_target", "quantitative_target_readable", "error", True),
    ("date_in_words", "quantitative_target_readable", "error", True),
    ("quantity_without_operator", "quantitative_target_readable", "error", False),
    ("digit_after_operator_unparsed", "quantitative_target_readable", "error", False),
    ("good", "rate_percent_within_0_100", "warning", True),
    ("rate_exactly_100", "rate_percent_within_0_100", "warning", True),
    ("rate_above_100", "rate_percent_within_0_100", "warning", False),
    ("good", "target_half_year_within_full_year", "warning", True),
    ("half_rate_above_full", "target_half_year_within_full_year", "warning", True),
    ("half_count_above_full", "target_half_year_within_full_year", "warning", False),
    ("good", "indicator_unique", "error", True),
    ("same_name_other_group", "indicator_unique", "error", True),
    ("duplicate_indicator", "indicator_unique", "error", False),
])
def test_target_check(make, run, case, check, severity, success):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["severity"] == severity
    assert bool(row["success"]) is success
    if not success:
        assert row["observed"] and row["source_cells"] and "expected" in row["message"]


@pytest.mark.parametrize("case, blocked", [
    ("rate_above_100", False), ("half_count_above_full", False),  # warnings load
    ("quantity_without_operator", True), ("duplicate_indicator", True),  # errors quarantine
    ("operator_without_number", False),  # no digit at all: a word target, nothing to read
])
def test_only_errors_block_the_load(run, case, blocked):
    outcome, keys = run
    assert (keys[case] in outcome.failed_keys) is blocked


@pytest.mark.parametrize("case, check, observed, cells", [
    ("quantity_without_operator", "quantitative_target_readable", "300人", "Sheet1!F70"),
    ("rate_above_100", "rate_percent_within_0_100", "=120%", "Sheet1!E81"),
    ("half_count_above_full", "target_half_year_within_full_year", "=400人", "Sheet1!E70, Sheet1!F70"),
    ("duplicate_indicator", "indicator_unique", "=85%", "Sheet1!E81, Sheet1!E99"),
])
def test_a_failed_target_names_value_and_cells(make, run, case, check, observed, cells):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["observed"] == observed
    assert row["source_cells"] == cells
