"""Shared fixtures: paths to committed fixture files and a fresh warehouse location per test."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Every `--prefect` run a test starts (in-process or as a subprocess, which inherits this) may start Prefect's
# temporary server: on a busy machine it needs more than its default 20 s, and this machine has no outside
# network for Prefect's telemetry.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

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
