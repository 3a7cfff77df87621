"""Errors as data.

An :class:`Issue` is something a reader or a template noticed about a file: a code
(stable, English snake_case, for machines), a message (plain words, for a clerk)
and the cell it concerns. A :class:`ReadError` (a :class:`budget_etl.errors.BudgetEtlError`) stops a file:
the file is ``rejected`` with the error's code.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from budget_etl.errors import BudgetEtlError

Severity = Literal["error", "warning", "info"]

#: The stable rejection codes, with a title each (shown in reports and docs).
REJECTION_CODES: dict[str, str] = {
    "empty_file": "The file is empty",
    "corrupt_file": "The file is damaged or truncated",
    "encrypted_file": "The workbook is password-protected",
    "too_large": "The file (or its uncompressed content) exceeds the size limits",
    "unsafe_xml": "The file contains unsafe XML (entity expansion or external entities)",
    "unsupported_format": "The file format is not supported",
    "encoding_error": "The text cannot be decoded in any supported encoding",
    "unknown_template": "No known table layout was recognised",
    "parse_error": "The table was recognised but could not be parsed",
    "timeout": "Reading the file took longer than the time limit",
    "worker_crashed": "The reader crashed on this file",
    "io_error": "The file could not be read from disk",
}


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    message: str
    severity: Severity = "warning"
    sheet: str | None = None
    cell: str | None = None  # A1 address

    def to_dict(self) -> dict:
        return asdict(self)


class ReadError(BudgetEtlError):
    """A file cannot be read or recognised; it is rejected with ``code``."""

    def __init__(self, code: str, message: str, *, transient: bool = False,
                 sheet: str | None = None, cell: str | None = None):
        super().__init__(code, message, transient=transient)
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = f" ({self.sheet}!{self.cell})" if self.cell else ""
        return f"{self.code}: {self.message}{where}"
