"""Loading disclosure workbooks: the classification dimensions and ``fact_disclosure``.

The dimensions are built here in pandas from the run's amounts: every function or economic code seen,
with its level, parent, 类 and 款 derived from the code itself, and every ancestor of a code even where
no table of the run names it (its name is then the reference name of a 类, or NULL). A code already in
the warehouse keeps its name; new codes are appended. Called inside the run's load transaction.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from budget_etl.parsers.disclosure.codes import (
    ECONOMIC_LEVELS,
    FUNCTION_LEVELS,
    LEVEL_NAMES,
    ancestors,
    level_of,
)

FUNCTION_COLUMNS = ["function_code", "name", "level", "level_name", "parent_code", "class_code", "section_code"]
ECONOMIC_COLUMNS = ["economic_code", "name", "level", "level_name", "parent_code", "class_code"]


def class_dimension(codes: pd.Series, names: pd.Series, levels: tuple[int, ...],
                    reference: dict[str, str]) -> list[tuple]:
    """(code, name, level, level name, parent, 类, 款) for each code and its ancestors, once each."""
    named: dict[str, str | None] = {}
    for code, name in zip(codes.tolist(), names.tolist()):
        if isinstance(code, str) and level_of(code, levels) is not None:
            if isinstance(name, str) and name and code not in named:
                named[code] = name
            named.setdefault(code, None)
    rows = {}
    for code in list(named):
        chain = ancestors(code, levels)
        for position, member in enumerate(chain):
            if member in rows:
                continue
            name = named.get(member) or reference.get(member)
            level = position + 1
            rows[member] = (member, name, level, LEVEL_NAMES[level - 1], chain[position - 1] if position else None,
                            chain[0], chain[1] if len(chain) > 1 and level >= 2 else None)
    return [rows[code] for code in sorted(rows)]


def _reference() -> dict[str, dict[str, str]]:
    from budget_etl.parsers.disclosure.workbook import reference_class_names

    return {kind: {code: name for name, code in names.items()} for kind, names in reference_class_names().items()}


def load_disclosure(con: duckdb.DuckDBPyConnection, disclosure: pd.DataFrame, loaded: str, params: dict) -> None:
    """Add the dimensions and facts of the loaded disclosures; ``loaded`` is the SQL of this run's loaded
    submissions, ``params`` its parameters."""
    if disclosure.empty:
        return
    keys = {int(k) for (k,) in con.execute(f"SELECT file_key FROM {loaded}", params).fetchall()}
    rows = disclosure[disclosure["file_key"].isin(keys)]
    if rows.empty:
        return
    reference = _reference()
    # A class row's name is its item's last part ('本年支出/教育支出', a unit's '某单位/高等教育'); a line without a
    # code of its own (a total) names nothing.
    names = rows["item"].map(lambda item: item.rsplit("/", 1)[-1] if isinstance(item, str) else item)
    function = pd.DataFrame(class_dimension(rows["function_code"], names, FUNCTION_LEVELS,
                                            reference.get("function", {})), columns=FUNCTION_COLUMNS)
    economic = pd.DataFrame([r[:6] for r in class_dimension(rows["economic_code"], names, ECONOMIC_LEVELS,
                                                             reference.get("economic", {}))], columns=ECONOMIC_COLUMNS)
    con.register("in_function_class", function)
    con.register("in_economic_class", economic)
    try:
        con.execute("""
            INSERT INTO dim_function_class
            SELECT * FROM in_function_class n
            WHERE n.function_code NOT IN (SELECT function_code FROM dim_function_class)""")
        con.execute("""
            UPDATE dim_function_class AS d SET name = n.name FROM in_function_class n
            WHERE d.function_code = n.function_code AND d.name IS NULL AND n.name IS NOT NULL""")
        con.execute("""
            INSERT INTO dim_economic_class
            SELECT * FROM in_economic_class n
            WHERE n.economic_code NOT IN (SELECT economic_code FROM dim_economic_class)""")
        con.execute("""
            UPDATE dim_economic_class AS d SET name = n.name FROM in_economic_class n
            WHERE d.economic_code = n.economic_code AND d.name IS NULL AND n.name IS NOT NULL""")
    finally:
        con.unregister("in_function_class")
        con.unregister("in_economic_class")
    # Exact decimal text straight to DECIMAL(20,6): never through a float.
    con.execute(f"""
        INSERT INTO fact_disclosure
        SELECT l.submission_id, d.department_id, l.fiscal_year, x.variant, x.table_code, x.side, x.item,
               x.function_code, x.economic_code, x.column_path, x.is_total, CAST(x.amount AS DECIMAL(20, 6)),
               CAST(x.source_amount AS DECIMAL(20, 6)), x.unit, x.raw, x.sheet, x.cell
        FROM in_disclosure x
        JOIN {loaded} l ON l.file_key = x.file_key
        LEFT JOIN dim_department d ON d.department_name = l.department_name
    """, params)


def target_totals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current target tables' 资金总额 (全年预算数) per department and year, for the disclosures'
    cross-document check (rows as :data:`budget_etl.expectations.disclosure.REFERENCE_COLUMNS`)."""
    from budget_etl.expectations.disclosure import REFERENCE_COLUMNS, TARGET_TOTAL

    family, direction, item, period = TARGET_TOTAL
    frame = con.execute("""
        SELECT s.department_name, s.fiscal_year, CAST(f.amount_wan AS VARCHAR) AS amount_wan,
               s.source_path || ' ' || f.source_sheet || '!' || f.source_cell AS cell
        FROM fact_budget f
        JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
        JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
        WHERE s.template = ? AND i.direction = ? AND i.item_path = ? AND f.period = ? AND f.measure = 'budget'
          AND s.department_name IS NOT NULL AND s.fiscal_year IS NOT NULL
        ORDER BY s.department_name, s.fiscal_year
    """, [family, direction, item, period]).df()
    return frame[REFERENCE_COLUMNS]
