"""Limits that keep a hostile or broken file from exhausting the machine."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_file_bytes: int = 50 * 1024 * 1024  # on disk
    max_cells: int = 2_000_000  # cells a sheet may declare or hold
    max_rows: int = 100_000
    max_cols: int = 1_000


DEFAULT_LIMITS = ReadLimits()
