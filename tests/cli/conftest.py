from __future__ import annotations

import json

import pytest

from budget_etl.flows.cli import main


@pytest.fixture
def cli(run_dirs, capsys):
    """Run `budget-etl ARGS…` in-process against this test's warehouse; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        argv = list(args)
        command = argv[0]
        if command in ("ingest", "query", "report", "export") and "--db" not in argv:
            argv += ["--db", str(run_dirs["db"])]
        if command == "ingest":
            argv += ["--reports", str(run_dirs["reports"]), "--quarantine", str(run_dirs["quarantine"]),
                     "--no-data-docs"]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    run.json = lambda *args: (lambda r: (r[0], json.loads(r[1]), r[2]))(run(*args))
    return run
