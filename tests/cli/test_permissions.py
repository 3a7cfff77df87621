"""A warehouse this user may not open is `warehouse_unreadable`, not `warehouse_corrupt`; a folder it may not list
is reported, not skipped without a word (issue 11)."""
from __future__ import annotations

import json
from pathlib import Path

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


def test_an_unreadable_subfolder_is_reported_not_skipped_silently(folder):
    inbox = folder / "inbox"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "locked" / "inside.txt").write_text("never seen", encoding="utf-8")
    (inbox / "readable.txt").write_text("not a budget table", encoding="utf-8")
    (inbox / "locked").chmod(0o000)
    result = run_cli("ingest", "inbox", "--db", str(folder / "w.duckdb"), "--reports", "reports",
                     "--quarantine", "quarantine", "--workers", "0", "--json", cwd=folder)
    assert result.returncode == 1, result.stderr  # something could not be ingested: not a silent exit 0
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    locked = files[str(Path("inbox") / "locked")]
    assert locked["status"] == "rejected" and locked["error_code"] == "io_error"
    assert "cannot read the folder" in locked["error_message"] and "ermission denied" in locked["error_message"]
    assert files[str(Path("inbox") / "readable.txt")]["status"] == "rejected"  # the rest still ran
    text = run_cli("report", "--db", str(folder / "w.duckdb"), cwd=folder)
    assert "inbox/locked" in text.stdout and "cannot read the folder" in text.stdout
