"""Amounts and target expressions become exact values; anything unclear stays text."""
from decimal import Decimal

import pytest

from budget_etl.parsers.values import parse_amount, parse_target, to_half_width


@pytest.mark.parametrize("raw, amount", [
    ("1363.41", Decimal("1363.41")),
    ("1,363.41", Decimal("1363.41")),
    ("１，３６３．４１", Decimal("1363.41")),
    (" 0 ", Decimal("0")),
    ("12,345,678.9", Decimal("12345678.9")),
    ("-5.5", Decimal("-5.5")),
    ("395万元", Decimal("395")),
    (Decimal("7.50"), Decimal("7.50")),
    (1363.41, Decimal("1363.41")),
    (28, Decimal("28")),
])
def test_amounts_are_exact_decimals(raw, amount):
    assert parse_amount(raw) == (amount, True)


@pytest.mark.parametrize("raw", ["", "—", "——", "-", "－", "/", None])
def test_empty_and_dash_mean_no_value_not_zero(raw):
    assert parse_amount(raw) == (None, True)


@pytest.mark.parametrize("raw", ["约100", "1,36,3", "一百", "12.3.4", True])
def test_text_that_is_not_an_amount_is_reported_not_guessed(raw):
    assert parse_amount(raw) == (None, False)


@pytest.mark.parametrize("raw, operator, value, unit", [
    ("=300人", "=", "300", "人"),
    ("≥20万页", ">=", "20", "万页"),
    ("≤2个工作日", "<=", "2", "个工作日"),
    ("≥98%", ">=", "98", "%"),
    ("≤5.5元", "<=", "5.5", "元"),
    ("＝100％", "=", "100", "%"),
    ("＞０", ">", "0", None),
    ("＜3天", "<", "3", "天"),
    (">=85%", ">=", "85", "%"),
    ("<=1,000元", "<=", "1000", "元"),
    ("≧60分", ">=", "60", "分"),
    ("  = 0 % ", "=", "0", "%"),
])
def test_quantitative_targets(raw, operator, value, unit):
    target = parse_target(raw)
    assert (target.operator, target.value, target.unit, target.is_quantitative) == (operator, Decimal(value), unit, True)
    assert target.raw_value == raw.strip() and target.problem is None


@pytest.mark.parametrize("raw", ["健全", "及时", "显著提高", "2024年10月底前", "/", "", "2023年度完成"])
def test_qualitative_targets_keep_their_text(raw):
    target = parse_target(raw)
    assert (target.raw_value, target.operator, target.value, target.unit) == (raw, None, None, None)
    assert not target.is_quantitative and target.problem is None


@pytest.mark.parametrize("raw, why", [
    ("≥良好", "operator but no number"),
    ("=及时", "operator but no number"),
    ("100%", "number but no operator"),
    ("95", "number but no operator"),
    ("≥95%且不低于上年", "not a unit"),
])
def test_half_quantitative_targets_stay_text_with_a_problem(raw, why):
    target = parse_target(raw)
    assert not target.is_quantitative and target.operator is None and target.value is None
    assert why in target.problem


def test_full_width_forms_map_to_ascii():
    assert to_half_width("（１２）：＝＞＜％，．") == "(12):=><%,."
