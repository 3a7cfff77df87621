"""Reconciliation: the sums a budget table must add up to, as one derived table.

Great Expectations checks columns, not arithmetic across rows, so every sum is
computed here first: one row per file per rule per period, with the total as the
source states it (``observed``), the sum of its parts (``expected``), their
difference and the cells involved. The ``reconcile`` suite then only has to check
``|diff| <= tolerance`` per rule, in one validation call for the whole run. The rules are the families'
``[[sum_rules]]`` (parsers/templates/families/*.toml): each file is checked against its own family's.

Sums are done in ``Decimal`` from the exact amount text, so a difference is never
an artefact of binary floats.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from budget_etl.parsers.cells import number_text
from budget_etl.parsers.templates.declaration import SumRule
from budget_etl.parsers.templates.registry import Registry, load_registry

RECONCILE_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]

PERIOD_LABELS = {"half_year": "半年计划执行数", "full_year": "全年预算数"}


def build_reconcile(files: pd.DataFrame, budget: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """One row per file, rule of its family and period for which the total and at least one part exist."""
    registry = registry or load_registry()
    templates = dict(zip(files["file_key"].tolist(), files["template"].tolist()))
    rows = []
    for file_key, by_line in sorted(_index_lines(budget).items()):
        for rule in registry.rules_of(templates.get(file_key)):
            for period in rule.periods:
                row = _reconcile_one(rule, period, by_line.get(rule.measure, {}))
                if row is not None:
                    rows.append((int(file_key), *row))
    frame = pd.DataFrame(rows, columns=RECONCILE_COLUMNS)
    frame["diff"] = frame["diff"].astype("float64")
    return frame


def _index_lines(budget: pd.DataFrame) -> dict[int, dict[str, dict[tuple[str, str, str], tuple[Decimal, str]]]]:
    """file_key -> measure -> (direction, item_path, period) -> (amount, 'sheet!A1'); a blank amount counts as 0.

    One pass over plain columns (not a group-by with row tuples): this runs on every amount of the run.
    """
    index: dict[int, dict] = {}
    columns = (budget[name].tolist() for name in ("file_key", "direction", "item_path", "period", "amount", "sheet",
                                                    "cell", "measure"))
    for file_key, direction, item_path, period, amount, sheet, cell, measure in zip(*columns):
        value = Decimal(amount) if isinstance(amount, str) and amount else Decimal(0)
        lines = index.setdefault(int(file_key), {}).setdefault(measure, {})
        lines[(direction, item_path, period)] = (value, f"{sheet}!{cell}")
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

