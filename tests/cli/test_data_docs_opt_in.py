"""GX Data Docs are built only with `ingest --data-docs`, offline, and the report never links them (issue 11,
point 12): what the report links to makes no outside request."""
from __future__ import annotations

import json
import re
from pathlib import Path

from budget_etl.flows.cli import main

OUTSIDE = re.compile(r"""(?:\b(?:src|href|action)\s*=\s*["']?|url\(\s*["']?)(?:https?:)?//""", re.IGNORECASE)
LINKS = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _ingest(seed_path, run_dirs, *extra, capsys):
    code = main(["ingest", str(seed_path), "--db", str(run_dirs["db"]), "--reports", str(run_dirs["reports"]),
                 "--quarantine", str(run_dirs["quarantine"]), "--workers", "0", "--json", *extra])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_no_data_docs_by_default(seed_path, run_dirs, capsys):
    summary = _ingest(seed_path, run_dirs, capsys=capsys)
    assert summary["data_docs_path"] is None
    assert not list(Path(run_dirs["reports"]).rglob("data_docs"))


def test_asked_for_they_are_built_offline_and_the_report_links_nothing_outside(seed_path, run_dirs, capsys):
    summary = _ingest(seed_path, run_dirs, "--data-docs", capsys=capsys)
    index = Path(summary["data_docs_path"])
    assert index.is_file()
    report = Path(summary["report_path"])
    text = report.read_text(encoding="utf-8")
    assert not OUTSIDE.findall(text)
    # Whatever the report links to (nothing but in-page anchors) and every Data Docs page: no outside request.
    linked = [report.parent / link for link in LINKS.findall(text) if not link.startswith("#")]
    for page in linked + list(index.parent.rglob("*.html")) + list(index.parent.rglob("*.css")):
        assert not OUTSIDE.findall(page.read_text(encoding="utf-8")), page
