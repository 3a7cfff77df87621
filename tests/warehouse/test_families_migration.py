"""The migration that makes families data: a warehouse built at the previous schema, with data, keeps every row
and its versions; afterwards any family name loads, and fact_budget has measures and source units."""
from decimal import Decimal

import duckdb
import pytest
from warehouse_factory import FileSpec, department_submission, make_run

from budget_etl.parsers.records import MeasuredLine
from budget_etl.warehouse import Warehouse
from budget_etl.warehouse.migrate import available_migrations, migrate

# The migration before this one: the schema every warehouse had when families were two Python modules.
BEFORE = next(m.version for m in available_migrations() if m.name == "families_as_data") - 1


def _old_warehouse(db_path):
    """Two versions of one department table, a quarantined file, a project table, each with facts."""
    con = duckdb.connect(str(db_path))
    migrate(con, upto=BEFORE)
    con.execute("INSERT INTO ingest_runs VALUES ('r1', now(), now(), 3, 2, 1, 0, 0, NULL), "
                "('r2', now(), now(), 1, 1, 0, 0, 0, NULL)")
    con.execute("""INSERT INTO submissions (submission_id, run_id, source_path, source_sha256, template,
                   department_name, fiscal_year, project_name, status, version, is_current, superseded_by,
                   loaded_at, department_name_raw, file_key) VALUES
        ('r1-0001', 'r1', '/a.xlsx', 'a', 'department_overall', '某局', 2023, NULL, 'loaded', 1, false, 'r2-0001',
         now(), '某局', 1),
        ('r1-0002', 'r1', '/b.xlsx', 'b', 'project', '某局', 2023, '甲项目', 'loaded', 1, true, NULL, now(), '某局', 2),
        ('r1-0003', 'r1', '/c.xlsx', 'c', 'department_overall', '乙局', 2023, NULL, 'quarantined', NULL, false,
         NULL, now(), '乙局', 3),
        ('r2-0001', 'r2', '/a2.xlsx', 'a2', 'department_overall', '某局', 2023, NULL, 'loaded', 2, true, NULL,
         now(), '某局', 1)""")
    con.execute("INSERT INTO dim_department VALUES (1, '某局')")
    con.execute("INSERT INTO dim_project VALUES (1, 1, '甲项目')")
    con.execute("INSERT INTO dim_fund_item VALUES (1, 'income', '资金总额'), (2, 'expense', '基本支出')")
    con.execute("""INSERT INTO fact_budget VALUES
        ('r1-0001', 1, 2023, 1, NULL, 'full_year', 1000.5, 'S', 'D8', '1000.5'),
        ('r2-0001', 1, 2023, 1, NULL, 'full_year', 1363.4100, 'S', 'D8', '1,363.41'),
        ('r2-0001', 1, 2023, 2, NULL, 'half_year', 191.7600, 'S', 'E9', '191.76'),
        ('r1-0002', 1, 2023, 1, 1, 'full_year', 395, 'S', 'C6', '395')""")
    before = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("submissions", "fact_budget", "ingest_runs")}
    con.close()
    return before


def test_every_row_and_version_survives_the_rebuild(db_path):
    before = _old_warehouse(db_path)
    with Warehouse(db_path) as wh:
        assert wh.schema_version == len(available_migrations())
        con = wh.connection
        assert {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before} == before
        assert con.execute("""SELECT submission_id, status, version, is_current, superseded_by FROM submissions
                              ORDER BY submission_id""").fetchall() == [
            ("r1-0001", "loaded", 1, False, "r2-0001"), ("r1-0002", "loaded", 1, True, None),
            ("r1-0003", "quarantined", None, False, None), ("r2-0001", "loaded", 2, True, None)]
        assert con.execute("""SELECT submission_id, source_cell, amount_wan, measure, amount_raw, amount_unit
                              FROM fact_budget ORDER BY submission_id, source_cell""").fetchall() == [
            ("r1-0001", "D8", Decimal("1000.500000"), "budget", "1000.5", "万元"),
            ("r1-0002", "C6", Decimal("395.000000"), "budget", "395", "万元"),
            ("r2-0001", "D8", Decimal("1363.410000"), "budget", "1,363.41", "万元"),
            ("r2-0001", "E9", Decimal("191.760000"), "budget", "191.76", "万元")]
        # The views read the rebuilt tables: current versions only, with their family.
        assert wh.query("SELECT template, project_name, item_path, period, amount_wan FROM v_budget "
                        "ORDER BY 1, 3, 4")[1] == [
            ("department_overall", None, "基本支出", "half_year", Decimal("191.760000")),
            ("department_overall", None, "资金总额", "full_year", Decimal("1363.410000")),
            ("project", "甲项目", "资金总额", "full_year", Decimal("395.000000"))]
        assert wh.query("SELECT department_name, income_total_wan, project_submissions, project_funds_wan "
                        "FROM v_department_year_totals")[1] == [("某局", Decimal("1363.410000"), 1,
                                                                  Decimal("395.000000"))]
        # A run after the migration continues the old version chain.
        make_run("r3", [FileSpec(department_submission(name="某局", year=2023))]).load_into(wh)
        assert wh.query("SELECT submission_id, version FROM submissions WHERE is_current AND project_name IS NULL "
                        "AND department_name = '某局'")[1] == [("r3-0001", 3)]


def test_any_declared_family_name_loads(wh):
    submission = department_submission()
    submission.template = "department_overall_local"  # a bureau's renamed copy: no CHECK refuses it
    make_run("r1", [FileSpec(submission)]).load_into(wh)
    assert wh.query("SELECT DISTINCT template FROM v_budget")[1] == [("department_overall_local",)]
    assert wh.query("SELECT DISTINCT template FROM v_targets")[1] == [("department_overall_local",)]


def test_other_measures_and_units_are_kept_and_v_budget_shows_the_plan_only(wh):
    submission = department_submission()
    submission.budget.append(MeasuredLine("income", "资金总额", "full_year", Decimal("1.234567"), "12345.67",
                                          "Sheet1", "F8", "executed", "元"))
    make_run("r1", [FileSpec(submission)]).load_into(wh)
    assert wh.query("SELECT measure, amount_wan, amount_raw, amount_unit FROM fact_budget "
                    "WHERE source_cell = 'F8'")[1] == [("executed", Decimal("1.234567"), "12345.67", "元")]
    assert wh.query("SELECT count(*) FROM v_budget WHERE source_cell = 'F8'")[1] == [(0,)]
    assert wh.query("SELECT count(*) FROM v_budget WHERE source_cell = 'D8'")[1] == [(1,)]


@pytest.mark.parametrize("bad", ["forecast"])
def test_an_unknown_measure_is_refused_by_the_warehouse(wh, bad):
    with pytest.raises(duckdb.ConstraintException):
        wh.connection.execute("INSERT INTO fact_budget (submission_id, fund_item_id, period, measure) "
                              "VALUES ('x', 1, 'full_year', ?)", [bad])
