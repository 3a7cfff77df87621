"""What a cell's text looks like: a number, a year, an index, a placeholder, a label with a footnote mark.

Pure functions of strings; every decision the table reader makes about content goes through these.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A number as statistics tables write it: a mark before it ('*12.3', '**4.1', '#0.5': an estimate flagged as
# unreliable), a comparison or sign, currency, grouping by space/comma/point/apostrophe, a decimal comma or point,
# percent, brackets for negatives, then flags: one letter ('e', 'p', 'r') and marks such as '*', '!', '†'.
_NUMBER = re.compile(r"(?:[*#†‡]{1,2}\s?)?[<>≤≥~±]?\s?[-+\u2212\u2013]?\s?\(?[-+\u2212]?[$€£¥]?\s?\d[\d\s,.'’]*\)?\s*%?[a-zA-Z]?[*!†‡]*")
# Other ways a quantity is written: scientific notation ('1.2E+05') and durations ('2:35', '1:02:03').
_SCIENTIFIC = re.compile(r"[-+\u2212]?\d+(?:[.,]\d+)?[eE][-+\u2212]?\d{1,3}")
_DURATION = re.compile(r"\d{1,3}:[0-5]\d(?::[0-5]\d)?")
# A footnote mark written after a number: '12.3 (r)', '12(1)', '12 [a]', '12¹'.
_NUMBER_MARK = re.compile(r"(?<=[\d%])(?:\s?\([a-zA-Z\d]{1,2}\)|\s?\[[a-zA-Z\d]{1,2}\]|\s?[\u00b9\u00b2\u00b3\u2070-\u2079]+"
                          r"|\s\d{1,2}/)$")
# Cells that stand for a missing, suppressed or negligible number.
_PLACEHOLDERS = frozenset({"-", "–", "—", "——", "--", ".", "..", "...", "…", "x", "X", "(x)", "(X)", "n/a", "N/A",
                           "na", "NA", "n.a.", "N.A.", "(NA)", "(D)", "(Z)", "(S)", "(B)", "*", "**", "***", ":",
                           "F", "nil", "/", "#", "†", "‡"})
# A number that measures something: decimals, grouped thousands or a percent (not an id or a code).
_MEASURE = re.compile(r".*(\d[,.]\d|%|\d\s\d{3}).*")
# Footnote marks after a label: 'margin1', 'total 1)', 'included(2)', 'Included (a)', 'rate²', 'Exports [3]',
# 'Total 1/'; a digit right after fewer than three letters is part of a unit ('km2', 'm3'), not a mark.
_FOOTNOTE = re.compile(r"(?:(?<=[a-z]{3})|(?<=\)))\d{1,2}$|\s+\d{1,2}\)$|\s*\((?:\d{1,2}|[a-z])\)$"
                       r"|[\u00b9\u00b2\u00b3\u2070-\u2079]+$|\s*\[(?:\d{1,2}|[a-z])\]$|\s+\d{1,2}/$")
# A unit raised to a power at the end of a label ('Area, km²', 'm³'): one or two letters, then ² or ³.
_UNIT_POWER = re.compile(r"(?:^|[^A-Za-z])[A-Za-z]{1,2}[\u00b2\u00b3]$")
# A stub label that names a part of the row above it: 'of which: women', 'thereof', 'incl. bonuses', '其中：基本支出'.
_PART_OF_ABOVE = re.compile(r"(?:of which|of whom|thereof|whereof|among them|among which|including|incl\.|其中)"
                            r"(?![a-z])", re.IGNORECASE)
# A label that only says "total" (in the languages of statistics offices): the sum of the rows beside it.
_BARE_TOTAL = re.compile(r"(?:grand |sub-?)?total|totals|all|sum|i alt|totalt|alt i alt|insgesamt|gesamt|zusammen|"
                         r"ensemble|totaal|yhteensä|summa|razem|celkem|összesen|합계|合计|总计|合計|總計|小计|小計",
                         re.IGNORECASE)
# A 'key: value' statement about the whole table, written on a line of its own above or below it: its unit
# ('单位：万元', 'Unit: USD'), who prepared it ('编制单位：…', 'Prepared by: …'), when ('填报日期：…'). The key is
# a few words without digits; the value may be empty (a blank form's '编制部门：').
_STATEMENT = re.compile(r"[^\d:：]{1,12}?[:：].*", re.DOTALL)
# A lone remark in brackets, as unit lines are written: '(thousands)', '(Number of persons)', '（万元）'.
_BRACKETED = re.compile(r"[(（\[].*[)）\]]", re.DOTALL)
# A column number in brackets: '(1)', '（2）', '[3]'.
_BRACKETED_INDEX = re.compile(r"^[(（\[]\s*(\d{1,3})\s*[)）\]]$")
# A flag written in a column of its own beside the number it qualifies ('p' provisional, 'e' estimated, 'bp', '*').
_FLAG = re.compile(r"[a-zA-Z*!†‡]{1,2}")
_LEADING_SPACE = re.compile(r"^[\s\u00a0\u2000-\u200b\u202f\u3000]*")
_LEADING_DASH = re.compile(r"^[\s\u00a0]*[-–—•·*]+\s*(?=[^\d\s])")


def clean(text: str) -> str:
    """Whitespace (no-break and ideographic spaces too) collapsed to one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def strip_footnote(text: str) -> str:
    """'Operating margin1' -> 'Operating margin'; 'Included(2)' -> 'Included'; '2006*' stays: an asterisk flags the
    label itself (provisional, estimated), a digit or a bracketed mark refers to a note; 'km2', 'm³' stay: units."""
    if _UNIT_POWER.search(text):
        return text
    return _FOOTNOTE.sub("", text).strip() or text


def has_value(text: str) -> bool:
    """Some letter or digit: '-' and '..' hold no value, 'x' (suppressed) and '0' do."""
    return any(ch.isalnum() for ch in text)


def is_numeric(text: str) -> bool:
    """A number as written in a table ('1 234,5', '(12)', '3.4%', '12e'), or a placeholder for one ('..', '-')."""
    if not text:
        return False
    if text in _PLACEHOLDERS:
        return True
    text = _NUMBER_MARK.sub("", text)
    return (bool(_NUMBER.fullmatch(text) or _SCIENTIFIC.fullmatch(text) or _DURATION.fullmatch(text))
            and any(ch.isdigit() for ch in text))


def is_placeholder(text: str) -> bool:
    """A mark standing for a missing, suppressed or negligible number ('..', 'x', '-', '(NA)')."""
    return text.strip() in _PLACEHOLDERS


def is_number(text: str) -> bool:
    """A real number: numeric, not a placeholder, not a year."""
    return is_numeric(text) and has_value(text) and text not in _PLACEHOLDERS and not is_year(text)


def is_measure(text: str) -> bool:
    return is_numeric(text) and bool(_MEASURE.match(text))


# A year flagged as revised, preliminary or estimated ('2009r', '2009 p', '2008e'), and a date ('31.12.2008',
# '12/31/2008', '2008-12-31', '2022.1.2').
_YEAR_FLAG = re.compile(r"\s?[rpe]$")
_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./](?:18|19|20)\d{2}|(?:18|19|20)\d{2}([-./])\d{1,2}\1\d{1,2}")


def is_year(text: str) -> bool:
    """'2008', '2006*', '2009r': a four-digit year between 1800 and 2100, as column and row headers use them; or a
    date ('31.12.2008'), a point in time that names a row or column as a year does, not a measurement."""
    t = _YEAR_FLAG.sub("", strip_footnote(text).rstrip("*"))
    if _DATE.fullmatch(t):
        return True
    return len(t) == 4 and t.isdigit() and 1800 <= int(t) <= 2100


def is_sequence(texts: list[str]) -> bool:
    """The numbers among ``texts`` count 1, 2, 3, ... (an index row or column, not measurements), bare or in
    brackets as column numbers are printed ('(1) | (2) | (3)')."""
    numbers = [_BRACKETED_INDEX.sub(r"\1", t) for t in (strip_footnote(t) for t in texts) if is_numeric(t)]
    if len(numbers) < 2 or not all(t.isdigit() and len(t) < 4 for t in numbers):
        return False
    values = [int(t) for t in numbers]
    return all(b == a + 1 for a, b in zip(values, values[1:]))


def is_index_row(texts: list[str]) -> bool:
    """Every text is a number and together they count 1, 2, 3 (the column numbers printed under a header)."""
    numbers = [_BRACKETED_INDEX.sub(r"\1", t.strip()) for t in texts]
    return len(numbers) >= 2 and all(n.isdigit() for n in numbers) and is_sequence(numbers)


# The codes statistical report forms print under the header for the columns of names: 'A | B', '甲 | 乙 | 丙' (the
# heavenly stems), before the numbers 1 | 2 | 3 of the columns of figures; or one word saying the row numbers the
# columns ('栏次').
_COLUMN_LETTERS = ("ABCDEFGHIJ", "abcdefghij", "甲乙丙丁戊己庚辛壬癸")
_COLUMN_WORDS = frozenset({"栏次", "栏号", "列次", "column", "col.", "columns"})


def is_column_codes(texts: list[str]) -> bool:
    """A row of column codes under a header, read across the whole row: letters in order for the first columns
    ('甲 | 乙 | 丙', 'A | B') or a word for them ('栏次'), then numbers counting from 1 (at least two); blanks
    anywhere. Not a row of bare numbers alone (:func:`is_index_row` judges that one, beside a blank stub)."""
    filled = [clean(t) for t in texts if clean(t)]
    numbers = [t for t in filled if t.isdigit() or _BRACKETED_INDEX.match(t)]
    names = filled[:len(filled) - len(numbers)]
    if (len(numbers) < 2 or not names or filled[len(names):] != numbers or not is_sequence(numbers)
            or _BRACKETED_INDEX.sub(r"\1", numbers[0]) != "1"):
        return False
    if len(names) == 1 and names[0].lower() in _COLUMN_WORDS:
        return True
    return any("".join(names) == letters[:len(names)] for letters in _COLUMN_LETTERS)


def is_bracketed(text: str) -> bool:
    """The whole text stands in brackets ('(thousands)', '（万元）'): a remark about the table such as its unit."""
    return _BRACKETED.fullmatch(text) is not None


def is_flag(text: str) -> bool:
    """A flag in a column of its own ('p', 'e', 'bp', '*'): one or two letters or marks."""
    return _FLAG.fullmatch(text) is not None


def is_part_of_above(text: str) -> bool:
    """'of which: women', 'Thereof exports', '其中：基本支出': the label is a part of the row above it."""
    return bool(_PART_OF_ABOVE.match(text.lstrip(" -–—•·*(")))


# The end of a line whose text goes on in the next one: a comma, a hyphen or dash, a slash, '&', an opening
# bracket, or a word that can't end an English label ('and', 'of', 'for', ...).
_OPEN_END = re.compile(r"(?:[,\-–—/&(]|\b(?:and|or|of|for|in|by|to|the|with|from|per|on|at|as|than|excluding|including))$",
                       re.IGNORECASE)


def continues_line(text: str, next_text: str) -> bool:
    """``next_text``, in the line under ``text``, is the rest of the same label (a label wrapped over two lines):
    ``text`` ends open ('Percent change,', 'Manufacturing of food and') or ``next_text`` starts in lower case
    ('and beverages'), and is not a part of the row above ('of which: women')."""
    if not text or not next_text or is_part_of_above(next_text):
        return False
    return bool(_OPEN_END.search(text.rstrip())) or next_text.lstrip(" -–—•·*(")[:1].islower()


def is_bare_total(text: str) -> bool:
    """'Total', 'TOTAL', 'All', 'I alt', '合计': the label says nothing but "total" ('Total households' does more)."""
    return bool(_BARE_TOTAL.fullmatch(clean(text).rstrip(" :：").strip()))


def is_statement(text: str) -> bool:
    """'单位：万元', 'Unit: USD thousand', '编制单位：某某局', '填报日期：': a key of a few words (no digit), a colon, its
    value; not an 'of which' label ('其中：基本支出')."""
    text = clean(text)
    return (bool(_STATEMENT.fullmatch(text)) and any(ch.isalpha() for ch in re.split("[:：]", text, maxsplit=1)[0])
            and not is_part_of_above(text))


def text_indent(raw: str) -> int:
    """Indentation written into the text: leading spaces, or a leading dash or bullet ('- Postal services')."""
    match = _LEADING_SPACE.match(raw)
    spaces = len(match.group(0)) if match else 0
    return spaces + (2 if _LEADING_DASH.match(raw) else 0)


_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+")  # '1,234,567' / '1.234.567': one mark, every group of three


def number_value(text: str) -> Decimal | None:
    """The number a cell's text shows, exactly: '450 210,00' -> 450210.00, '1,234.5' -> 1234.5, '(12)' -> -12,
    '3.4%' -> 3.4 (the percent sign is the unit), '12e' -> 12 (a flag); None for text, placeholders ('..', 'x')
    and bounds ('<0.5'). A lone mark followed by three digits groups thousands ('12,345' -> 12345); otherwise
    the last mark is the decimal one ('-3,7' -> -3.7)."""
    t = _NUMBER_MARK.sub("", clean(text))
    if not is_numeric(t) or not has_value(t) or t in _PLACEHOLDERS:
        return None
    t = t.lstrip("*#†‡ ")  # a mark flagging the estimate ('*-1.3'), not part of its value
    if t[0] in "<>≤≥~±" or _DURATION.fullmatch(t):
        return None
    if _SCIENTIFIC.fullmatch(t):
        return Decimal(t.replace(",", ".").replace("\u2212", "-"))
    negative = t[0] in "-\u2212\u2013" or (t.startswith("(") and ")" in t) or "(-" in t or "(\u2212" in t
    body = re.sub(r"[^\d,.]", "", t.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*!†‡ ")
                  .replace(" ", "").replace("'", "").replace("’", ""))
    if not body or not body[0].isdigit():
        return None
    if "," in body and "." in body:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        body = body.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif _GROUPED.fullmatch(body) and not body.startswith("0"):
        body = body.replace(",", "").replace(".", "")
    else:
        body = body.replace(",", ".")
        if body.count(".") > 1:
            return None
    try:
        value = Decimal(body)
    except InvalidOperation:
        return None
    return -value if negative else value
