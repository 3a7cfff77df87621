"""A run mixing a good, a quarantined and a rejected file: warehouse, quarantine folder, quality_results, report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def mixed_inbox(tmp_path, seed_path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = seed_path.read_text(encoding="utf-8")
    (inbox / "1-good.txt").write_text(seed, encoding="utf-8")
    # Same department table, but 资金总额 no longer equals the sum of its income items (1363.41 -> 1400).
    lines = seed.split("\n")
    assert lines[10].split("\t")[4] == "1363.41"
    lines[10] = lines[10].replace("1363.41", "1400")
    bad = "\n".join(lines).replace("苏州市总工会（本级）", "苏州市示例局")
    (inbox / "2-sums-do-not-add-up.txt").write_text(bad, encoding="utf-8")
    (inbox / "3-empty.xlsx").write_bytes(b"")
    return inbox


def test_mixed_run(cli, mixed_inbox, run_dirs):
    code, summary, _ = cli.json("ingest", str(mixed_inbox), "--json")
    assert code == 1
    by_name = {Path(f["path"]).name: f for f in summary["files"]}
    assert by_name["1-good.txt"]["status"] == "loaded"
    bad = by_name["2-sums-do-not-add-up.txt"]
    assert bad["status"] == "quarantined"
    assert bad["failed_checks"], bad
    assert by_name["3-empty.xlsx"]["status"] == "rejected"
    assert by_name["3-empty.xlsx"]["error_code"] == "empty_file"

    # Warehouse: only the good file's facts; every file has its submissions row.
    assert cli("query", "select count(distinct department_name) from v_budget")[1].strip() == "1"
    assert cli("query", "select count(*) from fact_budget f join submissions s using (submission_id) "
                        "where s.status <> 'loaded'")[1].strip() == "0"
    statuses = cli("query", "select status, count(*) from submissions group by all order by all", "--format", "json")[1]
    assert json.loads(statuses) == [{"status": "loaded", "count_star()": 1}, {"status": "quarantined", "count_star()": 1},
                                    {"status": "rejected", "count_star()": 1}]
    # quality_results hold the failure with its cells.
    failed = json.loads(cli("query", "select q.expectation, q.severity, q.source_cells from quality_results q join "
                                     "submissions s using (submission_id) where not q.success and q.severity = 'error' "
                                     "and s.source_path like '%2-sums%'", "--format", "json")[1])
    assert failed and all(r["source_cells"] for r in failed)

    # Quarantine folder: a copy of the file and its reason file.
    run_id = summary["run_id"]
    qdir = run_dirs["quarantine"] / run_id
    assert (qdir / "2-sums-do-not-add-up.txt").read_bytes() == (mixed_inbox / "2-sums-do-not-add-up.txt").read_bytes()
    reason = (qdir / "2-sums-do-not-add-up.txt.reason.txt").read_text(encoding="utf-8")
    assert "1400" in reason and "E11" in reason

    # The report: HTML and its JSON twin, one line per file.
    html = Path(summary["report_path"]).read_text(encoding="utf-8")
    for name in ("1-good.txt", "2-sums-do-not-add-up.txt", "3-empty.xlsx"):
        assert name in html
    assert "empty_file" in html
    assert Path(summary["report_json_path"]).exists()
