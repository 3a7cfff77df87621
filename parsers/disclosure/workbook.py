"""Reading a budget disclosure workbook: its identity, each table's amounts, its text sheets.

The block readers of ``parsers/templates/blocks/disclosure.py`` call these; the declaration
(``families/budget_disclosure.toml``) says which tables there are and how their titles read. Amounts become
:class:`~budget_etl.parsers.records.DisclosureLine` records: in 万元, with the amount and unit as written,
the table's code, the row's classification code, and the cell.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from budget_etl.parsers.cells import Cell, Workbook
from budget_etl.parsers.disclosure.codes import (
    ECONOMIC_LEVELS,
    FUNCTION_LEVELS,
    level_of,
)
from budget_etl.parsers.disclosure.grids import (
    TableRead,
    read_amount_row,
    read_balance,
    read_classified,
)
from budget_etl.parsers.disclosure.tables import (
    AMOUNT_ROW,
    BALANCE,
    CLASSIFIED,
    ECONOMIC,
    FUNCTION,
    FoundTable,
    is_table_title,
    lists_tables,
    title_cells,
)
from budget_etl.parsers.disclosure.units import WAN, declared_unit, implausible, to_wan, without_unit
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.normalise import text_items
from budget_etl.parsers.records import DisclosureLine, ParsedSubmission, TextItem
from budget_etl.parsers.templates.labels import norm
from budget_etl.parsers.templates.texts import next_item

#: The two variants: a department's (部门预算, 编制部门) and a budget unit's (单位预算, 编制单位).
DEPARTMENT, UNIT = "department", "unit"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
MAX_CELLS_NAMED = 10
#: submission_texts section of the notes written in a table's rows
TABLE_NOTES = "table_notes"
#: fact_disclosure's amounts are DECIMAL(20,6): 14 digits before the point.
LARGEST_STORED = Decimal(10) ** 14


# -- identity ---------------------------------------------------------------------------------------------
def read_identity(workbook: Workbook, labels: tuple[str, ...], unit_words: tuple[str, ...],
                  submission: ParsedSubmission) -> Cell | None:
    """The organisation (the first of ``labels`` found, cover first), the year (the one most titles state)
    and the variant (``unit`` when a title says one of ``unit_words``). Returns the name's cell."""
    alternatives = "|".join(map(re.escape, labels))
    pattern = re.compile(rf"^\s*({alternatives})\s*[:：]\s*(.*)$", re.DOTALL)
    names: list[tuple[int, str, Cell]] = []  # (label rank, name, cell)
    titles: list[Cell] = []
    for sheet in workbook.sheets:
        cells = title_cells(sheet) + [c for row in sheet.rows()[6:18] for c in row]
        for cell in cells:
            # the line without the unit it may declare ('编制部门：某部门　单位：元'; '单位：元' is no name)
            match = pattern.match(without_unit(cell.text))
            if match and match.group(2).strip() and declared_unit(match.group(2)) is None:
                names.append((labels.index(match.group(1)), " ".join(match.group(2).split()), cell))
            elif _YEAR.search(cell.text) and (is_table_title(norm(cell.text)) or norm(cell.text).endswith("预算")):
                titles.append(cell)
    found = None
    if names:
        names.sort(key=lambda n: (n[0], n[2].sheet, n[2].row))
        _, name, found = names[0]
        submission.department_name = name
        submission.sources["department_name"] = (found.sheet, found.address)
        others = {norm(n) for _, n, _ in names} - {norm(name)}
        if others:
            odd = next(c for _, n, c in names if norm(n) in others)
            submission.issues.append(Issue(
                "identity_disagrees", f"the workbook names {name!r} ({found.sheet}!{found.address}) and also "
                f"{odd.text.strip()!r}", "warning", odd.sheet, odd.address))
    years = [(int(m.group(1)), c) for c in titles if (m := _YEAR.search(c.text))]
    if years:
        year, _ = Counter(y for y, _ in years).most_common(1)[0]
        cell = next(c for y, c in years if y == year)
        submission.fiscal_year = year
        submission.sources["fiscal_year"] = (cell.sheet, cell.address)
        for other, odd in years:
            if other != year:
                submission.issues.append(Issue("year_disagrees", f"{odd.text.strip()!r} says {other}, the other "
                                               f"titles {year}", "warning", odd.sheet, odd.address))
    unit = any(word in norm(c.text) for c in titles for word in unit_words)
    submission.attributes["variant"] = UNIT if unit else DEPARTMENT
    return found


# -- tables -----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def reference_class_names() -> dict[str, dict[str, str]]:
    """classification -> normalised 类 name -> code, from class_names.toml."""
    data = tomllib.loads(resources.files(__package__).joinpath("class_names.toml").read_text("utf-8"))
    return {kind: {norm(name): code for code, name in names.items()} for kind, names in data.items()}


def function_class_names(tables: list[FoundTable]) -> dict[str, str]:
    """名称 -> 类 code for the function classes: the workbook's own coded rows, then the reference names."""
    names = dict(reference_class_names()[FUNCTION])
    for table in tables:
        read = read_classified(table.sheet)
        for row in read.rows if read else ():
            if row.code and len(row.code) == FUNCTION_LEVELS[0] and row.label:
                names[norm(row.label)] = row.code
    return names


def _unit(table: FoundTable, issues: list[Issue], inherited: str | None = None) -> str:
    units = [u for c in table.sheet.cells if "单位" in c.text and (u := declared_unit(c.text))]
    if not units and inherited is not None:  # a continuation without its own unit line: the table's
        return inherited
    if not units:
        issues.append(Issue("unit_missing", f"{table.spec.label} declares no unit (单位：元 or 单位：万元); its "
                            f"amounts are read as {table.spec.default_unit}", "warning", table.sheet.name,
                            table.title.address))
        return table.spec.default_unit
    return units[0]


def read_table(table: FoundTable, names: dict[str, str], issues: list[Issue],
               unit: str | None = None, texts: list[TextItem] | None = None) -> list[DisclosureLine]:
    """The table's amounts as lines; what could not be read becomes issues; a note in its rows ('注：本表无数据。')
    joins ``texts`` (section ``table_notes``). ``unit``: the table's, for a continuation that states none."""
    spec, sheet = table.spec, table.sheet
    if spec.shape == CLASSIFIED:
        read = read_classified(sheet, (3, 2) if spec.classification == ECONOMIC else (3, 2, 2))
    elif spec.shape == BALANCE:
        read = read_balance(sheet)
    elif spec.shape == AMOUNT_ROW:
        read = read_amount_row(sheet, spec.first_header)
    else:  # pragma: no cover - the declaration's check allows only the shapes above
        raise ValueError(spec.shape)
    if read is None or not read.rows:
        issues.append(Issue("table_empty", f"{spec.label} has no rows that could be read", "warning",
                            sheet.name, table.title.address))
        return []
    for message, cell in read.problems:
        issues.append(Issue("cell_not_read", f"{spec.label}: {message}", "warning", cell.sheet, cell.address))
    if texts is not None:
        for cell in read.notes:
            texts.append(next_item(texts, TABLE_NOTES, " ".join(cell.text.split()), cell.sheet, cell.address))
    unit = _unit(table, issues, unit)
    lines = _lines(table, read, unit, names, issues)
    _check_magnitude(table, lines, unit, issues)
    return lines


def _lines(table: FoundTable, read: TableRead, unit: str, names: dict[str, str],
           issues: list[Issue]) -> list[DisclosureLine]:
    spec = table.spec
    levels = ECONOMIC_LEVELS if spec.classification == ECONOMIC else FUNCTION_LEVELS
    lines = []
    parents: dict[str | None, str] = {}  # side -> the last '一、…' item, the parent of the '1. …' ones below it
    for row in read.rows:
        item = f"{row.group}/{row.label}" if row.group else row.label  # a unit's rows under its name
        if row.depth == 1:
            parents[row.side] = row.label
        elif row.depth > 1 and row.side in parents:
            item = f"{parents[row.side]}/{row.label}"
        function_code = economic_code = None
        if row.code is not None:
            if level_of(row.code, levels) is None:
                issues.append(Issue("code_length", f"{spec.label}: code {row.code!r} has {len(row.code)} digits, "
                                    f"not {' / '.join(map(str, levels))}", "warning", row.cell.sheet,
                                    row.cell.address))
                continue
            if spec.classification == ECONOMIC:
                economic_code = row.code
            else:
                function_code = row.code
        elif row.side == "expense" and not row.is_total:
            # The expense side of a 收支总表 names 类 without codes: '一、教育支出', or '（一）教育支出' under
            # '一、本年支出' as the Ministry of Finance's 财政拨款收支总表 nests them.
            function_code = names.get(norm(row.label))
        for amount in row.amounts:
            wan = None if amount.value is None else to_wan(amount.value, unit)
            if wan is not None and amount.value is not None and max(abs(amount.value), abs(wan)) >= LARGEST_STORED:
                # fact_disclosure holds DECIMAL(20,6): a larger number would fail the whole run's load
                issues.append(Issue("amount_too_large", f"{spec.label}: {amount.raw} is too large to store "
                                    f"(DECIMAL(20,6) holds less than 1e14)", "error", amount.cell.sheet,
                                    amount.cell.address))
                continue
            lines.append(DisclosureLine(
                table=spec.code, side=row.side, item=item, function_code=function_code,
                economic_code=economic_code, column=amount.column, amount_wan=wan, amount=amount.value,
                unit=unit, raw=amount.raw, is_total=row.is_total, depth=row.depth,
                sheet=amount.cell.sheet, cell=amount.cell.address))
    return lines


def _check_magnitude(table: FoundTable, lines: list[DisclosureLine], unit: str, issues: list[Issue]) -> None:
    sizes = [(abs(line.amount), line) for line in lines if line.amount is not None and line.amount != 0]
    if not sizes:
        return
    largest = max(size for size, _ in sizes)
    why = implausible(largest, unit)
    if why is None:
        return
    if unit == WAN:
        odd = [line for size, line in sizes if size >= largest / 100]
    else:
        odd = [line for _, line in sorted(sizes, key=lambda pair: -pair[0])]
    cells = [f"{line.sheet}!{line.cell}" for line in odd[:MAX_CELLS_NAMED]]
    more = f" and {len(odd) - MAX_CELLS_NAMED} more" if len(odd) > MAX_CELLS_NAMED else ""
    issues.append(Issue("amount_unit_doubtful", f"{table.spec.label}: {why} (cells {', '.join(cells)}{more})",
                        "warning", odd[0].sheet, odd[0].cell))


def note_missing(submission: ParsedSubmission, label: str) -> None:
    """Add ``label`` to the one ``tables_missing`` warning of the submission."""
    missing = [t for t in submission.attributes.get("tables_missing", "").split("、") if t] + [label]
    submission.attributes["tables_missing"] = "、".join(missing)
    submission.issues[:] = [i for i in submission.issues if i.code != "tables_missing"]
    submission.issues.append(Issue("tables_missing", "the workbook lacks " + ", ".join(missing)
                                   + "; the tables it has are loaded", "warning", submission.sheet or None, None))


# -- texts -------------------------------------------------------------------------------------------------
def read_texts(workbook: Workbook, sections: dict[str, tuple[re.Pattern, ...]], cover: re.Pattern) -> list[TextItem]:
    """Each text sheet (its title matching a section's pattern) as numbered items; the cover's lines."""
    items: list[TextItem] = []
    for sheet in workbook.sheets:
        cells = title_cells(sheet)
        texts = [c for c in cells if not is_table_title(norm(c.text))]
        if len(texts) < len(cells) and not lists_tables(cells) and not any(cover.search(norm(c.text)) for c in cells):
            continue  # a table's sheet (a contents sheet names several tables: it is text)
        found = next(((s, c) for c in texts for s, patterns in sections.items()
                      if any(p.search(norm(c.text)) for p in patterns)), None)
        if found is None:
            title = next((c for c in cells if cover.search(norm(c.text))), None)
            if title is None:
                continue
            found = ("cover", title)
        items += _section(found[0], sheet, found[1])
    return items


def _section(section: str, sheet, title: Cell) -> list[TextItem]:
    pieces: list[tuple[str, Cell]] = []
    if section == "cover":
        pieces.append((" ".join(title.text.split()), title))
    for row in sheet.rows():
        for cell in row:
            if cell.row < title.row or (cell.row, cell.col) == (title.row, title.col) and cell.text == title.text:
                continue
            if section == "cover":
                pieces.append((" ".join(cell.text.split()), cell))
            elif section == "contents":  # one entry a line, the dotted leaders dropped
                pieces += [(" ".join(line.strip(" .…·").split()), cell) for line in cell.text.splitlines()]
            else:
                pieces += [(text, cell) for text in text_items(cell.text)]
    return [TextItem(section, seq, text, sheet.name, cell.address)
            for seq, (text, cell) in enumerate(((t, c) for t, c in pieces if t), start=1)]
