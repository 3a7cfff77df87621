"""A stub numbered as an outline: '一、' over '（一）' over '1.' over '（1）' over '①', or '1' over '1.1' over '1.1.1'.

Chinese budget and statistics tables number their rows this way ('一、财政拨款收入' above '1. 一般公共预算') and often
show no other sign of the levels (no bold, no indent), so the numbering is the hierarchy. :func:`nest_by_outline`
gives each numbered stub label that has no parent the nearest numbered label above it at a higher outline level, in
the same stub column, when that column's labels are numbered at two levels at least (one level is a plain list). A
label without a number keeps what its look gave it; one that is not a part of the row above ('收入总计', not
'其中：…') ends the section above it: a numbered label after it is not put under a label before it.

A stub may instead head its sections with a colon ('Male:' over 'Under 5 years', as census tables print them once
their indentation is lost): :func:`nest_under_colons` gives each label without a parent the nearest heading above it.
"""
from __future__ import annotations

import re

from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.model import Label

_CJK_NUMERAL = "一二三四五六七八九十百零〇"
# (pattern, level): the outline schemes in the order they nest.
_SCHEMES = (
    (re.compile(rf"[{_CJK_NUMERAL}]+\s*[、.．]"), 0),  # 一、
    (re.compile(rf"[(（]\s*[{_CJK_NUMERAL}]+\s*[)）]"), 1),  # （一）
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{1,2}(?![\d.])"), 4),  # 1.1.1
    (re.compile(r"\d{1,2}\.\d{1,2}(?![\d.])"), 3),  # 1.1
    (re.compile(r"\d{1,2}\s*[、.．](?!\d)"), 2),  # 1.  1、
    (re.compile(r"\d{1,2}\s+(?=\D)"), 2),  # 1 (before 1.1)
    (re.compile(r"[(（]\s*\d{1,2}\s*[)）]"), 3),  # （1）
    (re.compile(r"[\u2460-\u2473]"), 4),  # ①
)
_MIN_NUMBERED = 3  # numbered labels in a column before its numbering counts as an outline
_MIN_HEADINGS = 2  # colon headings in a column before they count as its sections ('Note:' alone is no outline)


def outline_level(text: str) -> int | None:
    """The outline level the label's leading number shows (0 the highest), or None when it starts with none or
    is nothing but a number ('1.5' is a value, '1.5 Crops' an item)."""
    text = text.lstrip()
    for pattern, level in _SCHEMES:
        found = pattern.match(text)
        if found:
            rest = text[found.end():]
            return level if any(ch.isalpha() for ch in rest) else None
    return None


def nest_by_outline(column: list[Label]) -> None:
    """Set the parents of one stub column's labels (top to bottom) by their outline numbers (see the module)."""
    levels = [outline_level(label.label) for label in column]
    numbered = [level for level in levels if level is not None]
    if len(numbered) < _MIN_NUMBERED or len(set(numbered)) < 2:
        return
    stack: list[tuple[int, Label]] = []
    for label, level in zip(column, levels):
        if level is None:
            if not tx.is_part_of_above(label.label):
                stack = []  # an unnumbered label ends the section: what follows is not under what came before
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack and label.parent is None:
            label.parent = stack[-1][1]
        stack.append((level, label))


def _colon_heading(text: str) -> bool:
    """'Male:', 'Households by type：': a label ending in a colon, naming the rows after it; not 'of which:'."""
    text = tx.clean(text)
    return (len(text) > 1 and text[-1] in ":：" and any(ch.isalpha() for ch in text)
            and not tx.is_part_of_above(text))


def nest_under_colons(column: list[Label]) -> None:
    """Set the parents of one stub column's labels (top to bottom) by colon headings (see the module): each label
    after a heading, up to the next heading or a bare total ('Total', which sums the sections), is under it, when
    the column has two headings at least and the labels have no parent from their look or numbering."""
    headings = [_colon_heading(label.label) for label in column]
    if sum(headings) < _MIN_HEADINGS or any(label.parent is not None for label in column):
        return
    heading: Label | None = None
    for label, is_heading in zip(column, headings):
        if is_heading:
            heading = label
        elif tx.is_bare_total(label.label):
            heading = None
        elif heading is not None:
            label.parent = heading
