"""Format detection by content: the extension is only a hint."""
from __future__ import annotations

import pytest
from readers_support import fixture_bytes

from budget_etl.parsers.readers import detect_format


@pytest.mark.parametrize("name, expected", [
    ("merged-two-level-header.xlsx", "xlsx"),
    ("macro-enabled-named.xlsm", "xlsx"),
    ("merged-two-level-header.xls", "xls"),
    ("hidden-sheet-and-rows.xls", "xls"),
    ("html-named.xls", "html"),
    ("tsv-named.xls", "text"),
    ("rowspan-colspan.html", "html"),
    ("two-tables-gb2312.html", "html"),
    ("gb18030-tab.txt", "text"),
    ("utf16-bom-tab.txt", "text"),
    ("comma-separated.csv", "text"),
])
def test_format_comes_from_content(name, expected):
    assert detect_format(fixture_bytes(name), name) == expected


@pytest.mark.parametrize("misleading_name", ["", "report.xlsx", "report.csv", "report.html"])
def test_extension_does_not_decide(misleading_name):
    assert detect_format(fixture_bytes("merged-two-level-header.xls"), misleading_name) == "xls"
    assert detect_format(fixture_bytes("html-named.xls"), misleading_name) == "html"
    assert detect_format(fixture_bytes("merged-two-level-header.xlsx"), misleading_name) == "xlsx"


def test_seed_text_with_html_fields_is_text_not_html():
    from readers_support import SEED
    assert detect_format(SEED.read_bytes(), "seed.txt") == "text"
