"""Numbers too large for the warehouse's DECIMAL column stop their own file (not the whole run's load); the
column's maximum itself is taken (issue 11: the boundary was off by one through a float comparison)."""

import duckdb
import pytest

from budget_etl.warehouse import Warehouse
from budget_etl.warehouse.schema import decimal_fits, decimal_type


def largest(table: str, column: str) -> str:
    """The largest number the column holds: all nines (14 before the point for DECIMAL(20,6) or (18,4))."""
    precision, scale = decimal_type(table, column)
    return "9" * (precision - scale) + "." + "9" * scale


AMOUNT_MAX, TARGET_MAX = largest("fact_budget", "amount_wan"), largest("fact_target", "value")
CASES = {
    "good": lambda m: m.department(),
    "huge_amount": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", "123456789012345678"),
    "just_below": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", "99999999999999.5"),
    "huge_target": lambda m: m.set_target(m.department(), "评选五一劳动奖章人数", "full_year", "=100000000000000000人"),
    "at_the_maximum": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", AMOUNT_MAX),
    # one more digit that rounds up past the maximum when cast to the column's scale
    "rounds_past_the_maximum": lambda m: m.set_amount(m.department(), "国有资本金", "full_year", AMOUNT_MAX + "5"),
    "target_at_the_maximum": lambda m: m.set_target(m.department(), "评选五一劳动奖章人数", "full_year",
                                                    f"={TARGET_MAX}人"),
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
    ("at_the_maximum", "amount_fits_warehouse", True),
    ("rounds_past_the_maximum", "amount_fits_warehouse", False),
    ("target_at_the_maximum", "target_value_fits_warehouse", True),
])
def test_range_check(make, run, case, check, success):
    outcome, keys = run
    row = make.result_of(outcome, keys[case], check)
    assert row["severity"] == "error"
    assert bool(row["success"]) is success
    if not success:  # (a passing range check can still be quarantined by the sums it breaks)
        assert keys[case] in outcome.failed_keys


@pytest.mark.parametrize("table, column", [("fact_budget", "amount_wan"), ("fact_target", "value")])
def test_the_limit_is_the_columns_own_type(tmp_path, table, column):
    """No second constant: the check reads precision and scale from the migrated schema."""
    Warehouse(tmp_path / "w.duckdb").close()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        actual = con.execute("SELECT numeric_precision, numeric_scale FROM information_schema.columns "
                             "WHERE table_name = ? AND column_name = ?", [table, column]).fetchone()
        precision, scale = decimal_type(table, column)
        assert (precision, scale) == actual
        # What decimal_fits accepts, DuckDB casts; what it refuses, DuckDB refuses.
        largest = "9" * (precision - scale) + "." + "9" * scale
        for text in (largest, largest + "4", largest + "5", "1" + "0" * (precision - scale), "-" + largest):
            try:
                con.execute(f"SELECT CAST('{text}' AS DECIMAL({precision}, {scale}))").fetchall()
                casts = True
            except duckdb.ConversionException:
                casts = False
            assert decimal_fits(text, precision, scale) is casts, text


@pytest.mark.parametrize("precision, scale, text, fits", [
    (18, 4, "99999999999999.9999", True), (18, 4, "100000000000000", False),
    (20, 6, "99999999999999.999999", True), (20, 6, "100000000000000", False), (20, 6, "1234567890123.5", True),
    (18, 4, "1E+400", False), (18, 4, "0.00005", True), (18, 4, None, True),
])
def test_fits_follows_precision_and_scale(precision, scale, text, fits):
    assert decimal_fits(text, precision, scale) is fits

