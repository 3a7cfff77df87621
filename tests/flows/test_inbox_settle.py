"""Only files that have stopped changing are taken from an inbox (`serve --settle S`, 10 s by default), and
partial-upload names are never taken: an upload paused half way must not load as a whole submission.

Plain Python (the inbox flow's own stages: plan, load, move), real files, a real warehouse; the settle
time is 2 s here so that the test waits a little, not 10 s.
"""
from __future__ import annotations

import os
import time

import duckdb
import pytest

from budget_etl.flows.inbox import PROCESSED_DIR, inbox_options, settle_inbox
from budget_etl.flows.pipeline import run_ingest
from budget_etl.flows.stages import discover

SETTLE_S = 2.0


def _options(tmp_path, inbox):
    return inbox_options(inbox, tmp_path / "w.duckdb", tmp_path / "reports", tmp_path / "quarantine",
                         settle_s=SETTLE_S, workers=0, data_docs=False)


def _wait_until_settled(path) -> None:
    st = os.stat(path)
    time.sleep(max(0.0, max(st.st_mtime, st.st_ctime) + SETTLE_S + 0.5 - time.time()))


def test_a_file_still_being_written_is_left_for_a_later_run_then_taken_whole(tmp_path, seed_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = seed_path.read_bytes()
    upload = inbox / "seed-department-overall.txt"
    upload.write_bytes(data[: len(data) // 2])  # an upload paused half way

    first = run_ingest([inbox], _options(tmp_path, inbox))

    assert first.files == []  # nothing taken: the half file is neither loaded nor rejected
    assert upload.exists() and not (inbox / PROCESSED_DIR).exists()

    with open(upload, "ab") as fh:  # the upload resumes and ends
        fh.write(data[len(data) // 2:])
    _wait_until_settled(upload)
    second = run_ingest([inbox], _options(tmp_path, inbox))

    [f] = second.files
    assert f.status == "loaded"
    [_] = settle_inbox(second, inbox)
    assert (inbox / PROCESSED_DIR / upload.name).read_bytes() == data
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from fact_budget").fetchone()[0] == 27


def test_a_file_unchanged_for_the_settle_time_is_taken_at_once(tmp_path, seed_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(seed_path.read_bytes())
    _wait_until_settled(inbox / "seed.txt")
    assert [f.status for f in run_ingest([inbox], _options(tmp_path, inbox)).files] == ["loaded"]


@pytest.mark.parametrize("name", ["预算.xlsx.part", "预算.xlsx.tmp", "~$预算.xlsx", "预算.xlsx.crdownload",
                                  ".预算.xlsx", ".~lock.预算.xlsx#"])
def test_partial_upload_names_are_never_taken(tmp_path, name):
    (tmp_path / name).write_bytes(b"half an upload")
    (tmp_path / "done.txt").write_bytes(b"a finished file")
    assert [p.name for p in discover([tmp_path])] == ["done.txt"]


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_serve_refuses_a_settle_time_that_is_not_a_finite_number_of_seconds(tmp_path, value, capsys):
    from budget_etl.flows.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--inbox", str(tmp_path), "--settle", value])
    assert stopped.value.code == 2 and "--settle" in capsys.readouterr().err
