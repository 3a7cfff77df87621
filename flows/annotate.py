"""Annotated workbooks: a department's own table back, with every failing or warned cell marked.

For a quarantined file (and, when asked, a loaded file with warnings) the run writes an .xlsx that
a clerk can act on:

* a first sheet, 问题清单, listing every finding in plain Chinese with a link to each of its cells;
* the submission's own sheets, rebuilt from the cells the readers gave (so it works the same for .xlsx,
  .xls, text exports and HTML tables): values, merged ranges, and each failing cell filled (red for an
  error, amber for a warning) with a comment saying what is wrong, observed vs expected and the check.

The workbook is rebuilt, never copied: nothing of the original's macros, external links or formulas
travels back, and every text is written as text (a cell reading ``=HYPERLINK(…)`` stays words).

Files are read again in the sandboxed worker processes (``flows.sandbox``), like at parse time: the
bytes come from outside. :func:`annotate_task` is what a worker runs.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from budget_etl.flows.findings_zh import SEVERITY_ZH, comment_text, problem
from budget_etl.parsers.cells import Sheet, Workbook, parse_a1, parse_range
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits

#: Beside a quarantine copy (``<name>.annotated.xlsx``), or in the report folder for loaded files.
ANNOTATED_SUFFIX = ".annotated.xlsx"
ANNOTATED_DIR = "annotated"  # <reports>/<run_id>/annotated/ for loaded-with-warnings files
FINDINGS_SHEET = "问题清单"

_FILL = {"error": "FFC7CE", "warning": "FFEB9C"}
_MAX_TEXT = 32767  # Excel's limit for a cell's text
_MAX_COMMENT = 8000  # a comment longer than this is unreadable anyway
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
# A source cell reference as the quality results write it: 'Sheet name!F7' (sheet names may hold ', ').
_REF = re.compile(r"^(?P<sheet>.*)!(?P<cell>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")
# Numbers Excel cannot hold as numbers are kept as text (the digits are what the clerk typed).
_LARGEST = Decimal("1e300")

_log = logging.getLogger("budget_etl")


@dataclass(frozen=True, slots=True)
class AnnotateTask:
    """One file to annotate: what a worker process receives (plain data, no pandas)."""

    source: str  # the submitted file
    target: str  # the .xlsx to write
    status: str  # 'quarantined' or 'loaded'
    department_name: str | None
    fiscal_year: int | None
    findings: tuple[dict, ...]  # failed or warned quality results of the file
    limits: ReadLimits = DEFAULT_LIMITS
    #: check name -> (its expected text, its rule) for the checks of ``findings``, filled by the parent (which
    #: has the catalogue loaded): a worker that looks them up itself imports the checks, hence pandas (~0.3 CPU-s
    #: and ~30 MB a worker). None: the worker reads the catalogue.
    catalogue: tuple[tuple[str, str, str], ...] | None = None


@dataclass(slots=True)
class _Mark:
    severity: str
    texts: list[str] = field(default_factory=list)


def annotate_task(task: AnnotateTask) -> str:
    """Read the file and write its annotated workbook; returns the path written."""
    from budget_etl.parsers.readers import read_bytes

    data = Path(task.source).read_bytes()
    workbook = read_bytes(data, Path(task.source).name, task.limits)
    write_annotated(workbook, task, Path(task.target))
    return task.target


def split_cells(source_cells: str | None) -> list[tuple[str, str]]:
    """'绩效目标表!F7, 绩效目标表!F8' -> [('绩效目标表', 'F7'), ('绩效目标表', 'F8')].

    A piece without '!' belongs to the next one (a sheet name holding ', '); a bare sheet name (a finding
    about a whole sheet) gives (sheet, '').
    """
    out: list[tuple[str, str]] = []
    pending = ""
    for piece in (source_cells or "").split(", "):
        text = pending + piece
        match = _REF.match(text)
        if match:
            out.append((match["sheet"], match["cell"].replace("$", "")))
            pending = ""
        else:
            pending = text + ", "
    if pending.strip(", "):
        out.append((pending[:-2], ""))
    return out


def write_annotated(workbook: Workbook, task: AnnotateTask, target: Path) -> None:
    from openpyxl import Workbook as XlsxWorkbook

    book = XlsxWorkbook()
    summary_ws = book.active
    summary_ws.title = FINDINGS_SHEET
    titles = _sheet_titles(workbook.sheets)
    covered: dict[str, dict[tuple[int, int], tuple[int, int]]] = {}
    for sheet in workbook.sheets:
        ws = book.create_sheet(titles[sheet.name])
        covered[sheet.name] = _write_sheet(ws, sheet)
    marks = _marks(task.findings, titles, covered, task.catalogue)
    for (sheet_name, row, col), mark in marks.items():
        _mark_cell(book[titles[sheet_name]].cell(row=row, column=col), mark)
    _write_findings(summary_ws, task, titles, covered)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    book.save(partial)
    partial.replace(target)  # never a half-written workbook under the final name


def _sheet_titles(sheets: list[Sheet]) -> dict[str, str]:
    """Each source sheet's title in the workbook: Excel's rules (31 characters, no []:*?/\\, unique
    ignoring case, not the findings sheet's name)."""
    used = {FINDINGS_SHEET.lower()}
    titles: dict[str, str] = {}
    for n, sheet in enumerate(sheets, start=1):
        base = _BAD_TITLE.sub("_", sheet.name).strip().strip("'")[:31] or f"Sheet{n}"
        title, k = base, 1
        while title.lower() in used:
            k += 1
            suffix = f" ({k})"
            title = base[:31 - len(suffix)] + suffix
        used.add(title.lower())
        titles[sheet.name] = title
    return titles


def _write_sheet(ws, sheet: Sheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Values and merged ranges; returns each merge-covered position -> its merge's top-left."""
    from openpyxl.styles import Alignment

    covered: dict[tuple[int, int], tuple[int, int]] = {}
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for ref in sheet.merged_ranges:
        try:
            r1, c1, r2, c2 = parse_range(ref)
        except ValueError:
            continue
        cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        if len(cells) < 2 or cells & taken:  # overlapping merges make Excel "repair" the file: keep the first
            continue
        taken |= cells
        merges.append((r1, c1, r2, c2))
        for position in cells:
            if position != (r1, c1):
                covered[position] = (r1, c1)
    widths: dict[int, int] = {}
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet.cells:
        if (cell.row, cell.col) in covered or (cell.is_blank and cell.value is None):
            continue
        target = ws.cell(row=cell.row, column=cell.col)
        _set_value(target, cell.value, cell.text)
        if isinstance(target.value, str) and (len(target.value) > 40 or "\n" in target.value):
            target.alignment = wrap
        if cell.merged is None:
            widths[cell.col] = max(widths.get(cell.col, 0), _display_width(cell.text))
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 48)
    return covered


def _set_value(target, value, text: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, bool):
        target.value = value
        return
    if isinstance(value, Decimal) and value.is_finite() and (value == 0 or Decimal("1e-300") < abs(value) < _LARGEST):
        target.value = value
        return
    if isinstance(value, datetime):
        target.value = value.replace(tzinfo=None)  # Excel has no time zones
        return
    shown = text if text or value is None else str(value)
    target.value = ILLEGAL_CHARACTERS_RE.sub("", shown)[:_MAX_TEXT]
    target.data_type = "s"  # '=…' typed by someone stays text, never a formula


def _display_width(text: str) -> int:
    """Columns a text needs: CJK characters are twice as wide as Latin ones; the longest line counts."""
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in longest[:60])


def _marks(findings, titles: dict[str, str], covered,
           task_catalogue: tuple[tuple[str, str, str], ...] | None = None) -> dict[tuple[str, int, int], _Mark]:
    """Each marked cell (merge-covered cells move to their merge's top-left) with its comment texts;
    an error outranks a warning for the fill."""
    defaults, rules = _catalogue(task_catalogue)
    marks: dict[tuple[str, int, int], _Mark] = {}
    for finding in findings:
        text = comment_text(finding, defaults, rules)
        for sheet_name, address in split_cells(finding.get("source_cells")):
            position = _position(sheet_name, address, titles, covered)
            if position is None:
                continue
            mark = marks.setdefault((sheet_name, *position), _Mark(finding.get("severity") or "warning"))
            if finding.get("severity") == "error":
                mark.severity = "error"
            if text not in mark.texts:
                mark.texts.append(text)
    return marks


def _catalogue(given: tuple[tuple[str, str, str], ...] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Each check's expected text and rule, by name (the packaged families' sum rules included): ``given``
    (:func:`catalogue_for`, from the task) or the catalogue itself."""
    if given is None:
        given = catalogue_for(None)
    return {name: expected for name, expected, _ in given}, {name: title for name, _, title in given}


def catalogue_for(names) -> tuple[tuple[str, str, str], ...]:
    """(name, expected text, rule) of the packaged checks named in ``names`` (None: of every check)."""
    from budget_etl.expectations.checks import CHECKS

    return tuple((c.name, c.expected, c.title) for c in CHECKS if names is None or c.name in names)


def _position(sheet_name: str, address: str, titles, covered) -> tuple[int, int] | None:
    if sheet_name not in titles or not address:
        return None
    try:
        row, col = parse_a1(address.split(":")[0])
    except ValueError:
        return None
    return covered[sheet_name].get((row, col), (row, col))


def _mark_cell(cell, mark: _Mark) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    colour = _FILL.get(mark.severity, _FILL["warning"])
    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    text = "\n\n".join(mark.texts)
    if len(text) > _MAX_COMMENT:
        text = text[:_MAX_COMMENT - 1] + "…"
    comment = Comment(text, "budget-etl")
    lines = sum(1 + len(line) // 18 for line in text.split("\n"))
    comment.width, comment.height = 320, min(max(18 * lines, 80), 600)
    cell.comment = comment


def _write_findings(ws, task: AnnotateTask, titles: dict[str, str], covered) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    from budget_etl.flows.findings_zh import expected as expected_zh

    defaults, rules = _catalogue(task.catalogue)
    errors = sum(1 for f in task.findings if f.get("severity") == "error")
    warnings = sum(1 for f in task.findings if f.get("severity") == "warning")
    state = "已隔离，未入库" if task.status == "quarantined" else "已入库，有警告"
    who = "　".join(str(v) for v in (task.department_name, task.fiscal_year) if v not in (None, ""))
    _put(ws, 1, 1, f"质量检查结果：{Path(task.source).name}").font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{who}　状态：{state}".strip("　"))
    _put(ws, 3, 1, f"共 {errors + warnings} 项：错误 {errors} 项，警告 {warnings} 项。"
                   "点击“单元格”一列可跳到该单元格；表中标红（错误）或标黄（警告）的单元格带有批注。")
    head = ["序号", "严重程度", "问题", "实际值", "应为", "单元格", "检查项"]
    for col, label in enumerate(head, start=1):
        cell = _put(ws, 5, col, label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color="DDDDDD", end_color="DDDDDD")
    ws.freeze_panes = "A6"
    row = 6
    wrap = Alignment(wrap_text=True, vertical="top")
    ordered = sorted(task.findings, key=lambda f: (f.get("severity") != "error", f.get("suite") or "",
                                                   f.get("expectation") or ""))
    for n, finding in enumerate(ordered, start=1):
        check = str(finding.get("expectation") or "")
        severity = str(finding.get("severity") or "")
        refs = split_cells(finding.get("source_cells")) or [("", "")]
        values = [n, SEVERITY_ZH.get(severity, severity), problem(check, finding.get("message"), rules.get(check)),
                  str(finding.get("observed") or ""), expected_zh(check, finding.get("expected"), defaults.get(check)),
                  None, f"{check}（{finding.get('suite') or ''}）"]
        for k, (sheet_name, address) in enumerate(refs):
            if k == 0:
                for col, value in enumerate(values, start=1):
                    if value is not None:
                        _put(ws, row, col, value).alignment = wrap
                severity_cell = ws.cell(row=row, column=2)
                colour = _FILL.get(severity, _FILL["warning"])
                severity_cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
            else:
                _put(ws, row, 3, "（同上，另一相关单元格）")
            link = _put(ws, row, 6, f"{sheet_name}!{address}" if address else (sheet_name or "—"))
            if sheet_name in titles:
                position = _position(sheet_name, address, titles, covered) or (1, 1)
                location = f"'{titles[sheet_name].replace(chr(39), chr(39) * 2)}'!" \
                           f"{get_column_letter(position[1])}{position[0]}"
                link.hyperlink = Hyperlink(ref=link.coordinate, location=location, display=link.value)
                link.style = "Hyperlink"
            row += 1
    for col, width in zip("ABCDEFG", (6, 10, 48, 24, 36, 22, 30)):
        ws.column_dimensions[col].width = width


def _put(ws, row: int, col: int, value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
