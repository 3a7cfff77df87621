"""Amounts and target expressions, as exact values.

Clerks type amounts and targets by hand: full-width digits (``１２３``), thousands
separators, ``—`` for "nothing here", ``≥`` or ``>=`` or ``＞＝``. These helpers turn
that text into exact :class:`~decimal.Decimal` values without ever guessing: text
that does not fit stays text, and the caller records an issue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by a fixed offset; the ideographic space to a space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20

#: Cell texts that mean "no value" (not zero) in an amount column.
NO_VALUE_MARKS = frozenset({"", "—", "——", "-", "--", "－", "/", "／", "–", "无"})

#: Amounts are written to 0.01 of their unit (元, or 万元 as the warehouse keeps them): two within half of that
#: are equal. The one tolerance of the sum rules, the task table, the period, execution and disclosure checks.
ROUNDING_TOLERANCE = 0.005

_AMOUNT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_AMOUNT_UNIT_RE = re.compile(r"(万元|元)$")

# Longest spellings first so '>=' is not read as '>' followed by '='.
_OPERATOR_SPELLINGS = (
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≤", "<="), ("≧", ">="), ("≦", "<="),
    ("⩾", ">="), ("⩽", "<="), ("==", "="), ("=", "="), (">", ">"), ("<", "<"),
)
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# A unit is short text without digits, operators or clause words: '%', '人', '万页', '个工作日', '元'.
_UNIT_RE = re.compile(r"^[^\d=<>≥≤,，;；。且或不]{1,5}$")
# '2024年10月底前', '2023年度': a date, not a quantity.
_DATE_RE = re.compile(r"^\d{4}\s*年")


def to_half_width(text: str) -> str:
    """'１２３．５％' -> '123.5%'; leaves CJK text alone."""
    return text.translate(_FULL_WIDTH)


def parse_amount(value: object) -> tuple[Decimal | None, bool]:
    """An amount cell as (exact amount or None, understood?).

    ``(None, True)`` means the cell says "no value" (empty, ``—``); ``(None, False)``
    means the text is not an amount at all and the caller should report it.
    """
    if isinstance(value, bool):
        return None, False
    if isinstance(value, Decimal):
        return value, True
    if isinstance(value, int):
        return Decimal(value), True
    if isinstance(value, float):
        return Decimal(repr(value)), True  # repr is the shortest round-trip text: 1363.41, not 1363.4100000000000819
    if value is None:
        return None, True
    text = to_half_width(str(value)).strip().replace(" ", "")
    if text in NO_VALUE_MARKS:
        return None, True
    text = _AMOUNT_UNIT_RE.sub("", text)
    if not _AMOUNT_RE.match(text):
        return None, False
    try:
        return Decimal(text.replace(",", "")), True
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None, False


# Memoised: the funds readers ask it of every cell of their rows, and the answer depends on the text alone.
@lru_cache(maxsize=1 << 16)
def is_amount_text(text: str) -> bool:
    """Whether a cell's text reads as an amount (including the "no value" marks except empty)."""
    stripped = text.strip()
    if not stripped:
        return False
    amount, understood = parse_amount(stripped)
    return understood


@dataclass(frozen=True, slots=True)
class TargetValue:
    raw_value: str
    operator: str | None
    value: Decimal | None
    unit: str | None
    is_quantitative: bool
    problem: str | None = None  # why a value that looks quantitative was kept as text


def _split_operator(text: str) -> tuple[str | None, str]:
    for spelling, operator in _OPERATOR_SPELLINGS:
        if text.startswith(spelling):
            return operator, text[len(spelling):].lstrip()
    return None, text


def parse_target(raw: object) -> TargetValue:
    """'≥20万页' -> (>=, 20, 万页); '健全' -> qualitative; '≥良好' -> qualitative with a problem."""
    return _parse_target_text("" if raw is None else str(raw).strip())


# Memoised: the same few hundred targets ('=100%', '健全') fill most tables; TargetValue is immutable.
@lru_cache(maxsize=1 << 14)
def _parse_target_text(raw_value: str) -> TargetValue:
    text = to_half_width(raw_value).strip()
    operator, rest = _split_operator(text)
    number_match = _NUMBER_RE.match(rest)
    qualitative = TargetValue(raw_value, None, None, None, False)
    if operator is None:
        if number_match and not _DATE_RE.match(rest):
            return TargetValue(raw_value, None, None, None, False,
                               problem=f"the target {raw_value!r} has a number but no operator (=, ≥, ≤, >, <)")
        return qualitative
    if not number_match:
        return TargetValue(raw_value, None, None, None, False,
                           problem=f"the target {raw_value!r} has an operator but no number")
    unit = rest[number_match.end():].strip()
    if unit and not _UNIT_RE.match(unit):
        return TargetValue(raw_value, None, None, None, False,
                           problem=f"the target {raw_value!r} has text after its number that is not a unit")
    value = Decimal(number_match.group(0).replace(",", ""))
    return TargetValue(raw_value, operator, value, unit or None, True)
