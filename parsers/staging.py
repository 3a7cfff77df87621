"""Staging: the whole run's parsed files as pandas tables.

The expectations validate these tables once per run (not once per file), and the
warehouse loads them in bulk. Every row carries ``file_key``, the run-local number
of the file it came from, so a failure maps back to its submission.

Amounts and target values are kept twice: as exact decimal text (``amount``,
``value``: what the warehouse casts to ``DECIMAL(20,6)`` and ``DECIMAL(18,4)``) and as float
(``amount_num``, ``value_num``: only for the tolerance checks).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.generic_rows import table_rows
from budget_etl.parsers.records import FileResult, ParsedSubmission  # FileResult re-exported: staging consumes it

FILE_COLUMNS = [
    "file_key", "path", "sha256", "size", "format", "template", "department_name",
    "fiscal_year", "project_name", "sheet", "score", "missing_blocks", "n_budget",
    "n_targets", "n_texts", "error_code", "error_message", "department_cell", "year_cell",
]
BUDGET_COLUMNS = [
    "file_key", "direction", "item_path", "period", "amount", "amount_num", "raw",
    "sheet", "cell", "measure", "unit",
]
TARGET_COLUMNS = [
    "file_key", "level1", "level2", "key_task", "level3", "indicator_path", "period",
    "raw_value", "operator", "value", "value_num", "unit", "is_quantitative",
    "sheet", "cell",
]
TEXT_COLUMNS = ["file_key", "section", "seq", "text", "sheet", "cell"]
#: generic tables: one row per entry (``headers``: one header path per dimension) and one per label
GENERIC_COLUMNS = ["file_key", "sheet", "table_range", "cell", "value_text", "value", "headers", "n_labels"]
GENERIC_LABEL_COLUMNS = ["file_key", "sheet", "table_range", "cell", "label", "parent_cell"]
ISSUE_COLUMNS = ["file_key", "source", "code", "severity", "message", "sheet", "cell"]


def map_values(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)``, fast: a pandas 3 string column iterates element by element through its array
    (~1 µs a value, seconds on a large run); ``tolist()`` converts it in one go."""
    return pd.Series([fn(v) for v in series.tolist()], index=series.index, dtype=object)


@dataclass(slots=True)
class Staging:
    files: pd.DataFrame
    budget: pd.DataFrame
    targets: pd.DataFrame
    texts: pd.DataFrame
    issues: pd.DataFrame
    generic: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GENERIC_COLUMNS))
    generic_labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GENERIC_LABEL_COLUMNS))

    def for_files(self, keys) -> "Staging":
        """The rows of only these files (e.g. the ones that passed the gate)."""
        keys = set(keys)
        pick = lambda df: df[df["file_key"].isin(keys)].reset_index(drop=True)  # noqa: E731
        return Staging(pick(self.files), pick(self.budget), pick(self.targets),
                       pick(self.texts), pick(self.issues), pick(self.generic), pick(self.generic_labels))


def _num(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def indicator_path(level1: str, level2: str, key_task: str | None, level3: str) -> str:
    """The identity of an indicator: its levels joined with '/' (key task only when present)."""
    parts = [level1, level2] + ([key_task] if key_task else []) + [level3]
    return "/".join(parts)


def build_staging(results: list[FileResult]) -> Staging:
    builder = StagingBuilder()
    for r in results:
        builder.add(r)
    return builder.build()


def _shared(text):
    """One copy of a repeated string (a level name, a unit, 'full_year', 'E23') for the whole run.

    ``None`` and ``''`` pass through. The hot loops below inline this as ``x and intern(x)``: a
    Python-level call per value cost a second of the parent's CPU on 2,000 files."""
    return text and sys.intern(text)


class StagingBuilder:
    """The staging rows, gathered one file at a time.

    A run can then drop each file's parsed records as soon as they are added (the pipeline keeps only
    their header) instead of holding every file's records until the end: memory stays flat as the run
    grows. Repeated strings are stored once. :meth:`build` orders rows by ``file_key``, so the tables do
    not depend on the order files were added in.
    """

    def __init__(self) -> None:
        self.files: list[tuple] = []
        self.budget: list[tuple] = []
        self.targets: list[tuple] = []
        self.texts: list[tuple] = []
        self.issues: list[tuple] = []
        self.generic: list[tuple] = []
        self.generic_labels: list[tuple] = []
        self.keys: set[int] = set()

    def add(self, r: FileResult) -> None:
        p, s, i = r.parsed, _shared, sys.intern  # i(): for values that are always text
        self.keys.add(r.key)
        for issue in r.issues:
            self.issues.append((r.key, "reader", s(issue.code), s(issue.severity), issue.message, s(issue.sheet),
                                s(issue.cell)))
        if p is None:
            self.files.append((r.key, r.path, r.sha256, r.size, r.format, None, None, None, None, None,
                               0.0, "", 0, 0, 0, r.error_code, r.error_message, None, None))
            return
        self.files.append((
            r.key, r.path, r.sha256, r.size, r.format, p.template, p.department_name,
            p.fiscal_year, p.project_name, p.sheet, p.score, ",".join(p.missing_blocks),
            len(p.budget), len(p.targets), len(p.texts), None, None,
            _cell_of(p, "department_name"), _cell_of(p, "fiscal_year"),
        ))
        for b in p.budget:
            amount = b.amount_wan
            amount_text = None if amount is None else i(format(amount, "f"))
            # A plain BudgetLine is the plan in 万元; a MeasuredLine says its measure and source unit.
            self.budget.append((r.key, i(b.direction), i(b.item_path), i(b.period), amount_text,
                                _num(amount), b.raw and i(b.raw), i(b.sheet), i(b.cell),
                                getattr(b, "measure", "budget"), getattr(b, "unit", "万元")))
        for t in p.targets:
            key_task, value = t.key_task, t.value
            self.targets.append((
                r.key, i(t.level1), i(t.level2), key_task and i(key_task), i(t.level3),
                i(indicator_path(t.level1, t.level2, key_task, t.level3)), i(t.period),
                t.raw_value and i(t.raw_value), t.operator and i(t.operator),
                None if value is None else i(format(value, "f")), _num(value), t.unit and i(t.unit),
                t.is_quantitative, i(t.sheet), i(t.cell),
            ))
        for x in p.texts:
            self.texts.append((r.key, i(x.section), x.seq, x.text, i(x.sheet), i(x.cell)))
        for table in p.tables:
            entries, labels = table_rows(r.key, table)
            self.generic.extend(entries)
            self.generic_labels.extend(labels)
        for issue in p.issues:
            self.issues.append((r.key, "parser", s(issue.code), s(issue.severity), issue.message, s(issue.sheet),
                                s(issue.cell)))

    def build(self) -> Staging:
        def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
            rows.sort(key=lambda row: row[0])  # stable: a file's rows keep their order
            return pd.DataFrame(rows, columns=columns)

        frames = Staging(
            files=frame(self.files, FILE_COLUMNS),
            budget=frame(self.budget, BUDGET_COLUMNS),
            targets=frame(self.targets, TARGET_COLUMNS),
            texts=frame(self.texts, TEXT_COLUMNS),
            issues=frame(self.issues, ISSUE_COLUMNS),
            generic=frame(self.generic, GENERIC_COLUMNS),
            generic_labels=frame(self.generic_labels, GENERIC_LABEL_COLUMNS),
        )
        # Nullable integer so a missing year stays NULL rather than turning the column to float.
        frames.files["fiscal_year"] = frames.files["fiscal_year"].astype("Int64")
        return frames


def _cell_of(p: ParsedSubmission, name: str) -> str | None:
    src = p.sources.get(name)
    return f"{src[0]}!{src[1]}" if src else None
