"""Where the disclosure tests find their files, and the fixture script as a module."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "disclosure"
SAMPLES = ROOT / "samples"
OFFICIAL = ROOT.parent / "shared" / "datasets" / "budget-disclosure-templates"


def fixture_script():
    spec = importlib.util.spec_from_file_location("make_disclosure_fixtures",
                                                  ROOT / "tests" / "fixtures" / "make_disclosure_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
