"""Shared by the year-end family tests: paths, the fixture script, parsing and ingesting."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.records import ParsedSubmission

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "evaluation"
SAMPLES = ROOT / "samples"
# The development data set lives beside the repository (../shared/datasets), read-only.
REAL_FORMS = ROOT.parent / "shared" / "datasets" / "real-evaluation-forms"

_SCRIPT = ROOT / "tests" / "fixtures" / "make_evaluation_fixtures.py"
_spec = importlib.util.spec_from_file_location("make_evaluation_fixtures", _SCRIPT)
script = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = script  # its dataclasses look their module up while the class is made
_spec.loader.exec_module(script)


def parse_file(path: Path) -> ParsedSubmission:
    from budget_etl.parsers.templates import parse_workbook

    return parse_workbook(read_bytes(path.read_bytes(), path.name))


def ingest(paths, run_dirs, *extra: str) -> tuple[int, dict]:
    """`budget-etl ingest PATHS --json` in-process against the test's warehouse."""
    import contextlib
    import io

    from budget_etl.flows.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["ingest", *map(str, paths), "--db", str(run_dirs["db"]), "--reports", str(run_dirs["reports"]),
                     "--quarantine", str(run_dirs["quarantine"]), "--no-data-docs", "--json", *extra])
    return code, json.loads(out.getvalue())


def query(run_dirs, sql: str) -> list[dict]:
    import duckdb

    con = duckdb.connect(str(run_dirs["db"]), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def by_name(summary: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in summary["files"]}
