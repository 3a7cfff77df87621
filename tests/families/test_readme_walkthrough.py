"""The README's "Adding a family" section, followed literally: write the declaration and the file it shows, run
the commands it shows, and get the query output it shows."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "budget-etl"


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Adding a family", 1)[1].split("\n## ", 1)[0]


def _block(section: str, kind: str) -> str:
    (found,) = re.findall(rf"```{kind}\n(.*?)```", section, re.S)
    return found


def test_the_walkthrough_works_as_written(tmp_path):
    section = _section()
    declaration = re.search(r"Declare it in `([^`]+)`", section).group(1)
    data_file = re.search(r"A department sends `([^`]+)`", section).group(1)
    (tmp_path / declaration).parent.mkdir(parents=True)
    (tmp_path / declaration).write_text(_block(section, "toml"), encoding="utf-8")
    (tmp_path / data_file).write_text(_block(section, "csv"), encoding="utf-8")

    console = _block(section, "console").splitlines()
    commands = [n for n, line in enumerate(console) if line.startswith("$ ")]
    assert len(commands) == 4
    for position, start in enumerate(commands):
        end = commands[position + 1] if position + 1 < len(commands) else len(console)
        argv = shlex.split(console[start][2:])
        assert argv[0] == "budget-etl"
        done = subprocess.run([str(SCRIPT), *argv[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (console[start], done.stdout, done.stderr)
        shown = console[start + 1:end]
        if shown:  # the README shows this command's output: it must be exactly that
            assert done.stdout.splitlines() == shown
        if argv[1] == "templates":
            assert "three_public" in done.stdout
        if argv[1] == "explain":
            assert done.stdout.splitlines()[-1].startswith("result: three_public on sheet ")
