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


def test_the_xlsx_engine_comparison_runs_on_a_corpus(tmp_path):
    """bench_xlsx_engines.py (the measurement issue 18's calamine decision was made on) reads a corpus."""
    from make_corpus import Options, make_corpus

    make_corpus(4, tmp_path / "corpus", Options(seed=0, broken_share=0.0, formats=(("xlsx", 1.0),)))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_xlsx_engines.py"),
                           str(tmp_path / "corpus"), "--repeat", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "4 .xlsx files" in done.stdout
    for engine in ("read_bytes (ours)", "calamine (values + merges)", "zip + XML checks"):
        assert engine in done.stdout


def test_the_worker_cpu_benchmark_reports_each_format_and_the_calls(tmp_path):
    """bench_worker_cpu.py (issue 18's per-format worker figures) reads and parses a small mixed corpus."""
    from make_corpus import Options, make_corpus

    make_corpus(6, tmp_path / "corpus", Options(seed=0, broken_share=0.0, formats=(("xlsx", 0.5), ("text", 0.5))))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_worker_cpu.py"), str(tmp_path / "corpus"),
                           "--repeat", "1", "--calls"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "6 files in" in done.stdout
    for line in ("xlsx ", "txt ", "all ", "read: ", "parse: "):
        assert line in done.stdout
