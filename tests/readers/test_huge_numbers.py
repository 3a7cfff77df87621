"""Numbers far beyond any budget (1e300) still read exactly, as numbers, without an exponent."""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

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
