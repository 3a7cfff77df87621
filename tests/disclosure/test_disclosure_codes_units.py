"""Classification codes are text with a hierarchy from their length; 元 become 万元 exactly."""
from decimal import Decimal

import pytest

from budget_etl.parsers.disclosure.codes import (
    ECONOMIC_LEVELS,
    ancestors,
    code_part,
    join_code,
    level_of,
    parent_of,
)
from budget_etl.parsers.disclosure.units import declared_unit, implausible, to_wan


@pytest.mark.parametrize("value, expected", [
    ("205", "205"), ("205.0", "205"), (Decimal(205), "205"), (205.0, "205"), ("02", "02"), (" ２０５ ", "205"),
    ("教育支出", None), ("…", None), ("", None), (None, None), (20.5, None),
])
def test_a_code_part_is_its_digits_as_text(value, expected):
    assert code_part(value) == expected


@pytest.mark.parametrize("parts, expected", [
    (["205", "02", "05"], "2050205"),
    (["205", "02", None], "20502"),
    (["205.0", None, None], "205"),
    ([Decimal(205), Decimal(2), Decimal(5)], "2050205"),  # numbers that lost their zero get it back
    (["2050205", None, None], "2050205"),  # a whole code in the 类 column
    ([None, None, None], None),
])
def test_split_codes_are_joined(parts, expected):
    assert join_code(parts) == expected


def test_level_and_parents_come_from_the_code():
    assert [level_of(c) for c in ("205", "20502", "2050205", "2050")] == [1, 2, 3, None]
    assert parent_of("2050205") == "20502" and parent_of("20502") == "205" and parent_of("205") is None
    assert ancestors("2050205") == ["205", "20502", "2050205"]
    assert level_of("30101", ECONOMIC_LEVELS) == 2 and parent_of("30101", ECONOMIC_LEVELS) == "301"


def test_yuan_become_wan_exactly():
    assert to_wan(Decimal("12345.67"), "元") == Decimal("1.234567")
    assert str(to_wan(Decimal("2000987.65"), "元")) == "200.098765"
    assert to_wan(Decimal("13.4"), "万元") == Decimal("13.4")


@pytest.mark.parametrize("text, unit", [("单位：元", "元"), ("单位:万元", "万元"), ("金额单位：万元", "万元"),
                                        ("单 位：元", "元"), ("编制部门：", None)])
def test_declared_units(text, unit):
    assert declared_unit(text) == unit


def test_magnitudes_that_contradict_the_unit():
    assert implausible(Decimal("820.5"), "元") is not None  # 820.5 元 for a department: 万元 typed in
    assert implausible(Decimal(8205000), "万元") is not None  # 820 亿元: 元 typed in
    assert implausible(Decimal(8205000), "元") is None and implausible(Decimal("820.5"), "万元") is None
