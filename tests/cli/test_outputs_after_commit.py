"""The steps after a run's commit (quarantine copies, reason files, the report) are checked before the load,
safe for any name, repeatable, and the exit status says what happened: files that loaded are never
reported as "nothing loaded". Real files, a real warehouse; the full disk is a real 1 MiB tmpfs (root only).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from budget_etl.flows.quarantine import ChangedSinceJudged, copy_if_unchanged

SAMPLES = Path(__file__).parents[2] / "samples"
BAD = SAMPLES / "xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx"  # quarantined: its sums do not add up
GOOD = SAMPLES / "wujiang-trade-union-2024-department.xlsx"


def _submissions(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select source_path, status from submissions order by source_path").fetchall()


def test_a_quarantined_file_with_a_250_byte_name_gets_its_copy_and_reason_file(cli, tmp_path, run_dirs):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    long_name = "相城区总工会部门整体绩效目标" * 5 + "x" * (250 - 5 * 42 - 5) + ".xlsx"
    assert len(long_name.encode()) == 250
    shutil.copy(BAD, inbox / long_name)
    shutil.copy(GOOD, inbox / "good.xlsx")

    code, summary, err = cli.json("ingest", str(inbox), "--json")

    assert code == 1 and "error" not in err  # 1: one file quarantined; not 2, not a failure after the commit
    assert summary["problems"] == []
    held = next(f for f in summary["files"] if f["status"] == "quarantined")
    copy = Path(held["quarantine_path"])
    assert copy.suffix == ".xlsx" and copy.name.startswith("相城区总工会") and len(copy.name.encode()) < 250
    assert copy.read_bytes() == BAD.read_bytes()
    assert "funds_total_reconciles" in Path(str(copy) + ".reason.txt").read_text(encoding="utf-8")
    assert sorted(s for _, s in _submissions(run_dirs["db"])) == ["loaded", "quarantined"]


@pytest.mark.parametrize("option", ["--reports", "--quarantine"])
def test_an_output_folder_that_is_a_file_stops_the_run_before_anything_loads(tmp_path, run_dirs, option, capsys):
    from budget_etl.flows.cli import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where a folder should be")
    folders = {"--reports": str(run_dirs["reports"]), "--quarantine": str(run_dirs["quarantine"]), option: str(blocker)}
    code = main(["ingest", str(GOOD), str(BAD), "--db", str(run_dirs["db"]), *(x for kv in folders.items() for x in kv)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert f"{blocker} is a regular file, not a folder" in line and line.endswith("[output_unusable]")
    assert _submissions(run_dirs["db"]) == []


def test_report_rebuilds_a_lost_report_and_quarantine_copy(cli, tmp_path, run_dirs):
    code, summary, _ = cli.json("ingest", str(GOOD), str(BAD), "--json")
    assert code == 1
    copy = Path(next(f["quarantine_path"] for f in summary["files"] if f["status"] == "quarantined"))
    reason = Path(str(copy) + ".reason.txt")
    shutil.rmtree(run_dirs["reports"])
    shutil.rmtree(run_dirs["quarantine"])

    code, _, err = cli("report", summary["run_id"], "--quarantine", str(run_dirs["quarantine"]))

    assert code == 0, err
    assert Path(summary["report_path"]).exists()
    assert copy.read_bytes() == BAD.read_bytes() and "funds_total_reconciles" in reason.read_text(encoding="utf-8")


def test_a_file_changed_after_it_was_judged_is_not_copied(tmp_path):
    source = tmp_path / "a.xlsx"
    source.write_bytes(b"the bytes that were judged")
    judged = hashlib.sha256(source.read_bytes()).hexdigest()
    source.write_bytes(b"the department overwrote it afterwards")
    with pytest.raises(ChangedSinceJudged):
        copy_if_unchanged(source, judged, tmp_path / "copy.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]  # no copy, no temporary left behind


@pytest.fixture
def full_disk(tmp_path):
    """A real 1 MiB file system, filled up: where a run's reports and quarantine copies go."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                                           capture_output=True, check=False).returncode != 0:
        pytest.skip("needs root and permission to mount a tmpfs")
    try:
        for folder in ("reports", "quarantine"):
            (mount / folder).mkdir()
        with open(mount / "filler", "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_a_full_disk_for_outputs_keeps_the_load_says_so_in_one_line_each_and_can_be_redone(full_disk, run_dirs,
                                                                                            capsys):
    from budget_etl.flows.cli import main

    code = main(["ingest", str(GOOD), str(BAD), "--json", "--data-docs", "--db", str(run_dirs["db"]),  # GX writes too
                 "--reports", str(full_disk / "reports"), "--quarantine", str(full_disk / "quarantine")])
    out, err = capsys.readouterr()
    assert code == 1  # files were loaded: not the 2 of "nothing loaded"
    assert sorted(s for _, s in _submissions(run_dirs["db"])) == ["loaded", "quarantined"]
    assert "Traceback" not in err and "great_expectations" not in err
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("error: ") and line.endswith("[output_failed]") for line in lines)
    assert any("quarantine copy of" in line for line in lines) and any("report of run" in line for line in lines)
    summary = json.loads(out)
    assert len(summary["problems"]) == len(lines)
    run_id = summary["run_id"]

    (full_disk / "filler").unlink()  # space again: every step can be redone
    assert main(["report", run_id, "--db", str(run_dirs["db"]), "--quarantine", str(full_disk / "quarantine")]) == 0
    copies = sorted((full_disk / "quarantine" / run_id).iterdir())
    assert [p.name for p in copies] == [BAD.name, BAD.name + ".reason.txt"]
    assert copies[0].read_bytes() == BAD.read_bytes()
    assert (full_disk / "reports" / run_id / "report.html").exists()
