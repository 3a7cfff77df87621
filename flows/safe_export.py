"""Exports never carry live formulas (CSV/formula injection).

A spreadsheet opening a CSV or xlsx written by the tool would evaluate a cell
starting with ``=``, ``+``, ``-`` or ``@`` (and tab or CR, which some apps strip
before looking), so such text gets a leading apostrophe: shown as text, never run.
Numbers stay numbers (-12.5 is an amount, not a formula), so only text changes.
"""
from __future__ import annotations

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """'=1+1' -> "'=1+1"; 'text', 12.5, -3, None -> unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised (numeric columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def neutralise_row(values) -> list:
    """For row-by-row writers (csv.writer, openpyxl ``ws.append``)."""
    return [neutralise(v) for v in values]
