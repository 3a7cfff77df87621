"""Build a region's labels and entries: the header hierarchy of each dimension, and for every data cell
its innermost label per dimension.

- Column headers: for each body column, the header cells above it, top to bottom, each the parent of
  the next. An unmerged header cell with blanks at its right in a higher header row stands over those
  columns too (the "centred across" look).
- Stub: each stub column is a dimension (a label merged across several is in the first of them). Within one, a cell's parent is the nearest cell above it that
  is at a higher level: bold above plain, less indented above more indented. A label alone in the first
  body row of the outermost stub column, the rows below it not indented, heads the stub ('Sex', 'Province'
  under the column headers): the rows below are under it. A row without data further down is a parent only when its look says so (bold,
  less indented): statistics tables show their levels by look, and a row whose cells are all blank is not
  a heading by that alone, except in a stub that shows no levels by look at all: there rows without data over rows
  with data are sections ('Males:' ... 'Females:'), each over the rows up to the next. A label that says it is a
  part of the row above ('of which: women', 'thereof', '其中：') is one level under that row whatever its look, and so
  is an unnumbered label right after such a part when the rows it would be a sibling of are numbered (the list of
  parts goes on: '2.公务用车购置及运行费' over '其中：公务用车购置费', '公务用车运行费'). A label that only says "total"
  ('Total', 'All', 'I alt', '合计') is the sum of the rows at its level, their sibling, never their heading,
  however bold ('Total households' names what it totals and heads the rows below like any bold row). A label
  that still has no parent and is numbered as an outline ('一、' over '1.' over '（1）', '1' over '1.1') is under
  the nearest label above it at a higher outline level (:mod:`.outline`).
- Stub coded by subject codes (:mod:`.codes`, digit codes nesting by prefix): the codes decide the parents. The
  columns of a split code ('201 | 29 | 01') are one dimension whose label of a row is its innermost level; a coded
  row's label, in that dimension and in each name column at its right, is under the row's label of the nearest row
  above whose code its code extends. Rows without a code ('合计', '其中：…') keep the parents their look gives.
- 'key: value' columns: the key is one more row label of the values at its right.
- A stub text that wraps onto a second row is one label: beside data cells merged over both rows, or with data on
  one of its lines only when a line ends open ('Percent change,', 'of food and') or the next starts in lower case.
- A header of the bare numbers 1 | 2 | 3 with no header of each column above it labels its columns; under such a
  header they are the column numbers printed under it, not an entry's label.
- A row of the body that repeats the column headers holds labels, not entries; a line right above it heads the
  block under it. A body row of years counting by one step ('Region | 2003 | 2004') heads the columns below it.
- A label that comes three times or more, indented somewhere and never over indented rows ('Males', 'Females' under
  each province), is a leaf wherever it stands: no row goes under it.
- A stub column that groups the rows without merges (each group's label on its first row only, or on each row,
  the names at its right coming again in more than one group: a pivot table's export) gives each row of a group
  the group's label.
"""
from __future__ import annotations

import re
from collections.abc import Collection

from budget_etl.parsers.cells import parse_a1
from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.behead import column_codes_row, groups_unmerged, key_columns
from budget_etl.parsers.tables.codes import CodedStub, coded_stub, is_code, numbered
from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.model import Entry, Label, Table, cell_a1, region_a1
from budget_etl.parsers.tables.outline import nest_by_outline, nest_under_colons, outline_level
from budget_etl.parsers.tables.partition import Region

_BRACKETED_NOTE = re.compile(r"\s*[(（\[][^()（）\[\]]*[)）\]]\s*$")  # '（年）', '(%)', '[1]' at the end of a header


def assemble(grid: Grid, region: Region, header_count: int, stub_right: int, keys: set[int] | None = None) -> Table:
    rows, left, right = region.rows, region.left, region.right
    head_rows, body_rows = rows[:header_count], rows[header_count:]
    header_bottom = head_rows[-1] if head_rows else rows[0] - 1
    labels: dict[tuple[int, int], Label] = {}

    def label_of(box: Box) -> Label:
        key = (box.row, box.col)
        found = labels.get(key)
        if found is None:
            found = labels[key] = Label(box.label, cell_a1(box.row, box.col))
        return found

    def header_over(row: int, col: int) -> Box | None:
        box = grid.at(row, col)
        if box is not None or row == header_bottom:
            return box
        for k in range(col - 1, stub_right, -1):  # an unmerged header cell stands over the blanks at its right
            box = grid.at(row, k)
            if box is not None:
                return box
        return None

    # rows of column numbers ('(1) | (2) | (3)'): labels under the header they number, never an entry's label
    numbering = {row for row in head_rows if tx.is_index_row([b.text for b in grid.own(row, stub_right + 1, right)])
                 or column_codes_row(grid, row, left, right)}  # '甲 | 乙 | 1 | 2'
    column_header: dict[int, Label] = {}
    for col in range(stub_right + 1, right + 1):
        chain: list[Box] = []
        numbers: list[Box] = []
        seen: Box | None = None  # the header cell over this column in the row above
        for row in head_rows:
            box = header_over(row, col)
            if box is not None and box is not seen and not (seen is not None and _written_again(seen, box)):
                (numbers if row in numbering else chain).append(box)
            seen = box if box is not None else seen
        if numbers and (not chain or chain[-1].wide):
            # numbers with no header of their own column above them are the header ('Household size' over
            # 1 | 2 | 3, or 1 | 2 | 3 alone), not the column numbers printed under it
            chain, numbers = chain + numbers, []
        parent = None
        for box in chain:
            label = label_of(box)
            if parent is not None and label.parent is None and label is not parent:
                label.parent = parent
            parent = label
        for box in numbers:
            label_of(box).parent = parent
        if chain:
            column_header[col] = label_of(chain[-1])
    if keys is None:
        keys = key_columns(grid, body_rows, stub_right, right, column_header, bool(head_rows))
    for row in head_rows:  # the corner: names of the stub's dimensions
        for box in grid.own(row, left, stub_right):
            label_of(box)

    repeated = {row for row in body_rows if _repeats_header(grid, row, head_rows, stub_right, right)}
    # the top of a repeated header may be one cell (a group header over the others): it repeats when the row
    # right below it does
    repeated |= {row for row, below in zip(body_rows, body_rows[1:])
                 if below in repeated and _repeats_header(grid, row, head_rows, stub_right, right, fewest=1)}
    # a header row of other years in the body: a block of the table continued under a header of its own
    # ('Region | 2003 | 2004' under the rows of 2000-2002); its cells head the columns from there on
    corner = {b.text for row in head_rows for b in grid.own(row, left, stub_right) if b.has_value}
    # the first body row with numbers: the rows below it have numbers above them
    first_numbers = next((row for row in body_rows if any(b.number for b in grid.own(row, stub_right + 1, right))),
                         None)
    restated = {row for row, below in zip(body_rows, body_rows[1:]) if row not in repeated
                and _heads_the_rows_below(grid, row, below, stub_right, right, column_header, corner,
                                          first_numbers is not None and row > first_numbers)}
    repeated |= restated
    # a line right above a repeated header introduces the block under it ('Table B. Imports' over 'Country | 2008')
    captions = {row for row, below in zip(body_rows, body_rows[1:]) if below in repeated and row not in repeated}
    row_labels = _stub_labels(grid, [r for r in body_rows if r not in repeated], left, stub_right, right, label_of,
                              captions)
    for col in range(left, stub_right + 1):  # a stub numbered as an outline ('一、' over '1.'): its levels
        column = {id(label): label for row in body_rows for label in row_labels.get(row, ())
                  if parse_a1(label.cell)[1] == col}
        nest_by_outline(list(column.values()))
        nest_under_colons(list(column.values()))
    entries: list[Entry] = []
    column_header = dict(column_header)  # changes at each restated header, row by row
    for row in body_rows:
        if row in restated:
            for box in grid.own(row, left, stub_right):  # its corner, named as the header's is
                label_of(box)
            for box in grid.own(row, stub_right + 1, right):
                label = label_of(box)
                above = column_header.get(box.col)
                if above is not None and label.parent is None and above.parent is not None:
                    label.parent = above.parent  # the same group header over it as over the label it replaces
                for col in range(box.col, box.last_col + 1):
                    column_header[col] = label
        for box in grid.own(row, stub_right + 1, right):
            if not box.has_value:
                continue
            if box.col in keys or row in repeated:
                label_of(box)  # a key, or a header repeated in the body
                continue
            found: list[Label] = list(row_labels.get(row, ()))
            key = next((grid.at(row, k) for k in range(box.col - 1, stub_right, -1)
                        if k in keys and grid.at(row, k) is not None), None)
            if key is not None:
                found.append(label_of(key))
            for col in range(box.col, box.last_col + 1):
                if col in column_header:
                    found.append(column_header[col])
                    break
            entries.append(Entry(box.text, cell_a1(box.row, box.col), found))
    return Table(grid.name, region_a1(rows[0], left, rows[-1], right), entries, list(labels.values()))


def _stub_labels(grid: Grid, body_rows: list[int], left: int, stub_right: int, right: int,
                 label_of, captions: Collection[int] = ()) -> dict[int, list[Label]]:
    """For each body row, its stub label in each stub dimension (with the parents set by level, or by code);
    ``captions`` are rows that introduce a block of the body under a repeated header: sections, like those
    :func:`_section_rows` finds."""
    # data within the table's own columns (a table beside it on the sheet is not this row's data)
    has_data = {row: bool(grid.own(row, stub_right + 1, right)) or any(
        b.row < row for b in grid.touching_row(row, stub_right + 1, right)) for row in body_rows}
    row_labels: dict[int, list[Label]] = {}
    # a stub whose levels stand in columns of their own (one label a row) is one dimension, its column the level
    steps = stub_right > left and all(sum(1 for c in range(left, stub_right + 1) if grid.at(row, c) is not None) <= 1
                                      for row in body_rows)
    coded = None if steps else coded_stub(grid, body_rows, left, stub_right)
    if steps:
        dimensions = [(left, stub_right)]
    else:  # each stub column is a dimension, but the columns of one split code ('201 | 29 | 01') are one
        dimensions = [(col, col) for col in range(left, stub_right + 1)
                      if coded is None or not coded.first < col <= coded.last]
        if coded is not None:
            dimensions = [(col, coded.last if col == coded.first else col) for col, _ in dimensions]
    for first, last in dimensions:
        stack: list[tuple[tuple[int, int, int, int], Label, bool]] = []  # (level, label, a part of the row above)
        looks: dict[tuple[int, int], int] = {}  # (column step, indent) -> bold (0) or plain (1) of the last label there
        bold_seen: set[tuple[int, int]] = set()  # (column step, indent) where a bold label stood
        of_row: dict[int, Label] = {}  # this dimension's label of each row
        own: set[int] = set()  # the rows whose label starts in them (not merged down, not wrapped from above)
        stub_boxes = {row: box for row in body_rows if (box := _stub_box(grid, row, first, last, steps)) is not None}
        leaf_rows = _leaf_rows(stub_boxes, body_rows)
        leaf_cells = {cell_a1(row, stub_boxes[row].col) for row in leaf_rows}
        sections = _section_rows(stub_boxes, body_rows, has_data) | {
            row for row in captions if not has_data[row]}
        grouped: Collection[int] = ()  # rows with a blank stub cell that go on with the group above them
        if not steps and coded is None and first == last < stub_right and groups_unmerged(grid, body_rows, first, right):
            grouped = set(body_rows)
        elif not steps and coded is None and first == last == stub_right == left:
            grouped = _named_rows_grouped(grid, body_rows, first, right, stub_boxes)
        for row in body_rows:
            box = stub_boxes.get(row)
            if last > first and not steps:  # the row's other cells in the code columns are labels too (not its own)
                for other in grid.own(row, first, last):
                    if other is not box and other.col >= first:
                        label_of(other)
            if box is None:
                if row in grouped and has_data[row] and of_row:
                    # a group's label written on its first row only: the rows after it are in that group too
                    of_row[row] = of_row[max(of_row)]
                    row_labels.setdefault(row, []).append(of_row[row])
                continue  # a label merged across stub columns belongs to its first column only: one label, not one a column
            if box.row != row:  # merged down: the same label for this row too
                of_row[row] = label_of(box)
                row_labels.setdefault(row, []).append(of_row[row])
                continue
            above = grid.at(row - 1, box.col) if row - 1 in has_data else None
            if above is not None and above.col == box.col and (
                    _continues_above(grid, row, stub_right, right)
                    or not (has_data[row] and has_data[row - 1]) and tx.continues_line(above.label, box.label)):
                # the label's text wraps onto this row: the data cells beside it are merged down from above, or
                # stand on one of its lines only ('Manufacturing of food' over '  and beverages | 10 | 20')
                label = label_of(above)
                label.label = f"{label.label} {box.label}"
                of_row[row] = label
                row_labels.setdefault(row, []).append(label)
                continue
            # the stub's heading stands in its outermost column, or alone in its row (no code beside it)
            alone = first == left or not any(grid.at(row, c) for c in range(left, stub_right + 1) if not first <= c <= last)
            heading = (alone and row == body_rows[0] and not has_data[row] and not _indented_below(grid, box, body_rows)
                       and not _looks_again(grid, box, body_rows, has_data))
            level = (0 if heading else 1, box.col - left if steps else 0, 0 if box.bold else 1, box.level_indent())
            if row in sections:  # a section (see _section_rows): as if bold, over the rows below
                level = (1, level[1], 0, level[3])
            if tx.is_bare_total(box.label) and row not in sections:
                # a bare 'Total' sums the rows at its level: their sibling (as bold as the row above it at its
                # indent, plain when it comes first), not their heading, however bold; a bold one after bold rows at
                # its indent is their sibling (a grand total under sections 'Goods', 'Services'); a 'TOTAL' without
                # data that heads a section sums nothing
                bold = box.bold and level[1::2] in bold_seen
                level = (level[0], level[1], 0 if bold else looks.get(level[1::2], 1), level[3])
            if not heading and row not in sections:  # a heading is no sibling of the rows below it: its look says
                # nothing of theirs
                looks[level[1::2]] = level[2]
                if level[2] == 0:
                    bold_seen.add(level[1::2])
            part = tx.is_part_of_above(box.label)
            whole = next((entry for entry in reversed(stack) if not entry[2]), None)
            if (not part and stack and stack[-1][2] and whole is not None and outline_level(box.label) is None
                    and outline_level(whole[1].label) is not None and not tx.is_bare_total(box.label)):
                # the list of parts goes on: '2.公务用车购置及运行费' over '其中：公务用车购置费' and then
                # '公务用车运行费' (no number, where the rows it would be a sibling of are numbered)
                part = True
            if part and whole is not None and level <= whole[0]:
                # 'of which: women', '其中：基本支出': a part of the row above it, one level under that row
                level = (*whole[0][:3], whole[0][3] + 1)
            owner = next((entry for entry in reversed(stack) if entry[1].cell not in leaf_cells), None)
            if row in leaf_rows and owner is not None and owner[0] == level:
                # a leaf as far left and as bold as the row it follows is under that row ('Canada' over 'Males')
                level = (*level[:3], level[3] + 1)
            label = label_of(box)
            while stack and (stack[-1][0] >= level or stack[-1][1].cell in leaf_cells):
                stack.pop()
            if stack and label.parent is None:
                label.parent = stack[-1][1]
            stack.append((level, label, part))
            of_row[row] = label
            own.add(row)
            row_labels.setdefault(row, []).append(label)
        if coded is not None and first >= coded.first and _follows_codes(grid, body_rows, first, last, coded):
            _parents_by_code(grid, coded, of_row, own, label_of, first == coded.first)
    return row_labels


def _named_rows_grouped(grid: Grid, body_rows: list[int], col: int, right: int,
                        stub_boxes: dict[int, Box]) -> set[int]:
    """The rows of a one-column stub that go on with the group above them: an evaluation grid exported without its
    merges, each group's label on its first row only ('决策 | 项目立项 | 立项依据充分性 | 5', ' | 绩效目标 | 目标合理性 |
    5'). Every row has data, and a name in the next column unless it is a total; the rows with a blank stub cell
    and a name that is no bare total go on with the group ('合计' under the groups sums them all). Not a column of
    row numbers ('1 | 2 | 3', a 合计 row without one): each of those numbers one row."""
    labels = [box.label for box in stub_boxes.values()]
    if not body_rows or body_rows[0] not in stub_boxes or tx.is_sequence(labels):
        return set()
    grouped = set()
    for row in body_rows:
        name = grid.at(row, col + 1)
        named = name is not None and (name.row, name.col) == (row, col + 1) and name.has_value and not name.numeric
        if not grid.own(row, col + 2, right) or not named and not (
                row in stub_boxes and tx.is_bare_total(stub_boxes[row].label)):  # a total row names no item
            return set()
        if row not in stub_boxes and name is not None and named and not tx.is_bare_total(name.label):
            grouped.add(row)
    return grouped


def _written_again(above: Box, box: Box) -> bool:
    """The header cell repeats the one right above it, over the same columns: one header that an export wrote
    into every cell of its merged range, not a level of its own."""
    return (box.text == above.text and box.row == above.last_row + 1
            and (box.col, box.last_col) == (above.col, above.last_col))


def _leaf_rows(stub_boxes: dict[int, Box], body_rows: list[int]) -> set[int]:
    """The rows where a leaf (:func:`_leaves`) stands among others of its kind ('Males' right over 'Females'): there it
    is a leaf whatever its look. Alone ('Males' in bold over age groups) it may head the rows below it by its look."""
    own = [(row, box) for row in body_rows if (box := stub_boxes.get(row)) is not None and box.row == row]
    texts = _leaves([box for _, box in own])
    found = set()
    for k, (row, box) in enumerate(own):
        if box.label in texts and any(0 <= j < len(own) and own[j][1].label in texts and own[j][1].label != box.label
                                      for j in (k - 1, k + 1)):
            found.add(row)
    return found


def _leaves(boxes: list[Box]) -> set[str]:
    """Labels that come again and again, indented under another row somewhere and never heading rows indented under
    them ('Males', 'Females' under each province): leaves wherever they stand, so a row after one is never its
    child, whatever the look ('Canada' bold over bold 'Males', 'Females', then plain provinces: the provinces are
    under 'Canada', not under 'Females')."""
    indents = [box.level_indent() for box in boxes]
    least = min(indents, default=0)
    if all(indent == least for indent in indents):
        return set()  # nothing indented: no label is shown as a child anywhere
    seen: dict[str, int] = {}
    heads: set[str] = set()  # texts that head rows indented under them somewhere, or that come twice in a row
    under: set[str] = set()  # texts indented somewhere: shown as a child at least once
    for box, below in zip(boxes, [*boxes[1:], None]):
        seen[box.label] = seen.get(box.label, 0) + 1
        if below is not None and (below.level_indent() > box.level_indent() or below.label == box.label):
            heads.add(box.label)  # twice in a row: a column that names each record's group ('AL', 'AL', 'AR')
        if box.level_indent() > least:
            under.add(box.label)
    return {text for text, count in seen.items() if count >= _LEAF_REPEATS and text in under and text not in heads}


_LEAF_REPEATS = 3  # occurrences of a label before it counts as a leaf everywhere


def _section_rows(stub_boxes: dict[int, Box], body_rows: list[int], has_data: dict[int, bool]) -> set[int]:
    """Rows without data that head rows with data of the same look, which therefore does not show the level: sections,
    each over the rows below it up to the next. They are sections when the stub shows no levels by look at all
    ('Males:' over 'Employed', 'Unemployed', then 'Females:'), or when the rows they head repeat ('TOTAL', 'Men, 16
    years and over', 'Women, …' each over 'Civilian population' and the rows indented under it); otherwise such a row
    is one whose numbers are blank ('Northern (not surveyed)' over 'Inland'), and heads nothing. At least two, so
    that a lone row without data above all the others stays the stub's heading ('Province'); a blank template (no
    row has data) has none."""
    boxes = {row: box for row, box in stub_boxes.items() if box.row == row}
    following = dict(zip(body_rows, body_rows[1:]))
    found: dict[int, str] = {}  # section row -> the label of the first row under it
    for row, box in boxes.items():
        below = boxes.get(following.get(row, -1))
        if (not has_data[row] and below is not None and has_data[below.row] and below.bold == box.bold
                and below.level_indent() == box.level_indent() and not tx.is_part_of_above(box.label)):
            found[row] = below.label
    plain = not any(box.bold or box.level_indent() for box in boxes.values())
    repeated = len(set(found.values())) < len(found)
    return set(found) if len(found) >= 2 and (plain or repeated) else set()


def _stub_box(grid: Grid, row: int, first: int, last: int, steps: bool) -> Box | None:
    """The row's stub cell in the dimension of columns first..last: the cell of its one column; in a stub of
    steps the row's one label; in the columns of a split code the row's innermost level ('01' of '201 | 29 | 01')."""
    if steps:
        return next((b for c in range(first, last + 1) if (b := grid.at(row, c)) is not None), None)
    cells = [(c, b) for c in range(first, last + 1) if (b := grid.at(row, c)) is not None and b.col == c]
    if not cells:
        return None
    if all(is_code(b.text) for _, b in cells):
        return cells[-1][1]
    return cells[0][1] if cells[0][0] == first else None  # a row without a code: its label across the columns


def _follows_codes(grid: Grid, body_rows: list[int], first: int, last: int, coded: CodedStub) -> bool:
    """The dimension's labels are the coded rows' own (the code, the name it codes), not an index of the rows
    nor a column that groups them (merged down: its groups are not the codes' levels)."""
    if first == coded.first:
        return True
    return not numbered(grid, body_rows, first) and not any(
        b.tall for r in body_rows if (b := grid.at(r, first)) is not None and b.col == first)


def _parents_by_code(grid: Grid, coded: CodedStub, of_row: dict[int, Label], own: set[int], label_of,
                     code_columns: bool) -> None:
    """Parents by code, in a dimension that follows the codes (:func:`_follows_codes`): a coded row's label is under
    the label of the nearest row above whose code its code extends (that row's own parent when it has no label
    here). A top code keeps a parent by look only when that is a row without a code (a heading above the codes).

    In the code columns every code cell of a row is a label (the innermost is the row's): each is under the
    nearest row above whose code its code (the levels up to it) extends, or under the cell at its left on its
    own row when no row above has that longer code ('208 | 05 | 05' with no row of its own for '208 | 05': the
    '05' of the 项 is under the row's '05' of the 款, which is under the row of '208'). A level repeated on the
    row of a deeper code ('201' on the row of '201 | 29') is that level again, under what the level is under."""
    coded_labels = {id(of_row[row]) for row in coded.codes if row in of_row}

    def row_label(row: int | None, label: Label) -> Label | None:
        while row is not None:
            found = of_row.get(row)
            if found is not None and found is not label:
                return found
            row = coded.parent.get(row)
        return None

    def by_look(label: Label) -> Label | None:
        parent = label.parent
        while parent is not None and id(parent) in coded_labels:
            parent = parent.parent
        return parent

    if not code_columns:
        for row in coded.codes:
            name = of_row.get(row)
            if name is not None and row in own:  # a label merged down from a row above was set there
                name.parent = row_label(coded.parent.get(row), name) or by_look(name)
        return
    for (row, col), code in coded.cell_codes.items():
        label: Label = label_of(grid.at(row, col))
        ancestor = coded.ancestor(code, row)
        beside = next((c for c in range(col - 1, coded.first - 1, -1) if (row, c) in coded.cell_codes), None)
        if beside is not None and (ancestor is None or len(coded.cell_codes[(row, beside)]) > len(coded.codes[ancestor])):
            label.parent = label_of(grid.at(row, beside))
        elif ancestor is not None:
            label.parent = row_label(ancestor, label)
        else:
            label.parent = by_look(label) if label is of_row.get(row) else None


def _looks_again(grid: Grid, box: Box, body_rows: list[int], has_data: dict[int, bool]) -> bool:
    """The box is bold, the row right below it has data, and a later bold row of its column without data is indented
    as far: the two are sections side by side ('Goods' over 'Food', ... 'Services'), not the stub's heading over all
    ('Province' stays one over its sections 'East', 'West', and over a row whose numbers are blank)."""
    others = [b for r in body_rows if r > box.row and (b := grid.at(r, box.col)) is not None and b.row == r]
    return (box.bold and bool(others) and has_data[others[0].row]
            and any(not has_data[b.row] and b.bold and b.level_indent() == box.level_indent() for b in others))


def _indented_below(grid: Grid, box: Box, body_rows: list[int]) -> bool:
    """The next label in the box's column is indented further: the box heads a section shown by indentation."""
    below = next((b for r in body_rows if r > box.row and (b := grid.at(r, box.col)) is not None and b.row == r), None)
    return below is not None and below.level_indent() > box.level_indent()


def _continues_above(grid: Grid, row: int, stub_right: int, right: int) -> bool:
    """Every data cell of the row is a cell merged down from the row above, none starts here."""
    beside = grid.touching_row(row, stub_right + 1, right)
    return bool(beside) and all(b.row < row for b in beside)


def _heads_the_rows_below(grid: Grid, row: int, below: int, stub_right: int, right: int,
                          column_header: dict[int, Label], corner: set[str], after_numbers: bool = False) -> bool:
    """The row is a header of its own inside the body: its stub blank or naming the stub as the header's corner does,
    and at least two cells over headed columns, not the header's own texts again, that are years counting up or down
    by one step, or (between rows of numbers) names ('本期 | 上年同期' under a block headed '本期期末 | 本期期初'); the
    row below it has numbers. A row of numbers that happen to lie between 1800 and 2100 has no such order; rows of
    names with no numbers above them are not taken: a body of text rows (records, a form's lines) looks just so."""
    first = grid.at(row, stub_right + 1)
    if first is not None and first.number:
        return False  # a row of data (most rows: answered without listing the row's cells)
    boxes = [b for b in grid.own(row, stub_right + 1, right) if b.has_value]
    if len(boxes) < 2 or any(b.col not in column_header for b in boxes):
        return False
    if all(b.text == column_header[b.col].label for b in boxes):
        return False
    if after_numbers and all(sum(ch.isalpha() for ch in b.text) >= 2 and b.text.lstrip()[:1] not in "=<>≤≥"
                             for b in boxes):
        # names heading a block of numbers, below rows of numbers: over every column the row below fills (a few
        # names over some columns of a form's row are its sub-headers, not a block's header)
        named = {c for b in boxes for c in range(b.col, b.last_col + 1)}
        if not {b.col for b in grid.own(below, stub_right + 1, right) if b.has_value} <= named:
            return False
    elif any(not b.year or not b.text.isdigit() for b in boxes):
        return False
    elif len(steps := {int(b.text) - int(a.text) for a, b in zip(boxes, boxes[1:])}) != 1 or 0 in steps:
        return False
    stub = {b.text for b in grid.touching_row(row) if b.col <= stub_right and b.has_value}
    if not stub <= corner:
        return False
    return any(b.number for b in grid.own(below, stub_right + 1, right))


def _repeats_header(grid: Grid, row: int, head_rows: list[int], stub_right: int, right: int, fewest: int = 2) -> bool:
    """The row repeats the column headers (a table continued after a break): most of its cells, at least
    ``fewest``, have the text of a header cell above them."""
    boxes = [b for b in grid.own(row, stub_right + 1, right) if b.has_value]
    if len(boxes) < fewest or not head_rows:
        return False
    same = 0
    for box in boxes:
        texts = {over.text for r in head_rows if (over := grid.at(r, box.col)) is not None}
        same += box.text in texts or any(_restates(box.text, text) for text in texts)
    return 5 * same >= 4 * len(boxes)


def _restates(text: str, header: str) -> bool:
    """A header written again in short: without its bracketed note or its last words ('借款期限' for '借款期限（年）',
    'Exports' for 'Exports (f.o.b.)'). Only a text of a few characters at least, and not a number."""
    short, full = _BRACKETED_NOTE.sub("", text).strip(), _BRACKETED_NOTE.sub("", header).strip()
    return len(short) >= 2 and not tx.is_numeric(short) and full.startswith(short)
