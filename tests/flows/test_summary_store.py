"""A run's per-file summaries on disk (flows.summary_store): a sequence that reads like the list it replaces."""
import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from budget_etl.flows.summary import FileSummary, RunSummary
from budget_etl.flows.summary_store import FileSummaries

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BAD_SAMPLE = "xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx"
GOOD_SAMPLE = "suzhou-trade-union-2023.txt"


def _summary(path: str, status: str = "loaded", **fields) -> FileSummary:
    return FileSummary(path=path, status=status, sha256=path * 2, format="xlsx", **fields)


def _generic(path: str) -> FileSummary:
    return _summary(path, template="generic", submissions=[{"template": "generic", "status": "loaded"}])


def test_reads_back_what_was_written_in_order_and_by_position():
    written = [_summary("c.xlsx"), _summary("a.xlsx", "rejected", error_code="corrupt_file"),
               _summary("b.xlsx", "quarantined", failed_checks=["x"], submissions=[{"sheet": "表1", "template": "t", "status": "quarantined"}])]
    files = FileSummaries(written)
    assert list(files) == written and len(files) == 3
    assert files[1] == written[1] and files[-1] == written[2] and files[0:2] == written[:2]
    assert files[1] is not written[1]  # a copy: the store keeps bytes, not the objects
    with pytest.raises(IndexError):
        files[3]


def test_sorting_by_path_orders_reading_and_positions_and_later_appends_come_last():
    files = FileSummaries([_summary("c.xlsx"), _summary("a.xlsx"), _summary("b.xlsx")])
    files.sort_by_path()
    assert [f.path for f in files] == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert files[0].path == "a.xlsx"
    files.append(_summary("0.xlsx"))
    assert [f.path for f in files] == ["a.xlsx", "b.xlsx", "c.xlsx", "0.xlsx"]


def test_a_change_is_kept_only_once_assigned_back():
    files = FileSummaries([_summary("a.xlsx", "quarantined"), _summary("b.xlsx")])
    files.sort_by_path()
    read = files[0]
    read.quarantine_path = "/q/a.xlsx"
    assert files[0].quarantine_path is None  # not yet: what was read is a copy
    files[0] = read
    assert files[0].quarantine_path == "/q/a.xlsx" and files[1].path == "b.xlsx"
    files[1] = dataclasses.replace(files[1], status="duplicate")
    assert [f.status for f in files] == ["quarantined", "duplicate"]


def test_counts_and_generic_files_are_known_without_reading_and_follow_changes():
    files = FileSummaries([_summary("a"), _summary("b", "rejected"), _generic("c"), _summary("d", "duplicate")])
    run = RunSummary(run_id="r", started_at=None, files=files)
    as_list = RunSummary(run_id="r", started_at=None, files=list(files))
    assert run.counts == as_list.counts == {"loaded": 2, "quarantined": 0, "rejected": 1, "duplicate": 1}
    assert run.generic_loaded == as_list.generic_loaded == 1
    files[2] = _summary("c", "quarantined")
    assert run.counts["quarantined"] == 1 and run.count("loaded") == 1 and run.generic_loaded == 0
    files.close()  # its records can no longer be read: the counts never read them
    assert run.counts["quarantined"] == 1 and run.generic_loaded == 0 and run.exit_code == 1
    with pytest.raises(ValueError):
        list(files)


def test_a_failed_file_whose_extra_sheets_loaded_is_counted_apart_on_disk_as_in_a_list():
    annexed = _summary("e", "quarantined", template="department_overall", submissions=[
        {"template": "department_overall", "status": "quarantined"}, {"template": "generic", "status": "loaded"}])
    files = FileSummaries([_summary("a"), annexed, _generic("c")])
    run = RunSummary(run_id="r", started_at=None, files=files)
    as_list = RunSummary(run_id="r", started_at=None, files=list(files))
    assert run.failed_with_generic_sheets() == as_list.failed_with_generic_sheets() == 1
    assert run.generic_counts_text() == as_list.generic_counts_text() == (
        "1 as generic tables, 1 with extra sheets as generic tables")
    assert run.generic_counts_text(loaded_only=True) == "1 as generic tables"
    files.close()  # counted without reading a record
    assert run.failed_with_generic_sheets() == 1


def test_pickles_as_the_plain_list_it_stands_for():
    files = FileSummaries([_summary("a"), _generic("b")])
    again = pickle.loads(pickle.dumps(files))
    assert type(again) is list and again == list(files)
    assert files == again and files != [] and FileSummaries() == []


def test_a_run_keeps_its_file_summaries_on_disk_and_they_hold_what_was_set_after_the_load(tmp_path):
    """The run's own summary: the quarantine copy and annotated workbook made after the commit are in it."""
    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in (BAD_SAMPLE, GOOD_SAMPLE):
        shutil.copy2(SAMPLES / name, inbox / name)
    options = IngestOptions(db_path=tmp_path / "w.duckdb", reports_dir=tmp_path / "reports",
                            quarantine_dir=tmp_path / "quarantine", workers=0)
    summary = run_ingest([inbox], options)
    assert isinstance(summary.files, FileSummaries)
    assert [f.path.rsplit("/", 1)[-1] for f in summary.files] == sorted([BAD_SAMPLE, GOOD_SAMPLE])
    bad = next(f for f in summary.files if f.status == "quarantined")
    assert bad.quarantine_path and Path(bad.quarantine_path).is_file()
    assert bad.annotated_path and Path(bad.annotated_path).is_file()
