"""Both pages in a real browser: headless Chromium parses them, builds the charts and draws them.

Skipped with the reason when Chromium is not installed here; CI installs Debian's `chromium` and sets
BUDGET_ETL_BROWSER_TESTS=required (see .ci/run), so there a missing browser fails instead of skipping.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("BUDGET_ETL_BROWSER_TESTS") == "required"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1280, 1800


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          timeout=120, check=False)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def chromium() -> str:
    """The browser, checked before the pages are built (a skip should not cost a run)."""
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("Chromium is required here (BUDGET_ETL_BROWSER_TESTS=required) but not installed")
        pytest.skip("Chromium is not installed (apt-get install -y chromium fonts-noto-cjk; CI installs it)")
    return CHROMIUM


def test_report_and_dashboard_render_in_headless_chromium(chromium, pages, tmp_path):
    for name in ("report", "dashboard"):
        url = pages[name].resolve().as_uri()
        done = _chromium(tmp_path / f"profile-{name}", "--dump-dom", url)
        assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
        dom = done.stdout.decode("utf-8")
        # The browser's own parser: charts built, the hostile department shown as text, no script element.
        assert len(re.findall(r"<svg\b", dom)) >= 2, name
        assert "<h1>" in dom and "</body>" in dom
        assert "<script" not in dom.lower()
        assert "&lt;script&gt;alert" in dom
        shot = tmp_path / f"{name}.png"
        done = _chromium(tmp_path / f"profile-{name}", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", url)
        assert done.returncode == 0 and shot.exists(), done.stderr.decode(errors="replace")[-2000:]
        assert _png_size(shot) == (WIDTH, HEIGHT)
        assert shot.stat().st_size > 20_000  # a drawn page, not a blank one (blank: ~5 kB)
