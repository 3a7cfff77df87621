"""The committed disclosure fixtures and sample are exactly what the fixture script writes (byte for byte)."""
from disclosure_support import FIXTURES, SAMPLES, fixture_script


def test_the_script_rewrites_every_committed_file_byte_for_byte(tmp_path):
    written = fixture_script().write_all(tmp_path / "disclosure", tmp_path / "sample.xlsx")
    names = sorted(p.name for p in written if p.parent.name == "disclosure")
    assert names == sorted(p.name for p in FIXTURES.iterdir())
    for path in written:
        committed = FIXTURES / path.name if path.parent.name == "disclosure" else \
            SAMPLES / "wujiang-trade-union-2024-budget-disclosure.xlsx"
        assert path.read_bytes() == committed.read_bytes(), path.name


def test_the_content_reconciles_before_any_file_is_written():
    script = fixture_script()
    for content in (script.wujiang_2024(), script.workers_centre_2025()):
        script.check_content(content)  # raises when the economic table does not spend the basic budget
