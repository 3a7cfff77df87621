"""Readers: one module per file format, each turning bytes into a :class:`Workbook` of cells.

``read_bytes`` is the single entry point: it detects the format from the content
(not the extension) and dispatches. Readers never open files (``flows`` does) and
never know any template. A file that cannot be read raises
:class:`budget_etl.parsers.errors.ReadError` with a stable code.

Hostile input is handled in two layers: every reader checks :class:`ReadLimits`
before doing expensive work, and ``budget_etl.flows.sandbox.run_sandboxed`` runs reading in
worker processes with memory and time caps, for whatever slips past the checks.
"""
from __future__ import annotations

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.detect import detect_format
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits


def read_bytes(data: bytes, name: str = "", limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Read one file's bytes into cells. ``name`` is only a hint (and used in messages)."""
    label = name or "the file"
    if not data:
        raise ReadError("empty_file", f"{label} is empty (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise ReadError("too_large", f"{label} is {len(data):,} bytes; the limit is {limits.max_file_bytes:,}")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError("empty_file", f"{label} holds only blank space")
    reader = _READERS[detect_format(data, name)]
    try:
        return reader(data, name, limits)
    except ReadError as exc:
        if name and name not in exc.message:  # a sheet-level message: say which file, for the clerk
            exc.message = f"{name}: {exc.message}"
            exc.args = (exc.message,)
        raise
    except RecursionError:
        raise ReadError("corrupt_file", f"{label} is nested too deeply to read") from None
    except MemoryError:
        raise ReadError("too_large", f"{label} needs more memory than a reader may use") from None


def _read_xlsx(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    from budget_etl.parsers.readers.xlsx import read_xlsx
    return read_xlsx(data, name, limits)


def _read_xls(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    from budget_etl.parsers.readers.xls import read_xls  # xlrd is imported only when a BIFF file comes
    return read_xls(data, name, limits)


def _read_html(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    from budget_etl.parsers.readers.html_tables import read_html
    return read_html(data, name, limits)


def _read_text(data: bytes, name: str, limits: ReadLimits) -> Workbook:
    from budget_etl.parsers.readers.text import read_text
    return read_text(data, name, limits)


_READERS = {"xlsx": _read_xlsx, "xls": _read_xls, "html": _read_html, "text": _read_text}

__all__ = ["read_bytes", "detect_format", "ReadLimits", "DEFAULT_LIMITS"]
