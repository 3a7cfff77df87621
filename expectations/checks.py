"""The catalogue of quality checks: one entry per expectation, grouped into suites.

A :class:`Check` is everything the gate needs about one rule: its stable name (what
``quality_results.expectation`` holds), its suite (= the table it validates), its
severity, the Great Expectations expectation that tests it, and how to turn one
failing row into plain words with the cell it came from. Adding a check means
adding one entry here (and, for a cross-row rule, a derived column or row).

The expectation is built from the ``great_expectations.expectations`` module passed
in, so importing this catalogue does not import Great Expectations (~5 s).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from budget_etl.expectations.reconcile import PERIOD_LABELS
from budget_etl.parsers.templates.registry import Registry, load_registry
from budget_etl.parsers.values import ROUNDING_TOLERANCE

YEAR_RANGE = (2000, 2100)


class Finding(NamedTuple):
    """One failing row in plain words."""

    observed: str
    expected: str
    cells: str  # 'sheet!A1, sheet!B2'
    detail: str  # one sentence: what, where, observed vs expected


@dataclass(frozen=True)
class Check:
    name: str
    suite: str
    severity: str  # 'error' blocks the load, 'warning' is reported
    title: str  # the rule in plain words
    expected: str  # what should hold, shown when a check passes or a row says nothing better
    expectation: Callable[[Any], Any]  # gxe module -> Expectation instance
    describe: Callable[[dict], Finding]
    where: tuple[str, object] | None = None  # only the rows where column == value

    @property
    def row_condition(self) -> str | None:
        if self.where is None:
            return None
        column, value = self.where
        return f"{column}=={value!r}"


def _text_or_blank(value) -> str:
    """A staging value as text; '' for a missing one (None, NaN, pd.NA)."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN / NA
            return ""
    except (TypeError, ValueError):
        return ""
    return str(value)


def _period(value) -> str:
    return PERIOD_LABELS.get(_text_or_blank(value), _text_or_blank(value))


def _cell(row: dict, sheet_col: str = "sheet", cell_col: str = "cell") -> str:
    sheet, cell = _text_or_blank(row.get(sheet_col)), _text_or_blank(row.get(cell_col))
    return f"{sheet}!{cell}" if cell else sheet


def _structure(observed_of: Callable[[dict], str], expected: str, cell_col: str | None = None):
    def describe(row: dict) -> Finding:
        cells = _text_or_blank(row.get(cell_col)) if cell_col else ""
        cells = cells or _text_or_blank(row.get("sheet"))
        observed = observed_of(row)
        return Finding(observed, expected, cells, f"found {observed or '(nothing)'}, expected {expected}")
    return describe


def _budget_row(expected: str):
    def describe(row: dict) -> Finding:
        raw = _text_or_blank(row.get("raw"))
        where = f"{_text_or_blank(row.get('item_path'))} ({_period(row.get('period'))})"
        return Finding(raw, expected, _cell(row), f"{where} = {raw}, expected {expected}")
    return describe


def _target_row(expected: str):
    def describe(row: dict) -> Finding:
        raw = _text_or_blank(row.get("raw_value"))
        where = f"{_text_or_blank(row.get('indicator_path'))} ({_period(row.get('period'))})"
        return Finding(raw, expected, _cell(row), f"{where}: {raw}, expected {expected}")
    return describe


def _fits_row(row_describer, table: str, column: str):
    """A row's finding, expecting what the column's DECIMAL type holds (looked up when a row fails)."""
    def describe(row: dict) -> Finding:
        from budget_etl.warehouse.schema import decimal_limit_text, decimal_type

        return row_describer(decimal_limit_text(*decimal_type(table, column)))(row)
    return describe


def _derived_row(row: dict) -> Finding:
    observed, expected = _text_or_blank(row.get("observed")), _text_or_blank(row.get("expected"))
    return Finding(observed, expected, _text_or_blank(row.get("cells")),
                   f"{_text_or_blank(row.get('subject'))}: {observed}, expected {expected}")


def _tolerance(gxe, tolerance: float = ROUNDING_TOLERANCE, lower: bool = True):
    """``diff`` within ``tolerance`` (万元): by default a half-year amount may exceed its full-year one by that much."""
    return gxe.ExpectColumnValuesToBeBetween(
        column="diff", min_value=-tolerance if lower else None, max_value=tolerance)


def _reconcile(name: str, title: str, tolerance: float) -> Check:
    return Check(name, "reconcile", "error", title, f"equal within {tolerance:g} 万元",
                 lambda gxe: _tolerance(gxe, tolerance), _derived_row, where=("check", name))


def _disclosure(name: str, title: str, severity: str = "error") -> Check:
    return Check(name, "disclosure", severity, title, f"equal within {ROUNDING_TOLERANCE} of the tables' unit",
                 lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="diff", min_value=-ROUNDING_TOLERANCE,
                                                               max_value=ROUNDING_TOLERANCE),
                 _derived_row, where=("check", name))


DISCLOSURE_CHECKS: tuple[Check, ...] = (
    _disclosure("disclosure_balance", "收入总计 = 支出总计 (财务收支预算总表, 财政拨款收支预算总表)"),
    _disclosure("disclosure_row_sums", "A row's 合计 = its columns (基本支出 + 项目支出; the income columns)"),
    _disclosure("disclosure_class_sums", "A 类 row = the sum of its 款 rows; a 款 row = the sum of its 项 rows"),
    _disclosure("disclosure_table_totals", "A table's 合计 = its 类 rows; 收入总计 / 支出总计 = the side's items"),
    _disclosure("disclosure_three_public", "The “三公” 合计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费"),
    _disclosure("disclosure_same_total", "A total reported in two tables of the workbook is the same in both"),
    _disclosure("disclosure_matches_target_table", "The disclosure's 支出总计 = 资金总额 in the department's "
                "target table (部门整体预算绩效目标表) of that year", severity="warning"),
)


STATIC_CHECKS: tuple[Check, ...] = (
    # structure: one row per parsed file
    Check("template_present", "structure", "error", "The table layout (template) is identified",
          "a known template", lambda gxe: gxe.ExpectColumnValuesToNotBeNull(column="template"),
          _structure(lambda r: _text_or_blank(r.get("template")), "a known template")),
    Check("department_present", "structure", "error", "单位名称 (department name) is filled in",
          "a department name", lambda gxe: gxe.ExpectColumnValuesToNotBeNull(column="department_name"),
          _structure(lambda r: _text_or_blank(r.get("department_name")), "a department name", "department_cell"),
          where=("department_required", True)),
    Check("year_present", "structure", "error", "The budget year (年度) is stated",
          "a year", lambda gxe: gxe.ExpectColumnValuesToNotBeNull(column="fiscal_year"),
          _structure(lambda r: _text_or_blank(r.get("fiscal_year")), "a year", "year_cell"),
          where=("year_required", True)),
    Check("year_plausible", "structure", "error", f"The budget year is between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}",
          f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
          lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="fiscal_year", min_value=YEAR_RANGE[0],
                                                        max_value=YEAR_RANGE[1]),
          _structure(lambda r: _text_or_blank(r.get("fiscal_year")), f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}", "year_cell")),
    Check("required_blocks_found", "structure", "error", "Every required block of the table is found",
          "no missing block", lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_missing_blocks", max_value=0),
          _structure(lambda r: "missing: " + _text_or_blank(r.get("missing_blocks")), "no missing block")),
    Check("has_indicators", "structure", "error", "The table has at least one performance indicator (绩效指标)",
          "≥ 1 indicator", lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_indicators", min_value=1),
          _structure(lambda r: f"{_text_or_blank(r.get('n_indicators'))} indicators", "≥ 1 indicator"),
          where=("expects_targets", True)),
    # A file that lost data must not load silently: the family's declared [checks].
    Check("indicator_groups_present", "structure", "error",
          "The indicator tables hold the family's 一级指标 groups (产出, 效益, 满意度 …)", "every declared group",
          lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_missing_level1", max_value=0),
          _structure(lambda r: "missing: " + _text_or_blank(r.get("missing_level1")), "every declared group"),
          where=("checks_level1", True)),
    Check("amounts_present", "structure", "error",
          "The funds hold amounts (income, expense as the family declares), not only blanks", "amounts filled in",
          lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_missing_amounts", max_value=0),
          _structure(lambda r: "no amount in: " + _text_or_blank(r.get("missing_amounts")), "amounts filled in"),
          where=("checks_amounts", True)),
    # generic: one row per submission of tables that no family recognised (gated by structure only)
    Check("generic_has_tables", "generic", "error", "The file holds at least one table (header cells and data)",
          "≥ 1 table", lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_tables", min_value=1),
          _structure(lambda r: f"{_text_or_blank(r.get('n_tables'))} tables", "≥ 1 table")),
    Check("generic_entries_labelled", "generic", "error", "Every data cell of a table has at least one header",
          "every entry with a header", lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="n_unlabelled",
                                                                                     max_value=0),
          _structure(lambda r: f"{_text_or_blank(r.get('n_unlabelled'))} data cells without a header",
                     "every entry with a header", "unlabelled_cells")),
    # budget: one row per amount
    Check("amount_not_negative", "budget", "error", "Amounts are not negative",
          "≥ 0", lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="amount_num", min_value=0),
          _budget_row("≥ 0")),
    # A number the warehouse's DECIMAL column cannot hold would fail the whole run's load, so it stops its file
    # here. The limit is the column's own precision (derived.fits_column), exactly, not a float comparison.
    Check("amount_fits_warehouse", "budget", "error", "Amounts fit the warehouse's amount column",
          "fits fact_budget.amount_wan",
          lambda gxe: gxe.ExpectColumnValuesToBeInSet(column="amount_fits", value_set=[True]),
          _fits_row(_budget_row, "fact_budget", "amount_wan")),
    # disclosure: one row per disclosure workbook, rule and place (expectations/disclosure.py)
    *DISCLOSURE_CHECKS,
    # periods: one row per line or indicator with both periods
    Check("half_year_within_full_year", "periods", "error",
          "An expense line's 半年计划执行数 does not exceed its 全年预算数", "≤ the full-year amount",
          lambda gxe: _tolerance(gxe, lower=False), _derived_row,
          where=("check", "half_year_within_full_year")),
    Check("target_half_year_within_full_year", "periods", "warning",
          "A half-year count (半年指标值) does not exceed the full-year count (全年指标值)", "≤ the full-year count",
          lambda gxe: _tolerance(gxe, lower=False), _derived_row,
          where=("check", "target_half_year_within_full_year")),
    # targets: one row per indicator value
    Check("quantitative_target_readable", "targets", "error",
          "A target that looks like a quantity has an operator (=, ≥, ≤, >, <) and a number",
          "an operator and a number, like ≥20人",
          lambda gxe: gxe.ExpectColumnValuesToBeInSet(column="unreadable_quantity", value_set=[False]),
          _target_row("an operator and a number, like ≥20人")),
    Check("rate_percent_within_0_100", "targets", "warning",
          "A percentage of a 率/度 indicator is between 0% and 100%", "0–100%",
          lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="value_num", min_value=0, max_value=100),
          _target_row("0–100%"), where=("is_rate_percent", True)),
    Check("target_value_fits_warehouse", "targets", "error", "Target numbers fit the warehouse's value column",
          "fits fact_target.value",
          lambda gxe: gxe.ExpectColumnValuesToBeInSet(column="value_fits", value_set=[True]),
          _fits_row(_target_row, "fact_target", "value")),
    Check("indicator_unique", "targets", "error", "No indicator appears twice in one submission",
          "each indicator once per period",
          lambda gxe: gxe.ExpectCompoundColumnsToBeUnique(column_list=["file_key", "indicator_key", "period"]),
          _target_row("each indicator once per period")),
)



def catalogue(registry: Registry | None = None) -> tuple[Check, ...]:
    """Every check of a run: the fixed ones, one reconcile check per sum rule the families declare, and the
    checks of scored tables (self-evaluations, evaluation forms: expectations/scored_checks.py)."""
    from budget_etl.expectations.scored_checks import SCORED_CHECKS  # it builds on Check, defined above

    registry = registry or load_registry()
    rules = {rule.check: rule for family in registry.families for rule in family.sum_rules}
    derived = tuple(_reconcile(rule.check, rule.title, rule.tolerance) for rule in rules.values())
    return STATIC_CHECKS + derived + SCORED_CHECKS


#: The checks with the packaged families' rules.
CHECKS: tuple[Check, ...] = catalogue()
SUITES: tuple[str, ...] = tuple(dict.fromkeys(c.suite for c in CHECKS))


def checks_of(suite: str, checks: tuple[Check, ...] = CHECKS) -> list[Check]:
    return [c for c in checks if c.suite == suite]
