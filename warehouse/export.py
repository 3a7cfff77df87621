"""``budget-etl export --format parquet DIR``: every contract table and view as Parquet.

For users who outgrow DuckDB: Parquet keeps the DECIMAL amounts exact and
every engine (Spark, Trino, BigQuery, pandas) reads it.
"""
from __future__ import annotations

from pathlib import Path

from budget_etl.warehouse.store import Warehouse

CONTRACT_TABLES = (
    "ingest_runs", "submissions", "dim_department", "dim_indicator", "dim_fund_item",
    "dim_project", "fact_budget", "fact_target", "submission_texts", "quality_results",
)
#: Beyond the contract: the budget disclosure workbooks' amounts and classification dimensions.
DISCLOSURE_TABLES = ("dim_function_class", "dim_economic_class", "fact_disclosure")
#: Beyond the contract: the tables behind v_generic_entries (the label hierarchy, each table's title and unit) and
#: the year-end results. Only their views were written: generic_labels' parents and the results were lost.
MORE_TABLES = ("generic_tables", "generic_entries", "generic_labels", "fact_indicator_result", "fact_budget_score")


def export_parquet(db_path: str | Path, out_dir: str | Path, lock_wait_s: float = 30.0) -> list[Path]:
    """Write ``<name>.parquet`` for every contract table, the disclosure, generic and year-end tables and every
    view; returns the files written."""
    out = Path(out_dir)
    written = []
    # COPY … TO may write into the target folder and nowhere else; nothing else is readable but the warehouse.
    with Warehouse(db_path, read_only=True, lock_wait_s=lock_wait_s, writable_dir=out) as wh:
        out.mkdir(parents=True, exist_ok=True)  # only now: a missing warehouse makes no folder
        con = wh.connection
        views = [name for (name,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name"
        ).fetchall()]
        for name in (*CONTRACT_TABLES, *DISCLOSURE_TABLES, *MORE_TABLES, *views):
            target = out / f"{name}.parquet"
            quoted = str(target).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' (FORMAT parquet)")
            written.append(target)
    return written
