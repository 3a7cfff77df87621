"""records.fast_maker: the records a parse makes through their slots are the records their constructors make."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, fields, replace
from decimal import Decimal

import pytest

from budget_etl.parsers import records
from budget_etl.parsers.records import BudgetLine, MeasuredLine, Target, fast_maker

VALUES = {
    Target: ("产出指标", "数量指标", None, "培训人次", "full_year", "≥20万页", ">=", Decimal("20"), "万页", True,
             "绩效目标", "C7"),
    BudgetLine: ("expense", "项目支出/工会社工工资", "full_year", Decimal("12.5"), "12.50", "预算", "D9"),
    MeasuredLine: ("income", "财政拨款", "half_year", None, "—", "执行", "E3", "executed", "元"),
}


@pytest.mark.parametrize("cls, make", [(Target, records.make_target), (BudgetLine, records.make_budget_line),
                                       (MeasuredLine, records.make_measured_line)])
def test_made_records_are_the_constructors_records(cls, make):
    values = VALUES[cls]
    made, built = make(*values), cls(*values)
    assert type(made) is cls
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert [getattr(made, f.name) for f in fields(cls)] == list(values)
    assert pickle.dumps(made) == pickle.dumps(built)  # what a worker sends to its parent
    assert replace(made, sheet="x") == replace(built, sheet="x")
    # still frozen (Python 3.11's frozen slotted dataclasses raise TypeError here, not FrozenInstanceError)
    with pytest.raises((AttributeError, TypeError)):
        made.sheet = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("cut", [-1, 1])
def test_a_value_missing_or_extra_is_an_error(cut):
    values = VALUES[Target]
    wrong = values[:cut] if cut < 0 else (*values, "extra")
    with pytest.raises((TypeError, ValueError)):
        records.make_target(*wrong)


def test_a_class_it_cannot_fill_through_its_slots_gets_its_own_constructor():
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self):
            if self.a < 0:
                raise ValueError("negative")

    assert fast_maker(NoSlots) is NoSlots
    assert fast_maker(Checked) is Checked
