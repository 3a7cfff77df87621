"""Structure: template, department and year present; year plausible; required blocks; ≥1 indicator."""
import pytest

CASES = {
    "good_department": lambda m: m.department(),
    "good_project": lambda m: m.project(),
    "no_department": lambda m: m.department(department_name=None),
    "blank_department": lambda m: m.department(department_name="   "),
    "no_year": lambda m: m.department(fiscal_year=None),
    "year_1899": lambda m: m.department(fiscal_year=1899),
    "year_2101": lambda m: m.department(fiscal_year=2101),
    "year_2000": lambda m: m.department(fiscal_year=2000),
    "missing_funds_block": lambda m: m.department(blocks={"header": "A4", "targets": "A36"}),
    "no_indicators": lambda m: m.department(targets=[]),
}


@pytest.fixture(scope="module")
def run(make):
    return make.validate_cases({name: build(make) for name, build in CASES.items()})


@pytest.mark.parametrize("case, check, success, observed, cells", [
    ("good_department", "department_present", True, "", ""),
    ("good_project", "department_present", True, "", ""),
    ("no_department", "department_present", False, "", "Sheet1!C6"),
    ("blank_department", "department_present", False, "", "Sheet1!C6"),
    ("good_department", "year_present", True, "", ""),
    ("no_year", "year_present", False, "", "Sheet1!A4"),
    ("good_department", "year_plausible", True, "", ""),
    ("year_2000", "year_plausible", True, "", ""),
    ("year_1899", "year_plausible", False, "1899", "Sheet1!A4"),
    ("year_2101", "year_plausible", False, "2101", "Sheet1!A4"),
    ("good_department", "required_blocks_found", True, "", ""),
    ("missing_funds_block", "required_blocks_found", False, "missing: funds", "Sheet1"),
    ("good_department", "has_indicators", True, "", ""),
    ("no_indicators", "has_indicators", False, "0 indicators", "Sheet1"),
    ("good_department", "template_present", True, "", ""),
])
def test_structure_check(make, run, case, check, success, observed, cells):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["severity"] == "error"
    assert row["suite"] == "structure"
    assert bool(row["success"]) is success
    assert row["observed"] == observed
    assert row["source_cells"] == cells
    if not success:
        assert keys[case] in outcome.failed_keys
        assert row["expected"] and "expected" in row["message"]


def test_a_missing_year_is_not_also_reported_as_implausible(make, run):
    outcome, keys = run
    assert bool(make.result_of(outcome, keys["no_year"], "year_plausible")["success"]) is True


def test_the_good_submissions_pass_every_check(run):
    outcome, keys = run
    for case in ("good_department", "good_project", "year_2000"):
        assert keys[case] not in outcome.failed_keys
        rows = outcome.for_file(keys[case])
        assert rows["success"].all(), rows[~rows["success"]][["expectation", "message"]].to_string()
