"""The checks of scored tables (self-evaluations, evaluation forms), over the tables of expectations.scored."""
from __future__ import annotations

from budget_etl.expectations.checks import Check, _derived_row
from budget_etl.expectations.scored import (
    RATE_TOLERANCE,
    SCORE_TOLERANCE,
)
from budget_etl.parsers.values import ROUNDING_TOLERANCE


def _within(name: str, suite: str, severity: str, title: str, expected: str, tolerance: float,
            lower: bool = True) -> Check:
    return Check(name, suite, severity, title, expected,
                 lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="diff", min_value=-tolerance if lower else None,
                                                               max_value=tolerance),
                 _derived_row, where=("check", name))


SCORED_CHECKS: tuple[Check, ...] = (
    _within("execution_rate_consistent", "execution", "error",
            "执行率 = 全年执行数 / 全年预算数 × 100", f"equal within {RATE_TOLERANCE} percentage points",
            RATE_TOLERANCE),
    _within("score_within_max", "scores", "error", "得分 does not exceed its 分值", "≤ 分值", 0, lower=False),
    _within("score_recomputed", "scores", "warning",
            "The 得分 of a quantitative ≥/≤ indicator is what its actual value earns (capped at 分值)",
            f"equal within {SCORE_TOLERANCE}", SCORE_TOLERANCE),
    _within("scores_total_100", "score_totals", "error", "The funds row's 分值 plus the 一级指标' 分值 make 100",
            "100", SCORE_TOLERANCE),
    _within("level1_weights_total_100", "evaluation_sums", "warning", "The 一级指标' 权重 add up to 100", "100",
            SCORE_TOLERANCE),
    _within("level2_scores_total_100", "evaluation_sums", "warning",
            "Within each 一级指标, the 二级指标' 分值 add up to 100", "100", SCORE_TOLERANCE),
    _within("level3_scores_total_level2", "evaluation_sums", "warning",
            "The 三级指标' 分值 add up to their 二级指标's 分值", "the 二级指标's 分值", SCORE_TOLERANCE),
    _within("level3_scores_total_level1", "evaluation_sums", "warning",
            "Under a 一级指标 whose 二级指标 have no 分值, the 三级指标' 分值 add up to its 权重", "the 一级指标's 权重",
            SCORE_TOLERANCE),
    _within("budget_matches_target_table", "crossdoc_budget", "warning",
            "A self-evaluation's 全年预算数 is the target table's", f"equal within {ROUNDING_TOLERANCE} 万元",
            ROUNDING_TOLERANCE),
    Check("indicators_in_target_table", "crossdoc_indicators", "warning",
          "A self-evaluation's indicators are in its department's (or project's) target table of that year",
          "an indicator of the target table",
          lambda gxe: gxe.ExpectColumnValuesToBeInSet(column="found", value_set=[True]), _derived_row,
          where=("check", "indicators_in_target_table")),
)
