"""Outline numbers of stub labels (parsers/tables/outline.py)."""
from __future__ import annotations

import pytest

from budget_etl.parsers.tables.model import Label
from budget_etl.parsers.tables.outline import nest_by_outline, outline_level


@pytest.mark.parametrize("text, level", [("一、基本支出", 0), ("十二、其他", 0), ("（一）人员", 1), ("(二) 公用", 1),
                                         ("1. 人员经费", 2), ("2、公用经费", 2), ("3 Investment", 2),
                                         ("1.1 Staff", 3), ("（1）基本工资", 3), ("1.1.2 Pensions", 4),
                                         ("①工资", 4), ("合计", None), ("1.5", None), ("2006", None),
                                         ("其中：奖金", None), ("15", None)])
def test_the_level_a_leading_number_shows(text, level):
    assert outline_level(text) == level


def test_one_level_of_numbers_is_a_list_not_an_outline():
    column = [Label(text, f"A{row}") for row, text in enumerate(("1. Staff", "2. Rent", "3. Energy"), start=2)]
    nest_by_outline(column)
    assert all(label.parent is None for label in column)


def test_a_parent_the_look_gave_is_kept():
    total, first, second, third = (Label(text, f"A{row}") for row, text in
                                   enumerate(("Total", "一、收入", "1. 拨款", "2. 其他"), start=2))
    first.parent = total
    nest_by_outline([total, first, second, third])
    assert (first.parent, second.parent, third.parent) == (total, first, first)
