"""Issues every spreadsheet reader raises the same way (so the engines agree on them too)."""
from __future__ import annotations

from budget_etl.parsers.cells import Sheet, a1
from budget_etl.parsers.errors import Issue


def visibility_issues(sheet: Sheet) -> list[Issue]:
    """A hidden sheet, and each run of hidden rows, as a warning pointing at its first cell."""
    issues = []
    if sheet.hidden:
        issues.append(Issue("hidden_sheet", f"sheet {sheet.name!r} is hidden; its cells are read anyway",
                            "warning", sheet.name, "A1"))
    for first, last in _runs(sorted(sheet.hidden_rows)):
        rows = f"row {first} is" if first == last else f"rows {first}-{last} are"
        issues.append(Issue("hidden_rows", f"{rows} hidden on sheet {sheet.name!r}; the cells are read anyway",
                            "warning", sheet.name, a1(first, 1)))
    return issues


def formula_issue(sheet: str, address: str, formula: str) -> Issue:
    return Issue("formula_without_value",
                 f"cell {address} holds the formula {formula} but no saved result; open the file in Excel, "
                 "let it calculate, and save it again", "warning", sheet, address)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
