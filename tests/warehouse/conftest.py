"""Fixtures of the warehouse tests; the factory itself is in ``warehouse_factory.py``
(plain functions, so the crash subprocess can import it too)."""
from __future__ import annotations

import pytest

from budget_etl.warehouse import Warehouse


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def wh(db_path):
    with Warehouse(db_path, lock_wait_s=2.0) as warehouse:
        yield warehouse
