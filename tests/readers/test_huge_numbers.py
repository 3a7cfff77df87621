"""Numbers far beyond any budget (1e300) still read exactly, as numbers, without an exponent."""
from __future__ import annotations

import importlib.util
import io
from decimal import Decimal

import openpyxl
import pytest
from readers_support import FIXTURES

from budget_etl.flows.stages import FileTask, read_and_parse
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers import read_bytes


@pytest.mark.parametrize("number, text", [
    (1e300, "1" + "0" * 300),
    (123456789012345678.0, "123456789012346000"),  # Excel keeps 15 significant digits
    (1e-5, "0.00001"),
])
def test_huge_and_tiny_numbers_read_exactly(number, text):
    book = openpyxl.Workbook()
    book.active["A1"] = number
    buffer = io.BytesIO()
    book.save(buffer)
    (cell,) = [c for c in read_bytes(buffer.getvalue(), "huge.xlsx").sheets[0].cells if c.address == "A1"]
    assert cell.text == text
    assert cell.value == Decimal(text)


def _cached(value: str) -> bytes:
    """A formula whose cached value is ``value`` (Excel itself would never store more than a double)."""
    spec = importlib.util.spec_from_file_location("make_reader_fixtures", FIXTURES.parent / "make_reader_fixtures.py")
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    body = ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            f'<row r="2"><c r="B2"><f>A1*10</f><v>{value}</v></c></row></sheetData>')
    return fixtures.raw_xlsx(body, ["资金总额"])


@pytest.mark.parametrize("value", ["1e400", "-1E+400", "1e309"])
def test_a_cached_number_beyond_any_double_is_a_clear_rejection_naming_the_cell(value, tmp_path):
    """Issue 11: '1e400' used to end in parse_error with Python internals (decimal.InvalidOperation)."""
    with pytest.raises(ReadError) as caught:
        read_bytes(_cached(value), "huge.xlsx")
    assert caught.value.code == "corrupt_file" and caught.value.cell == "B2"
    assert "B2" in caught.value.message and "largest number" in caught.value.message

    path = tmp_path / "huge.xlsx"  # and so in the pipeline's worker stage
    path.write_bytes(_cached(value))
    result = read_and_parse(FileTask(0, str(path), "x", path.stat().st_size))
    assert result.error_code == "corrupt_file"
    assert "cell B2" in result.error_message and "Invalid" not in result.error_message
    assert "class" not in result.error_message


def test_the_largest_double_still_reads():
    (cell,) = [c for c in read_bytes(_cached("1.7976931348623157e308"), "max.xlsx").sheets[0].cells
               if c.address == "B2"]
    assert cell.value == Decimal("179769313486232" + "0" * 294)
