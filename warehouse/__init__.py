"""The DuckDB warehouse: numbered migrations, versioned atomic loads, read-only queries.

    from budget_etl.warehouse import Warehouse, WarehouseLocked, RunRecord
    with Warehouse("warehouse.duckdb") as wh:
        wh.load_run(run, files, staging, quality)
"""
from budget_etl.warehouse.errors import WAREHOUSE_CODES, WarehouseError, WarehouseLocked
from budget_etl.warehouse.names import normalise_department_name, normalise_name
from budget_etl.warehouse.run_record import RunRecord
from budget_etl.warehouse.store import Warehouse

__all__ = [
    "Warehouse", "WarehouseLocked", "WarehouseError", "WAREHOUSE_CODES", "RunRecord",
    "normalise_name", "normalise_department_name",
]
