"""The README's "Use it from Python" example runs as it stands, in a fresh folder holding a copy of samples/,
and prints what its comments say."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use it from Python"):]
    section = section[:section.index("\n## ")]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    return code


def test_the_python_example_runs_and_prints_what_its_comments_say(tmp_path):
    code = readme_example()
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = done.stdout.splitlines()
    # `print(...)  # shown` lines: what they show must be printed, in this order
    expected = re.findall(r"^\s*print\(.*\)\s+#\s*(.+)$", code, re.M)
    assert len(expected) >= 4
    lines = iter(printed)
    for shown in expected:
        assert any(line == shown for line in lines), f"{shown!r} not printed (in order) by:\n{done.stdout}"
    assert (tmp_path / "warehouse.duckdb").is_file() and any((tmp_path / "reports").iterdir())
