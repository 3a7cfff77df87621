"""Text taken from files and file names, made safe to show: every invisible or control character escaped.

A file name may hold a newline (and forge a line of `ingest` output), an ESC sequence (recolour or rewrite
the terminal), a right-to-left override U+202E (show ``gpj.exe`` as ``exe.jpg``), or a zero-width space
(two department names that look the same). Shown through :func:`visible`, each such character is spelt out
the way Python writes it (``\\n``, ``\\x1b``, ``\\u202e``); printable text, CJK included, is untouched. A
byte of a file name that was not valid UTF-8 (Python's surrogate escape, U+DC80–U+DCFF) is shown as the
byte, ``\\xff``. Stored data keeps the raw text: this is for display only.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Control (Cc), format (Cf: zero-width, bidi overrides, soft hyphen, BOM), surrogate (Cs), private-use
# (Co) and unassigned (Cn) characters, and the line and paragraph separators (Zl, Zp).
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@lru_cache(maxsize=4096)
def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (os.fsdecode's surrogate escape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _hidden(ch: str) -> bool:
    return ch != " " and unicodedata.category(ch) in _HIDDEN


def visible(value) -> str:
    """``str(value)`` with every invisible or control character escaped; None is ''."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # the common case, in C: nothing to escape (a space is printable)
        return text
    return "".join(_escape(ch) if _hidden(ch) else ch for ch in text)
