"""The report and the dashboard as pages: valid HTML, charts as inline SVG, every text from a file escaped,
the quality history, and the dashboard's panels with and without the self-evaluation views."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest

from budget_etl.flows.dashboard import write_dashboard
from budget_etl.flows.report import write_report
from budget_etl.flows.report_html import PAGE_SIZE, page_name

HOSTILE = "<script>alert(1)</script>局"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_LEAVES = {"rect", "line", "path", "circle", "polyline"}  # written self-closed inside <svg>


class StrictPage(HTMLParser):
    """Fails on what a browser would silently repair: an end tag that closes something else, an element
    left open, a duplicate id, a second <body>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value}")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in SVG_LEAVES:
            self.errors.append(f"self-closed <{tag}/> outside SVG")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()


def check_page(text: str) -> StrictPage:
    assert text.startswith("<!doctype html>")
    page = StrictPage()
    page.feed(text)
    page.close()
    assert not page.errors, page.errors[:5]
    assert page.stack == [], page.stack
    assert page.tags.count("body") == 1 and page.tags.count("html") == 1
    for svg in re.findall(r"<svg\b.*?</svg>", text, flags=re.S):  # inline SVG must be well-formed XML too
        ElementTree.fromstring(svg)
    # Nothing runs and nothing is fetched: no script, no external reference, the CSP forbids both.
    assert "<script" not in text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
    assert "default-src 'none'" in text
    return page


def test_report_is_valid_and_has_its_charts(pages):
    text = pages["report"].read_text(encoding="utf-8")
    page = check_page(text)
    assert page.tags.count("svg") >= 2
    assert 'class="chart statuses"' in text and 'class="chart checks"' in text
    assert "expenses_match_funds" in re.search(r'<svg class="chart checks".*?</svg>', text, re.S).group(0)


def test_report_escapes_every_text_from_a_file(pages):
    text = pages["report"].read_text(encoding="utf-8")
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in text  # shown, as text


def test_report_history_counts_every_run_of_the_runs_departments(pages):
    text = pages["report_again"].read_text(encoding="utf-8")
    check_page(text)
    section = text[text.index("<h2>History"):]
    section = section[:section.index("</table>")]
    row = next(r for r in section.split("<tr>") if "苏州市相城区总工会" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    # the xlsx sample and the bad-sums table in three more formats, then once more: five quarantined submissions,
    # each of the two checks failed five times (four repeats each)
    assert cells[1:7] == ["department_overall", "5", "0", "5", "0", "8"]
    assert "expenses_match_funds" in cells[7] and "funds_total_reconciles" in cells[7]
    assert "苏州市吴江区总工会" not in section  # not a department of the second run


def test_quality_history_view(pages):
    with duckdb.connect(str(pages["db"]), read_only=True) as con:
        rows = con.execute("SELECT department_name, submissions, loaded, quarantined, repeat_failures, "
                           "repeated_checks, first_seen < last_seen FROM v_quality_history "
                           "WHERE template = 'department_overall' ORDER BY department_name").fetchall()
        checks = con.execute("SELECT expectation, failed_submissions, failed_runs FROM v_quality_check_history "
                             "WHERE department_name = '苏州市相城区总工会' ORDER BY expectation").fetchall()
    by_name = {r[0]: r[1:] for r in rows}
    assert by_name["苏州市相城区总工会"] == (5, 0, 5, 8, ["expenses_match_funds", "funds_total_reconciles"], True)
    assert by_name["苏州市吴江区总工会"] == (1, 1, 0, 0, [], False)
    assert checks == [("expenses_match_funds", 5, 2), ("funds_total_reconciles", 5, 2)]


def test_report_without_a_warehouse_says_why_there_is_no_history(summary, tmp_path):
    html_path, _ = write_report(summary, tmp_path / "reports")
    text = html_path.read_text(encoding="utf-8")
    check_page(text)
    assert "No history: the warehouse" in text


def test_a_large_run_is_paginated(summary, tmp_path):
    """Past PAGE_SIZE files the first page keeps the overview and an index; each page holds PAGE_SIZE files."""
    template = summary.files[1]
    from dataclasses import replace

    summary.files = [replace(template, path=f"/in/{n:05d}-{HOSTILE}.txt") for n in range(PAGE_SIZE * 2 + 5)] + \
        summary.files
    html_path, _ = write_report(summary, tmp_path / "reports")
    folder = html_path.parent
    first = html_path.read_text(encoding="utf-8")
    check_page(first)
    assert 'class="chart statuses"' in first and f'href="{page_name(3)}"' in first
    assert first.count("<tr><td class=\"status") == 0  # no file rows on the overview
    total = 0
    for n in (1, 2, 3):
        text = (folder / page_name(n)).read_text(encoding="utf-8")
        check_page(text)
        assert HOSTILE not in text
        total += text.count('<tr><td class="status')
    assert total == len(summary.files)
    assert not (folder / page_name(4)).exists()


def test_a_large_run_is_written_one_page_at_a_time(summary, tmp_path, monkeypatch):
    """Memory (issue 18): a 100,000-file run's report is 100 pages; the writer renders each page only when it
    writes it, so one page is in memory at a time, and the files hold what rendering them all at once gives."""
    from dataclasses import replace

    from budget_etl.flows import report_html

    template = summary.files[1]
    summary.files = [replace(template, path=f"/in/{n:05d}.txt") for n in range(PAGE_SIZE * 2 + 5)] + summary.files
    pages = report_html.iter_pages(summary, tmp_path)
    rendered = []
    table = report_html._file_table
    monkeypatch.setattr(report_html, "_file_table", lambda files, findings: rendered.append(1) or table(files, findings))
    assert next(pages)[0] == "report.html" and rendered == []
    assert next(pages)[0] == page_name(1) and len(rendered) == 1, "page 2 is not rendered before page 1 is taken"
    written = []
    write_text = Path.write_text
    monkeypatch.setattr(Path, "write_text", lambda self, text, **kw: written.append((self.name, len(rendered)))
                        or write_text(self, text, **kw))
    rendered.clear()
    html_path, _ = write_report(summary, tmp_path / "reports")
    assert written == [("report.html", 0), (page_name(1), 1), (page_name(2), 2), (page_name(3), 3)]
    all_at_once = dict(report_html.iter_pages(summary, html_path.parent, None))
    assert sorted(all_at_once) == sorted(name for name, _ in written)
    for name, text in all_at_once.items():
        if name != "report.html":  # the overview names the run's history, read from no warehouse here
            assert (html_path.parent / name).read_text(encoding="utf-8") == text


def test_dashboard_is_valid_with_charts_and_escaped_names(pages):
    text = pages["dashboard"].read_text(encoding="utf-8")
    page = check_page(text)
    assert page.tags.count("svg") >= 2  # spending and quality over time
    # the warehouse normalises the name's brackets to full width: shown escaped either way
    assert "<script" not in text and "&lt;script&gt;alert（1）&lt;/script&gt;局" in text
    spending = re.search(r'id="panel-1".*?</section>', text, re.S).group(0)
    assert "<svg" in spending and "苏州市吴江区总工会" in spending and "820.5" in spending


def _panel(text: str, n: int) -> str:
    return re.search(rf'id="panel-{n}".*?</section>', text, re.S).group(0)


def test_dashboard_says_plainly_when_a_source_is_missing(pages):
    with duckdb.connect(str(pages["db"]), read_only=True) as con:
        has = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        results = con.execute("SELECT count(*) FROM v_target_attainment WHERE actual_raw IS NOT NULL").fetchone()[0] \
            if "v_target_attainment" in has else 0
        executed = con.execute("SELECT count(*) FROM fact_budget WHERE measure = 'executed'").fetchone()[0]
    text = pages["dashboard"].read_text(encoding="utf-8")
    if "v_target_attainment" not in has:
        assert "Not available yet" in _panel(text, 3) and "<svg" not in _panel(text, 3)
    elif not results:  # the view exists, but no self-evaluation was loaded
        assert "Nothing yet" in _panel(text, 3) and "<svg" not in _panel(text, 3)
    else:  # samples/ holds self-evaluations: their attainment is drawn
        assert "<svg" in _panel(text, 3)
    assert ("<svg" in _panel(text, 2)) == bool(executed)  # budget vs executed: drawn only with executed amounts


@pytest.fixture
def warehouse_copy(pages, tmp_path) -> Path:
    copy = tmp_path / "w.duckdb"
    shutil.copy2(pages["db"], copy)
    return copy


def test_dashboard_uses_the_self_evaluation_views_when_present(warehouse_copy, tmp_path):
    with duckdb.connect(str(warehouse_copy)) as con:
        for view in ("v_budget_execution", "v_target_attainment"):
            con.execute(f"DROP VIEW IF EXISTS {view}")
        con.execute("""CREATE VIEW v_budget_execution AS
            SELECT department_name, fiscal_year, NULL::VARCHAR AS project_name, '资金总额' AS item_path,
                   'full_year' AS period, 820.5::DECIMAL(20,6) AS budget_wan, 700.25::DECIMAL(20,6) AS executed_wan,
                   85.3::DECIMAL(6,2) AS execution_rate
            FROM (SELECT DISTINCT department_name, fiscal_year FROM v_budget)""")
        con.execute("""CREATE VIEW v_target_attainment AS
            SELECT department_name, fiscal_year, level3, value AS target_value, value * 0.5 AS actual_value,
                   (row_number() OVER (PARTITION BY department_name ORDER BY level3) % 4 <> 0) AS target_met
            FROM v_targets WHERE is_quantitative""")
    text = write_dashboard(warehouse_copy, tmp_path / "out").read_text(encoding="utf-8")
    check_page(text)
    execution = _panel(text, 2)
    assert "<svg" in execution and "700.25" in execution and "85.3%" in execution
    assert "budget_wan vs executed_wan" in execution
    attainment = _panel(text, 3)
    assert "<svg" in attainment and "target_met" in attainment
    assert re.search(r"<td>\d+(\.\d)?</td></tr>", attainment)  # a share per department in the table


def test_dashboard_falls_back_to_the_measure_column(warehouse_copy, tmp_path):
    """Without v_budget_execution, executed amounts in fact_budget (measure = 'executed') are compared."""
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("DROP VIEW IF EXISTS v_budget_execution")
        columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                             "WHERE table_name = 'fact_budget'").fetchall()}
        if "measure" not in columns:
            con.execute("ALTER TABLE fact_budget ADD COLUMN measure VARCHAR DEFAULT 'budget'")
        con.execute("""INSERT INTO fact_budget SELECT * REPLACE ('executed' AS measure, amount_wan / 2 AS amount_wan)
                       FROM fact_budget WHERE fund_item_id IN (SELECT fund_item_id FROM dim_fund_item
                                                               WHERE item_path = '资金总额')""")
    text = write_dashboard(warehouse_copy, tmp_path / "out").read_text(encoding="utf-8")
    check_page(text)
    execution = _panel(text, 2)
    assert "<svg" in execution and "fact_budget (measure" in execution
    assert "<td>苏州市吴江区总工会</td><td>2024</td><td>820.5</td><td>410.25</td><td>50.0%</td>" in execution


def test_dashboard_says_so_when_the_views_exist_but_are_empty(warehouse_copy, tmp_path):
    with duckdb.connect(str(warehouse_copy)) as con:
        for view in ("v_budget_execution", "v_target_attainment"):
            con.execute(f"DROP VIEW IF EXISTS {view}")
        con.execute("CREATE VIEW v_budget_execution AS SELECT 'x' AS department_name, 2024 AS fiscal_year, "
                    "1.0 AS budget_wan, 1.0 AS executed_wan WHERE false")
        con.execute("CREATE VIEW v_target_attainment AS SELECT 'x' AS department_name, true AS attained WHERE false")
    text = write_dashboard(warehouse_copy, tmp_path / "out").read_text(encoding="utf-8")
    check_page(text)
    assert "Nothing yet" in _panel(text, 2) and "Nothing yet" in _panel(text, 3)
