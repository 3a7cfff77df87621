"""An HTML form's title printed outside its table is kept as the sheet's title (cells untouched)."""
from __future__ import annotations

from pathlib import Path

import pytest
from readers_support import values

from budget_etl.parsers.readers import read_bytes

# The development data set lives beside the repository (../shared/datasets), read-only.
REAL_FORMS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "real-evaluation-forms"


def titles(markup: str) -> list[str | None]:
    return [sheet.title for sheet in read_bytes(markup.encode(), "page.html").sheets]


def test_heading_before_each_table_is_its_title():
    page = ("<html><head><title>Page</title></head><body><h2>First <b>table</b></h2>"
            "<table><tr><td>a</td></tr></table><p>between</p>"
            "<table><caption>Its caption</caption><tr><td>b</td></tr></table>"
            "<table><tr><td>c</td></tr></table><h3>Last</h3><table><tr><td>d</td></tr></table></body></html>")
    assert titles(page) == ["First table", "Its caption", None, "Last"]


def test_page_title_names_the_first_table_without_a_heading():
    assert titles("<html><head><title>项目支出绩效评价表</title></head><body><table><tr><td>a</td></tr></table>"
                  "<table><tr><td>b</td></tr></table></body></html>") == ["项目支出绩效评价表", None]


def test_title_is_not_a_cell():
    page = "<html><body><h3>反恐经费支出绩效评价表</h3><table><tr><td>一级指标</td></tr></table></body></html>"
    sheet = read_bytes(page.encode(), "x.html").sheets[0]
    assert (sheet.title, values(sheet)) == ("反恐经费支出绩效评价表", {"A1": "一级指标"})


def test_spreadsheets_have_no_outside_title():
    from readers_support import read_fixture

    assert {s.title for s in read_fixture("merged-two-level-header.xlsx").sheets} == {None}


@pytest.mark.skipif(not REAL_FORMS.is_dir(), reason="the development data set is not on this machine")
def test_real_evaluation_forms_keep_their_heading():
    for path in sorted(REAL_FORMS.glob("*.html")):
        (sheet,) = read_bytes(path.read_bytes(), path.name).sheets
        assert sheet.title and sheet.title.endswith("评价表"), path.name
