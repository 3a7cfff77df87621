"""flows/files.py: lossless path text (non-UTF-8 names), regular-files-only reading, bounded hashing, names that fit."""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_etl.flows.files import NAME_MAX, fit_name, fs_path, hash_file, open_regular, path_bytes, path_text
from budget_etl.parsers.errors import ReadError

_name_bytes = st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\0" not in b)


@settings(max_examples=300, deadline=None)
@given(st.lists(_name_bytes, min_size=1, max_size=4))
def test_path_text_is_printable_utf8_and_gives_back_the_exact_bytes(parts):
    raw = b"/".join(parts)
    text = path_text(os.fsdecode(raw))
    text.encode("utf-8")  # storable anywhere (DuckDB, JSON): no lone surrogates
    assert path_bytes(text) == raw
    assert fs_path(text) == Path(os.fsdecode(raw))


@pytest.mark.parametrize("raw, text", [
    (b"in/\xe6\x8a\xa5\xe8\xa1\xa8.xlsx", "in/报表.xlsx"),  # ordinary names are unchanged
    (b"in/seed-\xff.txt", "in/seed-\\xff.txt"),
    (b"a\\b", "a\\\\b"),  # a literal backslash is doubled, so \xff in a name can never be mistaken
    (b"x\ny", "x\ny"),  # control characters are spelt out where a name is shown, not here
])
def test_path_text_examples(raw, text):
    assert path_text(os.fsdecode(raw)) == text and path_bytes(text) == raw


@pytest.mark.parametrize("name", ["a" * 245 + ".xlsx", "报" * 85 + ".xlsx", os.fsdecode(b"\xff" * 250 + b".txt")])
def test_over_long_names_are_shortened_keeping_extension_and_a_hash(name):
    short = fit_name(name, reserve=17)
    assert len(os.fsencode(short)) + 17 <= NAME_MAX
    assert os.path.splitext(short)[1] == os.path.splitext(name)[1]
    assert short != fit_name(name[:-6] + "x" + name[-5:], reserve=17)  # another name, another short name
    short.encode("utf-8", "surrogateescape")


def test_a_name_that_fits_is_kept():
    assert fit_name("预算.xlsx", reserve=17) == "预算.xlsx"


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_error_code(lambda: open_regular(fifo))), daemon=True)
    worker.start()
    worker.join(30)  # the check: opening a FIFO without a writer would block forever
    assert outcome == ["not_regular_file"]


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_a_symlink_to_a_device_is_refused(tmp_path, target):
    link = tmp_path / "zero.xlsx"
    link.symlink_to(target)
    assert _error_code(lambda: hash_file(link, 1 << 20, 30)) == "not_regular_file"


def test_hashing_stops_at_the_size_limit_without_reading_the_file(tmp_path):
    sparse = tmp_path / "huge.xlsx"
    with open(sparse, "wb") as fh:
        fh.truncate(1 << 40)  # 1 TiB of holes: hashing it all would take many minutes
    assert _error_code(lambda: hash_file(sparse, 50 << 20, 60)) == "too_large"


def test_hashing_stops_at_its_deadline(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 << 20))
    assert _error_code(lambda: hash_file(big, 50 << 20, 0)) == "timeout"


def test_hash_of_a_regular_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc" * 1000)
    assert hash_file(f, 1 << 20, 60) == (hashlib.sha256(b"abc" * 1000).hexdigest(), 3000)


def _error_code(fn) -> str | None:
    try:
        fn()
    except ReadError as exc:
        return exc.code
    return None
