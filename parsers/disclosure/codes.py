"""Classification codes of the government budget (政府收支分类科目), as text with their hierarchy.

Function classes (支出功能分类) have three levels written in 3, 5 and 7 digits: 类 ``205`` 教育支出,
款 ``20502`` 普通教育, 项 ``2050205`` 高等教育. Economic classes (部门预算支出经济分类) have two:
类 ``301`` 工资福利支出, 款 ``30101`` 基本工资. A row's level comes from its code's length, never from
where the row stands, and a code is text: ``205.0`` read from an .xls is ``205``, ``02`` keeps its zero.
Tables write a code whole (``2050205``) or split over 类/款/项 columns (``205 | 02 | 05``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from budget_etl.parsers.values import to_half_width

#: Digits per level, for each classification.
FUNCTION_LEVELS = (3, 5, 7)
ECONOMIC_LEVELS = (3, 5)
LEVEL_NAMES = ("类", "款", "项")

_NUMERIC_CODE = re.compile(r"^\d+(?:\.0+)?$")


def code_part(value: object, width: int | None = None) -> str | None:
    """One written code or code part as digits, or None when the cell holds no code.

    A number read from a spreadsheet (``Decimal('205')``, ``205.0``) becomes its digits; a number that lost its
    leading zero on the way (款 ``2`` typed as a number) is padded to ``width`` when one is given, since a
    款 or 项 part is always two digits. Text keeps its zeros as written.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal, float)):
        if isinstance(value, float) and not value.is_integer():
            return None
        digits = str(int(value))
        if int(value) < 0:
            return None
        return digits.zfill(width) if width else digits
    text = to_half_width(str(value)).strip().replace(" ", "")
    if not _NUMERIC_CODE.match(text):
        return None
    return text.split(".", 1)[0]


def join_code(parts: Sequence[object], widths: tuple[int, ...] = (3, 2, 2)) -> str | None:
    """The whole code from its 类/款/项 parts (blank parts ignored): ``['205', '02', '05']`` -> ``'2050205'``.

    A first part that is already a longer code (``'20502'`` in the 类 column) is taken whole, with any
    later parts appended.
    """
    digits = []
    for position, value in enumerate(parts):
        width = widths[position] if position < len(widths) and position > 0 else None
        part = code_part(value, width)
        if part is None:
            continue
        digits.append(part)
    return "".join(digits) or None


def level_of(code: str, levels: tuple[int, ...] = FUNCTION_LEVELS) -> int | None:
    """1 for a 类 code, 2 for 款, 3 for 项; None for a code of no known length."""
    try:
        return levels.index(len(code)) + 1
    except ValueError:
        return None


def parent_of(code: str, levels: tuple[int, ...] = FUNCTION_LEVELS) -> str | None:
    """``'2050205'`` -> ``'20502'`` -> ``'205'`` -> None."""
    level = level_of(code, levels)
    if level is None or level == 1:
        return None
    return code[:levels[level - 2]]


def ancestors(code: str, levels: tuple[int, ...] = FUNCTION_LEVELS) -> list[str]:
    """The code and every code above it, top first: ``'2050205'`` -> ``['205', '20502', '2050205']``."""
    chain = []
    current: str | None = code
    while current is not None:
        chain.append(current)
        current = parent_of(current, levels)
    return chain[::-1]
