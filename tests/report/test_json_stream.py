"""A run's JSON written one file at a time is the text json.dumps gives for the whole document."""
from __future__ import annotations

import io
import json
from datetime import datetime, timezone

import pytest

from budget_etl.flows.json_stream import STREAMED, dump
from budget_etl.flows.summary import FileSummary, RunSummary


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("items", [[], [{"path": "甲.xlsx", "n": [1, {"a": None}], "e": {}}, {"path": "b"}]])
def test_streamed_text_equals_json_dumps(indent, ensure_ascii, items):
    doc = {"run_id": "r", "counts": {"loaded": 1}, "files": STREAMED, "timings": {"chunks": [{"files": 2}]},
           "empty": [], "when": datetime(2026, 12, 1, tzinfo=timezone.utc)}
    out = io.StringIO()
    dump(doc, iter(items), out, indent=indent, ensure_ascii=ensure_ascii, default=str)
    assert out.getvalue() == json.dumps({**doc, "files": items}, indent=indent, ensure_ascii=ensure_ascii,
                                        default=str)


def test_a_run_summary_writes_what_to_json_holds():
    summary = RunSummary(run_id="r", started_at=datetime(2026, 12, 1, tzinfo=timezone.utc),
                         files=[FileSummary(path=f"f{n}.txt", status="loaded") for n in range(3)],
                         chunks=[{"chunk": 1, "files": 3, "validate": 0.5}])
    out = io.StringIO()
    summary.write_json(out, ensure_ascii=False, default=str)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(summary.to_json(), default=str))
    assert json.loads(out.getvalue())["timings"]["chunks"] == [{"chunk": 1, "files": 3, "validate": 0.5}]
