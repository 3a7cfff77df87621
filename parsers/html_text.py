"""HTML fragments inside cells (``<p>…</p> <p>…</p>``) as plain text.

Exports copy the rich-text field of the web form into the cell, so a cell can
hold markup. Block-level tags become line breaks (they separate list items),
every other tag is dropped, entities are decoded, and runs of spaces collapse.
"""
from __future__ import annotations

import html
import re

_BLOCK_END_RE = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|li|tr|h\d)\s*)>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]*>")
_SPACES_RE = re.compile(r"[ \t\u00a0\u3000]+")


def strip_html(text: str) -> str:
    """'<p>一、甲</p> <p>二、乙</p>' -> '一、甲\\n二、乙'."""
    if "<" in text or "&" in text:
        text = _BLOCK_END_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
        text = html.unescape(text)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)
