"""No temporary folder this user may write: `ingest` and `serve` stop at once with one line, `temp_dir_unusable`.

Python falls back from a bad TMPDIR to /tmp, /var/tmp, /usr/tmp and the current folder, and root writes any
folder whatever its mode bits; so the command runs in a mount namespace of its own (``unshare``) in which /tmp and
/var/tmp are mounted read-only: a real read-only file system, which refuses root too. The test's own folder lives
under /tmp, so it is read-only there too (the inputs stay readable), except ``out``, mounted writable again: had the
run got that far, it would have written there.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "wujiang-trade-union-2024-department.xlsx"

#: in the namespace: /tmp read-only (a read-only bind of itself), OUT writable again (made sure), /var/tmp an empty
#: read-only tmpfs; then the command, from a read-only current folder ("$1", the rest its arguments)
SETUP = """set -e
mount --bind /tmp /tmp
mount -o remount,bind,ro /tmp
mount --bind "$OUT" "$OUT"
mount -o remount,bind,rw "$OUT"
touch "$OUT/.probe" && rm "$OUT/.probe"
mount -t tmpfs -o ro tmpfs /var/tmp
cd "$1"; shift
exec "$@"
"""


def _unshare() -> list[str]:
    """A command prefix that runs in a mount namespace of its own, or skip: root may make one; another user
    may where the kernel allows user namespaces."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare: cannot make a mount namespace without a writable /tmp")
    prefixes = [["unshare", "--mount", "--propagation", "private"]] if os.geteuid() == 0 else []
    prefixes.append(["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"])
    for prefix in prefixes:
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o ro tmpfs /var/tmp"],
                               capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return prefix
    pytest.skip("no mount namespace may be made here (needs root or user namespaces)")


def run_without_temp(tmp_path: Path, tmpdir: Path, *args: str) -> subprocess.CompletedProcess:
    """``budget-etl ARGS`` with TMPDIR=tmpdir and no writable fallback; cwd a read-only folder."""
    if not str(tmp_path).startswith("/tmp/"):
        pytest.skip(f"the test folder {tmp_path} is not under /tmp, which the namespace makes read-only")
    out, here = tmp_path / "out", tmp_path / "here"
    out.mkdir()
    here.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "OUT": str(out)}
    for name in ("TEMP", "TMP"):  # would be tried before /tmp
        env.pop(name, None)
    command = [*_unshare(), "sh", "-c", SETUP, "sh", str(here), sys.executable, "-m", "budget_etl.flows.cli", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert "mount:" not in result.stderr, f"the namespace could not be set up: {shlex.join(command)}\n{result.stderr}"
    return result


@pytest.fixture(params=["missing", "read-only"])
def tmpdir_env(request, tmp_path) -> Path:
    """A TMPDIR that does not exist, or one that does but lies on the read-only /tmp."""
    folder = tmp_path / "temp"
    if request.param == "read-only":
        folder.mkdir()
    return folder


def test_ingest_says_so_in_one_line_and_touches_nothing(tmp_path, tmpdir_env):
    out = tmp_path / "out"
    result = run_without_temp(tmp_path, tmpdir_env, "ingest", str(SAMPLE), "--db", str(out / "w.duckdb"),
                              "--reports", str(out / "reports"), "--quarantine", str(out / "quarantine"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith("[temp_dir_unusable]"), \
        result.stderr
    assert f"TMPDIR={tmpdir_env}" in lines[0] and "/tmp, /var/tmp" in lines[0]
    assert ("does not exist" if not tmpdir_env.exists() else "is not writable") in lines[0]
    assert list(out.iterdir()) == []  # checked before the warehouse, the reports or anything else was made


def test_with_prefect_there_is_no_traceback_either(tmp_path):
    out = tmp_path / "out"
    result = run_without_temp(tmp_path, tmp_path / "missing", "ingest", "--prefect", str(SAMPLE),
                              "--db", str(out / "w.duckdb"), "--reports", str(out / "reports"),
                              "--quarantine", str(out / "quarantine"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith("[temp_dir_unusable]"), result.stderr
    assert "Traceback" not in result.stderr and "Flow run" not in result.stderr  # no flow run was started


def test_serve_says_so_before_it_asks_for_a_server(tmp_path):
    result = run_without_temp(tmp_path, tmp_path / "missing", "serve", "--inbox", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith("[temp_dir_unusable]"), result.stderr  # not prefect_server_missing


def test_tables_needs_no_temporary_folder(tmp_path):
    result = run_without_temp(tmp_path, tmp_path / "missing", "tables", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert '"sheet": "绩效目标表"' in result.stdout
