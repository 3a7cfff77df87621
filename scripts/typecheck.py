"""Run mypy on budget_etl's subpackages as pyproject's [tool.mypy] names them.

mypy cannot follow setup.py's package-dir mapping (``parsers/`` is ``budget_etl.parsers``), nor the editable
install's import hook, so this lays the installed shape out as symlinks under build/typecheck/ (a fixed path,
so mypy's cache stays valid between runs), runs mypy there and prints the paths as they are in the checkout.

    .venv/bin/python scripts/typecheck.py
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("flows", "parsers", "expectations", "warehouse")  # as setup.py maps them
TREE = ROOT / "build" / "typecheck"


def lay_out_tree() -> None:
    package = TREE / "budget_etl"
    package.mkdir(parents=True, exist_ok=True)
    wanted = {path.name: path for path in (ROOT / "budget_etl").glob("*.py")}
    wanted.update({name: ROOT / name for name in SUBPACKAGES})
    for link in package.iterdir():
        if link.name not in wanted:
            link.unlink()
    for name, target in wanted.items():
        link = package / name
        if not (link.is_symlink() and link.resolve() == target):
            link.unlink(missing_ok=True)
            link.symlink_to(target)


def checkout_paths(text: str) -> str:
    """'budget_etl/parsers/cells.py:3: error' -> 'parsers/cells.py:3: error'."""
    return re.sub(rf"(?m)^budget_etl/({'|'.join(SUBPACKAGES)})/", r"\1/", text)


def main() -> int:
    lay_out_tree()
    os.chdir(TREE)
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(TREE / ".mypy_cache"),
                                      "--python-executable", sys.executable])
    sys.stdout.write(checkout_paths(stdout))
    sys.stderr.write(checkout_paths(stderr))
    return status


if __name__ == "__main__":
    sys.exit(main())
