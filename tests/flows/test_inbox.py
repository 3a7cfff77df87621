"""Moving settled files out of the inbox after a committed run (flows/inbox.py): real files, no Prefect."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from budget_etl.flows.inbox import FAILED_DIR, PROCESSED_DIR, inbox_folders, inbox_options, settle_inbox
from budget_etl.flows.stages import discover
from budget_etl.flows.summary import FileSummary, RunSummary


def _drop(inbox: Path, relative: str, data: bytes) -> FileSummary:
    """Put a file in the inbox and describe it as a run would have (path + sha256 of what was read)."""
    path = inbox / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return FileSummary(path=str(path), status="", sha256=hashlib.sha256(data).hexdigest())


def _summary(files: list[FileSummary], quality: pd.DataFrame | None = None) -> RunSummary:
    return RunSummary(run_id="20240101T000000Z-abcd", started_at=datetime.now(timezone.utc), files=files,
                      report_path="/reports/20240101T000000Z-abcd/report.html",
                      quality=quality if quality is not None else pd.DataFrame())


@pytest.mark.parametrize("status, folder, has_reason", [
    ("loaded", PROCESSED_DIR, False),
    ("duplicate", PROCESSED_DIR, False),
    ("quarantined", FAILED_DIR, True),
    ("rejected", FAILED_DIR, True),
])
@pytest.mark.parametrize("relative", ["报表.txt", "苏州市总工会/2023/报表.txt"])
def test_each_status_goes_to_its_folder_keeping_subfolders(tmp_path, status, folder, has_reason, relative):
    f = _drop(tmp_path, relative, b"bytes of " + status.encode())
    f.status = status
    [move] = settle_inbox(_summary([f]), tmp_path)
    target = tmp_path / folder / relative
    assert move.target == str(target)
    assert target.read_bytes() == b"bytes of " + status.encode()
    assert not (tmp_path / relative).exists()
    assert Path(str(target) + ".reason.txt").exists() == has_reason


def test_reason_file_says_why_with_codes_checks_and_cells(tmp_path):
    rejected = _drop(tmp_path, "junk.xlsx", b"PK\x03\x04 not really")
    rejected.status, rejected.error_code, rejected.error_message = "rejected", "corrupt_file", "truncated zip"
    held = _drop(tmp_path, "sums.txt", b"sums that do not add up")
    held.status, held.failed_checks = "quarantined", ["budget_total_matches_items"]
    quality = pd.DataFrame([
        {"path": held.path, "file_key": 1, "expectation": "budget_total_matches_items", "severity": "error",
         "success": False, "source_cells": "C5", "message": "资金总额 120 ≠ 100 + 10"},
        {"path": held.path, "file_key": 1, "expectation": "fiscal_year_present", "severity": "error",
         "success": True, "source_cells": "B2", "message": "ok"},
    ])
    moves = settle_inbox(_summary([rejected, held], quality), tmp_path)
    junk_reason, held_reason = (Path(m.reason_path).read_text(encoding="utf-8") for m in moves)
    assert "status: rejected" in junk_reason and "corrupt_file: truncated zip" in junk_reason
    assert "check failed: budget_total_matches_items: 资金总额 120 ≠ 100 + 10 [C5]" in held_reason
    assert "fiscal_year_present" not in held_reason  # a passed check is no reason
    assert "run: 20240101T000000Z-abcd" in held_reason


def test_same_name_twice_keeps_both(tmp_path):
    first = _drop(tmp_path, "预算.txt", b"version 1")
    first.status = "loaded"
    settle_inbox(_summary([first]), tmp_path)
    second = _drop(tmp_path, "预算.txt", b"version 2")
    second.status = "loaded"
    [move] = settle_inbox(_summary([second]), tmp_path)
    assert Path(move.target).name == "预算 (2).txt"
    assert (tmp_path / PROCESSED_DIR / "预算.txt").read_bytes() == b"version 1"
    assert Path(move.target).read_bytes() == b"version 2"


@pytest.mark.parametrize("change, note", [
    (lambda p: p.write_bytes(b"overwritten by the department mid-run"), "changed while the run read it"),
    (lambda p: p.unlink(), "gone from the inbox"),
])
def test_file_changed_or_gone_since_hashing_stays_for_the_next_run(tmp_path, change, note):
    f = _drop(tmp_path, "a.txt", b"what the run read")
    f.status = "loaded"
    change(Path(f.path))
    [move] = settle_inbox(_summary([f]), tmp_path)
    assert move.target is None and note in move.note
    assert not (tmp_path / PROCESSED_DIR).exists()


def test_file_outside_the_inbox_is_not_touched(tmp_path):
    outside = _drop(tmp_path / "elsewhere", "a.txt", b"x")
    outside.status = "loaded"
    [move] = settle_inbox(_summary([outside]), tmp_path / "inbox")
    assert move.target is None and Path(outside.path).exists()


def test_inbox_options_exclude_processed_and_failed_from_discovery(tmp_path):
    for relative in ["new.txt", "dept/new2.txt", "processed/old.txt", "failed/bad.xlsx", "failed/bad.xlsx.reason.txt"]:
        _drop(tmp_path, relative, b"x")
    options = inbox_options(tmp_path, tmp_path / "w.duckdb", tmp_path / "r", tmp_path / "q")
    assert options.exclude_dirs == inbox_folders(tmp_path)
    found = discover([tmp_path], exclude_dirs=options.exclude_dirs)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["dept/new2.txt", "new.txt"]
