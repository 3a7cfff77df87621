"""Text encodings of exports from Chinese government systems.

Candidates, in order: a byte-order mark (UTF-8, UTF-16 LE/BE) decides alone;
otherwise strict UTF-8, then GB18030 (a superset of GBK and GB2312). A decoding
is accepted only if it is clean: no U+FFFD, no control characters other than
tab/newline/carriage return/form feed. That keeps mojibake and replacement
characters out of the warehouse; when no candidate is clean the file is an
``encoding_error`` naming the line where decoding failed.
"""
from __future__ import annotations

import codecs
import re

from budget_etl.parsers.errors import ReadError

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CANDIDATES = ("utf-8", "gb18030")
# Names a document may declare, mapped to the codec we decode with.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030",
            "cp936": "gb18030", "utf8": "utf-8", "utf-8": "utf-8", "utf-16": "utf-16",
            "utf-16le": "utf-16-le", "utf-16be": "utf-16-be"}
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_like_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every ASCII character (tabs, newlines, digits) puts a NUL on one side.

    Chinese text has few ASCII characters, so the bar is low (5 %) on one side, while
    the other side must be almost free of NULs; random binary has ~0.4 % on both.
    """
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.05 and even_nuls < 0.01:
        return "utf-16-le"
    if even_nuls > 0.05 and odd_nuls < 0.01:
        return "utf-16-be"
    return None


def normalise_label(label: str) -> str | None:
    return _ALIASES.get(label.strip().strip("\"'").lower())


def decode_text(data: bytes, name: str = "", declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding name). ``declared`` (an HTML meta charset) goes first."""
    forced = bom_encoding(data) or looks_like_bomless_utf16(data)
    candidates = (forced,) if forced else tuple(dict.fromkeys(filter(None, (declared, *CANDIDATES))))
    # (decoded to the end?, byte offset reached, reason): a decoding that got through the whole
    # file but found a replacement/control character explains the problem best.
    best_failure: tuple[bool, int, str] | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            best_failure = max(filter(None, (best_failure, (False, exc.start, f"is not valid {_pretty(encoding)}"))))
            continue
        bad = _UNCLEAN.search(text)
        if bad is None:
            return text, _pretty(encoding).lower()
        offset = len(text[:bad.start()].encode(encoding.replace("-sig", ""), errors="replace"))
        reason = ("contains the replacement character \ufffd (damaged by an earlier conversion)"
                  if bad.group() == "\ufffd" else f"contains the control character U+{ord(bad.group()):04X}")
        found = (True, offset, reason + f" when read as {_pretty(encoding)}")
        best_failure = max(filter(None, (best_failure, found)))
    _, offset, reason = best_failure or (False, 0, "cannot be decoded")
    line = data[:offset].count(b"\n") + 1
    tried = ", ".join(_pretty(e) for e in candidates)
    raise ReadError("encoding_error", f"{name or 'the file'}: line {line} {reason}; tried {tried}. "
                    "Save the file again as UTF-8 or GB18030 text.", cell=None)


def _pretty(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16",
            "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(encoding, encoding)
