"""Numbers too large for the warehouse's DECIMAL(18,4) stop their own file (not the whole run's load)."""
import pytest

CASES = {
    "good": lambda m: m.department(),
    "huge_amount": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", "123456789012345678"),
    "just_below": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", "99999999999999.5"),
    "huge_target": lambda m: m.set_target(m.department(), "评选五一劳动奖章人数", "full_year", "=100000000000000000人"),
}


@pytest.fixture(scope="module")
def run(make):
    return make.validate_cases({name: build(make) for name, build in CASES.items()})


@pytest.mark.parametrize("case, check, success", [
    ("good", "amount_fits_warehouse", True),
    ("just_below", "amount_fits_warehouse", True),
    ("huge_amount", "amount_fits_warehouse", False),
    ("good", "target_value_fits_warehouse", True),
    ("huge_target", "target_value_fits_warehouse", False),
])
def test_range_check(make, run, case, check, success):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["severity"] == "error"
    assert bool(row["success"]) is success
    if not success:  # (a passing range check can still be quarantined by the sums it breaks)
        assert keys[case] in outcome.failed_keys
