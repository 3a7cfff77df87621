"""Maps the design card's top-level folders into the one installed package, ``budget_etl``.

``flows/`` installs as ``budget_etl.flows``, ``parsers/`` as ``budget_etl.parsers`` and so on; every folder
below them is a subpackage (data-only folders too, so declarations and migrations ship with the wheel).
Everything else about the project is in pyproject.toml.
"""
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
SUBPACKAGES = ("flows", "parsers", "expectations", "warehouse")


def _folders(top: str) -> list[str]:
    found = [top]
    for path in sorted((ROOT / top).rglob("*")):
        if path.is_dir() and "__pycache__" not in path.parts and not path.name.startswith("."):
            found.append(path.relative_to(ROOT).as_posix().replace("/", "."))
    return found


packages = ["budget_etl"] + [f"budget_etl.{name}" for top in SUBPACKAGES for name in _folders(top)]
package_dir = {"budget_etl": "budget_etl", **{f"budget_etl.{top}": top for top in SUBPACKAGES}}

setup(packages=packages, package_dir=package_dir)
