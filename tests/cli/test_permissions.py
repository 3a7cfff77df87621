"""A warehouse this user may not open is `warehouse_unreadable`, not `warehouse_corrupt` (issue 11)."""
from __future__ import annotations

import pytest
from unprivileged import run_cli, shared_folder

from budget_etl.warehouse import Warehouse


@pytest.fixture
def folder():
    with shared_folder() as path:
        yield path


@pytest.mark.parametrize("command", [["query", "select 1"], ["report"], ["ingest", "in"]])
def test_an_unreadable_warehouse_file_is_its_own_error(folder, command):
    db = folder / "warehouse.duckdb"
    Warehouse(db).close()
    db.chmod(0o000)
    (folder / "in").mkdir()
    result = run_cli(*command, "--db", str(db), cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("[warehouse_unreadable]"), result.stderr
    assert "permission" in result.stderr.lower() and "Traceback" not in result.stderr


def test_a_warehouse_folder_that_may_not_be_written_is_the_same_error(folder):
    locked = folder / "locked"
    locked.mkdir(mode=0o555)
    (folder / "in").mkdir()
    result = run_cli("ingest", "in", "--db", str(locked / "sub" / "warehouse.duckdb"), cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("[warehouse_unreadable]"), result.stderr
