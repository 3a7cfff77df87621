"""Half year against full year, as one derived table.

A half-year plan (半年计划执行数, 半年指标值) is part of the year, so it cannot be
larger than the full-year figure. Each pair becomes one row: the half-year value
(``observed``), the full-year value it may not exceed (``expected``), the excess
(``diff``, > 0 when broken) and both cells. The ``periods`` suite checks
``diff <= tolerance`` per check.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from expectations.reconcile import format_amount

PERIOD_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]


def build_periods(budget: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    rows = _budget_pairs(budget) + _target_pairs(targets)
    frame = pd.DataFrame(rows, columns=PERIOD_COLUMNS)
    frame["diff"] = frame["diff"].astype("float64")
    return frame


def _budget_pairs(budget: pd.DataFrame) -> list[tuple]:
    """Every expense line with an amount in both periods."""
    expense = budget[(budget["direction"] == "expense") & budget["amount"].notna()]
    rows = []
    for (file_key, item_path), group in expense.groupby(["file_key", "item_path"], sort=True):
        by_period = {r.period: r for r in group.itertuples(index=False)}
        half, full = by_period.get("half_year"), by_period.get("full_year")
        if half is None or full is None:
            continue
        half_amount, full_amount = Decimal(half.amount), Decimal(full.amount)
        rows.append((int(file_key), "half_year_within_full_year", item_path, format_amount(half_amount),
                     f"≤ {format_amount(full_amount)}", float(half_amount - full_amount),
                     f"{half.sheet}!{half.cell}, {full.sheet}!{full.cell}"))
    return rows


def _target_pairs(targets: pd.DataFrame) -> list[tuple]:
    """Counted targets (a number with the same non-% unit in both periods).

    Rates are left out on purpose: a half-year rate (执行率 =62%) is not a part of
    the full-year one, only counts (人, 个, 万页) add up over the year.
    """
    counted = targets[targets["value"].notna() & targets["unit"].notna() & (targets["unit"] != "%")]
    rows = []
    for (file_key, path), group in counted.groupby(["file_key", "indicator_path"], sort=True):
        by_period = {r.period: r for r in group.itertuples(index=False)}
        half, full = by_period.get("half_year"), by_period.get("full_year")
        if half is None or full is None or half.unit != full.unit:
            continue
        half_value, full_value = Decimal(half.value), Decimal(full.value)
        rows.append((int(file_key), "target_half_year_within_full_year", path, half.raw_value,
                     f"≤ {full.raw_value}", float(half_value - full_value),
                     f"{half.sheet}!{half.cell}, {full.sheet}!{full.cell}"))
    return rows
