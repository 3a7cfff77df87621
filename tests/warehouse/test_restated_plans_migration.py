"""The migration that keeps restated plans out of v_budget, on a warehouse loaded before it."""
from decimal import Decimal

import duckdb

from budget_etl.warehouse import Warehouse
from budget_etl.warehouse.migrate import available_migrations, migrate


def test_the_migration_marks_self_evaluations_loaded_before_it(db_path):
    """A warehouse of the schema before it, holding a target table and a self-evaluation of its plan."""
    before = next(m.version for m in available_migrations() if m.name == "restated_plans") - 1
    con = duckdb.connect(str(db_path))
    migrate(con, upto=before)
    con.execute("INSERT INTO ingest_runs VALUES ('r1', now(), now(), 2, 2, 0, 0, 0, NULL)")
    con.execute("""INSERT INTO submissions (submission_id, run_id, source_path, source_sha256, template,
                   department_name, fiscal_year, project_name, status, version, is_current, loaded_at, file_key)
                   VALUES
        ('r1-0001', 'r1', '/plan.xlsx', 'a', 'department_overall', '某局', 2023, NULL, 'loaded', 1, true, now(), 1),
        ('r1-0002', 'r1', '/self.xlsx', 'b', 'department_self_evaluation', '某局', 2023, NULL, 'loaded', 1, true,
         now(), 2),
        ('r1-0003', 'r1', '/local.xlsx', 'c', 'year_end_local', '某局', 2023, NULL, 'loaded', 1, true, now(), 3)""")
    con.execute("INSERT INTO dim_department VALUES (1, '某局')")
    con.execute("INSERT INTO dim_fund_item VALUES (1, 'income', '资金总额')")
    con.execute("""INSERT INTO fact_budget VALUES
        ('r1-0001', 1, 2023, 1, NULL, 'full_year', 820.5, 'S', 'D8', 'budget', '820.5', '万元'),
        ('r1-0002', 1, 2023, 1, NULL, 'full_year', 820.5, 'S', 'E7', 'budget', '820.5', '万元'),
        ('r1-0002', 1, 2023, 1, NULL, 'full_year', 800.0, 'S', 'F7', 'executed', '800', '万元'),
        ('r1-0003', 1, 2023, 1, NULL, 'full_year', 820.5, 'S', 'E7', 'budget', '820.5', '万元'),
        ('r1-0003', 1, 2023, 1, NULL, 'full_year', 810.0, 'S', 'F7', 'executed', '810', '万元')""")
    con.close()
    with Warehouse(db_path) as wh:
        assert wh.query("SELECT submission_id, restates_plan FROM submissions ORDER BY 1")[1] == [
            ("r1-0001", False), ("r1-0002", True), ("r1-0003", True)]  # a family of its own that reports execution
        assert wh.query("SELECT template, amount_wan FROM v_budget")[1] == [("department_overall", Decimal("820.5"))]
