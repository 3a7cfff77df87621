"""Find a region's header rows, stub (row header) columns and 'key: value' columns (unpivotr's ``behead``).

The evidence is the content and the look of the cells, never their words: numbers below text,
years and index sequences as headers, merged ranges spanning the columns under them, bold, an empty
stub in header rows, columns merged down to group the rows beside them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.codes import code_column, coded_stub, lettered_codes, numbered
from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.partition import Region


def header_rows(grid: Grid, region: Region) -> int:
    """How many rows at the top of the region are column headers (0 when the first row is data)."""
    rows, left, right = region.rows, region.left, region.right
    if len(rows) < 2:
        return 0

    above_of = dict(zip(rows[1:], rows))

    def data_row(row: int) -> bool:
        """Mostly numbers (placeholders such as '..' count, years do not), and not an index 1, 2, 3."""
        boxes = grid.own(row, left + 1, right)
        numeric = [b for b in boxes if b.numeric and not b.year]
        return bool(numeric) and 2 * len(numeric) >= len(boxes) and not tx.is_sequence([b.text for b in boxes])

    def under_span(row: int, corner: bool = False) -> bool:
        """Every cell of the row sits under a cell spanning columns in the row above (its parent): merged across
        them, or unmerged with blanks at its right up to the next cell of that row (the "centred across" look
        that :func:`.assemble.assemble` reads the same way). The row above is the region's row before it: a blank
        row between them is left out. With ``corner``, text cells left of the first span are the names of stub
        columns beside the corner's ('Region | Province' under nothing, 'Population' over the years)."""
        above_row = above_of.get(row, row - 1)
        below = [r for r in rows if r > row]
        spans = _joined_alike(_spans(grid, above_row, left + 1, right),
                              lambda first, last: any(b.number for r in below for b in grid.own(r, first, last)))
        # a cell that repeats the one right above it is that header written again (a merge an export filled)
        boxes = [b for b in grid.own(row, left + 1, right)
                 if not ((up := grid.at(above_row, b.col)) is not None and up.text == b.text
                         and (up.col, up.last_col) == (b.col, b.last_col))]
        if corner and spans:
            boxes = [b for b in boxes if b.col >= spans[0][0].col or b.numeric]
        for box in boxes:
            above = next(((b, last) for b, last in spans if b.col <= box.col <= last), None)
            if above is None or above[0] is box or above[1] == above[0].col:
                return False
            if (above[0].col, above[1]) == (box.col, box.last_col):
                return False  # spanning alike row after row: 'key | value' lines, not a parent over its parts
        return True

    def continues(row: int) -> bool:
        stub = grid.at(row, left)
        stub_blank = stub is None or stub.row < row
        boxes = grid.own(row, left + 1, right)
        text_only = not any(b.number for b in boxes)
        years = bool(boxes) and all(b.year for b in boxes)
        if years and any(_years_over(grid, above, boxes) for above in rows if above < row):
            # years under a header row of years in the same columns are data that look like years (counts of 1998,
            # 2010): a header of years has no sub-level of years
            return False
        # a corner label (the stub's name) may stand in the lowest header row, beside sub-headers
        corner = stub is not None and stub.row == row and not stub.tall and text_only and under_span(row, corner=True)
        # the column numbers printed under the header ('(1) | (2) | (3)') are part of it, not data
        numbering = (stub_blank and tx.is_index_row([b.text for b in boxes])
                     or column_codes_row(grid, row, left, right))  # '甲 | 乙 | 1 | 2'
        return stub_blank and (under_span(row) or text_only) or corner or years or numbering or under_whole(row)

    def under_whole(row: int) -> bool:
        """Texts only, under one header merged across the whole row from the first column: the parts of a header
        that names the stub's column too ('“三公”经费预算数' over '合计 | 因公出国(境)费 | …' in a blank template)."""
        above = grid.at(above_of.get(row, row - 1), left)
        boxes = grid.own(row, left, right)
        return (above is not None and above.col == left and above.wide and len(boxes) > 1
                and all(b.col <= above.last_col and not b.numeric for b in boxes))

    if data_row(rows[0]):
        return 0
    count = 1
    for row in rows[1:]:
        # a blank row may stand inside the header only above sub-headers under their spanning parent
        gap = row != rows[count - 1] + 1
        if (gap and not under_span(row, corner=True)) or data_row(row) or not continues(row):
            break
        count += 1

    def labels_below(col: int, below: list[int]) -> bool:
        """The column holds text labels in the rows below (a stub column: names beside a code column), not data."""
        boxes = [b for r in below if (b := grid.at(r, col)) is not None and b.row == r and b.has_value]
        return bool(boxes) and 2 * sum(1 for b in boxes if not b.numeric) > len(boxes)

    # a section row (only a stub cell: in the first column, perhaps merged across the table, or in a stub column of
    # names right of a code column that the section row leaves blank) at the end of the header belongs to the body
    while count > 1:
        row = rows[count - 1]
        own = grid.own(row, left, right)
        if (len(own) == 1 and (own[0].col == left or not own[0].wide and labels_below(own[0].col, rows[count:]))
                and all(grid.at(row, c) in (None, own[0]) for c in range(left, right + 1))):
            count -= 1
        else:
            break
    return count


def _years_over(grid: Grid, row: int, boxes: list[Box]) -> bool:
    """Each of ``boxes`` stands under a year of ``row`` written in its own column."""
    over = [grid.at(row, b.col) for b in boxes]
    return all(up is not None and up.row == row and up.col == b.col and up.year for up, b in zip(over, boxes))


def _spans(grid: Grid, row: int, left: int, right: int) -> list[tuple[Box, int]]:
    """The cells touching ``row`` within left..right, each with the last column it stands over: its merged
    range, stretched over the blank cells at its right up to the next cell."""
    boxes = grid.touching_row(row, left, right)
    spans = []
    for box, after in zip(boxes, [*boxes[1:], None]):
        last = right if after is None else after.col - 1
        spans.append((box, max(box.last_col, last)))
    return spans


def _joined_alike(spans: list[tuple[Box, int]], numbers_below) -> list[tuple[Box, int]]:
    """Neighbouring spans with the same text over columns that hold numbers further down are one span: one header
    that an export wrote into every cell of its merged range. (Without numbers below, repeated texts side by side
    are more often values alike, such as '指 | 指 | 指' in a glossary.)"""
    joined: list[tuple[Box, int]] = []
    for box, last in spans:
        if joined and joined[-1][0].text == box.text and not box.numeric and numbers_below(joined[-1][0].col, last):
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((box, last))
    return joined


def _column_kind(boxes: list[Box]) -> str:
    """'text', 'measure' (decimals, grouped digits, percents) or 'number' (ids, codes, counts); :func:`stub_columns`
    adds 'flags' and 'remarks'."""
    numeric = sum(1 for b in boxes if b.numeric)
    if 2 * numeric < len(boxes):
        return "text"
    return "measure" if 2 * sum(1 for b in boxes if tx.is_measure(b.text)) >= len(boxes) else "number"


def stub_columns(grid: Grid, region: Region, body: list[int], header: Sequence[int] = ()) -> int:
    """The last stub column: the first column; with formatting (a style hint anywhere in the table, its header
    rows too: a plain body under a bold header is a formatted table, as :mod:`.refine` also judges), every
    column up to the last text column
    when only number columns follow, at least one of them holding real numbers (columns of marks such as
    'x' or '..' are the data of a checklist, not measurements), and no measure column comes before it (a
    code or id column between name columns is part of the stub); without formatting too when only columns of codes
    (numbers that measure nothing and do not number the rows 1, 2, 3: '201 | 29 | 01'; or a classification's codes
    in capitals: 'A', 'C10-C12') stand before that text column; the columns of a code split into its levels
    ('201 | 29 | 01', :mod:`.codes`) when they nest and a text column follows them, even with nothing at its
    right; and text columns that group the rows (merged down), with the column right of a grouping one, unless a
    header starts over it and spans the columns at its right (then it is the first column of a block of data under
    that header). Columns of occasional remarks after the numbers at the
    right end ('revised') and of occasional flags among them ('p', 'e') are data: they never move the stub's end."""
    left, right = region.left, region.right
    kinds: list[tuple[int, str]] = []
    measured: set[int] = set()  # columns holding at least one real number (not only marks or years)
    first_text = None
    sparse: set[int] = set()  # text columns with a value in at most half of the body's rows
    for col in range(left, right + 1):
        boxes = [b for b in grid.own_in_column(col, body) if b.has_value]
        if boxes:
            kind = _column_kind(boxes)
            if kind == "text" and 2 * len(boxes) <= len(body):
                sparse.add(col)
            if (kind == "text" and col in sparse and all(tx.is_flag(b.text) for b in boxes)
                    and any((left if first_text is None else first_text) < c < col for c in measured)):
                kind = "flags"  # occasional flags among the data ('p', 'e' beside a number): data, never a stub
            elif kind == "text" and first_text is None:
                first_text = col
            kinds.append((col, kind))
            if any(b.number for b in boxes):
                measured.add(col)
    if first_text is not None and any(c > first_text for c in measured):
        # occasional remarks at the right end, after the numbers ('revised', 'see note 2'): data, never a stub
        last_number = max(measured)
        kinds = [(col, "remarks" if col > last_number and col in sparse else kind) for col, kind in kinds]
    texts = [col for col, kind in kinds if kind == "text"]
    lettered = {col for col in texts if lettered_codes(grid, body, col)}
    if not texts:
        return left if _keys_rows(grid, body, header, left) else left - 1
    steps = staircase(grid, body, left, right)
    if steps > left:
        return steps
    last_text = max(texts)
    after = [kind for col, kind in kinds if col > last_text]
    before = [kind for col, kind in kinds if col < last_text]

    def groups(col: int) -> bool:
        return any(b.tall and b.col == col for r in body for b in grid.own(r, col, col)) or (
            groups_unmerged(grid, body, col, right))

    def spanned_with_right(col: int) -> bool:
        over = next((box for row in reversed(header) if (box := grid.at(row, col)) is not None), None)
        return over is not None and over.col == col and over.last_col > col

    def years_beside(col: int) -> int:
        """The stub's last column with the columns of years right of it that run within its groups."""
        while col + 1 < kinds[-1][0] and of_years(col + 1) and groups(col):
            col += 1
        return col

    def of_years(col: int) -> bool:
        """A column of years beside a grouping one: the time a long table's rows run over within each group ('North |
        2008', '| 2009', 'South | 2008'), a row dimension like the group, not a measurement. The years change from
        row to row and come again in another group; a date written again on each row of its group (a device's
        '生产日期') is an attribute of the group, data."""
        boxes = [b for b in grid.own_in_column(col, body) if b.has_value]
        texts = [b.text for b in boxes]
        return (len(boxes) >= 2 and all(b.year for b in boxes) and all(a != b for a, b in zip(texts, texts[1:]))
                and len(set(texts)) < len(texts))

    styled = any(b.align or b.bold or b.indent for r in [*header, *body] for b in grid.own(r, left, right))
    if styled and after and any(col > last_text for col in measured) and "measure" not in before:
        return years_beside(last_text)
    if (before and all(kind == "number" or col in lettered for col, kind in kinds if col < last_text)
            and after and any(col > last_text for col in measured)
            and not any(numbered(grid, body, col) for col, _ in kinds if col < last_text)):
        return last_text  # code columns ('201 | 29 | 01') and the name they code: one stub

    def unheaded(col: int) -> bool:
        """Nothing over the column in any header row, where numbers follow it under headers: its texts name the rows
        (a form's '年度资金总额', '其中：财政拨款' beside a block label merged down, under a blank corner)."""
        return bool(header) and all(grid.at(row, col) is None for row in header) and any(
            c > col and any(grid.at(row, c) is not None for row in header) for c in measured)

    stub = left
    last_col = kinds[-1][0]
    for col, kind in kinds:
        if col <= left:
            continue
        if ((kind != "text" and not of_years(col)) or col >= last_col
                or not (groups(col) or groups(stub) or col == stub + 1 and unheaded(col)) or spanned_with_right(col)):
            break
        stub = col
    return max(stub, _split_code(grid, body, left, texts))


def column_codes_row(grid: Grid, row: int, left: int, right: int) -> bool:
    """The row, read across left..right, is a report form's row of column codes ('甲 | 乙 | 丙 | 1 | 2',
    '栏次 | 1 | 2': :func:`~budget_etl.parsers.tables.text.is_column_codes`)."""
    return tx.is_column_codes([b.text for b in grid.own(row, left, right)])


def groups_unmerged(grid: Grid, body: list[int], col: int, right: int) -> bool:
    """The column groups the rows without merges, as a pivot table's export writes it: each group's label on its
    first row only (the rows after it blank in this column) or written again on each of its rows, and the names at
    its right (the next column's, or the next columns' when those group too: 'Ohio | Utility | Coal', ' | | Gas')
    coming again in more than one group ('Ontario | Male', ' | Female', 'Quebec | Male', ' | Female'). Not a column
    with gaps beside an attribute that varies row by row (a list's remarks, '附注' references)."""
    groups: list[set[tuple[str, ...]]] = []  # each group's inner names
    current = ""
    for row in body:
        inner = _names_right_of(grid, row, col, right)
        if not inner or not inner[-1]:
            return False  # every row names its inner item, in words
        box = grid.at(row, col)
        if box is not None and box.row == row and box.col == col and box.has_value:
            if not groups or box.text != current:  # a group starts; its label written again goes on with it
                groups.append(set())
                current = box.text
        elif not groups or box is not None:
            return False
        groups[-1].add(inner)
    # every group holds several rows, and some inner names come again in another group (the cross product of two
    # dimensions), not a list whose first column now and then repeats
    return (len(groups) >= 2 and all(len(group) >= 2 for group in groups)
            and any(a & b for k, a in enumerate(groups) for b in groups[k + 1:]))


def _names_right_of(grid: Grid, row: int, col: int, right: int) -> tuple[str, ...]:
    """The row's texts right of ``col`` up to its first number ('' where a column is blank in this row); a year names
    the row too (a long table's 'North | 2008')."""
    names = []
    for c in range(col + 1, right + 1):
        box = grid.at(row, c)
        if box is None or box.row != row or box.col != c:
            names.append("")
            continue
        if box.numeric and not box.year or not box.has_value:
            break
        names.append(box.text)
    while names and not names[-1]:
        names.pop()
    return tuple(names)


def _keys_rows(grid: Grid, body: list[int], header: Sequence[int], col: int) -> bool:
    """In a table of (mostly) numbers, the first column is its stub when it names the rows: a word in it, years, or
    integers in order (ages, sizes, codes: 0 | 1 | 2, 201 | 202), or a column with no header of its own over it (a
    corner). Measurements in no order under a header like the others' ('Men | Women' over '10 | 20') are data, so a
    one-row summary under its headers is not read as labelled by its first value."""
    if header and not any(grid.at(row, col) is not None for row in header):
        return True
    boxes = [b for b in grid.own_in_column(col, body) if b.has_value]
    if any(not b.numeric for b in boxes):
        return True  # a few rows named in words among numbers ('1990' ... '2008', 'Percent change')
    texts = [tx.strip_footnote(b.text) for b in boxes]
    if texts and all(tx.is_year(t) for t in texts):
        return True
    values = [int(t) for t in texts if t.isdigit()]
    return len(values) >= 2 and len(values) == len(texts) and (
        all(a < b for a, b in zip(values, values[1:])) or all(a > b for a, b in zip(values, values[1:])))


def _split_code(grid: Grid, body: list[int], left: int, texts: list[int]) -> int:
    """The last of the columns that split a code into its levels ('201 | 29 | 01') from the first column on, when
    a text column (the names they code) follows them and the codes nest (:mod:`.codes`), else ``left``: its
    levels are the stub even when no number stands at the right of the names (a blank template, a list of
    codes), where the names are what the table holds."""
    if not code_column(grid, body, left):
        return left
    coded = coded_stub(grid, body, left, min((col for col in texts if col > left), default=left) - 1)
    return coded.last if coded is not None and coded.first == left else left


def key_columns(grid: Grid, body: list[int], stub_right: int, right: int, column_header: Mapping[int, object],
                has_header: bool) -> set[int]:
    """Columns of 'key: value' pairs in the body: a text column under a header that also spans the column
    at its right (or under no header at all), followed by its value column."""
    keys: set[int] = set()
    col = stub_right + 1
    while col < right:
        here, there = column_header.get(col), column_header.get(col + 1)
        if has_header and (here is None or here is not there):
            col += 1
            continue
        text, total = _text_share(grid, body, col)
        _, values = _text_share(grid, body, col + 1)
        if total and 10 * text >= 8 * total and values:
            keys.add(col)
            col += 2
        else:
            col += 1
    return keys


def _text_share(grid: Grid, rows: list[int], col: int) -> tuple[int, int]:
    boxes = [b for r in rows for b in grid.own(r, col, col) if b.has_value]
    return sum(1 for b in boxes if not b.numeric), len(boxes)


def key_value_columns(grid: Grid, region: Region) -> list[int]:
    """The key columns of a region laid out as 'key | value' pairs side by side (an infobox), or [].

    The columns alternate key, value, key, value across the whole region (at least two pairs). Keys
    are text, never numbers, mostly distinct from each other (a key merged down over several rows
    counts once), and not longer than their values; every value has its key beside it. Cells merged
    across a pair (a section heading) are left out of the comparison."""
    left, right = region.left, region.right
    width = right - left + 1
    if width < 4 or width % 2 or len(region.rows) < 2:
        return []
    columns = []
    for col in range(left, right + 1):
        columns.append([b for r in region.rows for b in grid.own(r, col, col) if b.has_value and not b.wide])
    keys = []
    for offset in range(0, width, 2):
        key_boxes, value_boxes = columns[offset], columns[offset + 1]
        if not key_boxes or not value_boxes or any(b.numeric for b in key_boxes):
            return []
        texts = [b.text for b in key_boxes]
        if 4 * sum(1 for t in texts if any(ch.isdigit() for ch in t)) > len(texts):
            return []
        if 10 * len(set(texts)) < 8 * len(texts):
            return []
        keyed = sum(1 for b in value_boxes if grid.at(b.row, left + offset) is not None)
        if 10 * keyed < 9 * len(value_boxes):  # a value without a key beside it: not a pair
            return []
        key_length = sum(len(t) for t in texts) / len(texts)
        value_length = sum(len(b.text) for b in value_boxes) / len(value_boxes)
        if key_length > value_length * 1.5:
            return []
        keys.append(left + offset)
    return keys


def staircase(grid: Grid, body: list[int], left: int, right: int) -> int:
    """The last column of a stub whose levels stand in columns of their own, one label a row ('Canada' in
    the first column, 'Ontario' in the second on the next row, 'Toronto' in the third), or ``left`` when
    the stub is not laid out so. Each of its columns holds text, every body row has at most one label in
    them, and data follow in the columns at their right."""
    last = left
    for col in range(left + 1, right):
        boxes = [b for r in body for b in grid.own(r, col, col) if b.has_value]
        if not boxes or any(b.numeric or b.wide or b.tall for b in boxes):
            break
        rows = {b.row for b in boxes}
        if any(grid.at(r, c) is not None for r in rows for c in range(left, col)):
            break  # a label beside a label: columns of one row, not levels
        last = col
    if last == left:
        return left
    data = [r for r in body if any(b.number for b in grid.own(r, last + 1, right))]
    labelled = [r for r in body if any(grid.at(r, c) is not None for c in range(left, last + 1))]
    return last if data and len(labelled) >= 3 else left
