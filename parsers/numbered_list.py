"""Split a text that is a numbered list into one item per number.

Recognised numberings: ``（一）`` / ``(一)``, ``一、``, ``①``, ``1.`` / ``1、`` /
``（1）``. A marker only counts when the numbers run in order (1, 2, 3 …), so
``县（市、区）`` or a stray ``（三）`` inside a sentence never splits a text.
Nothing is lost: markers stay at the start of their item, and a lead-in before
the first number is an item of its own.
"""
from __future__ import annotations

import re
from typing import Callable

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]{1,3}"


def chinese_number(text: str) -> int | None:
    """'一' -> 1, '十' -> 10, '十二' -> 12, '二十三' -> 23."""
    if not text:
        return None
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens_text, _, units_text = text.partition("十")
    tens = _CHINESE_DIGITS.get(tens_text, 0 if tens_text else 1) if len(tens_text) <= 1 else None
    units = _CHINESE_DIGITS.get(units_text, 0 if not units_text else None) if len(units_text) <= 1 else None
    if tens is None or units is None or tens == 0:
        return None
    return tens * 10 + units


def _circled(text: str) -> int:
    return ord(text) - 0x2460 + 1


# (name, pattern with one group holding the number, number parser)
_STYLES: tuple[tuple[str, re.Pattern, Callable[[str], int | None]], ...] = (
    ("paren_chinese", re.compile(rf"[（(]({_CN})[）)]"), chinese_number),
    ("chinese_comma", re.compile(rf"(?<![一二三四五六七八九十])({_CN})、"), chinese_number),
    ("circled", re.compile("([\u2460-\u2473])"), _circled),
    ("paren_arabic", re.compile(r"[（(](\d{1,2})[）)]"), int),
    ("arabic", re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?!\d)"), int),
)


def _sequence(text: str, pattern: re.Pattern, number: Callable[[str], int | None]) -> list[int]:
    """Start offsets of markers numbered 1, 2, 3 … in order (each the first one after the last)."""
    starts: list[int] = []
    expected = 1
    for match in pattern.finditer(text):
        if number(match.group(1)) == expected and (not starts or match.start() > starts[-1]):
            starts.append(match.start())
            expected += 1
    return starts


def split_numbered(text: str) -> list[str]:
    """'导语：（一）甲；（二）乙。' -> ['导语：', '（一）甲；', '（二）乙。']; a plain text -> [text]."""
    text = text.strip()
    if not text:
        return []
    best: list[int] = []
    for _name, pattern, number in _STYLES:
        starts = _sequence(text, pattern, number)
        # The numbering that starts first is the outer list; nested numberings stay inside its items.
        if len(starts) >= 2 and (not best or starts[0] < best[0]):
            best = starts
    if not best:
        return [_one_line(text)]
    bounds = [0, *best, len(text)] if best[0] > 0 else [*best, len(text)]
    items = (_one_line(text[start:end]) for start, end in zip(bounds, bounds[1:]))
    return [item for item in items if item]


def _one_line(text: str) -> str:
    """Line breaks inside one item (left over from <p> tags) become nothing: Chinese has no spaces."""
    return "".join(part.strip() for part in text.split("\n"))
