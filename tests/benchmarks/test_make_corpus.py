"""make_corpus.py: deterministic for a seed, and every file is what the manifest says it is."""
from __future__ import annotations

import hashlib
import random
from decimal import Decimal
from pathlib import Path

import make_corpus
import pytest
from make_corpus import MANIFEST, Options, department_content, project_content, read_manifest
from make_corpus import make_corpus as write_corpus


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("seed", [0, 7])
def test_same_seed_writes_the_same_bytes(tmp_path, seed):
    first, second = tmp_path / "a", tmp_path / "b"
    write_corpus(16, first, Options(seed=seed, broken_share=0.3))
    write_corpus(16, second, Options(seed=seed, broken_share=0.3))
    assert _files(first) == _files(second)


def test_another_seed_writes_other_files(tmp_path):
    write_corpus(8, tmp_path / "a", Options(seed=1))
    write_corpus(8, tmp_path / "b", Options(seed=2))
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert set(a.values()).isdisjoint(b.values())


@pytest.mark.slow
def test_parallel_writers_write_the_same_corpus(tmp_path):
    write_corpus(24, tmp_path / "one", Options(seed=3), jobs=1)
    write_corpus(24, tmp_path / "two", Options(seed=3), jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


@pytest.mark.parametrize("count,options", [
    (30, Options(seed=0)),
    (12, Options(seed=5, broken_share=0.0, formats=(("xlsx", 0.7), ("text", 0.3)))),
    (12, Options(seed=6, broken_share=1.0)),
    (10, Options(seed=8, broken_share=0.0, project_share=1.0, formats=(("html", 1.0),))),
])
def test_the_manifest_describes_every_file(tmp_path, count, options):
    rows = write_corpus(count, tmp_path, options)
    assert [{k: str(v) for k, v in row.items()} for row in rows] == read_manifest(tmp_path)
    on_disk = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != MANIFEST}
    assert sorted(on_disk) == sorted(row["name"] for row in rows)
    assert len({hashlib.sha256(data).digest() for data in on_disk.values()}) == count  # distinct files
    for row in rows:
        data = on_disk[row["name"]]
        assert (row["size"], row["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
        if row["format"] == "xlsx" and row["kind"] not in ("random_bytes", "truncated_zip"):
            assert data[:2] == b"PK"
        if row["format"] == "text" and row["kind"] != "random_bytes":
            assert data.decode("gb18030").splitlines()[0]
    formats = {row["format"] for row in rows}
    assert formats <= {name for name, _ in options.formats} | {"xlsx"}  # broken zips are always .xlsx
    kinds = {row["kind"] for row in rows}
    if options.broken_share == 0:
        assert kinds == {"valid"} and {row["expected_status"] for row in rows} == {"loaded"}
    if options.broken_share == 1:
        assert "valid" not in kinds
    if options.project_share == 1:
        assert {row["template"] for row in rows} == {"project"}


def test_identities_are_distinct_well_past_ten_thousand_files():
    identities = [make_corpus._identity(index, seed=4) for index in range(25_000)]
    names_years = [(name, year) for name, year, _ in identities]
    assert len(set(names_years)) == len(names_years)


def _amounts(pairs) -> dict[str, Decimal]:
    return {name: value for name, value in pairs}


@pytest.mark.parametrize("seed", range(20))
def test_valid_department_content_adds_up(seed):
    content = department_content(random.Random(seed), "测试单位", 2024)
    income = _amounts(content.income)
    assert income["资金总额"] == sum(v for k, v in income.items() if k != "资金总额")
    assert income["财政拨款"] == sum(v for _, v in content.grant_children)
    assert content.projects_total == (sum(h for _, h, _ in content.project_lines),
                                      sum(f for _, _, f in content.project_lines))
    assert content.basic[1] + content.projects_total[1] == income["资金总额"]
    assert all(h <= f for _, h, f in content.project_lines) and content.basic[0] <= content.basic[1]
    assert 1 <= len(content.project_lines) <= 12


@pytest.mark.parametrize("seed", range(20))
def test_valid_project_content_adds_up_and_has_unique_indicators(seed):
    content = project_content(random.Random(seed), "测试单位", 2024, theme=seed % 30)
    total, *parts = [value for _, value in content.funds]
    assert total == sum(parts)
    names = [indicator[2] for indicator in content.indicators]
    assert len(names) == len(set(names)) and 12 <= len(names) <= 30


def test_broken_sums_no_longer_add_up():
    content = make_corpus._break_sums(department_content(random.Random(1), "测试单位", 2024))
    income = _amounts(content.income)
    assert income["资金总额"] != sum(v for k, v in income.items() if k != "资金总额")


@pytest.mark.parametrize("text,expected", [
    ("xlsx=0.7,text=0.3", (("xlsx", 0.7), ("text", 0.3))),
    ("html", (("html", 1.0),)),
])
def test_format_weights_parse(text, expected):
    assert make_corpus.parse_formats(text) == expected


def test_an_unknown_format_is_refused():
    with pytest.raises(Exception, match="unknown format 'pdf'"):
        make_corpus.parse_formats("xlsx=1,pdf=1")
