"""Files that are not ordinary submissions must never hang or fail a run: FIFOs, devices, symlinks to them,
huge sparse files, names that are not UTF-8. Real files, a real warehouse.

The hang cases run `budget-etl ingest` as a subprocess with a time limit: before the fix it blocked forever
on the FIFO (hashing ran in the parent, outside --timeout).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from budget_etl.flows.files import fs_path, path_bytes

RUN_LIMIT_S = 300  # a hang guard, not a timing assertion: a run of these few files takes seconds


def _ingest(tmp_path: Path, *paths: str | Path) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "budget_etl.flows.cli", "ingest", *map(str, paths), "--db", str(tmp_path / "w.duckdb"),
            "--reports", str(tmp_path / "reports"), "--quarantine", str(tmp_path / "quarantine"),
            "--no-data-docs", "--json", "--timeout", "60"]
    return subprocess.run(args, capture_output=True, timeout=RUN_LIMIT_S, cwd=tmp_path, check=False)


def _files(done: subprocess.CompletedProcess) -> dict[str, dict]:
    summary = json.loads(done.stdout)
    return {Path(f["path"]).name: f for f in summary["files"]}


@pytest.mark.slow
def test_special_files_in_a_folder_are_rejected_and_the_run_goes_on(tmp_path, seed_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(seed_path, inbox / "seed.txt")
    os.mkfifo(inbox / "pipe.xlsx")
    (inbox / "zero.xlsx").symlink_to("/dev/zero")
    (inbox / "urandom.txt").symlink_to("/dev/urandom")
    (inbox / "to-pipe.xls").symlink_to(inbox / "pipe.xlsx")
    with open(inbox / "sparse.xlsx", "wb") as fh:
        fh.truncate(1 << 40)  # a 1 TiB regular file of holes: over the size limit, never read through

    done = _ingest(tmp_path, inbox)

    assert done.returncode == 1, done.stderr.decode(errors="replace")
    files = _files(done)
    assert files["seed.txt"]["status"] == "loaded"
    for name in ("pipe.xlsx", "zero.xlsx", "urandom.txt", "to-pipe.xls"):
        assert (files[name]["status"], files[name]["error_code"]) == ("rejected", "not_regular_file"), name
    assert "FIFO" in files["pipe.xlsx"]["error_message"]
    assert "symbolic link" in files["zero.xlsx"]["error_message"]
    assert (files["sparse.xlsx"]["status"], files["sparse.xlsx"]["error_code"]) == ("rejected", "too_large")


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "FIFO"),
    (lambda p: p.symlink_to("/dev/zero"), "character device"),
])
def test_a_special_file_given_as_path_is_an_error(cli, tmp_path, make, kind):
    special = tmp_path / "special.xlsx"
    make(special)
    code, out, err = cli("ingest", str(special))
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: {special} is a {kind}") and line.endswith("[not_regular_file]")


def test_a_name_that_is_not_utf8_loads_and_keeps_its_bytes(cli, tmp_path, seed_path, run_dirs):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    odd = os.fsencode(inbox) + b"/seed-\xff\xfe-\xe6\x8a.txt"  # Latin-1 bytes and a cut-off UTF-8 sequence
    shutil.copy(seed_path, os.fsdecode(odd))
    project = Path(__file__).parents[2] / "samples" / "suzhou-trade-union-2023-project-labour-model-funds.xlsx"
    shutil.copy(project, inbox / "project.xlsx")

    code, summary, err = cli.json("ingest", str(inbox), "--json")

    assert code == 0, err
    assert [f["status"] for f in summary["files"]] == ["loaded", "loaded"]
    with duckdb.connect(str(run_dirs["db"]), read_only=True) as con:
        stored = dict(con.execute("select source_path, status from submissions").fetchall())
    [odd_text] = [p for p in stored if "seed-" in p]
    assert odd_text.endswith("/seed-\\xff\\xfe-\\xe6\\x8a.txt")
    assert path_bytes(odd_text) == odd  # the original bytes, recovered from the stored text
    assert fs_path(odd_text).read_bytes() == seed_path.read_bytes()
    assert cli("query", "select count(*) from v_budget where source_path like '%seed-%'")[1].strip() == "27"
    assert cli("report")[0] == 0  # the report of such a run rewrites and prints too
