"""budget-etl: government budget spreadsheets into a validated DuckDB warehouse.

    import budget_etl
    summary = budget_etl.ingest(["inbox/"], db_path="warehouse.duckdb")   # -> RunSummary
    with budget_etl.connect("warehouse.duckdb") as wh:                    # read-only by default
        columns, rows = wh.query("select * from v_budget")
    submission = budget_etl.parse(budget_etl.read_workbook("table.xlsx"))  # records, each with its cell
    for table in budget_etl.tables("statistics.xlsx"):                      # any table, no family needed
        print(table.range, [(e.value, [label.label for label in e.labels]) for e in table.entries])

Heavy dependencies (pandas, Great Expectations, Prefect) load only when a function needs them.
"""
from budget_etl.api import BudgetEtlError, connect, ingest, parse, read_workbook, tables

__version__ = "0.2.0"
__all__ = ["ingest", "connect", "read_workbook", "parse", "tables", "BudgetEtlError", "__version__"]
