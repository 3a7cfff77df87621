"""Value normalisation, in one import: amounts, targets, HTML text, numbered lists."""
from __future__ import annotations

from budget_etl.parsers.html_text import strip_html
from budget_etl.parsers.numbered_list import chinese_number, split_numbered
from budget_etl.parsers.values import (
    NO_VALUE_MARKS,
    TargetValue,
    is_amount_text,
    parse_amount,
    parse_target,
    to_half_width,
)


def text_items(raw: str) -> list[str]:
    """A rich-text cell as list items: HTML removed, one item per number."""
    return split_numbered(strip_html(raw))


__all__ = [
    "NO_VALUE_MARKS", "TargetValue", "chinese_number", "is_amount_text", "parse_amount",
    "parse_target", "split_numbered", "strip_html", "text_items", "to_half_width",
]
