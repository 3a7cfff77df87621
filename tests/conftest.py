"""Shared fixtures: paths to committed fixture files and a fresh warehouse location per test."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-department-overall.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def run_dirs(tmp_path: Path) -> dict[str, Path]:
    """Where one test's ingest writes: warehouse, reports, quarantine."""
    return {"db": tmp_path / "warehouse.duckdb", "reports": tmp_path / "reports",
            "quarantine": tmp_path / "quarantine"}
