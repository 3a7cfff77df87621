"""Limits that keep a hostile or broken file from exhausting the machine.

Every reader checks them *before* doing the expensive part (a zip's declared
sizes before inflating, a sheet's declared dimension before building cells), so a
file is rejected with ``too_large`` instead of eating the memory of a worker.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_file_bytes: int = 50 * 1024 * 1024  # on disk
    max_cells: int = 2_000_000  # cells a sheet may declare or hold (merge-covered cells count)
    max_rows: int = 100_000
    max_cols: int = 1_000
    # Zip containers (.xlsx/.xlsm): budgets checked on the central directory before inflating.
    max_uncompressed_bytes: int = 256 * 1024 * 1024  # all members together
    max_compression_ratio: float = 200.0  # per member; XML of real workbooks stays well under 100
    ratio_check_min_bytes: int = 1024 * 1024  # tiny members may compress absurdly well; ignore them
    max_zip_members: int = 10_000
    max_sheets: int = 500


DEFAULT_LIMITS = ReadLimits()
