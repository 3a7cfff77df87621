"""`budget-etl dashboard`: one self-contained page over the whole warehouse, for analysts.

Four panels, each an inline SVG chart (``flows.charts``) with its numbers in a table beside it:

1. spending by department and year (``v_department_year_totals``);
2. budget vs executed (``v_budget_execution``, else ``fact_budget.measure``);
3. target attainment by department (``v_target_attainment``);
4. quality over time (``submissions`` and ``ingest_runs``).

Panels 2 and 3 read what the self-evaluation families add to the warehouse. The dashboard asks the catalog
what exists and recognises the columns it needs by name, so a warehouse without them (or with them still
empty) gets a panel saying so in plain words, never a failure; when they arrive, the panel uses them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from budget_etl.flows.charts import STATUS_COLOURS, Series, hbar_chart, number, stacked_columns
from budget_etl.flows.report_html import esc, html_page

DASHBOARD_HTML = "dashboard.html"
#: Bars per chart (the largest first); the table under each chart lists up to MAX_TABLE_ROWS.
MAX_BARS = 15
MAX_TABLE_ROWS = 500
MAX_YEARS = 4  # the latest years shown as series in the spending chart

_NUMERIC = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT")


@dataclass(slots=True)
class Panel:
    title: str
    body: str  # chart and table, or a plain sentence saying why there is nothing to show


def write_dashboard(db_path: Path, out_dir: Path) -> Path:
    """Write ``<out_dir>/dashboard.html``; returns its path."""
    from budget_etl.warehouse import Warehouse

    with Warehouse(db_path, read_only=True, sealed=True) as wh:  # reads the warehouse, no other file
        con = wh.connection
        panels = [spending_panel(con), execution_panel(con), attainment_panel(con), quality_panel(con)]
        loaded, departments = con.execute(
            "SELECT count(*), count(DISTINCT department_name) FROM submissions "
            "WHERE status = 'loaded' AND is_current").fetchone()
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    body = ["<h1>Budget warehouse dashboard 预算绩效数据概览</h1>",
            f'<p class="meta">Warehouse {esc(db_path)} · {loaded} current loaded submissions from {departments} '
            f"departments · generated {esc(generated)}</p>",
            '<nav><p>' + " · ".join(f'<a href="#panel-{n}">{esc(p.title)}</a>' for n, p in enumerate(panels, 1))
            + "</p></nav>"]
    for n, panel in enumerate(panels, start=1):
        body.append(f'<section class="panel" id="panel-{n}"><h2>{esc(panel.title)}</h2>{panel.body}</section>')
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / DASHBOARD_HTML
    path.write_text(html_page("budget-etl dashboard", body), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- the catalog
def columns_of(con, relation: str) -> dict[str, str] | None:
    """A table's or view's columns (name -> type), or None when the warehouse has no such relation."""
    rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                       [relation]).fetchall()
    return {name: str(kind).upper() for name, kind in rows} or None


def _numeric(kind: str) -> bool:
    return kind.split("(")[0].strip() in _NUMERIC


def _pick(columns: dict[str, str], *, contains: tuple[str, ...], numeric: bool = False, boolean: bool = False,
          excluding: tuple[str, ...] = ()) -> str | None:
    """The first column whose name holds one of ``contains`` (and none of ``excluding``) with the right type."""
    for name, kind in columns.items():
        lowered = name.lower()
        if not any(word in lowered for word in contains) or any(word in lowered for word in excluding):
            continue
        if numeric and not _numeric(kind):
            continue
        if boolean and kind != "BOOLEAN":
            continue
        return name
    return None


def _missing(what: str, why: str) -> str:
    return f'<p class="none">{esc(what)}: {esc(why)}</p>'


# ---------------------------------------------------------------------------------------- panels
def spending_panel(con) -> Panel:
    title = "Spending by department and year 各部门各年度支出"
    if columns_of(con, "v_department_year_totals") is None:
        return Panel(title, _missing("Not available", "this warehouse has no v_department_year_totals view."))
    rows = con.execute(
        "SELECT department_name, fiscal_year, CAST(coalesce(expense_full_year_wan, project_funds_wan) AS DOUBLE) "
        "FROM v_department_year_totals WHERE coalesce(expense_full_year_wan, project_funds_wan) IS NOT NULL "
        "ORDER BY department_name, fiscal_year").fetchall()
    if not rows:
        return Panel(title, _missing("Nothing yet", "no department or project table with amounts is loaded."))
    years = sorted({r[1] for r in rows})[-MAX_YEARS:]
    by_dept: dict[str, dict[int, float]] = {}
    for dept, year, amount in rows:
        by_dept.setdefault(dept, {})[year] = amount
    # Ranked on the years shown: a department whose amounts are all older would be a row of empty bars.
    shown_max = {d: max((v for y, v in amounts.items() if y in years), default=None) for d, amounts in by_dept.items()}
    ranked = sorted((d for d in by_dept if shown_max[d] is not None), key=lambda d: (-shown_max[d], d))
    shown = ranked[:MAX_BARS]
    series = [Series(str(y), [by_dept[d].get(y) for d in shown]) for y in years]
    caption = (f"全年支出 (基本支出 + 项目支出, full year; a department with project tables only: their 资金总额), "
               f"万元; the {len(shown)} largest of {len(by_dept)} departments, years {years[0]}–{years[-1]}")
    table = _table(["单位名称", "年度", "支出 万元"], [(d, y, number(a)) for d, y, a in rows])
    return Panel(title, hbar_chart(shown, series, caption=caption, unit="") + table)


def execution_panel(con) -> Panel:
    title = "Budget vs executed 预算与执行"
    view = columns_of(con, "v_budget_execution")
    rows, source = None, ""
    if view is not None:
        rows, source = _execution_from_view(con, view)
    if rows is None:
        fact = columns_of(con, "fact_budget") or {}
        if "measure" in fact:
            rows, source = _execution_from_facts(con), "fact_budget (measure budget vs executed, 资金总额, full year)"
    if rows is None:
        return Panel(title, _missing(
            "Not available yet", "this warehouse has neither a v_budget_execution view nor a measure column in "
            "fact_budget (both come with the self-evaluation families, 绩效自评表). Nothing to compare."))
    if not rows:
        return Panel(title, _missing("Nothing yet", f"{source} has no executed amounts: no self-evaluation "
                                                    "(全年执行数) is loaded."))
    rows.sort(key=lambda r: (-(r[2] or 0), r[0], r[1]))
    shown = rows[:MAX_BARS]
    labels = [f"{d} {y}" for d, y, _, _ in shown]
    chart = hbar_chart(labels, [Series("budget 预算", [r[2] for r in shown], "#1a73e8"),
                                Series("executed 执行", [r[3] for r in shown], "#e8710a")],
                       caption=f"万元, the {len(shown)} largest budgets of {len(rows)} (department, year); "
                               f"source: {source}")
    table = _table(["单位名称", "年度", "预算 万元", "执行 万元", "执行率"],
                   [(d, y, number(b), number(e), _rate(e, b)) for d, y, b, e in rows])
    return Panel(title, chart + table)


def _execution_from_view(con, view: dict[str, str]) -> tuple[list | None, str]:
    from budget_etl.warehouse.sql import quoted  # with the warehouse's other imports: not at the page's import

    budget = _pick(view, contains=("budget",), numeric=True, excluding=("rate", "initial", "ratio"))
    executed = _pick(view, contains=("execut",), numeric=True, excluding=("rate", "ratio"))
    if "department_name" not in view or "fiscal_year" not in view or not budget or not executed:
        return None, ""
    where = []
    if "item_path" in view:
        where.append("item_path = '资金总额'")
    if "period" in view:
        where.append("period = 'full_year'")
    if "project_name" in view:  # department-level rows when there are any: projects add up to them
        where.append("(project_name IS NULL OR department_name NOT IN (SELECT department_name FROM "
                     "v_budget_execution WHERE project_name IS NULL))")
    sql = (f"SELECT department_name, fiscal_year, CAST(sum({quoted(budget)}) AS DOUBLE), "
           f"CAST(sum({quoted(executed)}) AS DOUBLE) FROM v_budget_execution "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY department_name, fiscal_year "
           f"HAVING sum({quoted(executed)}) IS NOT NULL")
    return [tuple(r) for r in con.execute(sql).fetchall()], f"v_budget_execution ({budget} vs {executed})"


def _execution_from_facts(con) -> list:
    sql = """
        SELECT d.department_name, f.fiscal_year,
               CAST(sum(f.amount_wan) FILTER (WHERE f.measure = 'budget') AS DOUBLE),
               CAST(sum(f.amount_wan) FILTER (WHERE f.measure = 'executed') AS DOUBLE)
        FROM fact_budget f
        JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
        JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
        JOIN dim_department d ON d.department_id = f.department_id
        WHERE i.item_path = '资金总额' AND f.period = 'full_year'
        GROUP BY d.department_name, f.fiscal_year
        HAVING sum(f.amount_wan) FILTER (WHERE f.measure = 'executed') IS NOT NULL"""
    return [tuple(r) for r in con.execute(sql).fetchall()]


def attainment_panel(con) -> Panel:
    from budget_etl.warehouse.sql import quoted

    title = "Target attainment by department 各部门绩效目标完成情况"
    view = columns_of(con, "v_target_attainment")
    if view is None:
        return Panel(title, _missing(
            "Not available yet", "this warehouse has no v_target_attainment view (it comes with the "
            "self-evaluation families, 绩效自评表: the targets joined to what was achieved)."))
    attained = _pick(view, contains=("attain", "met", "achiev", "hold", "reach"), boolean=True) or \
        _pick(view, contains=("",), boolean=True, excluding=("quantitative",))
    score = _pick(view, contains=("score",), numeric=True, excluding=("max",))
    maximum = _pick(view, contains=("max", "weight"), numeric=True)
    if "department_name" not in view or not (attained or (score and maximum)):
        return Panel(title, _missing("Not shown", "v_target_attainment has no column this page recognises "
                                                  f"(columns: {', '.join(view)})."))
    if attained:
        a = quoted(attained)
        sql = (f"SELECT department_name, count({a}), count(*) FILTER (WHERE {a}), "
               f"CAST(100.0 * count(*) FILTER (WHERE {a}) / nullif(count({a}), 0) AS DOUBLE) "
               f"FROM v_target_attainment GROUP BY department_name HAVING count({a}) > 0")
        what = f"share of indicators whose target was reached ({attained})"
    else:
        s, m = quoted(score), quoted(maximum)
        sql = (f"SELECT department_name, count({s}), NULL, "
               f"CAST(100.0 * sum({s}) / nullif(sum({m}), 0) AS DOUBLE) FROM v_target_attainment "
               f"GROUP BY department_name HAVING sum({m}) > 0")
        what = f"score as a share of the maximum ({score} / {maximum})"
    rows = [tuple(r) for r in con.execute(sql).fetchall()]
    if not rows:
        return Panel(title, _missing("Nothing yet", "v_target_attainment has no rows: no self-evaluation is "
                                                    "loaded, so no target can be compared with its result."))
    rows.sort(key=lambda r: (r[3] if r[3] is not None else 101, r[0]))
    shown = rows[:MAX_BARS]
    chart = hbar_chart([r[0] for r in shown], [Series("attainment 完成率", [r[3] for r in shown], "#188038")],
                       caption=f"%, {what}; the {len(shown)} lowest of {len(rows)} departments", unit="%",
                       max_value=100.0)
    table = _table(["单位名称", "指标数", "已完成", "完成率 %"],
                   [(d, n, "" if k is None else k, number(round(p, 1)) if p is not None else "—")
                    for d, n, k, p in rows])
    return Panel(title, chart + table)


def quality_panel(con) -> Panel:
    title = "Quality over time 质量趋势"
    rows = con.execute("""
        SELECT CAST(r.started_at AT TIME ZONE 'UTC' AS DATE) AS day,
               count(s.submission_id) FILTER (WHERE s.status = 'loaded'),
               count(s.submission_id) FILTER (WHERE s.status = 'quarantined'),
               count(s.submission_id) FILTER (WHERE s.status = 'rejected')
        FROM ingest_runs r LEFT JOIN submissions s ON s.run_id = r.run_id
        GROUP BY day ORDER BY day""").fetchall()
    if not rows:
        return Panel(title, _missing("Nothing yet", "no run is recorded in this warehouse."))
    skipped = dict(con.execute("SELECT CAST(started_at AT TIME ZONE 'UTC' AS DATE), sum(files_skipped) "
                               "FROM ingest_runs GROUP BY 1").fetchall())
    periods = [(str(day), loaded, quarantined, rejected, int(skipped.get(day) or 0))
               for day, loaded, quarantined, rejected in rows]
    unit = "day"
    if len(periods) > 90:  # months, so a column stays wide enough to see
        months: dict[str, list[int]] = {}
        for day, *counts in periods:
            total = months.setdefault(day[:7], [0, 0, 0, 0])
            for i, value in enumerate(counts):
                total[i] += value
        periods = [(month, *counts) for month, counts in months.items()]
        unit = "month"
    labels = [p[0] for p in periods]
    series = [Series(status, [float(p[i]) for p in periods], STATUS_COLOURS[status])
              for i, status in enumerate(("loaded", "quarantined", "rejected", "duplicate"), start=1)]
    chart = stacked_columns(labels, series, caption=f"Files per {unit} (UTC) by status: loaded, quarantined, "
                                                    "rejected, duplicate (already loaded)")
    repeat = con.execute("SELECT department_name, template, submissions, quarantined, repeat_failures, "
                         "repeated_checks FROM v_quality_history WHERE repeat_failures > 0 "
                         "ORDER BY repeat_failures DESC, department_name LIMIT 50").fetchall() \
        if columns_of(con, "v_quality_history") is not None else []
    table = _table([unit, "loaded", "quarantined", "rejected", "duplicate"], periods)
    if repeat:
        table += "<h3>Departments failing the same check again 重复未通过同一检查的部门</h3>" + _table(
            ["单位名称", "Template", "Submissions", "Quarantined", "Repeat failures", "Checks"],
            [(d, t, n, q, r, ", ".join(c or [])) for d, t, n, q, r, c in repeat], open_=True)
    return Panel(title, chart + table)


# ---------------------------------------------------------------------------------------- helpers
def _rate(executed, budget) -> str:
    if executed is None or not budget:
        return "—"
    return f"{executed / budget * 100:.1f}%"


def _table(head: list[str], rows: list[tuple], open_: bool = False) -> str:
    shown = rows[:MAX_TABLE_ROWS]
    more = len(rows) - len(shown)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in shown)
    note = f'<p class="meta">{more} more rows: query the warehouse for all.</p>' if more > 0 else ""
    table = (f"<table><thead><tr>{''.join(f'<th>{esc(h)}</th>' for h in head)}</tr></thead>"
             f"<tbody>{body}</tbody></table>{note}")
    if open_:
        return table
    return f"<details><summary>The numbers ({len(rows)} rows)</summary>{table}</details>"
