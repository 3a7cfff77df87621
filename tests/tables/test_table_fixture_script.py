"""The committed table fixtures are exactly what the committed script writes."""
from __future__ import annotations

import importlib.util

import pytest
from tables_support import FIXTURES

_SCRIPT = FIXTURES.parent / "make_table_fixtures.py"
_spec = importlib.util.spec_from_file_location("make_table_fixtures", _SCRIPT)
make_table_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_table_fixtures)
BUILT = make_table_fixtures.build_all()


def test_no_stray_or_missing_fixture():
    assert sorted(BUILT) == sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", sorted(BUILT))
def test_committed_fixture_matches_the_script(name):
    assert (FIXTURES / name).read_bytes() == BUILT[name]
