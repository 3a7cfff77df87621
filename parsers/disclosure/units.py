"""Amount units: what a table declares (单位：元, 金额单位：万元) and the exact conversion to 万元.

The warehouse keeps 万元. A table in 元 is divided by 10,000 in ``Decimal`` (12345.67 元 is exactly
1.234567 万元, never a float step); a table in 万元 is taken as it is. A table whose numbers contradict its
declared unit (a department's budget of 820.5 元, or 82,050,000 "万元") is a warning naming the cells:
the numbers are stored as declared, for a person to decide.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budget_etl.parsers.values import to_half_width

YUAN, WAN = "元", "万元"
_PER_WAN = {YUAN: Decimal(10000), WAN: Decimal(1)}
_DECLARED = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")

#: Below this many 元 (one 万元), a table's largest amount is implausible as a department's money in 元.
SMALLEST_PLAUSIBLE_YUAN = Decimal(10000)
#: At or above this many 万元 (100 亿元), a table's largest amount is implausible for one department.
LARGEST_PLAUSIBLE_WAN = Decimal(1000000)


def declared_unit(text: str) -> str | None:
    """'单位：元' -> '元'; '金额单位:万元' -> '万元'; anything else -> None."""
    match = _DECLARED.search(to_half_width(text).replace(" ", ""))
    return match.group(1) if match else None


#: A unit declaration inside a longer line ('单位名称：某部门　　单位：元'), full-width colon and spaces allowed.
_DECLARATION_IN_LINE = re.compile(r"[\s\u3000]*(?:金额)?单位[\s\u3000]*[:：][\s\u3000]*(?:万元|元)[\s\u3000]*")


def without_unit(text: str) -> str:
    """The line without its unit declaration: '苏州市某部门　单位：元' -> '苏州市某部门'."""
    return _DECLARATION_IN_LINE.sub(" ", text).strip()


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """The amount in 万元, exactly (a Decimal division by a power of ten never rounds at this size)."""
    return amount / _PER_WAN[unit] if unit != WAN else amount


def implausible(largest: Decimal, unit: str) -> str | None:
    """Why a table's largest amount contradicts its unit, or None when it does not."""
    if unit == YUAN and Decimal(0) < largest < SMALLEST_PLAUSIBLE_YUAN:
        return (f"the largest amount is {largest} 元, less than 1 万元: the numbers look like 万元 "
                f"in a table that declares 元")
    if unit == WAN and largest >= LARGEST_PLAUSIBLE_WAN:
        return (f"the largest amount is {largest} 万元 (100 亿元 or more): the numbers look like 元 "
                f"in a table that declares 万元")
    return None
