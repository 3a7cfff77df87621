"""Broken and hostile files are rejected with a stable code and a plain message (how quickly: benchmarks/
bench_hostile_files.py)."""
from __future__ import annotations

import pytest
from readers_support import fixture_bytes, read_fixture

from budget_etl.parsers.errors import REJECTION_CODES, ReadError
from budget_etl.parsers.readers import ReadLimits, read_bytes


@pytest.mark.parametrize("name, code", [
    ("empty.xlsx", "empty_file"),
    ("truncated-zip.xlsx", "corrupt_file"),
    ("bit-flipped-zip.xlsx", "corrupt_file"),
    ("random-bytes.xlsx", "unsupported_format"),
    ("ole2-encrypted-as.xlsx", "encrypted_file"),
    ("zip-bomb.xlsx", "too_large"),
    ("huge-declared-range.xlsx", "too_large"),
    ("huge-merged-range.xlsx", "too_large"),
    ("billion-laughs.xlsx", "unsafe_xml"),
    ("external-entity.xlsx", "unsafe_xml"),
    ("word-document-as.xlsx", "unsupported_format"),
    ("pdf-as.xls", "unsupported_format"),
])
def test_rejected_with_stable_code(name, code):
    with pytest.raises(ReadError) as caught:
        read_fixture(name)
    assert caught.value.code == code and code in REJECTION_CODES
    assert name in caught.value.message  # the clerk sees which file


@pytest.mark.parametrize("data", [b" \r\n\t ", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_blank_files_are_empty(data):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "blank.txt")
    assert caught.value.code == "empty_file"


@pytest.mark.parametrize("limits, name", [
    (ReadLimits(max_file_bytes=1000), "merged-two-level-header.xlsx"),
    (ReadLimits(max_rows=5), "merged-two-level-header.xlsx"),
    (ReadLimits(max_cols=3), "merged-two-level-header.xls"),
    (ReadLimits(max_cells=10), "rowspan-colspan.html"),
    (ReadLimits(max_rows=3), "gb18030-tab.txt"),
    (ReadLimits(max_uncompressed_bytes=5000), "merged-two-level-header.xlsx"),
    (ReadLimits(max_compression_ratio=2, ratio_check_min_bytes=100), "merged-two-level-header.xlsx"),
])
def test_limits_are_configurable(limits, name):
    read_fixture(name)  # fine under the defaults
    with pytest.raises(ReadError) as caught:
        read_bytes(fixture_bytes(name), name, limits)
    assert caught.value.code == "too_large"


def test_every_bit_flip_of_a_workbook_is_rejected_cleanly_or_read():
    """Whatever a damaged byte does, the reader answers with cells or a known code, never a crash."""
    data = bytearray(fixture_bytes("merged-two-level-header.xlsx"))
    for offset in range(0, len(data), 37):
        damaged = bytearray(data)
        damaged[offset] ^= 0xFF
        try:
            read_bytes(bytes(damaged), "damaged.xlsx")
        except ReadError as exc:
            assert exc.code in REJECTION_CODES


def test_every_truncation_of_an_xls_is_rejected_cleanly_or_read():
    data = fixture_bytes("merged-two-level-header.xls")
    for size in range(1, len(data), 97):
        try:
            read_bytes(data[:size], "cut.xls")
        except ReadError as exc:
            assert exc.code in REJECTION_CODES
