"""What `pip install budget-etl` gives a user: one top-level package, with its data files, that works.

The wheel is built from a copy of the tracked files and installed into a fresh virtualenv that borrows only
the dependencies (not budget_etl) from the test environment, then run from an empty folder."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"

pytestmark = pytest.mark.slow


def _tracked_copy(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = _tracked_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "-w", str(out), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (built,) = out.glob("budget_etl-*.whl")
    return built


def test_the_only_top_level_import_name_is_budget_etl(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
        (info,) = {name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info")}
        declared = archive.read(f"{info}/top_level.txt").decode().split() if f"{info}/top_level.txt" in names \
            else ["budget_etl"]
    assert top_level == {"budget_etl"}
    assert declared == ["budget_etl"]
    assert any(name.startswith("budget_etl/warehouse/migrations/") and name.endswith(".sql") for name in names)
    assert "budget_etl/flows/cli.py" in names
    assert "budget_etl/parsers/templates/families/department_overall.toml" in names
    assert "budget_etl/parsers/templates/FAMILIES.md" in names


def test_the_installed_wheel_ingests_the_seed(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies only: path entries, so the test environment's editable budget_etl finder is not loaded
    # (every site-packages on sys.path: a worktree's venv borrows its dependencies from another one)
    dependencies = dict.fromkeys([sysconfig.get_path("purelib")]
                                 + [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()])
    (site / "dependencies.pth").write_text("".join(f"{p}\n" for p in dependencies))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import budget_etl, importlib.util as u; print(budget_etl.__file__); "
                            "print([m for m in ('flows', 'parsers', 'expectations', 'warehouse') if u.find_spec(m)])"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    assert where[0].startswith(str(site)) and where[1] == "[]"
    cli = str(venv / "bin" / "budget-etl")
    done = subprocess.run([cli, "ingest", str(SEED), "--json", "--workers", "1", "--no-data-docs"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [f["status"] for f in summary["files"]] == ["loaded"]
    assert (work / summary["report_path"]).is_file()  # relative to where it ran
    count = subprocess.run([cli, "query", "select count(*) from v_budget"], cwd=work, env=env,
                           capture_output=True, text=True, check=True)
    assert count.stdout.strip() == "27"
    # The family declarations ship as package data: the installed wheel lists them, from inside itself.
    listed = subprocess.run([cli, "templates"], cwd=work, env=env, capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert {"department_overall", "project"} <= set(names)
    assert all(line.endswith(f"(budget_etl/parsers/templates/families/{line.split()[0]}.toml)")
               for line in listed.stdout.splitlines())
