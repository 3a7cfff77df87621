"""Staging: the whole run's parsed files as pandas tables.

The expectations validate these tables once per run (not once per file), and the
warehouse loads them in bulk. Every row carries ``file_key``, the run-local number
of the file it came from, so a failure maps back to its submission.

Amounts and target values are kept twice: as exact decimal text (``amount``,
``value``: what the warehouse casts to ``DECIMAL(18,4)``) and as float
(``amount_num``, ``value_num``: only for the tolerance checks).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from parsers.errors import Issue
from parsers.records import ParsedSubmission


@dataclass(slots=True)
class FileResult:
    """What reading and parsing one file produced (built in a worker, pickled back)."""

    key: int  # run-local number, stable order = path order
    path: str
    sha256: str
    size: int
    format: str | None = None
    parsed: ParsedSubmission | None = None
    error_code: str | None = None  # set when the file is rejected
    error_message: str | None = None
    issues: list[Issue] = field(default_factory=list)  # reader issues (parser's are in parsed)
    seconds_read: float = 0.0
    seconds_parse: float = 0.0

    @property
    def rejected(self) -> bool:
        return self.parsed is None


FILE_COLUMNS = [
    "file_key", "path", "sha256", "size", "format", "template", "department_name",
    "fiscal_year", "project_name", "sheet", "score", "missing_blocks", "n_budget",
    "n_targets", "n_texts", "error_code", "error_message", "department_cell", "year_cell",
]
BUDGET_COLUMNS = [
    "file_key", "direction", "item_path", "period", "amount", "amount_num", "raw",
    "sheet", "cell",
]
TARGET_COLUMNS = [
    "file_key", "level1", "level2", "key_task", "level3", "indicator_path", "period",
    "raw_value", "operator", "value", "value_num", "unit", "is_quantitative",
    "sheet", "cell",
]
TEXT_COLUMNS = ["file_key", "section", "seq", "text", "sheet", "cell"]
ISSUE_COLUMNS = ["file_key", "source", "code", "severity", "message", "sheet", "cell"]


@dataclass(slots=True)
class Staging:
    files: pd.DataFrame
    budget: pd.DataFrame
    targets: pd.DataFrame
    texts: pd.DataFrame
    issues: pd.DataFrame

    def for_files(self, keys) -> "Staging":
        """The rows of only these files (e.g. the ones that passed the gate)."""
        keys = set(keys)
        pick = lambda df: df[df["file_key"].isin(keys)].reset_index(drop=True)  # noqa: E731
        return Staging(pick(self.files), pick(self.budget), pick(self.targets),
                       pick(self.texts), pick(self.issues))


def _dec_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _num(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def indicator_path(level1: str, level2: str, key_task: str | None, level3: str) -> str:
    """The identity of an indicator: its levels joined with '/' (key task only when present)."""
    parts = [level1, level2] + ([key_task] if key_task else []) + [level3]
    return "/".join(parts)


def build_staging(results: list[FileResult]) -> Staging:
    files, budget, targets, texts, issues = [], [], [], [], []
    for r in results:
        p = r.parsed
        for issue in r.issues:
            issues.append((r.key, "reader", issue.code, issue.severity, issue.message, issue.sheet, issue.cell))
        if p is None:
            files.append((r.key, r.path, r.sha256, r.size, r.format, None, None, None, None, None,
                          0.0, "", 0, 0, 0, r.error_code, r.error_message, None, None))
            continue
        files.append((
            r.key, r.path, r.sha256, r.size, r.format, p.template, p.department_name,
            p.fiscal_year, p.project_name, p.sheet, p.score, ",".join(p.missing_blocks),
            len(p.budget), len(p.targets), len(p.texts), None, None,
            _cell_of(p, "department_name"), _cell_of(p, "fiscal_year"),
        ))
        for b in p.budget:
            budget.append((r.key, b.direction, b.item_path, b.period, _dec_text(b.amount_wan),
                           _num(b.amount_wan), b.raw, b.sheet, b.cell))
        for t in p.targets:
            targets.append((
                r.key, t.level1, t.level2, t.key_task, t.level3,
                indicator_path(t.level1, t.level2, t.key_task, t.level3), t.period,
                t.raw_value, t.operator, _dec_text(t.value), _num(t.value), t.unit,
                t.is_quantitative, t.sheet, t.cell,
            ))
        for x in p.texts:
            texts.append((r.key, x.section, x.seq, x.text, x.sheet, x.cell))
        for issue in p.issues:
            issues.append((r.key, "parser", issue.code, issue.severity, issue.message, issue.sheet, issue.cell))
    frames = Staging(
        files=pd.DataFrame(files, columns=FILE_COLUMNS),
        budget=pd.DataFrame(budget, columns=BUDGET_COLUMNS),
        targets=pd.DataFrame(targets, columns=TARGET_COLUMNS),
        texts=pd.DataFrame(texts, columns=TEXT_COLUMNS),
        issues=pd.DataFrame(issues, columns=ISSUE_COLUMNS),
    )
    # Nullable integer so a missing year stays NULL rather than turning the column to float.
    frames.files["fiscal_year"] = frames.files["fiscal_year"].astype("Int64")
    return frames


def _cell_of(p: ParsedSubmission, name: str) -> str | None:
    src = p.sources.get(name)
    return f"{src[0]}!{src[1]}" if src else None
