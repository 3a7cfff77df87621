"""Filled-in example files of any registered family, with amounts that satisfy its sum rules.

Each block is written by its block reader's example writer (parsers/templates/examples.py); the amounts are
solved from the family's ``[[sum_rules]]``: free lines take 1, 2, 3 … and every total is the sum of its parts
(a part left as the only unknown of a rule is the total minus the others). Half-year amounts are half the
full-year ones, which keeps every rule that holds for the year.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budget_etl.parsers.templates.declaration import Family, SumRule
from budget_etl.parsers.templates.examples import AmountLine, Example, amount_lines, sheet_rows


def _constraints(family: Family, lines: list[AmountLine], period: str) -> list[tuple[str, AmountLine, list]]:
    """(rule, total, parts) of every rule that applies in ``period`` to lines the example has."""
    present = set(lines)
    found = []
    for rule in family.sum_rules:
        if period not in rule.periods:
            continue
        total = (*rule.total, period, rule.measure)
        if rule.children:
            prefix = rule.total[1] + "/"
            parts = [line for line in lines if line[0] == rule.total[0] and line[2] == period
                     and line[3] == rule.measure and line[1].startswith(prefix) and "/" not in line[1][len(prefix):]]
        else:
            parts = [(*part, period, rule.measure) for part in rule.parts
                     if (*part, period, rule.measure) in present]
        if total in present and parts:
            found.append((rule.check, total, parts))
    return found


def _solve(lines: list[AmountLine], constraints: list) -> dict[AmountLine, Decimal]:
    known: dict[AmountLine, Decimal] = {}
    totals = {total for _, total, _ in constraints}
    order = [line for line in lines if line not in totals] + [line for line in lines if line in totals]
    free = 0
    while len(known) < len(lines):
        changed = True
        while changed:
            changed = False
            for _, total, parts in constraints:
                unknown = [x for x in [total, *parts] if x not in known]
                if len(unknown) != 1:
                    continue
                (line,) = unknown
                if line == total:
                    known[line] = sum((known[p] for p in parts), Decimal(0))
                else:
                    known[line] = known[total] - sum((known[p] for p in parts if p != line), Decimal(0))
                changed = True
        pick = next((line for line in order if line not in known), None)
        if pick is not None:
            free += 1
            known[pick] = Decimal(free)
    negative = [line for line, value in known.items() if value < 0]
    assert not negative, f"the sum rules leave no positive example amount for {negative}"
    return known


def amounts_of(family: Family) -> dict[AmountLine, Decimal]:
    lines = amount_lines(family)
    full = [line for line in lines if line[2] != "half_year"]
    amounts = _solve(full, _constraints(family, full, "full_year"))
    for line in lines:
        if line[2] == "half_year":
            twin = (line[0], line[1], "full_year", line[3])
            amounts[line] = amounts[twin] / 2 if twin in amounts else Decimal(1)
    return amounts


def broken(family: Family, rule: SumRule, amounts: dict[AmountLine, Decimal]) -> dict[AmountLine, Decimal]:
    """The amounts with the rule's total off by 1 万元 in its first period."""
    lines = list(amounts)
    for period in rule.periods:
        for check, total, _ in _constraints(family, lines, period):
            if check == rule.check:
                return {**amounts, total: amounts[total] + 1}
    raise AssertionError(f"{family.name}: the example has no lines that {rule.check} applies to")


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text != "":
                sheet.cell(r, c, text)
    book.save(path)
    return path


def write_example(family: Family, path: Path, amounts: dict[AmountLine, Decimal]) -> Path:
    return write_xlsx(path, sheet_rows(family, Example(family, dict(amounts))))


__all__ = ["amounts_of", "broken", "write_example"]
