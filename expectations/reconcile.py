"""Reconciliation: the sums a budget table must add up to, as one derived table.

Great Expectations checks columns, not arithmetic across rows, so every sum is
computed here first: one row per file per rule per period, with the total as the
source states it (``observed``), the sum of its parts (``expected``), their
difference and the cells involved. The ``reconcile`` suite then only has to check
``|diff| <= TOLERANCE_WAN`` per rule, in one validation call for the whole run.

Sums are done in ``Decimal`` from the exact amount text, so a difference is never
an artefact of binary floats.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.cells import number_text

#: Source tables round to 0.01 万元; anything within half a cent of that is equal.
TOLERANCE_WAN = 0.005

RECONCILE_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]

PERIOD_LABELS = {"half_year": "半年计划执行数", "full_year": "全年预算数"}

#: A line of the budget block: (direction, item_path).
Line = tuple[str, str]


@dataclass(frozen=True)
class SumRule:
    """``total`` must equal the sum of ``parts`` (or of the total's children when ``children``)."""

    check: str
    total: Line
    parts: tuple[Line, ...] = ()
    children: bool = False  # the parts are every line ``<total>/<name>`` (project lines)
    templates: tuple[str, ...] | None = None  # None: any template
    periods: tuple[str, ...] = ("half_year", "full_year")


INCOME, EXPENSE = "income", "expense"

SUM_RULES: tuple[SumRule, ...] = (
    SumRule("funds_total_reconciles", (INCOME, "资金总额"),
            ((INCOME, "财政拨款"), (INCOME, "国有资本金"), (INCOME, "社保基金"),
             (INCOME, "上年结转资金"), (INCOME, "其他资金")),
            templates=("department_overall",)),
    SumRule("appropriation_reconciles", (INCOME, "财政拨款"),
            ((INCOME, "财政拨款/一般公共预算资金"), (INCOME, "财政拨款/政府性基金"),
             (INCOME, "财政拨款/财政专户管理资金")),
            templates=("department_overall",)),
    # Spending must use up the funds: 基本支出 + 项目支出 = 资金总额 (a full-year figure only).
    SumRule("expenses_match_funds", (INCOME, "资金总额"),
            ((EXPENSE, "基本支出"), (EXPENSE, "项目支出")),
            templates=("department_overall",), periods=("full_year",)),
    SumRule("project_lines_reconcile", (EXPENSE, "项目支出"), children=True),
    SumRule("project_funds_reconcile", (INCOME, "资金总额"),
            ((INCOME, "财政拨款"), (INCOME, "上年结转资金"), (INCOME, "其他资金")),
            templates=("project",), periods=("full_year",)),
)


def build_reconcile(files: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """One row per file, rule and period for which the total and at least one part exist."""
    templates = dict(zip(files["file_key"].tolist(), files["template"].tolist()))
    rows = []
    for file_key, by_line in sorted(_index_lines(budget).items()):
        for rule in SUM_RULES:
            if rule.templates is not None and templates.get(file_key) not in rule.templates:
                continue
            for period in rule.periods:
                row = _reconcile_one(rule, period, by_line)
                if row is not None:
                    rows.append((int(file_key), *row))
    frame = pd.DataFrame(rows, columns=RECONCILE_COLUMNS)
    frame["diff"] = frame["diff"].astype("float64")
    return frame


def _index_lines(budget: pd.DataFrame) -> dict[int, dict[tuple[str, str, str], tuple[Decimal, str]]]:
    """file_key -> (direction, item_path, period) -> (amount, 'sheet!A1'); a blank amount counts as 0.

    One pass over plain columns (not a group-by with row tuples): this runs on every amount of the run.
    """
    index: dict[int, dict] = {}
    columns = (budget[name].tolist() for name in ("file_key", "direction", "item_path", "period", "amount", "sheet",
                                                    "cell"))
    for file_key, direction, item_path, period, amount, sheet, cell in zip(*columns):
        value = Decimal(amount) if isinstance(amount, str) and amount else Decimal(0)
        index.setdefault(int(file_key), {})[(direction, item_path, period)] = (value, f"{sheet}!{cell}")
    return index


def _reconcile_one(rule: SumRule, period: str, by_line: dict) -> tuple | None:
    total = by_line.get((*rule.total, period))
    if total is None:
        return None
    if rule.children:
        prefix = rule.total[1] + "/"
        parts = [(d, p) for (d, p, per) in by_line
                 if per == period and d == rule.total[0] and p.startswith(prefix)
                 and "/" not in p[len(prefix):]]
    else:
        parts = [line for line in rule.parts if (*line, period) in by_line]
    if not parts:
        return None  # nothing to add up: the structure checks report what is missing
    part_values = [by_line[(*line, period)] for line in parts]
    expected = sum((amount for amount, _ in part_values), Decimal(0))
    observed = total[0]
    formula = " + ".join(f"{path} {number_text(amount)}" for (_, path), (amount, _) in zip(parts, part_values))
    subject = f"{rule.total[1]} ({PERIOD_LABELS.get(period, period)})"
    cells = ", ".join([total[1]] + [cell for _, cell in part_values])
    return (rule.check, subject, number_text(observed), f"{number_text(expected)} = {formula}",
            float(observed - expected), cells)

