"""Quality checks of scored tables: self-evaluations (绩效自评表) and evaluation forms (绩效评价表).

Like reconciliation, each rule is computed here into a derived table (one row per thing checked, with what
the source states, what it should be, their difference and the cells), and Great Expectations checks one
column of it. The tables are built from the run's staging only, apart from the cross-document ones, which
also read the target tables already in the warehouse (:class:`TargetReference`). Which files a rule applies
to follows from what they hold, never from a family's name:

- a file with executed amounts (全年执行数) is a self-evaluation: 执行率 = 全年执行数 / 全年预算数 × 100
  (± 0.1), its funds row's 分值 plus its indicators' 分值 = 100, and its indicators and 全年预算数 are compared
  with the target table of its department (or project) and year;
- every score (得分) is at most its maximum (分值); a quantitative ≥/≤ indicator's reported score is
  recomputed from its actual value and target (a warning with both numbers);
- a file whose indicators carry 一级 权重 or 二级 分值 is an evaluation form: 一级 权重 sum to 100, 二级 分值
  to 100 within each 一级, 三级 分值 to their 二级's; where a 一级 states its weight and its 二级 no 分值 (a scoring
  sheet's '决策(20)' over 三级 分值), its 三级 分值 to its weight (warnings).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.cells import number_text
from budget_etl.parsers.matching import indicator_match_key
from budget_etl.parsers.staging import Staging

#: 执行率 is reported to two decimals; a percentage within a tenth of a point is the same rate.
RATE_TOLERANCE = 0.1
#: Scores are typed to two decimals.
SCORE_TOLERANCE = 0.01
TOTAL_SCORE = Decimal(100)

DERIVED_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]
FOUND_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "found", "cells"]
SUITES = ("execution", "scores", "score_totals", "evaluation_sums", "crossdoc_budget", "crossdoc_indicators")


@dataclass(slots=True)
class TargetReference:
    """Target tables to compare self-evaluations with: their indicators' match keys and their 全年预算数, by
    (department, year, project) with names as the warehouse normalises them."""

    indicators: set[tuple] = field(default_factory=set)  # (department, year, project, match_key)
    budgets: dict[tuple, tuple[Decimal, str]] = field(default_factory=dict)  # (dept, year, project, direction,
    #                                                                            item) -> (amount, where)
    identities: set[tuple] = field(default_factory=set)  # (department, year, project) with a target table

    def add_indicator(self, identity: tuple, match_key: str) -> None:
        self.identities.add(identity)
        self.indicators.add((*identity, match_key))

    def add_budget(self, identity: tuple, direction: str, item: str, amount: Decimal, where: str) -> None:
        self.identities.add(identity)
        self.budgets.setdefault((*identity, direction, item), (amount, where))


def reference_from_rows(indicators: list[tuple], budgets: list[tuple]) -> TargetReference:
    """A reference from the warehouse's target tables (warehouse.load_results.target_table_rows)."""
    reference = TargetReference()
    for department, year, project, level1, level2, level3 in indicators:
        reference.add_indicator((department, year, project), indicator_match_key(level1, level2, level3))
    for department, year, project, direction, item, amount, where in budgets:
        reference.add_budget((department, year, project), direction, item, Decimal(amount), where)
    return reference


def _frame(rows: list[tuple], columns: list[str], value_column: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    frame[value_column] = frame[value_column].astype("float64" if value_column == "diff" else "bool")
    return frame


def _dec(text) -> Decimal | None:
    return Decimal(text) if isinstance(text, str) and text else None


def _where(sheet, cell) -> str:
    return f"{sheet}!{cell}" if isinstance(cell, str) and cell else ""


def _cells(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def _measure_column(budget: pd.DataFrame) -> pd.Series:
    return budget["measure"] if "measure" in budget.columns else pd.Series("budget", index=budget.index)


def self_evaluation_keys(staging: Staging) -> set[int]:
    budget = staging.budget
    return {int(k) for k in budget.loc[_measure_column(budget) == "executed", "file_key"]}


def build_scored_tables(staging: Staging, reference: TargetReference | None = None) -> dict[str, pd.DataFrame]:
    """suite name -> its derived table (``staging``: the parsed files of the run)."""
    self_keys = self_evaluation_keys(staging)
    # Only the files with funds scores (_execution) or self-evaluations (_crossdoc) read the amounts: index theirs
    # alone (indexing every line of a chunk, Decimal by Decimal, was ~0.3 CPU-s per 1,000 files for nothing).
    needed = self_keys | {int(k) for k in staging.fund_scores["file_key"].tolist()}
    budget = staging.budget
    amounts = _amounts(budget[budget["file_key"].isin(needed)]) if needed else {}
    reference = reference or TargetReference()
    if self_keys:  # only self-evaluations are compared with target tables: a run without any skips the index
        reference = with_run_targets(reference, staging, self_keys)
    budget_rows, indicator_rows = _crossdoc(staging, amounts, self_keys, reference)
    return {
        "execution": _frame(_execution(staging.fund_scores, amounts), DERIVED_COLUMNS, "diff"),
        "scores": _frame(_scores(staging) + _recomputed(staging), DERIVED_COLUMNS, "diff"),
        "score_totals": _frame(_score_totals(staging, self_keys), DERIVED_COLUMNS, "diff"),
        "evaluation_sums": _frame(_evaluation_sums(staging.results), DERIVED_COLUMNS, "diff"),
        "crossdoc_budget": _frame(budget_rows, DERIVED_COLUMNS, "diff"),
        "crossdoc_indicators": _frame(indicator_rows, FOUND_COLUMNS, "found"),
    }


def _amounts(budget: pd.DataFrame) -> dict[tuple, tuple[Decimal, str]]:
    """(file_key, direction, item, measure) -> (amount, 'sheet!A1') of the full-year lines."""
    out = {}
    measures = _measure_column(budget).tolist()
    for key, direction, item, period, amount, sheet, cell, measure in zip(
            budget["file_key"].tolist(), budget["direction"].tolist(), budget["item_path"].tolist(),
            budget["period"].tolist(), budget["amount"].tolist(), budget["sheet"].tolist(), budget["cell"].tolist(),
            measures):
        if period == "full_year" and isinstance(amount, str) and amount:
            out[(int(key), direction, item, measure)] = (Decimal(amount), _where(sheet, cell))
    return out


# -- self-evaluation funds -------------------------------------------------------------------------------
def _execution(scores: pd.DataFrame, amounts: dict) -> list[tuple]:
    rows = []
    for s in scores.itertuples(index=False):
        rate = _dec(s.rate)
        budget = amounts.get((int(s.file_key), s.direction, s.item_path, "budget"))
        executed = amounts.get((int(s.file_key), s.direction, s.item_path, "executed"))
        if rate is None or budget is None or executed is None or budget[0] == 0:
            continue
        recomputed = executed[0] / budget[0] * 100
        formula = (f"{recomputed:.2f}% = 全年执行数 {number_text(executed[0])} / 全年预算数 "
                   f"{number_text(budget[0])} × 100")
        rows.append((int(s.file_key), "execution_rate_consistent", f"{s.item_path} 执行率", s.rate_raw,
                     formula, float(rate - recomputed),
                     _cells(_where(s.sheet, s.rate_cell), executed[1], budget[1])))
    return rows


def _scores(staging: Staging) -> list[tuple]:
    """Every stated 得分 against its 分值 (indicators and funds rows)."""
    rows = []
    for r in staging.results.itertuples(index=False):
        score, most = _dec(r.score), _dec(r.max_score)
        if score is not None and most is not None:
            rows.append((int(r.file_key), "score_within_max", r.indicator_path, number_text(score),
                         f"≤ 分值 {number_text(most)}", float(score - most),
                         _cells(_where(r.sheet, r.score_cell), _where(r.sheet, (r.max_cell or "").split(", ")[0]))))
    for s in staging.fund_scores.itertuples(index=False):
        score, most = _dec(s.score), _dec(s.max_score)
        if score is not None and most is not None:
            rows.append((int(s.file_key), "score_within_max", s.item_path, number_text(score),
                         f"≤ 分值 {number_text(most)}", float(score - most),
                         _cells(_where(s.sheet, s.score_cell), _where(s.sheet, s.max_cell))))
    return rows


def _recomputed(staging: Staging) -> list[tuple]:
    """≥: actual / target × 分值, ≤: target / actual × 分值, both capped at 分值; only quantitative targets
    with a non-zero number, in the actual's unit. '=' targets and words are not recomputed."""
    if staging.results.empty:  # no evaluated indicators: the run's targets need no index
        return []
    targets = {(int(t.file_key), t.indicator_path): t for t in staging.targets.itertuples(index=False)
               if t.period == "full_year"}
    rows = []
    for r in staging.results.itertuples(index=False):
        t = targets.get((int(r.file_key), r.indicator_path))
        score, most, actual = _dec(r.score), _dec(r.max_score), _dec(r.actual_value)
        if t is None or score is None or most is None or actual is None or t.operator not in (">=", "<="):
            continue
        target = _dec(t.value)
        if not target or (isinstance(r.actual_unit, str) and isinstance(t.unit, str) and r.actual_unit != t.unit):
            continue
        if t.operator == ">=":
            ratio, formula = actual / target, f"实际 {number_text(actual)} / 目标 {number_text(target)}"
        elif actual > 0:
            ratio, formula = target / actual, f"目标 {number_text(target)} / 实际 {number_text(actual)}"
        else:
            continue
        recomputed = min(ratio, Decimal(1)) * most
        rows.append((int(r.file_key), "score_recomputed", r.indicator_path, number_text(score),
                     f"{recomputed:.2f} = {formula} × 分值 {number_text(most)}, at most {number_text(most)}",
                     float(score - recomputed),
                     _cells(_where(r.sheet, r.score_cell), _where(r.sheet, r.actual_cell), _where(t.sheet, t.cell))))
    return rows


def _score_totals(staging: Staging, self_keys: set[int]) -> list[tuple]:
    """A self-evaluation's funds row 分值 plus its indicators' 分值 (the 一级 分值 summed) is 100."""
    rows = []
    for key in sorted(self_keys):
        funds = staging.fund_scores[(staging.fund_scores["file_key"] == key) & staging.fund_scores["max_score"].notna()]
        results = staging.results[(staging.results["file_key"] == key) & staging.results["max_score"].notna()]
        if funds.empty and results.empty:
            continue
        parts = [(f"资金 {number_text(Decimal(m))}", Decimal(m)) for m in funds["max_score"]]
        by_level1: dict[str, Decimal] = {}
        for level1, most in zip(results["level1"], results["max_score"]):
            by_level1[level1] = by_level1.get(level1, Decimal(0)) + Decimal(most)
        parts += [(f"{level1} {number_text(total)}", total) for level1, total in by_level1.items()]
        total = sum((value for _, value in parts), Decimal(0))
        cells = [_where(s, c) for s, c in zip(funds["sheet"], funds["max_cell"])]
        rows.append((key, "scores_total_100", "分值 total", number_text(total),
                     f"{number_text(TOTAL_SCORE)} (" + " + ".join(text for text, _ in parts) + ")",
                     float(total - TOTAL_SCORE), _cells(*cells)))
    return rows


# -- evaluation forms ------------------------------------------------------------------------------------
def _evaluation_sums(results: pd.DataFrame) -> list[tuple]:
    rows = []
    graded = results[results["weight"].notna() | results["level2_max"].notna()]
    for key, form in graded.groupby("file_key", sort=True):
        key = int(key)
        weights: dict[str, tuple[Decimal, str]] = {}
        level2: dict[tuple[str, str], tuple[Decimal, str]] = {}
        level3: dict[tuple[str, str], Decimal] = {}
        by_level1: dict[str, tuple[Decimal, list[str]]] = {}  # 一级 -> its 三级 分值 summed, their cells
        for r in form.itertuples(index=False):
            if isinstance(r.weight, str):
                weights.setdefault(r.level1, (Decimal(r.weight), _where(r.sheet, r.weight_cell)))
            if isinstance(r.level2_max, str):
                level2.setdefault((r.level1, r.level2), (Decimal(r.level2_max), _where(r.sheet, r.level2_max_cell)))
            if isinstance(r.max_score, str):
                level3[(r.level1, r.level2)] = level3.get((r.level1, r.level2), Decimal(0)) + Decimal(r.max_score)
                total, cells = by_level1.get(r.level1, (Decimal(0), []))
                by_level1[r.level1] = (total + Decimal(r.max_score), cells + [_where(r.sheet, r.max_cell)])
        if weights:
            total = sum((w for w, _ in weights.values()), Decimal(0))
            rows.append((key, "level1_weights_total_100", "一级指标 权重", number_text(total),
                         "100 (" + " + ".join(f"{name} {number_text(w)}" for name, (w, _) in weights.items()) + ")",
                         float(total - TOTAL_SCORE), _cells(*(c for _, c in weights.values()))))
        for level1 in dict.fromkeys(l1 for l1, _ in level2):
            members = {l2: v for (l1, l2), v in level2.items() if l1 == level1}
            total = sum((v for v, _ in members.values()), Decimal(0))
            rows.append((key, "level2_scores_total_100", f"{level1} 的二级指标 分值", number_text(total),
                         "100 (" + " + ".join(f"{name} {number_text(v)}" for name, (v, _) in members.items()) + ")",
                         float(total - TOTAL_SCORE), _cells(*(c for _, c in members.values()))))
        for (level1, name), (most, cell) in level2.items():
            if (level1, name) not in level3:
                continue
            total = level3[(level1, name)]
            rows.append((key, "level3_scores_total_level2", f"{level1}/{name} 的三级指标 分值", number_text(total),
                         f"{number_text(most)} (the 二级指标's 分值)", float(total - most), cell))
        with_level2 = {level1 for level1, _ in level2}
        for level1, (weight, cell) in weights.items():
            if level1 in with_level2 or level1 not in by_level1:
                continue
            total, cells = by_level1[level1]
            rows.append((key, "level3_scores_total_level1", f"{level1} 的三级指标 分值", number_text(total),
                         f"{number_text(weight)} (the 一级指标's 权重)", float(total - weight), _cells(cell, *cells)))
    return rows


# -- across documents -----------------------------------------------------------------------------------
def _identity(files: pd.DataFrame) -> dict[int, tuple]:
    from budget_etl.warehouse.names import normalise_name

    return {int(k): (normalise_name(d), None if pd.isna(y) else int(y), normalise_name(p))
            for k, d, y, p in zip(files["file_key"], files["department_name"], files["fiscal_year"],
                                  files["project_name"])}


def with_run_targets(reference: TargetReference, staging: Staging, self_keys: set[int]) -> TargetReference:
    """The reference plus this run's own target tables (files with targets, no results, no executed amounts;
    a workbook of budgets without targets, a disclosure, is not one)."""
    identities = _identity(staging.files)
    with_results = {int(k) for k in staging.results["file_key"]}
    plans = {int(k) for k in staging.targets["file_key"]} - with_results - self_keys
    for t in staging.targets.itertuples(index=False):
        key = int(t.file_key)
        if key in plans:
            reference.add_indicator(identities[key], indicator_match_key(t.level1, t.level2, t.level3))
    budget = staging.budget
    measures = _measure_column(budget)
    for b, measure in zip(budget.itertuples(index=False), measures):
        key = int(b.file_key)
        if key not in plans or measure != "budget" or b.period != "full_year":
            continue
        if isinstance(b.amount, str) and b.amount:
            reference.add_budget(identities[key], b.direction, b.item_path, Decimal(b.amount), _where(b.sheet, b.cell))
    return reference


def _crossdoc(staging: Staging, amounts: dict, self_keys: set[int], reference: TargetReference
              ) -> tuple[list[tuple], list[tuple]]:
    identities = _identity(staging.files)
    budget_rows, indicator_rows = [], []
    for key in sorted(self_keys):
        identity = identities[key]
        who = " ".join(str(part) for part in identity if part is not None)
        if identity not in reference.identities:
            indicator_rows.append((key, "indicators_in_target_table", f"the target table of {who}", "not loaded",
                                   "a loaded target table of the same department, year and project", False, ""))
            continue
        for r in staging.results[staging.results["file_key"] == key].itertuples(index=False):
            found = (*identity, r.match_key) in reference.indicators
            indicator_rows.append((key, "indicators_in_target_table", r.indicator_path,
                                   "in the target table" if found else "not in the target table",
                                   f"an indicator of the target table of {who}", found, _where(r.sheet, r.cell)))
        for (file_key, direction, item, measure), (amount, where) in amounts.items():  # in reading order
            if file_key != key or measure != "budget":
                continue
            planned = reference.budgets.get((*identity, direction, item))
            if planned is None:
                continue
            budget_rows.append((key, "budget_matches_target_table", f"{item} 全年预算数", number_text(amount),
                                f"{number_text(planned[0])} (the target table's, {planned[1]})",
                                float(amount - planned[0]), where))
    return budget_rows, indicator_rows
