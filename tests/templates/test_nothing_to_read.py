"""A workbook with nothing to recognise: blank sheets are an empty file, a lone title is an unknown layout that
says no table was found to load as generic tables. Files written by tests/fixtures/make_generic_fixtures.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.templates import DETAIL_MARK, parse_parts

GENERIC = Path(__file__).resolve().parents[1] / "fixtures" / "generic"


def _parts(name: str, **options):
    return parse_parts(read_bytes((GENERIC / name).read_bytes(), name), **options)


@pytest.mark.parametrize("generic", [True, False])
def test_blank_sheets_are_an_empty_file(generic):
    # it was unknown_template 'closest: sheet 'Sheet1' as …, score 0.00': a wrong layout to look for
    with pytest.raises(ReadError) as raised:
        _parts("blank-sheets.xlsx", generic=generic)
    assert raised.value.code == "empty_file"
    assert raised.value.message == "every sheet is blank (2): no value to read"


def test_a_lone_title_says_no_table_was_found_for_generic_tables():
    with pytest.raises(ReadError) as raised:
        _parts("title-only.xlsx")
    assert raised.value.code == "unknown_template"
    short = raised.value.message.split(DETAIL_MARK)[0]
    assert short.endswith("No sheet holds a table with data to load as generic tables.")
    with pytest.raises(ReadError) as raised:
        _parts("title-only.xlsx", generic=False)
    assert "generic" not in raised.value.message.split(DETAIL_MARK)[0]
