"""The DECIMAL column's maximum itself loads (issue 11: the gate's float comparison refused it)."""
from decimal import Decimal

from warehouse_factory import FileSpec, department_submission, make_run

from budget_etl.warehouse.schema import decimal_type


def test_the_maximum_loads_exactly(wh):
    precision, scale = decimal_type("fact_budget", "amount_wan")
    largest = "9" * (precision - scale) + "." + "9" * scale
    make_run("r1", [FileSpec(department_submission(total=largest))]).load_into(wh)
    _, rows = wh.query("SELECT amount_wan FROM v_budget WHERE item_path = '资金总额'")
    assert rows == [(Decimal(largest),)]
