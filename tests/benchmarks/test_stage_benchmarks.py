"""The stage benchmarks run (tiny sizes): they hold the speed budgets that tests must not time."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("script, args, shows", [
    ("bench_warehouse_load.py", ["--files", "5", "--repeat", "1"], "5 files, 2,100 target rows"),
    ("bench_hostile_files.py", ["--repeat", "1"], "zip-bomb.xlsx                too_large"),
])
def test_a_stage_benchmark_runs_and_reports(script, args, shows, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: over its budget, which is the benchmark's to say
    assert shows in done.stdout
