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

from budget_etl.parsers.cells import number_text

PERIOD_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]


def build_periods(budget: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    rows = _budget_pairs(budget) + _target_pairs(targets)
    frame = pd.DataFrame(rows, columns=PERIOD_COLUMNS)
    frame["diff"] = frame["diff"].astype("float64")
    return frame


def _pairs(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per (file, ``key``) with both periods side by side (suffixes ``_h`` and ``_f``).

    A merge rather than a loop over groups: this runs on every amount and indicator of the run.
    Should a period appear twice for one line, the last one counts (as a dict keyed by period would).
    """
    rows = rows.dropna(subset=["file_key", key])
    half = rows[rows["period"] == "half_year"].drop_duplicates(["file_key", key], keep="last")
    full = rows[rows["period"] == "full_year"].drop_duplicates(["file_key", key], keep="last")
    pairs = half.merge(full, on=["file_key", key], suffixes=("_h", "_f"))
    return pairs.sort_values(["file_key", key], kind="stable")


def _budget_pairs(budget: pd.DataFrame) -> list[tuple]:
    """Every planned expense line (measure ``budget``) with an amount in both periods."""
    expense = budget[(budget["direction"] == "expense") & budget["amount"].notna() & (budget["measure"] == "budget")]
    pairs = _pairs(expense, "item_path")
    rows = []
    for file_key, item_path, half, full, half_sheet, half_cell, full_sheet, full_cell in zip(
            pairs["file_key"], pairs["item_path"], pairs["amount_h"], pairs["amount_f"],
            pairs["sheet_h"], pairs["cell_h"], pairs["sheet_f"], pairs["cell_f"]):
        half_amount, full_amount = Decimal(half), Decimal(full)
        rows.append((int(file_key), "half_year_within_full_year", item_path, number_text(half_amount),
                     f"≤ {number_text(full_amount)}", float(half_amount - full_amount),
                     f"{half_sheet}!{half_cell}, {full_sheet}!{full_cell}"))
    return rows


def _target_pairs(targets: pd.DataFrame) -> list[tuple]:
    """Counted targets (a number with the same non-% unit in both periods).

    Rates are left out on purpose: a half-year rate (执行率 =62%) is not a part of
    the full-year one, only counts (人, 个, 万页) add up over the year.
    """
    counted = targets[targets["value"].notna() & targets["unit"].notna() & (targets["unit"] != "%")]
    pairs = _pairs(counted, "indicator_path")
    pairs = pairs[pairs["unit_h"] == pairs["unit_f"]]
    rows = []
    for file_key, path, half, full, half_raw, full_raw, half_sheet, half_cell, full_sheet, full_cell in zip(
            pairs["file_key"], pairs["indicator_path"], pairs["value_h"], pairs["value_f"],
            pairs["raw_value_h"], pairs["raw_value_f"], pairs["sheet_h"], pairs["cell_h"],
            pairs["sheet_f"], pairs["cell_f"]):
        half_value, full_value = Decimal(half), Decimal(full)
        rows.append((int(file_key), "target_half_year_within_full_year", path, half_raw,
                     f"≤ {full_raw}", float(half_value - full_value),
                     f"{half_sheet}!{half_cell}, {full_sheet}!{full_cell}"))
    return rows
