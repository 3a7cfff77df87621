"""The committed fixtures and samples are exactly what the fixture script writes (byte for byte)."""
from __future__ import annotations

import pytest
from evaluation_support import FIXTURES, SAMPLES, script


@pytest.fixture(scope="module")
def rewritten(tmp_path_factory):
    out, samples = tmp_path_factory.mktemp("evaluation"), tmp_path_factory.mktemp("samples")
    saved = script.OUT, script.SAMPLES
    script.OUT, script.SAMPLES = out, samples
    try:
        script.main()
    finally:
        script.OUT, script.SAMPLES = saved
    return out, samples


def test_no_stray_or_missing_fixture(rewritten):
    out, _ = rewritten
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in FIXTURES.iterdir())


def test_every_fixture_and_sample_is_what_the_script_writes(rewritten):
    out, samples = rewritten
    for path in out.iterdir():
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name
    for path in samples.iterdir():
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), path.name
