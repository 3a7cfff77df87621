"""One department, spelt with invisible characters, is one department in the warehouse (issue 11, point 8)."""
from decimal import Decimal

from warehouse_factory import DEPARTMENT, FileSpec, department_submission, make_run

SPELLINGS = [DEPARTMENT, DEPARTMENT[:3] + "\u200b" + DEPARTMENT[3:], "\ufeff" + DEPARTMENT,
             DEPARTMENT[:2] + "\u00ad" + DEPARTMENT[2:] + "\u200d", "\u202e" + DEPARTMENT]


def test_invisible_characters_do_not_split_a_department(wh):
    for n, spelling in enumerate(SPELLINGS, start=1):
        make_run(f"r{n}", [FileSpec(department_submission(spelling, total=f"{1363 + n}.41"))]).load_into(wh)
    _, departments = wh.query("SELECT department_name FROM dim_department")
    assert departments == [(DEPARTMENT,)]
    _, versions = wh.query("SELECT version, is_current, department_name, department_name_raw FROM submissions "
                           "ORDER BY version")
    assert [(v, c, d) for v, c, d, _ in versions] == [(n, n == len(SPELLINGS), DEPARTMENT)
                                                      for n in range(1, len(SPELLINGS) + 1)]
    assert [raw for *_, raw in versions] == SPELLINGS  # the raw text is kept as written
    _, totals = wh.query("SELECT department_name, amount_wan FROM v_budget WHERE item_path = '资金总额'")
    assert totals == [(DEPARTMENT, Decimal(f"{1363 + len(SPELLINGS)}.41"))]  # once, the current version's
