"""The disclosure tests' CLI runner (files and the fixture script: disclosure_support.py)."""
from __future__ import annotations

import json

import pytest

from budget_etl.flows.cli import main


@pytest.fixture
def cli(run_dirs, capsys):
    """`budget-etl ARGS…` in-process against this test's warehouse: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        argv = list(args)
        if argv[0] in ("ingest", "query") and "--db" not in argv:
            argv += ["--db", str(run_dirs["db"])]
        if argv[0] == "ingest":
            argv += ["--reports", str(run_dirs["reports"]), "--quarantine", str(run_dirs["quarantine"]),
                     "--no-data-docs"]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    def as_json(*args: str) -> tuple[int, dict, str]:
        code, out, err = run(*args)
        return code, json.loads(out), err

    run.json = as_json
    run.rows = lambda sql: json.loads(run("query", sql, "--format", "json")[1])
    return run
