"""From GX's failing rows to one result row per check per file, in plain words.

A check applies to a file when the file has at least one row in the check's table
(within the check's ``where``); files with nothing to check get no row rather than
a vacuous pass. Several failing rows of one file for one check (three negative
amounts) become one result with every observed value and cell listed.
"""
from __future__ import annotations

import pandas as pd

from budget_etl.expectations.checks import CHECKS, Check

RESULT_COLUMNS = ["file_key", "suite", "expectation", "severity", "success", "observed",
                  "expected", "source_cells", "message"]

#: Long lists are cut in the message (the cells column keeps them all).
MAX_DETAILS = 10


def applicable_keys(check: Check, table: pd.DataFrame) -> list[int]:
    rows = table
    if check.where is not None:
        column, value = check.where
        rows = table[table[column] == value]
    return sorted({int(k) for k in rows["file_key"]})


def check_results(tables: dict[str, pd.DataFrame], failing: dict[str, list[dict]],
                  checks: tuple[Check, ...] = CHECKS) -> list[tuple]:
    rows: list[tuple] = []
    for check in checks:
        table = tables[check.suite]
        by_key: dict[int, list[dict]] = {}
        for row in failing.get(check.name, []):
            by_key.setdefault(int(row["file_key"]), []).append(row)
        for key in applicable_keys(check, table):
            found = by_key.get(key)
            if not found:
                rows.append((key, check.suite, check.name, check.severity, True, "", check.expected, "",
                             f"{check.title}: OK"))
                continue
            findings = [check.describe(row) for row in found]
            rows.append((key, check.suite, check.name, check.severity, False,
                         _join(f.observed for f in findings),
                         _join(f.expected for f in findings),
                         ", ".join(dict.fromkeys(c for f in findings for c in f.cells.split(", ") if c)),
                         _message(check.title, [f.detail for f in findings])))
    return rows


def issue_results(issues: pd.DataFrame, keys: set[int]) -> list[tuple]:
    """Reader and parser issues of parsed files, as results of suite ``parser``.

    An ``error`` issue blocks the load like a failed check; ``info`` notes are not
    quality findings and are left out.
    """
    rows = []
    for issue in issues.itertuples(index=False):
        if int(issue.file_key) not in keys or issue.severity not in ("error", "warning"):
            continue
        cell = f"{issue.sheet}!{issue.cell}" if isinstance(issue.cell, str) and issue.cell else ""
        rows.append((int(issue.file_key), "parser", issue.code, issue.severity, False, "", "",
                     cell, f"{issue.message} ({issue.source})"))
    return rows


def results_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["file_key"] = frame["file_key"].astype("int64")
    frame["success"] = frame["success"].astype(bool)
    return frame.sort_values(["file_key", "success", "suite", "expectation"], kind="stable",
                             ignore_index=True)


def _join(values) -> str:
    unique = list(dict.fromkeys(v for v in values if v))
    return "; ".join(unique)


def _message(title: str, details: list[str]) -> str:
    shown = details[:MAX_DETAILS]
    more = len(details) - len(shown)
    text = f"{title}. " + "; ".join(shown)
    return text + (f"; … and {more} more" if more > 0 else "")
