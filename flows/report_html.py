"""The run report as one self-contained HTML page.

Everything a file could have put in a value (department names, labels, cell text)
goes through :func:`esc`, and a Content-Security-Policy that allows no script at
all backs that up: a department called ``<script>…`` is shown, never run. The page
loads nothing from the network (inline CSS, system fonts with the CJK faces each
platform ships), so it opens offline and prints on A4 without the navigation.
"""
from __future__ import annotations

import html
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from budget_etl.flows.charts import STATUS_COLOURS, Series, hbar_chart
from budget_etl.flows.history import History
from budget_etl.flows.summary import GENERIC_FILE, GENERIC_SHEETS, STATUSES, FileSummary, RunSummary, generic_size
from budget_etl.flows.visible import visible

REPORT_PAGE = "report.html"

STATUS_LABELS = {"loaded": "loaded 已入库", "quarantined": "quarantined 已隔离",
                 "rejected": "rejected 已拒收", "duplicate": "duplicate 重复"}

_CSS = """
:root { --ok: #1b7f3b; --warn: #a15c00; --bad: #b3261e; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #202124; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.5rem 0 .25rem; word-break: break-all; }
.meta { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f4; }
td.path, td.cells { word-break: break-all; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
table.files th { white-space: nowrap; }
table.files td.path { min-width: 14rem; } table.files td.who { min-width: 8rem; }
.counts { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem; min-width: 9rem; }
.counts b { display: block; font-size: 1.6rem; }
.status { font-weight: 600; white-space: nowrap; }
.loaded, .ok { color: var(--ok); } .quarantined, .error { color: var(--bad); }
.rejected { color: var(--bad); } .duplicate { color: var(--muted); } .warning { color: var(--warn); }
.none { color: var(--muted); font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure.chart { margin: 0; max-width: 100%; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart svg text { fill: #202124; }
figcaption { color: var(--muted); font-size: .85rem; margin: .25rem 0; }
nav.pages { margin: 1rem 0; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav, .screen-only { display: none; }
  a { color: inherit; text-decoration: none; }
  tr, .file, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  th { background: none; }
  @page { size: A4; margin: 15mm; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(value) -> str:
    """Text for HTML: escaped, with missing values shown as empty, and invisible characters (a zero-width
    space, a right-to-left override) spelt out, so two names that differ by one are seen to differ."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(visible(value), quote=True)


#: Files per page. A run with more files gets an overview page (counts, charts, history, an index of pages)
#: and pages of this many files each, so that no page grows with the run (see benchmarks/bench_pages.py).
PAGE_SIZE = 1000
#: Checks shown in the "failures by check" chart, the most failed first (the tables list every one).
MAX_CHECK_BARS = 25
#: Problems first: the files a reader has to act on open the first page.
_STATUS_ORDER = {"quarantined": 0, "rejected": 1, "loaded": 2, "duplicate": 3}


def page_name(number: int) -> str:
    """The file name of page ``number`` (1-based) of a paginated report."""
    return f"files-{number:03d}.html"


def html_page(title: str, body: list[str]) -> str:
    """One self-contained page: escaped title, the CSP that forbids every script, inline CSS."""
    parts = [
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        *body,
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def iter_pages(summary: RunSummary, report_dir: Path,
               history: History | None = None) -> Iterator[tuple[str, str]]:
    """``(file name, page)`` for each page, ``report.html`` first, each rendered only when asked for: a writer
    keeps one page in memory at a time (100,000 files are 100 pages of ~0.3 MB each)."""
    findings = _findings(summary.quality)
    title = f"budget-etl run {summary.run_id}"
    head = [f"<h1>Budget ingest run 预算绩效目标入库报告 — {esc(summary.run_id)}</h1>",
            f'<p class="meta">Started {esc(when(summary.started_at))} · finished {esc(when(summary.finished_at))}'
            f" · warehouse {esc(summary.db_path)}</p>"]
    overview = head + [_docs_link(summary, report_dir), _counts(summary), run_charts(summary, findings),
                       history_section(history)]
    if len(summary.files) <= PAGE_SIZE:
        body = overview + [_file_table(summary.files, findings),
                           _finding_sections(summary.files, findings, report_dir)]
        yield REPORT_PAGE, html_page(title, body)
        return
    # Pages hold the files by status, then path: sorted by position, each page's files read when it is rendered
    # (a run's files are on disk, flows.summary_store).
    keys = [(_STATUS_ORDER.get(f.status, 9), f.path, f.status) for f in summary.files]
    ordered = sorted(range(len(keys)), key=keys.__getitem__)
    pages = [ordered[i:i + PAGE_SIZE] for i in range(0, len(ordered), PAGE_SIZE)]
    by_path, none = _by_path(findings)
    yield REPORT_PAGE, html_page(title, overview + [_page_index([[keys[i][1:] for i in page] for page in pages])])
    for n, page in enumerate(pages, start=1):
        chunk = [summary.files[i] for i in page]
        mine = pd.concat([by_path[f.path] for f in chunk if f.path in by_path]) if any(
            f.path in by_path for f in chunk) else none
        nav = _page_nav(n, len(pages))
        body = head + [nav, f"<h2>Files 文件 {(n - 1) * PAGE_SIZE + 1}–{(n - 1) * PAGE_SIZE + len(chunk)} "
                            f"of {len(ordered)}</h2>",
                       _file_table(chunk, mine), _finding_sections(chunk, mine, report_dir), nav]
        yield page_name(n), html_page(f"{title} — page {n} of {len(pages)}", body)


def run_charts(summary: RunSummary, findings: pd.DataFrame) -> str:
    """Status counts and the checks that failed most, as inline SVG."""
    statuses = [s for s in STATUSES if summary.count(s)] or list(STATUSES)
    status_figure = hbar_chart([STATUS_LABELS[s] for s in statuses],
                               [Series("files", [float(summary.count(s)) for s in statuses])],
                               caption=f"Files by status 各状态文件数 ({len(summary.files)} files)",
                               css_class="chart statuses", bar_colours=[STATUS_COLOURS[s] for s in statuses])
    if findings.empty or "expectation" not in findings:
        checks = '<p class="none">No check failed or warned in this run.</p>'
    else:
        per_check = findings.drop_duplicates(["path", "expectation"]).groupby(
            ["expectation", "severity"], sort=False).size().reset_index(name="files")
        per_check = per_check.sort_values(["files", "expectation"], ascending=[False, True], kind="stable")
        shown = per_check.head(MAX_CHECK_BARS)
        more = len(per_check) - len(shown)
        caption = ("Files per failed or warned check 各检查项未通过的文件数 (red: error, blocks the load; "
                   "amber: warning)" + (f"; {more} more checks in the tables below" if more > 0 else ""))
        errors = [float(r.files) if r.severity == "error" else None for r in shown.itertuples()]
        warnings = [float(r.files) if r.severity != "error" else None for r in shown.itertuples()]
        series = [Series("error", errors, "#b3261e"), Series("warning", warnings, "#a15c00")]
        checks = hbar_chart(list(shown["expectation"]), [s for s in series if any(v is not None for v in s.values)],
                            caption=caption, css_class="chart checks")
    return f'<h2>At a glance 概览</h2><div class="charts">{status_figure}{checks}</div>'


def history_section(history: History | None) -> str:
    """The quality history of this run's departments (from v_quality_history)."""
    out = ["<h2>History 历史质量 (this run's departments, every run)</h2>"]
    if history is None or history.unavailable:
        reason = history.unavailable if history is not None else "not read"
        out.append(f'<p class="none">No history: {esc(reason)}.</p>')
        return "\n".join(out)
    if not history.rows:
        out.append('<p class="none">None of this run\'s departments has a recorded submission yet.</p>')
        return "\n".join(out)
    rows = "".join(
        f"<tr><td>{esc(r['department_name'])}</td><td>{esc(r['template'])}</td><td>{esc(r['submissions'])}</td>"
        f'<td class="ok">{esc(r["loaded"])}</td><td class="error">{esc(r["quarantined"])}</td>'
        f"<td>{esc(r['rejected'])}</td>"
        f'<td class="{"error" if r["repeat_failures"] else ""}">{esc(r["repeat_failures"])}</td>'
        f"<td>{esc(', '.join(r['repeated_checks']))}</td><td>{esc(r['first_seen'])}</td>"
        f"<td>{esc(r['last_seen'])}</td></tr>" for r in history.rows)
    head = ("<tr><th>单位名称</th><th>Template</th><th>Submissions</th><th>Loaded</th><th>Quarantined</th>"
            "<th>Rejected</th><th>Repeat failures</th><th>Checks failed more than once</th><th>First seen</th>"
            "<th>Last seen</th></tr>")
    cut = history.departments - len({r["department_name"] for r in history.rows})
    note = (f'<p class="meta">Repeat offenders first; {cut} more departments in '
            "<code>v_quality_history</code>.</p>") if cut > 0 else ""
    out.append(f'<table class="history"><thead>{head}</thead><tbody>{rows}</tbody></table>{note}')
    return "\n".join(out)


def _page_index(pages: list[list[tuple[str, str]]]) -> str:
    """``pages``: the (path, status) of each page's files, in order."""
    rows = []
    for n, page in enumerate(pages, start=1):
        counts = Counter(status for _, status in page)
        tally = " · ".join(f'<span class="{s}">{counts[s]} {esc(s)}</span>' for s in STATUSES if counts[s])
        rows.append(f'<tr><td><a href="{page_name(n)}">Page {n}</a></td><td class="path">{esc(page[0][0])}'
                    f" … {esc(page[-1][0])}</td><td>{tally}</td></tr>")
    return ("<h2>Files by page 文件分页</h2><p class=\"meta\">Quarantined and rejected files first, then by path; "
            f"{PAGE_SIZE} files a page.</p><table><thead><tr><th>Page</th><th>Files</th><th>Statuses</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _page_nav(n: int, total: int) -> str:
    links = [f'<a href="{REPORT_PAGE}">Overview 概览</a>']
    if n > 1:
        links.append(f'<a href="{page_name(n - 1)}">← page {n - 1}</a>')
    links.append(f"page {n} of {total}")
    if n < total:
        links.append(f'<a href="{page_name(n + 1)}">page {n + 1} →</a>')
    return f'<nav class="pages">{" · ".join(links)}</nav>'


def when(value) -> str:
    """A run's start or finish, to the second (the text report shows it the same way)."""
    return value.isoformat(timespec="seconds") if value is not None else "—"


def _findings(quality: pd.DataFrame) -> pd.DataFrame:
    """Failed and warned checks only, errors first."""
    if quality is None or quality.empty or "success" not in quality:
        return pd.DataFrame(columns=["path", "severity", "expectation", "message"])
    failed = quality[~quality["success"].astype(bool)].copy()
    failed["_order"] = (failed["severity"] != "error").astype(int)
    return failed.sort_values(["_order", "suite", "expectation"], kind="stable")


def _docs_link(summary: RunSummary, report_dir: Path) -> str:
    """Where the run's GX Data Docs are, as text, not a link: GX's pages are not this self-contained report
    (they are built only with ``--data-docs``, stripped of their outside assets, see expectations.offline_docs)."""
    if not summary.data_docs_path:
        return ""
    target = Path(summary.data_docs_path)
    try:
        where = Path(os.path.relpath(target, report_dir)).as_posix()
    except ValueError:  # another drive on Windows
        where = str(target)
    return (f'<p class="meta">Great Expectations Data Docs for this run (every expectation and its result) '
            f"were built beside this page: {esc(where)}</p>")


def _href(target: Path, report_dir: Path) -> str:
    """A link from the report to a file it names: relative, so the folder can move as a whole."""
    try:
        return Path(os.path.relpath(target, report_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return target.resolve().as_uri()


def _counts(summary: RunSummary) -> str:
    items = "".join(f'<li class="{s}"><b>{summary.count(s)}</b>{esc(STATUS_LABELS[s])}</li>' for s in STATUSES)
    said = []
    generic = summary.generic_counts()  # one pass over the files for both counts
    if generic[GENERIC_FILE]:
        said.append(f"{generic[GENERIC_FILE]} loaded as generic tables (no table family recognised them)")
    if generic[GENERIC_SHEETS]:
        said.append(f"{generic[GENERIC_SHEETS]} with a family's table and extra sheets loaded as generic tables")
    generic = (f'<p class="generic">{"; ".join(said)}; their cells are in <code>v_generic_entries</code>.</p>'
               if said else "")
    return f'<h2>Files 文件 ({len(summary.files)})</h2><ul class="counts">{items}</ul>{generic}'


def _file_table(files: list[FileSummary], findings: pd.DataFrame) -> str:
    if not files:
        return '<p class="none">No files were found.</p>'
    # Counted in one pass: a filter of the findings per file is slow with thousands of files.
    counts = Counter(zip(findings["path"], findings["severity"])) if "path" in findings else Counter()
    rows = []
    for f in files:
        errors, warnings = counts[(f.path, "error")], counts[(f.path, "warning")]
        note = esc(f.error_code) + (": " + esc(f.error_message) if f.error_message else "")
        if errors or warnings:  # only what there is: a red '0 failed' beside a warning read as a failure
            note = " · ".join(
                [f'<span class="error">{errors} failed</span>'] * bool(errors)
                + [f'<span class="warning">{warnings} warning{"s" if warnings != 1 else ""}</span>'] * bool(warnings))
        if f.generic_tables is not None and len(f.submissions) <= 1:  # what the run kept of a generic file
            note = esc(generic_size(f.generic_tables, f.generic_entries)) + (" · " + note if note else "")
        if f.identity_note:
            note += ("<br>" if note else "") + f"identity: {esc(f.identity_note)}"
        rows.append(
            f'<tr><td class="status {esc(f.status)}">{esc(f.status)}</td><td class="path">{esc(f.path)}</td>'
            f'<td class="who">{esc(f.department_name)}</td><td>{esc(f.fiscal_year)}</td><td>{esc(f.template)}</td>'
            f"<td>{esc(f.project_name)}</td><td>{esc(f.version)}</td><td>{note}</td></tr>")
        if len(f.submissions) > 1:  # a file holding several tables: one row each, under the file's
            rows.extend(_submission_row(sub) for sub in f.submissions)
    head = ("<tr><th>Status</th><th>File</th><th>单位名称</th><th>年度</th><th>Template</th>"
            "<th>项目名称</th><th>Version</th><th>Checks / error</th></tr>")
    # The columns keep a width (table.files): a long rejection message squeezed the file names and department
    # names to one character a line.
    return (f'<h2>Every file 每个文件</h2><table class="files"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
            "</table>")


def _submission_row(s: dict) -> str:
    note = esc(s["error_code"]) + (": " + esc(s["error_message"]) if s["error_message"] else "")
    if s["failed_checks"] or s["warnings"]:
        note = esc(", ".join(s["failed_checks"] + s["warnings"]))
    size = generic_size(s.get("generic_tables"), s.get("generic_entries"))
    if size:
        note = esc(size) + (" · " + note if note else "")
    return (f'<tr class="part"><td class="status {esc(s["status"])}">{esc(s["status"])}</td>'
            f'<td class="path">↳ sheet {esc(s["sheet"])}</td><td class="who">{esc(s["department_name"])}</td>'
            f'<td>{esc(s["fiscal_year"])}</td><td>{esc(s["template"])}</td><td>{esc(s["project_name"])}</td>'
            f'<td>{esc(s["version"])}</td><td>{note}</td></tr>')


def _by_path(findings: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The findings of each file, grouped once (a scan of all findings per file is quadratic), and the
    empty frame to use for a file without any."""
    if "path" not in findings:
        return {}, findings.iloc[0:0]
    return {path: rows for path, rows in findings.groupby("path", sort=False)}, findings.iloc[0:0]


def _finding_sections(files: list[FileSummary], findings: pd.DataFrame, report_dir: Path) -> str:
    sections = ["<h2>Failed and warned checks 未通过的检查</h2>"]
    any_shown = False
    by_path, none = _by_path(findings)
    for f in files:
        mine = by_path.get(f.path, none)
        if mine.empty:
            continue
        any_shown = True
        sections.append(_file_findings(f, mine, report_dir))
    if not any_shown:
        sections.append('<p class="none">Every check passed.</p>')
    return "\n".join(sections)


def _file_findings(f: FileSummary, rows: pd.DataFrame, report_dir: Path) -> str:
    where = f.quarantine_path and f'<p class="meta">Quarantined to {esc(f.quarantine_path)}</p>' or ""
    if f.annotated_path:
        href = _href(Path(f.annotated_path), report_dir)
        where += (f'<p class="meta">Annotated workbook 标注后的工作簿 (failing cells marked, a comment on each): '
                  f'<a href="{esc(href)}">{esc(Path(f.annotated_path).name)}</a></p>')
    body = "".join(
        f'<tr><td class="{esc(r.severity)}">{esc(r.severity)}</td><td>{esc(r.expectation)}</td>'
        f"<td>{esc(r.message)}</td><td class=\"cells\">{esc(r.source_cells)}</td>"
        f"<td>{esc(r.observed)}</td><td>{esc(r.expected)}</td></tr>"
        for r in rows.itertuples(index=False))
    head = ("<tr><th>Severity</th><th>Check</th><th>What is wrong</th><th>Cells</th>"
            "<th>Observed</th><th>Expected</th></tr>")
    title = " · ".join(esc(v) for v in (f.department_name, f.fiscal_year, f.project_name) if v)
    return (f'<section class="file"><h3><span class="status {esc(f.status)}">{esc(f.status)}</span> '
            f"{esc(f.path)}{' — ' + title if title else ''}</h3>{where}"
            f"<table><thead>{head}</thead><tbody>{body}</tbody></table></section>")
