"""Staging rows of the year-end records: indicator results and funds scores (see parsers/staging.py).

Numbers are kept twice like amounts: exact decimal text (what the warehouse casts) and float (``*_num``,
only for the tolerance checks)."""
from __future__ import annotations

from decimal import Decimal

from budget_etl.parsers.matching import indicator_match_key
from budget_etl.parsers.records import FundsScore, IndicatorResult

RESULT_COLUMNS = [
    "file_key", "level1", "level2", "level3", "indicator_path", "match_key", "period", "actual_raw",
    "actual_value", "actual_num", "actual_unit", "score", "score_num", "max_score", "max_num", "level2_max",
    "level2_max_num", "weight", "weight_num", "data_items", "reason", "sheet", "cell", "actual_cell",
    "score_cell", "max_cell", "level2_max_cell", "weight_cell", "explanation", "scoring_rule", "explanation_cell",
    "rule_cell",
]
FUND_SCORE_COLUMNS = [
    "file_key", "direction", "item_path", "rate_raw", "rate", "rate_num", "max_score", "max_num", "score",
    "score_num", "sheet", "cell", "rate_cell", "max_cell", "score_cell",
]


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _num(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def result_row(key: int, r: IndicatorResult, indicator_path: str) -> tuple:
    return (key, r.level1, r.level2, r.level3, indicator_path, indicator_match_key(r.level1, r.level2, r.level3),
            r.period, r.actual_raw, _exact(r.actual_value), _num(r.actual_value), r.actual_unit,
            _exact(r.score), _num(r.score), _exact(r.max_score), _num(r.max_score), _exact(r.level2_max),
            _num(r.level2_max), _exact(r.weight), _num(r.weight), r.data_items, r.reason, r.sheet, r.cell,
            r.actual_cell, r.score_cell, r.max_cell, r.level2_max_cell, r.weight_cell, r.explanation, r.scoring_rule,
            r.explanation_cell, r.rule_cell)


def fund_score_row(key: int, s: FundsScore) -> tuple:
    return (key, s.direction, s.item_path, s.rate_raw, _exact(s.rate), _num(s.rate), _exact(s.max_score),
            _num(s.max_score), _exact(s.score), _num(s.score), s.sheet, s.cell, s.rate_cell, s.max_cell,
            s.score_cell)
