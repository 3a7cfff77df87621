"""Exit statuses and error lines of `budget-etl`, as the contract says."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_rejected_file_gives_exit_1_and_good_files_still_load(cli, seed_path, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-seed.txt").write_bytes(seed_path.read_bytes())
    (inbox / "b-noise.xlsx").write_bytes(os.urandom(4096))
    code, summary, _ = cli.json("ingest", str(inbox), "--json")
    assert code == 1
    statuses = {Path(f["path"]).name: f for f in summary["files"]}
    assert statuses["a-seed.txt"]["status"] == "loaded"
    assert statuses["b-noise.xlsx"]["status"] == "rejected"
    assert statuses["b-noise.xlsx"]["error_code"] in {"corrupt_file", "unsupported_format"}
    assert cli("query", "select count(*) from v_budget")[1].strip() == "27"
    assert cli("query", "select status from submissions where source_path like '%b-noise.xlsx'")[1].strip() == "rejected"


@pytest.mark.parametrize("args, message, code", [
    (["ingest", "/no/such/folder"], "no such file or folder: /no/such/folder", "path_not_found"),
    (["query", "select 1", "--db", "/no/such/warehouse.duckdb"], "The warehouse /no/such/warehouse.duckdb does not exist",
     "warehouse_missing"),
])
def test_errors_are_one_line_with_exit_2(args, message, code, capsys):
    from budget_etl.flows.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}")
    assert err.strip().endswith(f"[{code}]")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_sql_is_one_line_error(cli, seed_path):
    cli("ingest", str(seed_path))
    code, out, err = cli("query", "select nope from v_budget")
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err


def test_query_refuses_writes(cli, seed_path):
    cli("ingest", str(seed_path))
    code, _, err = cli("query", "delete from fact_budget")
    assert code == 2 and err.startswith("error: ")
    assert cli("query", "select count(*) from fact_budget")[1].strip() == "27"


def test_usage_error_exit_2():
    result = subprocess.run([sys.executable, "-m", "budget_etl.flows.cli", "ingest"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_query_and_help_import_neither_gx_nor_prefect(cli, seed_path, run_dirs):
    cli("ingest", str(seed_path))
    code = ("import sys; from budget_etl.flows.cli import main; main(['query', 'select 1', '--db', sys.argv[1]]);"
            "print(sorted(m for m in ('great_expectations', 'prefect') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(run_dirs["db"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_no_progress_when_output_is_not_a_terminal(seed_path, run_dirs):
    result = subprocess.run(
        [sys.executable, "-m", "budget_etl.flows.cli", "ingest", str(seed_path), "--db", str(run_dirs["db"]),
         "--reports", str(run_dirs["reports"]), "--quarantine", str(run_dirs["quarantine"]), "--no-data-docs"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "[read+parse]" not in result.stderr
    assert result.stdout.splitlines()[0].startswith("loaded ")
