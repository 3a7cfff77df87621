"""The run report: self-contained HTML (escaped, offline, printable, Chinese) and its JSON twin."""
import json
import re
from html.parser import HTMLParser

import pytest

from budget_etl.flows.report import write_report

HOSTILE = "<script>alert(1)</script>"


class _Collect(HTMLParser):
    """What a browser would see: elements, links, and the text of each table row."""

    def __init__(self):
        super().__init__()
        self.tags, self.links, self.rows, self._row = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag in ("script", "link", "img", "iframe") or "src" in attrs:
            self.links.append(attrs.get("src") or attrs.get("href"))
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows.append(" ".join(self._row))
            self._row = None

    def handle_data(self, data):
        if self._row is not None and data.strip():
            self._row.append(data.strip())


@pytest.fixture
def written(summary, tmp_path):
    html_path, json_path = write_report(summary, tmp_path / "reports")
    page = _Collect()
    page.feed(html_path.read_text(encoding="utf-8"))
    return html_path, json_path, page


def test_the_report_lands_in_the_run_folder(written, tmp_path, summary):
    html_path, json_path, _ = written
    assert html_path == tmp_path / "reports" / "run-1" / "report.html"
    assert json_path == tmp_path / "reports" / "run-1" / "report.json"
    assert (summary.report_path, summary.report_json_path) == (str(html_path), str(json_path))


def test_values_from_files_are_escaped_never_run(written):
    html_path, _, page = written
    text = html_path.read_text(encoding="utf-8")
    assert "script" not in page.tags
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert any(HOSTILE in row for row in page.rows)  # shown to the reader as text
    assert "damaged &amp; truncated" in text


def test_no_script_may_run_and_nothing_loads_from_the_network(written):
    html_path, _, page = written
    text = html_path.read_text(encoding="utf-8")
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'", text)
    assert not [link for link in page.links if link and re.match(r"(https?:)?//", link)]
    assert "link" not in page.tags and "img" not in page.tags


def test_chinese_renders(written):
    html_path, _, _ = written
    text = html_path.read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in text and 'lang="zh-CN"' in text
    assert "苏州市总工会（本级）" in text
    assert re.search(r"font-family:[^;]*PingFang SC[^;]*Microsoft YaHei[^;]*Noto Sans CJK SC", text)


def test_it_prints_well(written):
    text = written[0].read_text(encoding="utf-8")
    assert "@media print" in text and "@page" in text and "break-inside: avoid" in text


@pytest.mark.parametrize("status, count", [("loaded", 1), ("quarantined", 1), ("rejected", 1), ("duplicate", 1)])
def test_counts_by_status(written, status, count):
    html_text = written[0].read_text(encoding="utf-8")
    assert re.search(rf'<li class="{status}"><b>{count}</b>', html_text)


@pytest.mark.parametrize("path, status, extra", [
    ("/in/good.txt", "loaded", "1 warning"),
    ("/in/broken.xlsx", "rejected", "corrupt_file: The file is damaged & truncated"),
    ("/in/again.txt", "duplicate", ""),
    (f"/in/{HOSTILE}.txt", "quarantined", "2 failed"),
])
def test_one_line_per_file(written, path, status, extra):
    _, _, page = written
    lines = [row for row in page.rows if row.startswith(status) and path in row]
    assert len(lines) == 1 and extra in lines[0]


def test_each_finding_has_cells_observed_and_expected(written):
    _, _, page = written
    finding = [row for row in page.rows if row.startswith("error funds_total_reconciles")]
    assert len(finding) == 1
    assert "Sheet1!E13, Sheet1!F14" in finding[0] and "1400" in finding[0] and "1363.41" in finding[0]
    warned = [row for row in page.rows if row.startswith("warning rate_percent_within_0_100")]
    assert len(warned) == 1 and "Sheet1!E81" in warned[0]
    assert not [row for row in page.rows if "year_plausible" in row]  # passed checks are not listed


def test_data_docs_are_named_but_not_linked(written):
    """Issue 11, point 12: GX's pages are not part of the self-contained report; it names where they are."""
    html_path, _, page = written
    assert not [link for link in page.links if link and "data_docs" in link]
    assert "data_docs/index.html" in html_path.read_text(encoding="utf-8")


def test_the_report_links_nothing_on_another_host(written):
    import re

    html_path, _, _ = written
    text = html_path.read_text(encoding="utf-8")
    assert not re.findall(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", text, re.IGNORECASE)
    assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//", text, re.IGNORECASE)


def test_the_json_twin_carries_the_same_facts(written, summary):
    html_path, json_path, _ = written
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["run_id"] == "run-1"
    assert doc["counts"] == {"loaded": 1, "quarantined": 1, "rejected": 1, "duplicate": 1}
    assert doc["report_path"] == str(html_path)
    assert [f["status"] for f in doc["files"]] == [f.status for f in summary.files]
    assert doc["files"][1]["department_name"] == HOSTILE  # data in JSON stays data, unescaped
    assert [(f["expectation"], f["severity"]) for f in doc["findings"]] == [
        ("funds_total_reconciles", "error"), ("quantitative_target_readable", "error"),
        ("rate_percent_within_0_100", "warning")]
    assert doc["findings"][0]["source_cells"] == "Sheet1!E13, Sheet1!F14"
    assert "资金总额" in json_path.read_text(encoding="utf-8")  # not \\u-escaped


def test_an_empty_run_still_reports(tmp_path):
    from datetime import datetime

    from budget_etl.flows.summary import RunSummary
    html_path, json_path = write_report(RunSummary(run_id="empty", started_at=datetime(2024, 1, 1)), tmp_path)
    assert "No files were found" in html_path.read_text(encoding="utf-8")
    assert json.loads(json_path.read_text(encoding="utf-8"))["findings"] == []
