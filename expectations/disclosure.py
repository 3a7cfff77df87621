"""The sums of a budget disclosure workbook, as one derived table for the ``disclosure`` suite.

Like :mod:`budget_etl.expectations.reconcile`, every sum is computed here in ``Decimal`` and the suite only
checks the difference: one row per file, rule and place, with the total as written (``observed``), the
sum of its parts (``expected``) and the cells involved. Amounts are compared in the tables' own unit (元
or 万元, as written, so a clerk sees their own numbers), and ``diff`` is in the finer unit of the two:
within 0.005 of it (parsers.values.ROUNDING_TOLERANCE) is equal (half a cent in 元; the 万元 tables round to 0.01 万元).

Rules (each a check of :mod:`budget_etl.expectations.checks`):
- ``disclosure_balance``: 收入总计 = 支出总计 (财务收支预算总表, 财政拨款收支预算总表);
- ``disclosure_row_sums``: per row, 合计 = its columns (基本支出 + 项目支出; 财政拨款收入 + 事业收入 + …);
- ``disclosure_class_sums``: a 类 row = the sum of its 款 rows, a 款 row = the sum of its 项 rows (each unit's
  apart, in a table listing each unit's classes under the unit's row; that row = the sum of its 类 rows);
- ``disclosure_table_totals``: the 合计 row = the sum of the 类 rows (of the rows, in a table by unit); 收入总计 / 支出总计 = the sum of the
  side's items; an item '一、…' = the sum of its '1. …' sub-items;
- ``disclosure_three_public``: the “三公” 合计 = its parts, 公务用车购置及运行费 = 购置费 + 运行费;
- ``disclosure_same_total``: a total reported in two tables is the same in both;
- ``disclosure_matches_target_table`` (a warning): the workbook's 支出总计 (财务收支预算总表) against the
  资金总额 (全年预算数) of the same department's target table (部门整体预算绩效目标表, family
  ``department_overall``) for the same year — from this run, else the current version in the warehouse.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.cells import number_text, parse_a1

DISCLOSURE_CHECK_COLUMNS = ["file_key", "check", "subject", "observed", "expected", "diff", "cells"]
PER_WAN = {"元": Decimal(10000), "万元": Decimal(1)}
TABLE_TITLES = {
    "income_expense_summary": "财务收支预算总表", "income_summary": "收入预算总表", "expense_summary": "支出预算总表",
    "appropriation_summary": "财政拨款收支预算总表", "general_budget_function": "一般公共预算支出功能分类预算表",
    "gov_fund_function": "政府性基金预算支出功能分类预算表", "state_capital_function": "国有资本经营预算支出功能分类预算表",
    "basic_economic": "一般公共预算基本支出经济分类预算表", "three_public": "“三公”经费和机关运行经费预算表",
}
_TOTAL_COLUMNS = ("合计", "预算数")
#: The three “三公” items, by a word of their name (因公出国(境)费, 公务接待费, 公务用车购置及运行(维护)费); other
#: columns of the table (机关运行经费, 会议费) are not part of its 合计.
_THREE_PUBLIC_WORDS = ("出国", "接待", "公务用车")


@dataclass(frozen=True, slots=True)
class Value:
    """One amount: in 万元 (for sums across tables), as written, with its unit and cell."""

    wan: Decimal
    written: Decimal
    unit: str
    cell: str  # 'sheet!A1'


@dataclass(slots=True)
class Line:
    table: str
    side: str | None
    item: str
    code: str | None
    column: str
    is_total: bool
    depth: int
    row: int
    value: Value


#: The target table whose 资金总额 a disclosure's 支出总计 is compared with: (family, direction, item, period).
TARGET_TOTAL = ("department_overall", "income", "资金总额", "full_year")
REFERENCE_COLUMNS = ["department_name", "fiscal_year", "amount_wan", "cell"]


def build_disclosure_checks(disclosure: pd.DataFrame, files: pd.DataFrame | None = None,
                            references: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per file, rule and place. ``files`` (staging's) and ``references`` (:func:`target_totals` rows,
    normalised department names) give the cross-document rows; without them there are none."""
    if disclosure.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "diff" else object)
                             for c in DISCLOSURE_CHECK_COLUMNS})
    identities = _identities(files) if files is not None else {}
    targets = _reference_index(references)
    rows: list[tuple] = []
    for file_key, lines in _lines_by_file(disclosure).items():
        for rule in (_balance, _row_sums, _class_sums, _table_totals, _three_public, _same_totals):
            rows += [(file_key, *row) for row in rule(lines)]
        target = targets.get(identities.get(file_key))
        if target is not None:
            row = _against_target(lines, *target)
            if row is not None:
                rows.append((file_key, *row))
    frame = pd.DataFrame(rows, columns=DISCLOSURE_CHECK_COLUMNS)
    frame["diff"] = frame["diff"].astype("float64")
    return frame


def _lines_by_file(disclosure: pd.DataFrame) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = defaultdict(list)
    names = ("file_key", "table_code", "side", "item", "function_code", "economic_code", "column_path", "amount",
             "source_amount", "unit", "is_total", "depth", "sheet", "cell")
    for (key, table, side, item, function_code, economic_code, column, wan, written, unit, is_total, depth, sheet,
         cell) in zip(*(disclosure[name].tolist() for name in names)):
        wan_value = Decimal(wan) if isinstance(wan, str) and wan else Decimal(0)
        written_value = Decimal(written) if isinstance(written, str) and written else Decimal(0)
        code = function_code if isinstance(function_code, str) else economic_code if isinstance(economic_code, str) \
            else None
        out[int(key)].append(Line(table, side if isinstance(side, str) else None, item, code, column, bool(is_total),
                                  int(depth), parse_a1(cell)[0], Value(wan_value, written_value, unit,
                                                                       f"{sheet}!{cell}")))
    return out


def _compare(check: str, subject: str, total: Value, parts: list[tuple[str, Value]]) -> tuple:
    """One check row: ``total`` against the sum of ``parts`` (label, value), in the finer unit of them all."""
    units = {total.unit, *(v.unit for _, v in parts)}
    if len(units) == 1:
        unit = total.unit
        observed, expected = total.written, sum((v.written for _, v in parts), Decimal(0))
        shown = [(label, v.written) for label, v in parts]
    else:  # tables in different units: compare in 元, the finer one
        unit = "元"
        observed = total.wan * PER_WAN[unit]
        expected = sum((v.wan for _, v in parts), Decimal(0)) * PER_WAN[unit]
        shown = [(label, v.wan * PER_WAN[unit]) for label, v in parts]
    formula = " + ".join(f"{label} {number_text(amount)}" for label, amount in shown)
    expected_text = f"{number_text(expected)} {unit}" + (f" = {formula}" if len(parts) > 1 else f" ({formula})")
    cells = ", ".join([total.cell] + [v.cell for _, v in parts])
    return (check, subject, f"{number_text(observed)} {unit}", expected_text, float(observed - expected), cells)


def _title(table: str) -> str:
    return TABLE_TITLES.get(table, table)


def _total_column(lines: list[Line]) -> str | None:
    """合计 or 预算数; a side of one column whatever its name ('本年预算', '2024年预算数')."""
    columns = {line.column for line in lines}
    found = next((c for c in _TOTAL_COLUMNS if c in columns), None)
    return found if found is not None or len(columns) != 1 else next(iter(columns))


def _balance(lines: list[Line]) -> list[tuple]:
    out = []
    for table in ("income_expense_summary", "appropriation_summary"):
        income = [x for x in lines if x.table == table and x.side == "income" and _grand_total(x)]
        expense = [x for x in lines if x.table == table and x.side == "expense" and _grand_total(x)]
        column = _total_column(expense)
        expense = [x for x in expense if x.column == column]
        if income and expense:
            out.append(_compare("disclosure_balance", f"{_title(table)}: 收入总计 = 支出总计", income[0].value,
                                [("支出总计", expense[0].value)]))
    return out


def _grand_total(line: Line) -> bool:
    """收入总计 / 支出总计 on a 收支总表, the 合计 row of a classified table (not 本年收入合计, a subtotal)."""
    return line.is_total and (line.item.endswith("总计") if line.side else line.item == "合计")


def _rows(lines: list[Line]) -> dict[tuple, list[Line]]:
    by_row: dict[tuple, list[Line]] = defaultdict(list)
    for line in lines:  # by sheet too: a table continued on a second sheet ('(续)') has rows of the same numbers
        by_row[(line.table, line.side, line.value.cell.rsplit("!", 1)[0], line.row)].append(line)
    return by_row


def _row_sums(lines: list[Line]) -> list[tuple]:
    out = []
    for (table, side, _, _), row in _rows(lines).items():
        if table == "three_public":
            continue
        total = next((x for x in row if x.column == "合计"), None)
        if total is None:
            continue
        columns = [x for x in row if x is not total]
        # The parts are the outermost columns: 基本支出/人员经费 counts unless a 基本支出 column holds it.
        parts = [x for x in columns if not any(x.column.startswith(o.column + "/") for o in columns)]
        if not parts:
            continue
        where = f"{_title(table)}: {total.code + ' ' if total.code else ''}{total.item}"
        out.append(_compare("disclosure_row_sums", f"{where}: 合计 = {' + '.join(x.column for x in parts)}",
                            total.value, [(x.column, x.value) for x in parts]))
    return out


def _unit_of(line: Line, heads: set[tuple[str, str]]) -> str:
    """The unit heading a coded line is under ('某单位/行政运行' under the row '某单位'), '' for none."""
    unit = line.item.rsplit("/", 1)[0] if "/" in line.item else ""
    return unit if (line.table, unit) in heads else ""


def _unit_heads(lines: list[Line]) -> set[tuple[str, str]]:
    """(table, item) of the rows heading a unit's classes in a classified table: no code, not a total, and items
    below them written '<item>/…'."""
    named = {(x.table, x.item) for x in lines if x.side is None and not x.code and not x.is_total}
    return {(x.table, x.item.rsplit("/", 1)[0]) for x in lines if x.code and "/" in x.item} & named


def _class_sums(lines: list[Line]) -> list[tuple]:
    out = []
    heads = _unit_heads(lines)
    coded: dict[tuple[str, str, str], dict[str, Line]] = defaultdict(dict)
    for line in lines:
        if line.code and line.side is None:  # each unit's classes apart, in a table listing several
            coded[(line.table, line.column, _unit_of(line, heads))].setdefault(line.code, line)
    for (table, column, _), by_code in coded.items():
        for code, parent in sorted(by_code.items()):
            children = [x for c, x in sorted(by_code.items()) if c.startswith(code) and len(c) == len(code) + 2]
            if not children:
                continue
            level = "类" if len(code) == 3 else "款"
            below = "款" if len(code) == 3 else "项"
            out.append(_compare("disclosure_class_sums",
                                f"{_title(table)}: {level} {code} {parent.item} ({column}) = the sum of its {below}",
                                parent.value, [(x.code, x.value) for x in children]))
    return out


def _table_totals(lines: list[Line]) -> list[tuple]:
    out = []
    heads = _unit_heads(lines)
    by_table: dict[tuple[str, str | None, str], list[Line]] = defaultdict(list)
    for line in lines:
        by_table[(line.table, line.side, line.column)].append(line)
    for (table, side, column), group in by_table.items():
        totals = [x for x in group if _grand_total(x)]
        if side is None and not any(x.code for x in group):  # a table by unit: 合计 = the units
            tops = [x for x in group if not x.is_total]
            label = "合计 = the sum of the rows"
        elif side is None:  # a classified table: 合计 = the 类 rows (of every unit it lists)
            tops = [x for x in group if x.code and len(x.code) == 3]
            label = "合计 = the sum of the 类 rows"
            for head in (x for x in group if (table, x.item) in heads):
                classes = [x for x in tops if x.item.startswith(head.item + "/")]
                out.append(_compare("disclosure_table_totals", f"{_title(table)}: {head.item} ({column}) = the sum "
                                    "of its 类 rows", head.value, [(x.code or x.item, x.value) for x in classes]))
        else:
            tops = [x for x in group if not x.is_total and x.depth == 1]
            label = f"{'收入' if side == 'income' else '支出'}总计 = the sum of the items"
            for parent in tops:
                children = [x for x in group if x.item.startswith(parent.item + "/")]
                if children:
                    out.append(_compare("disclosure_table_totals", f"{_title(table)}: {parent.item} ({column}) = "
                                        "the sum of its sub-items", parent.value,
                                        [(x.item.rsplit('/', 1)[1], x.value) for x in children]))
        if totals and tops:
            out.append(_compare("disclosure_table_totals", f"{_title(table)} ({column}): {label}", totals[0].value,
                                [(x.code or x.item, x.value) for x in tops]))
    return out


def _three_public(lines: list[Line]) -> list[tuple]:
    row = {x.column: x for x in lines if x.table == "three_public"}
    out = []
    if "合计" in row:
        parts = [(c, x.value) for c, x in row.items()
                 if "/" not in c and any(word in c for word in _THREE_PUBLIC_WORDS)]
        if parts:
            out.append(_compare("disclosure_three_public", "“三公”经费: 合计 = " + " + ".join(c for c, _ in parts),
                                row["合计"].value, parts))
    for column, parent in row.items():
        children = [(c.rsplit("/", 1)[1], x.value) for c, x in row.items() if c.startswith(column + "/")]
        if children:
            out.append(_compare("disclosure_three_public", f"“三公”经费: {column} = "
                                + " + ".join(c for c, _ in children), parent.value, children))
    return out


# (check subject, one side, the other side): each side picks one line by table, side, item and column.
_SAME_TOTALS: tuple[tuple[str, tuple, tuple], ...] = (
    ("支出总计 (财务收支预算总表) = 合计 (支出预算总表)",
     ("income_expense_summary", "expense", "支出总计", _TOTAL_COLUMNS), ("expense_summary", None, "合计", ("合计",))),
    ("收入总计 (财务收支预算总表) = 合计 (收入预算总表)",
     ("income_expense_summary", "income", "收入总计", _TOTAL_COLUMNS), ("income_summary", None, "合计", ("合计",))),
    ("财政拨款收入 (财务收支预算总表) = 收入总计 (财政拨款收支预算总表)",
     ("income_expense_summary", "income", "财政拨款收入", _TOTAL_COLUMNS),
     ("appropriation_summary", "income", "收入总计", _TOTAL_COLUMNS)),
    ("一般公共预算 (财政拨款收支预算总表) = 合计 (一般公共预算支出功能分类预算表)",
     ("appropriation_summary", "income", "一般公共预算", _TOTAL_COLUMNS),
     ("general_budget_function", None, "合计", ("合计",))),
    ("政府性基金预算 (财政拨款收支预算总表) = 合计 (政府性基金预算支出功能分类预算表)",
     ("appropriation_summary", "income", "政府性基金预算", _TOTAL_COLUMNS),
     ("gov_fund_function", None, "合计", ("合计",))),
    ("国有资本经营预算 (财政拨款收支预算总表) = 合计 (国有资本经营预算支出功能分类预算表)",
     ("appropriation_summary", "income", "国有资本经营预算", _TOTAL_COLUMNS),
     ("state_capital_function", None, "合计", ("合计",))),
    ("基本支出 (一般公共预算支出功能分类预算表) = 合计 (一般公共预算基本支出经济分类预算表)",
     ("general_budget_function", None, "合计", ("基本支出",)), ("basic_economic", None, "合计", ("合计",))),
)


#: What follows a fund's name in an item of the national naming: '一般公共预算拨款收入', '政府性基金预算资金'.
_FUND_ITEM_ENDINGS = ("", "拨款", "拨款收入", "财政拨款", "财政拨款收入", "资金", "收入")


def _pick(lines: list[Line], table: str, side: str | None, item: str, columns: tuple[str, ...]) -> Line | None:
    """The line of ``item`` (or the item ending in one of _FUND_ITEM_ENDINGS) in the first of ``columns`` there is;
    a side's total column may be its only one, whatever its name."""
    candidates = [x for x in lines if x.table == table and x.side == side and _names(x.item, item)]
    if columns == _TOTAL_COLUMNS:
        column = _total_column([x for x in lines if x.table == table and x.side == side])
        columns = (column,) if column is not None else columns
    for column in columns:
        found = next((x for x in candidates if x.column == column), None)
        if found is not None:
            return found
    return None


def _names(written: str, item: str) -> bool:
    return written.startswith(item) and written[len(item):] in _FUND_ITEM_ENDINGS


def _same_totals(lines: list[Line]) -> list[tuple]:
    out = []
    for subject, one, other in _SAME_TOTALS:
        a, b = _pick(lines, *one), _pick(lines, *other)
        if a is not None and b is not None:
            out.append(_compare("disclosure_same_total", subject, a.value, [(_title(b.table), b.value)]))
    return out


# -- across documents -------------------------------------------------------------------------------------
def _identities(files: pd.DataFrame) -> dict[int, tuple[str, int]]:
    from budget_etl.warehouse.names import (
        normalise_name,  # names as the warehouse versions them
    )

    out = {}
    for key, name, year in zip(files["file_key"].tolist(), files["department_name"].tolist(),
                               files["fiscal_year"].tolist()):
        if isinstance(name, str) and not pd.isna(year):
            out[int(key)] = (normalise_name(name), int(year))
    return out


def _reference_index(references: pd.DataFrame | None) -> dict[tuple[str, int], tuple[Decimal, str]]:
    if references is None or references.empty:
        return {}
    index = {}
    for name, year, amount, cell in zip(*(references[c].tolist() for c in REFERENCE_COLUMNS)):
        if isinstance(amount, str) and amount:
            index.setdefault((name, int(year)), (Decimal(amount), cell))  # the first is the run's own
    return index


def target_totals(files: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """This run's target tables' 资金总额 as reference rows (department normalised, 万元 as exact text)."""
    from budget_etl.warehouse.names import normalise_name

    family, direction, item, period = TARGET_TOTAL
    owners = files[files["template"] == family][["file_key", "department_name", "fiscal_year", "path"]]
    lines = budget[(budget["direction"] == direction) & (budget["item_path"] == item) & (budget["period"] == period)]
    if "measure" in lines.columns:  # the plan, not a self-evaluation's executed amount
        lines = lines[lines["measure"].fillna("budget") == "budget"]
    joined = lines.merge(owners, on="file_key")
    joined = joined[joined["department_name"].notna() & joined["fiscal_year"].notna()]
    return pd.DataFrame({
        "department_name": [normalise_name(n) for n in joined["department_name"].tolist()],
        "fiscal_year": [int(y) for y in joined["fiscal_year"].tolist()],
        "amount_wan": joined["amount"].tolist(),
        "cell": [f"{path} {sheet}!{cell}" for path, sheet, cell in
                 zip(joined["path"].tolist(), joined["sheet"].tolist(), joined["cell"].tolist())],
    }, columns=REFERENCE_COLUMNS)


def _against_target(lines: list[Line], amount_wan: Decimal, where: str) -> tuple | None:
    total = _pick(lines, "income_expense_summary", "expense", "支出总计", _TOTAL_COLUMNS)
    if total is None:
        return None
    target = Value(amount_wan, amount_wan, "万元", where)
    row = _compare("disclosure_matches_target_table", "支出总计 (财务收支预算总表) = 资金总额 (部门整体预算绩效目标表)",
                   total.value, [("资金总额", target)])
    # The target table states 万元 to two places: the difference is in 万元, equal within half of 0.01.
    return (*row[:4], float(total.value.wan - amount_wan), row[5])
