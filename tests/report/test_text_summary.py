"""What `budget-etl report` prints: counts, one line per file, the report path; no terminal control codes."""
import dataclasses

import pytest

from budget_etl.flows.report import render_text_summary, write_report


def test_counts_line(summary):
    text = render_text_summary(summary)
    assert text.splitlines()[1] == "loaded 1 · quarantined 1 · rejected 1 · duplicate 1"


@pytest.mark.parametrize("status, path, says", [
    ("loaded", "/in/good.txt", "warnings: rate_percent_within_0_100"),
    ("quarantined", "/in/<script>alert(1)</script>.txt", "failed: funds_total_reconciles, quantitative_target_readable"),
    ("rejected", "/in/broken.xlsx", "corrupt_file: The file is damaged & truncated"),
    ("duplicate", "/in/again.txt", ""),
])
def test_one_line_per_file(summary, status, path, says):
    lines = [line for line in render_text_summary(summary).splitlines() if line.startswith(f"  {status} ")]
    assert len(lines) == 1
    assert path in lines[0] and says in lines[0]


def test_it_ends_with_where_the_report_is(summary, tmp_path):
    html_path, _ = write_report(summary, tmp_path / "reports")
    lines = render_text_summary(summary).splitlines()
    assert f"Report: {html_path}" in lines
    assert lines[-1] == f"Data Docs: {summary.data_docs_path}"


def test_control_characters_from_a_file_cannot_reach_the_terminal(summary):
    summary.files[0] = dataclasses.replace(summary.files[0], department_name="\x1b[2J\x1b]0;pwned\x07部门")
    text = render_text_summary(summary)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J\\x1b]0;pwned\\x07部门" in text  # spelt out (flows.visible), not silently replaced
