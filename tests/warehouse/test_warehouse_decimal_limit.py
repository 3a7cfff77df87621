"""The DECIMAL column's maximum itself loads (issue 11: the gate's float comparison refused it)."""
from decimal import Decimal

from warehouse_factory import FileSpec, department_submission, make_run


def test_the_maximum_loads_exactly(wh):
    make_run("r1", [FileSpec(department_submission(total="99999999999999.9999"))]).load_into(wh)
    _, rows = wh.query("SELECT amount_wan FROM v_budget WHERE item_path = '资金总额'")
    assert rows == [(Decimal("99999999999999.9999"),)]
