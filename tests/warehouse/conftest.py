"""Fixtures of the warehouse tests; the factory itself is in ``warehouse_factory.py``
(plain functions, so the crash subprocess can import it too)."""
from __future__ import annotations

import sys
from pathlib import Path

# tests/conftest.py puts tests/ on sys.path (pytest's prepend import mode), where this
# folder, tests/warehouse/, would pass for the `warehouse` package as a namespace
# package under `.venv/bin/pytest`. Put the project root first. (The lasting fix is
# `pythonpath = ["."]` in pyproject's [tool.pytest.ini_options]; see the report.)
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("warehouse"), "__file__", "") is None:
    del sys.modules["warehouse"]  # a namespace stand-in imported before this file

import pytest  # noqa: E402

from warehouse import Warehouse  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def wh(db_path):
    with Warehouse(db_path, lock_wait_s=2.0) as warehouse:
        yield warehouse
