"""The tables the suites validate, derived from the run's staging.

Each is a plain DataFrame keyed by ``file_key``; the columns a check needs that
staging does not have (is this raw value a quantity? is this a percentage of a
率/度 indicator?) are computed here, in pandas, so each check stays a single
column expectation. Rejected files are left out: they have their own error code.
"""
from __future__ import annotations

import re

import pandas as pd

from budget_etl.expectations.disclosure import build_disclosure_checks, target_totals
from budget_etl.expectations.periods import build_periods
from budget_etl.expectations.reconcile import build_reconcile
from budget_etl.expectations.scored import TargetReference, build_scored_tables
from budget_etl.parsers.staging import Staging, map_values
from budget_etl.parsers.templates.labels import norm
from budget_etl.parsers.templates.registry import Registry, load_registry

#: A digit next to a comparison sign ('≥20', '= 100'), or followed by % or a counting unit.
#: 年/月 are left out so a date ('2023年度') is not mistaken for a quantity.
_OPERATOR_DIGIT = re.compile(r"[=＝<>≤≥＜＞≦≧]\s*[+-]?\d")
_DIGIT_UNIT = re.compile(
    r"\d\s*(?:%|％|‰|人|个|项|次|家|户|件|份|篇|场|期|批|名|所|座|条|处|台|套|册|本|页|"
    r"万|亿|元|天|日|小时|分钟|公里|千米|米|平方|亩|吨)"
)
_RATE_OR_DEGREE = re.compile(r"[率度]")
#: the template of a file whose tables no family recognised (loaded as generic tables)
GENERIC = "generic"
UNLABELLED_CELLS_SHOWN = 20


def looks_quantitative(raw: str | None) -> bool:
    """True for '=100%', '≥20万页', '300人'; False for '健全', '2023年度完成'."""
    if not isinstance(raw, str):
        return False
    return bool(_OPERATOR_DIGIT.search(raw) or _DIGIT_UNIT.search(raw))


def parsed_keys(staging: Staging) -> list[int]:
    files = staging.files
    return [int(k) for k in files.loc[files["error_code"].isna(), "file_key"]]


def build_tables(staging: Staging, registry: Registry | None = None,
                 references: pd.DataFrame | None = None,
                 reference: TargetReference | None = None) -> dict[str, pd.DataFrame]:
    """suite name -> the table it validates (only parsed, i.e. not rejected, files). ``references``: the
    target tables' totals already in the warehouse, for the cross-document check (see expectations.disclosure);
    ``reference``: the target tables already in the warehouse, which self-evaluations are compared with."""
    keys = parsed_keys(staging)
    parsed = staging.for_files(keys)
    generic = parsed.files["template"] == GENERIC
    return build_scored_tables(parsed, reference) | {
        "structure": structure_table(parsed.files[~generic], registry or load_registry(), parsed.budget,
                                     parsed.targets),
        "generic": generic_table(parsed.files[generic], parsed.generic, parsed.generic_labels),
        "budget": budget_table(parsed.budget),
        "targets": targets_table(parsed.targets),
        "reconcile": build_reconcile(parsed.files, parsed.budget, registry),
        "periods": build_periods(parsed.budget, parsed.targets),
        "disclosure": build_disclosure_checks(parsed.disclosure, parsed.files, _references(parsed, references)),
    }


def generic_table(files: pd.DataFrame, entries: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """One row per generic submission: how many tables it holds, and its entries without any label."""
    table = files[["file_key", "sheet"]].copy()
    found = pd.concat([entries[["file_key", "sheet", "table_range"]], labels[["file_key", "sheet", "table_range"]]])
    tables = found.drop_duplicates().groupby("file_key").size()
    table["n_tables"] = table["file_key"].map(tables).fillna(0).astype("int64")
    bare = entries[entries["n_labels"] == 0]
    table["n_unlabelled"] = table["file_key"].map(bare.groupby("file_key").size()).fillna(0).astype("int64")
    cells = (bare["sheet"].astype(str) + "!" + bare["cell"].astype(str)).groupby(bare["file_key"]).agg(
        lambda c: ", ".join(c.head(UNLABELLED_CELLS_SHOWN)))
    table["unlabelled_cells"] = table["file_key"].map(cells).fillna("")
    return table


def _references(parsed: Staging, stored: pd.DataFrame | None) -> pd.DataFrame | None:
    """The target tables' totals a disclosure is compared with: this run's first, then the warehouse's."""
    if parsed.disclosure.empty:
        return None
    own = target_totals(parsed.files, parsed.budget)
    return own if stored is None or stored.empty else pd.concat([own, stored], ignore_index=True)


def structure_table(files: pd.DataFrame, registry: Registry, budget: pd.DataFrame | None = None,
                    targets: pd.DataFrame | None = None) -> pd.DataFrame:
    table = files[["file_key", "template", "department_name", "fiscal_year", "missing_blocks",
                   "n_targets", "n_results", "sheet", "department_cell", "year_cell", "department_required",
                   "year_required"]].copy()
    for column in ("department_required", "year_required"):  # a family may require less (evaluation forms)
        table[column] = table[column].astype(bool)
    # A department name of only spaces is as missing as no name at all.
    names = table["department_name"].astype("object")
    table["department_name"] = names.where(map_values(names, lambda v: isinstance(v, str) and bool(v.strip())).astype(bool), None)
    table["missing_blocks"] = table["missing_blocks"].fillna("")
    table["n_missing_blocks"] = map_values(table["missing_blocks"], lambda text: len([b for b in text.split(",") if b]))
    table["n_targets"] = table["n_targets"].astype("int64")
    # An indicator is read with a target, a result or both: a scoring sheet scores indicators it sets no target
    # for (each target and each result is one indicator's, so the larger count is how many were read).
    table["n_indicators"] = table[["n_targets", "n_results"]].astype("int64").max(axis=1)
    table = table.drop(columns="n_results")
    # Only a family with an indicator block must have indicators.
    table["expects_targets"] = map_values(table["template"], lambda t: registry.fills(t, "fact_target")).astype(bool)
    _family_structure(table, registry, budget, targets)
    return table


def _family_structure(table: pd.DataFrame, registry: Registry, budget: pd.DataFrame | None,
                      targets: pd.DataFrame | None) -> None:
    """What a family declares under [checks] beyond its blocks: the 一级指标 groups its indicator tables hold
    (a table cut short loses them) and the directions that hold amounts (a table whose amounts were lost)."""
    level1: dict[int, set[str]] = {}
    if targets is not None:
        for key, name in zip(targets["file_key"].tolist(), targets["level1"].tolist()):
            if isinstance(name, str):
                level1.setdefault(int(key), set()).add(norm(name))
    filled: dict[int, set[str]] = {}
    if budget is not None:
        for key, direction, amount in zip(budget["file_key"].tolist(), budget["direction"].tolist(),
                                          budget["amount"].tolist()):
            if isinstance(amount, str) and amount:
                filled.setdefault(int(key), set()).add(direction)
    missing_groups, missing_amounts, wants_groups, wants_amounts = [], [], [], []
    for key, template in zip(table["file_key"].tolist(), table["template"].tolist()):
        family = registry.get(template) if isinstance(template, str) else None
        groups = family.required_level1 if family else ()
        directions = family.required_amounts if family else ()
        seen = level1.get(int(key), set())
        missing_groups.append(", ".join(g for g in groups if not any(name.startswith(norm(g)) for name in seen)))
        missing_amounts.append(", ".join(d for d in directions if d not in filled.get(int(key), set())))
        wants_groups.append(bool(groups))
        wants_amounts.append(bool(directions))
    table["missing_level1"] = missing_groups
    table["n_missing_level1"] = [len([g for g in text.split(", ") if g]) for text in missing_groups]
    table["checks_level1"] = wants_groups
    table["missing_amounts"] = missing_amounts
    table["n_missing_amounts"] = [len([d for d in text.split(", ") if d]) for text in missing_amounts]
    table["checks_amounts"] = wants_amounts


def fits_column(values: pd.Series, table: str, column: str) -> pd.Series:
    """For each exact decimal text: does it fit the warehouse column ``table.column`` (its own precision and
    scale, read from the migrated schema)? A number that does not would fail the whole run's load."""
    from budget_etl.warehouse.schema import decimal_fits, decimal_type

    precision, scale = decimal_type(table, column)
    answers: dict[str | None, bool] = {}  # a run repeats the same amounts ('10', '0'): each is judged once

    def fits(value) -> bool:
        text = value if isinstance(value, str) else None
        answer = answers.get(text)
        if answer is None:
            answer = answers[text] = decimal_fits(text, precision, scale)
        return answer

    return map_values(values, fits).astype(bool)


def budget_table(budget: pd.DataFrame) -> pd.DataFrame:
    table = budget.copy()
    table["amount_fits"] = fits_column(table["amount"], "fact_budget", "amount_wan")
    return table


def targets_table(targets: pd.DataFrame) -> pd.DataFrame:
    table = targets.copy()
    table["value_fits"] = fits_column(table["value"], "fact_target", "value")
    looks = map_values(table["raw_value"], looks_quantitative).astype(bool)
    # Read: a number the parser took as quantitative. An evaluation form's standard ('100%' under 计量单位 %)
    # is quantitative without an operator; a target table's '300人' without one stays unread.
    unread = ~(table["is_quantitative"].astype(bool) & table["value"].notna())
    table["unreadable_quantity"] = (looks & unread).astype(bool)
    is_percent = (table["unit"] == "%") & map_values(
        table["level3"], lambda name: bool(isinstance(name, str) and _RATE_OR_DEGREE.search(name))).astype(bool)
    table["is_rate_percent"] = is_percent.fillna(False).astype(bool)
    # The uniqueness check compares a number standing for the indicator, not its text (see gx_run).
    table["indicator_key"] = pd.factorize(table["indicator_path"])[0].astype("int64")
    return table
