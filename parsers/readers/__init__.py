"""Readers: one module per file format, each turning bytes into a :class:`Workbook` of cells.

``read_bytes`` is the single entry point: it detects the format from the content
(not the extension) and dispatches. Readers never open files (``flows`` does) and
never know any template. A file that cannot be read raises
:class:`parsers.errors.ReadError` with a stable code.
"""
from __future__ import annotations

from parsers.cells import Workbook
from parsers.errors import ReadError
from parsers.readers.limits import DEFAULT_LIMITS, ReadLimits


def read_bytes(data: bytes, name: str = "", limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Read one file's bytes into cells. ``name`` is only a hint (and used in messages)."""
    from parsers.readers import text

    if not data:
        raise ReadError("empty_file", f"{name or 'the file'} is empty (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise ReadError("too_large", f"{name or 'the file'} is {len(data):,} bytes; the limit is {limits.max_file_bytes:,}")
    return text.read_text(data, name, limits)


__all__ = ["read_bytes", "ReadLimits", "DEFAULT_LIMITS"]
