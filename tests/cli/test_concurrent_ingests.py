"""Two ingests of the same files at once load each sha256 exactly once (issue 11, point 7).

The duplicate check holds under the warehouse's writer lock, inside the load transaction: a file whose bytes
another run loaded while this one parsed becomes ``duplicate``, in the statuses, the counts, the report and
``ingest_runs``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from budget_etl.flows.cli import main

HERE = Path(__file__).parent
SAMPLES = HERE.parent.parent / "samples"
LOADABLE = ["suzhou-trade-union-2023.txt", "wujiang-trade-union-2024-department.xlsx",
            "suzhou-trade-union-2023-project-labour-model-funds.xlsx"]


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in LOADABLE:
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / LOADABLE[0], folder / "same-bytes-again.txt")  # a repeat inside each run
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}


def _loads_per_sha(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT source_sha256, count(*) FROM submissions WHERE status = 'loaded' "
                                "GROUP BY 1").fetchall())


def test_two_runs_that_both_parsed_before_either_loaded_load_each_sha256_once(tmp_path):
    folder = _inputs(tmp_path)
    db = tmp_path / "warehouse.duckdb"
    runs = []
    for name in ("a", "b"):
        runs.append(subprocess.Popen(
            [sys.executable, str(HERE / "overlapping_ingest.py"), str(db), str(tmp_path / f"reports-{name}"),
             str(tmp_path / f"quarantine-{name}"), str(folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()))
    try:
        for run in runs:  # both looked up the warehouse's sha256s while it was still empty
            assert run.stdout.readline().strip() == "parsed", run.stderr.read()
        for run in runs:
            run.stdin.write("go\n")
            run.stdin.flush()
        outputs = [run.communicate(timeout=300) for run in runs]
    finally:
        for run in runs:
            run.kill()
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    summaries = [json.loads(out.splitlines()[-1]) for out, _ in outputs]

    assert sorted(_loads_per_sha(db).values()) == [1, 1, 1]
    first, second = sorted(summaries, key=lambda s: s["counts"]["loaded"], reverse=True)
    assert first["counts"] == {"loaded": 3, "quarantined": 0, "rejected": 0, "duplicate": 1}
    assert second["counts"] == {"loaded": 0, "quarantined": 0, "rejected": 0, "duplicate": 4}
    loaded_ids = {f["path"]: f["submission_id"] for f in first["files"]}
    for f in second["files"]:
        assert f["status"] == "duplicate" and f["version"] is None and not f["failed_checks"]
        name = Path(f["path"]).name
        twin = folder / (LOADABLE[0] if name == "same-bytes-again.txt" else name)
        assert f["submission_id"] == loaded_ids[str(twin)]  # points at what the other run loaded
    # The same story in the warehouse's run records and in the second run's report.
    with duckdb.connect(str(db), read_only=True) as con:
        counts = dict(con.execute("SELECT run_id, (files_loaded, files_skipped, files_seen) FROM ingest_runs")
                      .fetchall())
        assert con.execute("SELECT count(*) FROM submissions WHERE run_id = ?", [second["run_id"]]).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM quality_results WHERE run_id = ?",
                           [second["run_id"]]).fetchone() == (0,)
    assert counts[first["run_id"]] == (3, 1, 4) and counts[second["run_id"]] == (0, 4, 4)
    report = json.loads(Path(second["report_json_path"]).read_text(encoding="utf-8"))
    assert report["counts"]["duplicate"] == 4 and report["findings"] == []


def test_two_cli_ingests_started_together_load_each_sha256_once(tmp_path):
    folder = _inputs(tmp_path)
    db = tmp_path / "warehouse.duckdb"
    runs = [subprocess.Popen(
        [sys.executable, "-c", "from budget_etl.flows.cli import entry; entry()", "ingest", str(folder),
         "--db", str(db), "--reports", str(tmp_path / f"reports-{n}"), "--quarantine", str(tmp_path / f"q-{n}"),
         "--no-data-docs", "--workers", "1", "--json", "--lock-wait", "120"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert sorted(_loads_per_sha(db).values()) == [1, 1, 1]
    loaded = [json.loads(out)["counts"]["loaded"] for out, _ in outputs]
    assert sorted(loaded) == [0, 3]


def test_a_third_run_of_the_same_files_finds_them_duplicate_before_parsing(tmp_path, capsys):
    folder = _inputs(tmp_path)
    db = tmp_path / "warehouse.duckdb"
    common = ["--db", str(db), "--reports", str(tmp_path / "r"), "--quarantine", str(tmp_path / "q"),
              "--no-data-docs", "--workers", "0", "--json"]
    assert main(["ingest", str(folder), *common]) == 0
    capsys.readouterr()
    assert main(["ingest", str(folder), *common]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["counts"]["duplicate"] == 4
    assert all(f["error_message"] is None for f in again["files"] if f["path"].endswith(LOADABLE[1]))
    assert sorted(_loads_per_sha(db).values()) == [1, 1, 1]
