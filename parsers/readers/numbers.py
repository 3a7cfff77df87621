"""Exact numbers and dates from spreadsheet storage.

Spreadsheets store numbers as binary doubles; Excel *shows* at most 15 significant
digits. A cached ``1363.4100000000001`` is the double nearest to ``1363.41``, and
``1363.41`` is what the clerk typed and sees, so every engine goes through
:func:`decimal_from_text` (15 significant digits, trailing zeros dropped, integers
without an exponent): ``200`` stays ``200``, never ``200.0`` or ``2E+2``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation, localcontext

from budget_etl.parsers.cells import number_text

EXCEL_SIGNIFICANT_DIGITS = 15
#: Spreadsheets store numbers as IEEE doubles: nothing larger can be a stored number.
LARGEST_STORED = Decimal("1.7976931348623157e308")

_EPOCH_1900 = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's fake 1900-02-29 included)
_EPOCH_1904 = datetime(1904, 1, 1)
_PLAIN_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_ZERO = Decimal(0)


def decimal_from_text(text: str) -> Decimal:
    """'1363.4100000000001' -> Decimal('1363.41'); '200' / '200.0' / '2E2' -> Decimal('200')."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    if abs(value) > LARGEST_STORED:  # a cached 1e400: no spreadsheet stores it, so the file is damaged
        raise ValueError(f"{text.strip()!r} is beyond the largest number a spreadsheet can store")
    return canonical_decimal(value)


def number_from_text(text: str) -> tuple[Decimal, str]:
    """A stored number and its canonical text: '1363.4100' -> (Decimal('1363.41'), '1363.41').

    The same as ``decimal_from_text`` then ``cells.number_text``; plain decimals of at
    most 15 significant digits (nearly every cell) are done with string operations,
    without the rounding context that costs three times as much.
    """
    plain = _PLAIN_DECIMAL.fullmatch(text)
    if plain:
        sign, whole, fraction = plain.groups()
        whole, fraction = whole.lstrip("0"), (fraction or "").rstrip("0")
        digits = (whole + fraction).lstrip("0")
        if not digits:
            return _ZERO, "0"
        if len(digits) <= EXCEL_SIGNIFICANT_DIGITS:  # nothing to round
            canonical = f"{sign}{whole or '0'}.{fraction}" if fraction else f"{sign}{whole}"
            return Decimal(canonical), canonical
    number = decimal_from_text(text)
    return number, number_text(number)


def decimal_from_float(number: float) -> Decimal:
    """A double as the shortest text that round-trips, then as Excel shows it."""
    return decimal_from_text(repr(float(number)))


def canonical_decimal(value: Decimal) -> Decimal:
    if value.is_zero():
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = EXCEL_SIGNIFICANT_DIGITS
        value = +value  # rounds to 15 significant digits, like Excel's display
        ctx.prec = 400  # room to write any double (up to ~1.8e308) out as an integer without an exponent
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def datetime_from_serial(serial: Decimal | float, date1904: bool = False) -> datetime:
    """Excel serial day number -> datetime, rounded to the millisecond."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    millis = round(float(serial) * 86_400_000)
    return epoch + timedelta(milliseconds=millis)


def datetime_text(value: datetime) -> str:
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")


# Built-in number format ids that show dates or times (ECMA-376 18.8.30).
BUILTIN_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33,
                                     34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58})
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(format_code: str) -> bool:
    """A custom format shows a date if it uses y/m/d/h/s outside quotes, escapes and [colour]s."""
    bare = _QUOTED_OR_BRACKETED.sub("", format_code.split(";")[0]).lower()
    if bare in ("general", "@", ""):
        return False
    return any(ch in bare for ch in "ymdhs")


# The format codes of the built-in number formats (ECMA-376 Part 1, 18.8.30), as Excel and openpyxl
# spell them; ids missing here (locale-dependent ones) read as General.
BUILTIN_FORMAT_CODES: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)', 42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
