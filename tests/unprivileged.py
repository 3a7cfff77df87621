"""Running a command as a user the file permissions apply to (issue 11: permission errors).

The tests often run as root, whom no mode bit stops; then the command runs as ``nobody`` (uid 65534) in a
folder that user may write, so a ``chmod 000`` really refuses it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

NOBODY = 65534


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A fresh folder the unprivileged user may write (under /tmp: pytest's own tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="budget-etl-perm-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for root, dirs, _ in os.walk(folder):  # give back what a test took away, so it can be removed
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``budget-etl ARGS`` in a subprocess, as ``nobody`` when the tests run as root.

    Through ``setpriv`` rather than ``subprocess``'s ``user=``: the interpreter may live under a folder only
    root can search (``/root/.pyenv``), and setpriv changes the user only once the interpreter is executing.
    """
    command = [sys.executable, "-m", "budget_etl.flows.cli", *args]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no user to whom permissions apply")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
