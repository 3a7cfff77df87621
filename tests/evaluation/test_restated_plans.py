"""A self-evaluation restates its target table's plan (全年预算数): loading it must not make v_budget count that
money twice. Its amounts are kept (fact_budget, measure `budget`) and set against 全年执行数 in v_budget_execution."""
from __future__ import annotations

from evaluation_support import SAMPLES, ingest, query

SELF_EVALUATIONS = sorted(SAMPLES.glob("*self-evaluation*"))
PLANS = sorted(p for p in SAMPLES.iterdir() if "evaluation" not in p.name)  # target tables, disclosure, bad sample


def _v_budget(run_dirs) -> tuple:
    row = query(run_dirs, "select count(*) as n, sum(amount_wan) as total from v_budget")[0]
    by_family = query(run_dirs, "select template, sum(amount_wan) as total from v_budget group by all order by all")
    return row["n"], row["total"], [(r["template"], r["total"]) for r in by_family]


def test_loading_self_evaluations_changes_no_unfiltered_v_budget_sum(tmp_path):
    assert len(SELF_EVALUATIONS) == 2
    run_dirs = {"db": tmp_path / "w.duckdb", "reports": tmp_path / "reports", "quarantine": tmp_path / "q"}
    ingest(PLANS, run_dirs)
    before = _v_budget(run_dirs)
    assert before[0] > 0 and {family for family, _ in before[2]} == {"department_overall", "project"}

    code, summary = ingest(SELF_EVALUATIONS, run_dirs)
    assert code == 0 and {f["status"] for f in summary["files"]} == {"loaded"}
    assert _v_budget(run_dirs) == before  # the same rows, the same sum: each plan counted once

    # The restated plan is still in the warehouse, marked as such, and compared with what was executed.
    restated = query(run_dirs, """select s.template, s.restates_plan, count(*) as n, sum(f.amount_wan) as total
                                  from fact_budget f join submissions s using (submission_id)
                                  where f.measure = 'budget' and s.status = 'loaded'
                                  group by all order by all""")
    flags = {r["template"]: r["restates_plan"] for r in restated}
    assert flags == {"department_overall": False, "project": False,
                     "department_self_evaluation": True, "project_self_evaluation": True}
    assert all(r["total"] > 0 for r in restated)
    execution = query(run_dirs, "select template, count(budget_wan) as n from v_budget_execution group by all")
    assert {r["template"] for r in execution if r["n"] > 0} == {"department_self_evaluation",
                                                                 "project_self_evaluation"}
