"""The committed reader fixtures are exactly what the committed script writes."""
from __future__ import annotations

import importlib.util

import pytest
from readers_support import FIXTURES

_SCRIPT = FIXTURES.parent / "make_reader_fixtures.py"
_spec = importlib.util.spec_from_file_location("make_reader_fixtures", _SCRIPT)
make_reader_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_reader_fixtures)
BUILT = make_reader_fixtures.build_all()


def test_no_stray_or_missing_fixture():
    assert sorted(BUILT) == sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", sorted(BUILT))
def test_committed_fixture_matches_the_script(name):
    assert (FIXTURES / name).read_bytes() == BUILT[name]
