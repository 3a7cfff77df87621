"""Excel's ``_xHHHH_`` escapes are decoded, by the fast reader as by the openpyxl reference (issue 11, point 8).

Excel writes a line break in a cell as ``_x000D_``; a department name can arrive with ``_x200B_`` in it. Left
encoded, one department splits into several.
"""
from __future__ import annotations

import importlib.util

import pytest
from readers_support import FIXTURES

from budget_etl.parsers.readers.limits import DEFAULT_LIMITS
from budget_etl.parsers.readers.xlsx import read_xlsx, unescape
from budget_etl.parsers.readers.xlsx_reference import read_xlsx_reference

_spec = importlib.util.spec_from_file_location("make_reader_fixtures", FIXTURES.parent / "make_reader_fixtures.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

SHARED = ["苏州市总工会_x200B_（本级）", "第一行_x000D__x000A_第二行", "plain", "_x005F_x000D_ is literal",
          "emoji _xD83D__xDE00_", "lone _xD800_ surrogate", "not an escape: _x12_ _xZZZZ_ _X000D_"]
EXPECTED = ["苏州市总工会\u200b（本级）", "第一行\r\n第二行", "plain", "_x000D_ is literal", "emoji \U0001F600",
            "lone \ufffd surrogate", "not an escape: _x12_ _xZZZZ_ _X000D_"]


def _workbook(strings=SHARED) -> bytes:
    """One shared string per row in column A, then an inline string and a formula's cached string."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>' for n in range(1, len(strings) + 1))
    last = len(strings) + 1
    rows += (f'<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>单位_x00AD_名称</t></is></c>'
             f'<c r="B{last}" t="str"><v>公式_x000D_结果</v></c></row>')
    return fixtures.raw_xlsx(f"<sheetData>{rows}</sheetData>", strings)


def test_shared_inline_and_formula_strings_are_decoded():
    sheet = read_xlsx(_workbook(), "escapes.xlsx", DEFAULT_LIMITS).sheets[0]
    texts = {c.address: c.value for c in sheet.cells}
    assert [texts[f"A{n}"] for n in range(1, len(SHARED) + 1)] == EXPECTED
    last = len(SHARED) + 1
    assert texts[f"A{last}"] == "单位\u00ad名称" and texts[f"B{last}"] == "公式\r结果"


def test_the_openpyxl_reference_decodes_the_same():
    # _x005F_ aside: openpyxl's shared-string reader drops 'x005F_' before anything else sees the text.
    strings = [s for s in SHARED if "_x005F_" not in s and "_xD8" not in s]
    data = _workbook(strings)
    fast = read_xlsx(data, "escapes.xlsx", DEFAULT_LIMITS)
    reference = read_xlsx_reference(data, "escapes.xlsx")
    assert fast.sheets[0].cells == reference.sheets[0].cells


@pytest.mark.parametrize("text", ["", "plain", "a_b_c", "_x", "_x00_"])
def test_text_without_escapes_is_returned_as_it_is(text):
    assert unescape(text) is text or unescape(text) == text
