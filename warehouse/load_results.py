"""Loading the year-end facts of a run: indicator results and funds scores (called by warehouse.load).

Results may name indicators no target names (a self-evaluation's own indicator without a 年度指标值), so
their indicators join ``dim_indicator`` here too, by the same path as targets (levels joined with '/')."""
from __future__ import annotations

from budget_etl.warehouse.loaded import LOADED, OWNERS


def add_result_indicators(con, run_id: str) -> None:
    con.execute(f"""
        INSERT INTO dim_indicator
        SELECT (SELECT coalesce(max(indicator_id), 0) FROM dim_indicator)
                   + row_number() OVER (ORDER BY n.indicator_path),
               n.level1, n.level2, NULL, n.level3, n.indicator_path
        FROM (SELECT r.indicator_path, min(r.level1) AS level1, min(r.level2) AS level2, min(r.level3) AS level3
              FROM in_results r JOIN {LOADED} l ON l.file_key = r.file_key
              GROUP BY r.indicator_path) n
        WHERE n.indicator_path NOT IN (SELECT indicator_path FROM dim_indicator)
    """, {"run_id": run_id})


def insert_results(con, run_id: str) -> None:
    # Exact decimal text straight to DECIMAL: never through a float.
    con.execute(f"""
        INSERT INTO fact_indicator_result
        SELECT o.submission_id, o.department_id, o.fiscal_year, i.indicator_id, o.project_id, r.period,
               r.actual_raw, CAST(r.actual_value AS DECIMAL(20, 6)), r.actual_unit,
               CAST(r.score AS DECIMAL(20, 6)), CAST(r.max_score AS DECIMAL(20, 6)),
               CAST(r.level2_max AS DECIMAL(20, 6)), CAST(r.weight AS DECIMAL(20, 6)),
               r.data_items, r.reason, r.sheet, r.cell, r.actual_cell, r.score_cell, r.max_cell,
               r.explanation, r.scoring_rule, r.explanation_cell, r.rule_cell
        FROM in_results r
        JOIN {OWNERS} o ON o.file_key = r.file_key
        JOIN dim_indicator i ON i.indicator_path = r.indicator_path
    """, {"run_id": run_id})


def insert_fund_scores(con, run_id: str) -> None:
    con.execute(f"""
        INSERT INTO fact_budget_score
        SELECT o.submission_id, o.department_id, o.fiscal_year, i.fund_item_id, o.project_id,
               s.rate_raw, CAST(s.rate AS DECIMAL(20, 6)), CAST(s.max_score AS DECIMAL(20, 6)),
               CAST(s.score AS DECIMAL(20, 6)), s.sheet, s.cell, s.rate_cell, s.score_cell
        FROM in_fund_scores s
        JOIN {OWNERS} o ON o.file_key = s.file_key
        JOIN dim_fund_item i ON i.direction = s.direction AND i.item_path = s.item_path
    """, {"run_id": run_id})


# The current target tables: loaded submissions with targets but no results and no executed amounts.
_PLANS = """
    (SELECT s.* FROM submissions s
     WHERE s.status = 'loaded' AND s.is_current
       AND s.submission_id IN (SELECT submission_id FROM fact_target)
       AND s.submission_id NOT IN (SELECT submission_id FROM fact_indicator_result)
       AND s.submission_id NOT IN (SELECT submission_id FROM fact_budget WHERE measure = 'executed'))
"""


def target_table_rows(con) -> tuple[list[tuple], list[tuple]]:
    """What self-evaluations are compared with: the target tables' indicators
    ``(department, year, project, level1, level2, level3)`` and full-year budget lines
    ``(department, year, project, direction, item_path, amount_wan, 'path sheet!A1')``."""
    indicators = con.execute(f"""
        SELECT DISTINCT p.department_name, p.fiscal_year, p.project_name, i.level1, i.level2, i.level3
        FROM fact_target f JOIN {_PLANS} p ON p.submission_id = f.submission_id
        JOIN dim_indicator i ON i.indicator_id = f.indicator_id
    """).fetchall()
    budgets = con.execute(f"""
        SELECT p.department_name, p.fiscal_year, p.project_name, i.direction, i.item_path, f.amount_wan,
               p.source_path || ' ' || f.source_sheet || '!' || f.source_cell
        FROM fact_budget f JOIN {_PLANS} p ON p.submission_id = f.submission_id
        JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
        WHERE f.measure = 'budget' AND f.period = 'full_year' AND f.amount_wan IS NOT NULL
        ORDER BY p.department_name, p.fiscal_year, i.item_path
    """).fetchall()
    return indicators, budgets
