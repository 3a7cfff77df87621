"""The one-shot `budget-etl ingest` never imports Prefect (its temporary server costs 10–19 s) unless
`--prefect` asks for a tracked run."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each case runs a whole ingest in a fresh interpreter

_PROBE = """
import json, sys
from budget_etl.flows.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "prefect_imported": any(m == "prefect" or m.startswith("prefect.")
                                                        for m in sys.modules)}))
"""


@pytest.mark.parametrize("extra, prefect_expected", [
    ([], False),
    (["--prefect"], True),
])
def test_prefect_is_imported_only_for_a_tracked_run(tmp_path, seed_path, extra, prefect_expected):
    args = ["ingest", str(seed_path), "--db", str(tmp_path / "w.duckdb"), "--reports", str(tmp_path / "r"),
            "--quarantine", str(tmp_path / "q"), "--json", "--no-data-docs", *extra]
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=180,
                          cwd=tmp_path)
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe == {"code": 0, "prefect_imported": prefect_expected}, done.stderr[-2000:]
