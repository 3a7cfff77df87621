"""run.py: the benchmark runs end to end on a tiny corpus and reports every figure it promises."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import make_corpus
import pytest
import run


@pytest.mark.slow
def test_a_tiny_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    code = run.main(["--sizes", "8", "--broken", "0.4", "--seed", "2", "--corpus-root", str(tmp_path / "corpora"),
                     "--json-out", str(out), "--no-data-docs"])
    result = json.loads(out.read_text(encoding="utf-8"))["results"][0]
    manifest = make_corpus.read_manifest(Path(result["corpus"]))
    assert code == 0 and result["status_mismatches"] == 0  # every file got the status the manifest expects
    assert result["files"] == len(manifest) == 8
    assert sum(result["counts"].values()) == 8 and result["counts"]["rejected"] >= 1
    assert result["openpyxl_files"] == sum(1 for row in manifest if row["name"].endswith(".xlsx"))
    for stage in ("discover", "read_parse", "read", "parse", "stage", "validate", "load", "report"):
        assert stage in result["timings"]
    assert result["ingest_s"] > 0 and result["files_per_s"] == pytest.approx(8 / result["ingest_s"])
    assert result["peak_tree_mb"] >= result["peak_process_mb"] > 20  # a Python with pandas is never smaller
    assert result["cpu_s"] > 0 and result["query_s"] > 0 and result["help_s"] > 0


def test_an_existing_corpus_is_reused_not_rewritten(tmp_path):
    options = make_corpus.Options(seed=1)
    first = run.ensure_corpus(3, tmp_path, options, jobs=1)
    stamps = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    again = run.ensure_corpus(3, tmp_path, options, jobs=1)
    assert again == first and {p.name: p.stat().st_mtime_ns for p in again.iterdir()} == stamps
    assert run.ensure_corpus(4, tmp_path, options, jobs=1) != first  # another size is another corpus


def test_tree_memory_counts_the_children(tmp_path):
    # A parent that starts a child holding ~80 MB: the tree's peak must include the child.
    child = "import time; block = bytearray(80 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    process = subprocess.Popen([sys.executable, "-c", parent])
    with run.TreeMemory(process.pid, interval=0.02) as memory:
        process.wait()
    assert memory.peak_tree >= 80 * 2**20
    assert memory.peak_tree > memory.peak_process  # the parent's own memory comes on top of the child's


def test_tree_memory_does_not_count_a_forked_child_before_its_exec_twice():
    # A parent holding ~80 MB forks a child that never executes anything: it shares the parent's pages, so the
    # sum of RSS would count them twice (what a worker's start looks like for an instant). An exec'd child counts.
    parent = ("import os, subprocess, sys, time; block = bytearray(80 * 2**20); block[::4096] = b'x' * len(block[::4096])\n"
              "pid = os.fork()\n"
              "if pid == 0:\n    time.sleep(1.0); os._exit(0)\n"
              "os.waitpid(pid, 0)\n"
              "subprocess.run([sys.executable, '-c', 'import time; time.sleep(1.0)'])\n")
    process = subprocess.Popen([sys.executable, "-c", parent])
    with run.TreeMemory(process.pid, interval=0.02) as memory:
        process.wait()
    assert memory.forks_skipped > 0
    assert 80 * 2**20 < memory.peak_tree < 2 * 80 * 2**20
    assert any(role != "ingest" for role, _ in memory.at_peak)  # the exec'd child was counted


@pytest.mark.parametrize("broken", [b"PK\x03\x04 cut short", b"\x00\x01 not a zip at all"])
def test_the_openpyxl_loop_survives_broken_files(tmp_path, broken):
    make_corpus.make_corpus(2, tmp_path, make_corpus.Options(seed=0, broken_share=0.0, formats=(("xlsx", 1.0),)))
    (tmp_path / "broken.xlsx").write_bytes(broken)
    wall, cpu = run.openpyxl_loop(sorted(tmp_path.glob("*.xlsx")))
    assert wall > 0 and cpu > 0


def test_the_rendered_table_names_the_headline_ratio():
    result = run.Result(files=10, corpus="c", ingest_s=2.0, files_per_s=5.0, counts={"loaded": 10},
                        openpyxl_files=7, openpyxl_s=8.0, openpyxl_cpu_s=7.5, ratio=0.25, cpu_ratio=0.61,
                        timings={"read": 0.5, "validate": 1.0})
    text = run.render(result)
    assert "ratio ingest / openpyxl loop" in text and "0.25" in text
    assert "CPU ratio" in text and "0.61" in text and "7.5 CPU-s" in text
    assert "stage read " in text and "stage validate" in text and "stage load" not in text
