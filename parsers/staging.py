"""Staging: the whole run's parsed files as pandas tables.

The expectations validate these tables once per run (not once per file), and the
warehouse loads them in bulk. Every row carries ``file_key``, the run-local number
of the file it came from, so a failure maps back to its submission.

Amounts and target values are kept twice: as exact decimal text (``amount``,
``value``: what the warehouse casts to ``DECIMAL(20,6)``) and as float
(``amount_num``, ``value_num``: only for the tolerance checks).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.errors import Issue
from budget_etl.parsers.generic_rows import GENERIC_COLUMNS, GENERIC_LABEL_COLUMNS, table_rows
from budget_etl.parsers.records import FileResult, ParsedSubmission  # FileResult re-exported: staging consumes it
from budget_etl.parsers.results_staging import FUND_SCORE_COLUMNS, RESULT_COLUMNS, fund_score_row, result_row

FILE_COLUMNS = [
    "file_key", "path", "sha256", "size", "format", "template", "department_name",
    "fiscal_year", "project_name", "sheet", "score", "missing_blocks", "n_budget",
    "n_targets", "n_texts", "error_code", "error_message", "department_cell", "year_cell",
    "department_required", "year_required", "restates_plan", "n_results",
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
#: Disclosure workbooks' amounts: ``amount`` in 万元 (exact text), ``source_amount`` in the table's ``unit``.
DISCLOSURE_COLUMNS = [
    "file_key", "variant", "table_code", "side", "item", "function_code", "economic_code", "column_path", "amount",
    "amount_num", "source_amount", "unit", "raw", "is_total", "depth", "sheet", "cell",
]
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
    #: generic tables: one row per entry (``headers``: one header path per dimension) and one per label
    generic: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GENERIC_COLUMNS))
    generic_labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GENERIC_LABEL_COLUMNS))
    disclosure: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DISCLOSURE_COLUMNS))
    results: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RESULT_COLUMNS))  # self-evaluations, evaluation forms
    fund_scores: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FUND_SCORE_COLUMNS))  # 执行率 / 分值 / 得分

    def for_files(self, keys) -> "Staging":
        """The rows of only these files (e.g. the ones that passed the gate)."""
        keys = set(keys)
        pick = lambda df: df[df["file_key"].isin(keys)].reset_index(drop=True)  # noqa: E731
        return Staging(pick(self.files), pick(self.budget), pick(self.targets),
                       pick(self.texts), pick(self.issues), pick(self.generic), pick(self.generic_labels),
                       pick(self.disclosure),
                       pick(self.results), pick(self.fund_scores))


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

    ``None`` and ``''`` pass through. The hot loops below inline this as ``x and intern(x)`` (or call
    ``sys.intern`` directly for values that are always text): a Python-level call per value cost a
    second of the parent's CPU on 2,000 files."""
    return text and sys.intern(text)


class _Columns:
    """One staging table, gathered column by column: each call names every column.

    A file's rows arrive as one list per column, built by a comprehension over its records: faster in the
    parent's hot loop than one tuple per row, and no value can land in a neighbour's column."""

    def __init__(self, names: list[str]):
        self.data: dict[str, list] = {name: [] for name in names}

    def extend(self, **columns: list) -> None:
        data = self.data
        for name, values in columns.items():
            data[name].extend(values)  # a misspelt column is a KeyError here, a missing one fails frame()

    def frame(self) -> pd.DataFrame:
        """The table, rows ordered by ``file_key`` (stable: a file's rows keep their order)."""
        lengths = {name: len(values) for name, values in self.data.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"staging columns of unequal length (one was left out of a row): {lengths}")
        if not self.data["file_key"]:
            return pd.DataFrame(columns=list(self.data))  # object columns, not the float64 of empty lists
        frame = pd.DataFrame(self.data)
        return frame.sort_values("file_key", kind="stable", ignore_index=True)


class StagingBuilder:
    """The staging rows, gathered one file at a time.

    A run can then drop each file's parsed records as soon as they are added (the pipeline keeps only
    their header) instead of holding every file's records until the end: memory stays flat as the run
    grows. Repeated strings are stored once. :meth:`build` orders rows by ``file_key``, so the tables do
    not depend on the order files were added in.
    """

    def __init__(self) -> None:
        self.files = _Columns(FILE_COLUMNS)
        self.budget = _Columns(BUDGET_COLUMNS)
        self.targets = _Columns(TARGET_COLUMNS)
        self.texts = _Columns(TEXT_COLUMNS)
        self.issues = _Columns(ISSUE_COLUMNS)
        self.generic = _Columns(GENERIC_COLUMNS)
        self.generic_labels = _Columns(GENERIC_LABEL_COLUMNS)
        self.disclosure = _Columns(DISCLOSURE_COLUMNS)
        self.results = _Columns(RESULT_COLUMNS)
        self.fund_scores = _Columns(FUND_SCORE_COLUMNS)
        self.keys: set[int] = set()

    def add(self, r: FileResult) -> None:
        p, i = r.parsed, sys.intern  # i(): for values that are always text
        self.keys.add(r.key)
        self._add_issues(r.key, "reader", r.issues)
        if p is None:
            self.files.extend(
                file_key=[r.key], path=[r.path], sha256=[r.sha256], size=[r.size], format=[r.format],
                template=[None], department_name=[None], fiscal_year=[None], project_name=[None], sheet=[None],
                score=[0.0], missing_blocks=[""], n_budget=[0], n_targets=[0], n_texts=[0],
                error_code=[r.error_code], error_message=[r.error_message], department_cell=[None], year_cell=[None],
                department_required=[True], year_required=[True], restates_plan=[False], n_results=[0])
            return
        self.files.extend(
            file_key=[r.key], path=[r.path], sha256=[r.sha256], size=[r.size], format=[r.format],
            template=[p.template], department_name=[p.department_name], fiscal_year=[p.fiscal_year],
            project_name=[p.project_name], sheet=[p.sheet], score=[p.score],
            missing_blocks=[",".join(p.missing_blocks)], n_budget=[len(p.budget)], n_targets=[len(p.targets)],
            n_texts=[len(p.texts)], error_code=[None], error_message=[None],
            department_cell=[_cell_of(p, "department_name")], year_cell=[_cell_of(p, "fiscal_year")],
            department_required=["department_name" in p.required_identity],
            year_required=["fiscal_year" in p.required_identity], restates_plan=[p.restates_plan],
            n_results=[len(p.results)])
        budget = p.budget
        self.budget.extend(
            file_key=[r.key] * len(budget),
            direction=[i(b.direction) for b in budget],
            item_path=[i(b.item_path) for b in budget],
            period=[i(b.period) for b in budget],
            amount=[None if b.amount_wan is None else i(format(b.amount_wan, "f")) for b in budget],
            amount_num=[_num(b.amount_wan) for b in budget],
            raw=[b.raw and i(b.raw) for b in budget],
            sheet=[i(b.sheet) for b in budget],
            cell=[i(b.cell) for b in budget],
            # A plain BudgetLine is the plan in 万元; a MeasuredLine says its measure and source unit.
            measure=[getattr(b, "measure", "budget") for b in budget],
            unit=[getattr(b, "unit", "万元") for b in budget])
        targets = p.targets
        self.targets.extend(
            file_key=[r.key] * len(targets),
            level1=[i(t.level1) for t in targets],
            level2=[i(t.level2) for t in targets],
            key_task=[t.key_task and i(t.key_task) for t in targets],
            level3=[i(t.level3) for t in targets],
            indicator_path=[i(indicator_path(t.level1, t.level2, t.key_task, t.level3)) for t in targets],
            period=[i(t.period) for t in targets],
            raw_value=[t.raw_value and i(t.raw_value) for t in targets],
            operator=[t.operator and i(t.operator) for t in targets],
            value=[None if t.value is None else i(format(t.value, "f")) for t in targets],
            value_num=[_num(t.value) for t in targets],
            unit=[t.unit and i(t.unit) for t in targets],
            is_quantitative=[t.is_quantitative for t in targets],
            sheet=[i(t.sheet) for t in targets],
            cell=[i(t.cell) for t in targets])
        texts = p.texts
        self.texts.extend(
            file_key=[r.key] * len(texts),
            section=[i(x.section) for x in texts],
            seq=[x.seq for x in texts],
            text=[x.text for x in texts],
            sheet=[i(x.sheet) for x in texts],
            cell=[i(x.cell) for x in texts])
        for table in p.tables:
            entries, labels = table_rows(r.key, table)
            self.generic.extend(**entries)
            self.generic_labels.extend(**labels)
        if p.disclosure:
            self._add_disclosure(r.key, p.attributes.get("variant"), p.disclosure)
        # The year-end records (parsers/results_staging.py), row tuples turned into columns.
        results = [result_row(r.key, x, indicator_path(x.level1, x.level2, None, x.level3)) for x in p.results]
        if results:
            self.results.extend(**dict(zip(RESULT_COLUMNS, map(list, zip(*results)))))
        scores = [fund_score_row(r.key, x) for x in p.fund_scores]
        if scores:
            self.fund_scores.extend(**dict(zip(FUND_SCORE_COLUMNS, map(list, zip(*scores)))))
        self._add_issues(r.key, "parser", p.issues)

    def _add_disclosure(self, key: int, variant: str | None, lines: list) -> None:
        s, i = _shared, sys.intern
        self.disclosure.extend(
            file_key=[key] * len(lines),
            variant=[variant] * len(lines),
            table_code=[i(d.table) for d in lines],
            side=[s(d.side) for d in lines],
            item=[i(d.item) for d in lines],
            function_code=[s(d.function_code) for d in lines],
            economic_code=[s(d.economic_code) for d in lines],
            column_path=[i(d.column) for d in lines],
            amount=[None if d.amount_wan is None else format(d.amount_wan, "f") for d in lines],
            amount_num=[_num(d.amount_wan) for d in lines],
            source_amount=[None if d.amount is None else format(d.amount, "f") for d in lines],
            unit=[i(d.unit) for d in lines],
            raw=[d.raw and i(d.raw) for d in lines],
            is_total=[d.is_total for d in lines],
            depth=[d.depth for d in lines],
            sheet=[i(d.sheet) for d in lines],
            cell=[i(d.cell) for d in lines])

    def _add_issues(self, key: int, source: str, issues: list[Issue]) -> None:
        s = _shared  # sheet and cell may be None
        self.issues.extend(
            file_key=[key] * len(issues),
            source=[source] * len(issues),
            code=[s(issue.code) for issue in issues],
            severity=[s(issue.severity) for issue in issues],
            message=[issue.message for issue in issues],
            sheet=[s(issue.sheet) for issue in issues],
            cell=[s(issue.cell) for issue in issues])

    def build(self) -> Staging:
        frames = Staging(files=self.files.frame(), budget=self.budget.frame(), targets=self.targets.frame(),
                         texts=self.texts.frame(), issues=self.issues.frame(), generic=self.generic.frame(),
                         generic_labels=self.generic_labels.frame(), disclosure=self.disclosure.frame(),
                         results=self.results.frame(), fund_scores=self.fund_scores.frame())
        # Nullable integer so a missing year stays NULL rather than turning the column to float.
        frames.files["fiscal_year"] = frames.files["fiscal_year"].astype("Int64")
        return frames


def _cell_of(p: ParsedSubmission, name: str) -> str | None:
    src = p.sources.get(name)
    return f"{src[0]}!{src[1]}" if src else None
