"""Indicator tables (一级指标 / 二级指标 / [重点工作] / 三级指标 / values) into targets.

A table opens at a header row holding 一级指标 and 三级指标; the header may be
nested over two rows (指标值 spanning 半年指标值 | 全年指标值). Columns get their
role from the header words, never from their position. Level labels merged
down over their indicators (or left blank) are carried down. A row that lost
its leading blank cells (text exports) is realigned by matching its last cells
to the value columns, and the realignment is reported for review.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import cast

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.memo import BoundedMemo
from budget_etl.parsers.records import Period, Target, TextItem, make_target
from budget_etl.parsers.templates.labels import SheetIndex, header_role, norm
from budget_etl.parsers.templates.texts import next_item
from budget_etl.parsers.values import parse_target, to_half_width

LEVELS = ("level1", "level2", "key_task", "level3")
#: The roles a header word can give its column ("single": one value column, read as the full-year value;
#: "operator" (指标性质 ≥/≤/=) and "unit" (度量单位): the parts of a target written in columns of their own;
#: "note": a column kept as text beside the target, 备注 or 分值).
ROLES = LEVELS + ("half_year", "full_year", "single", "operator", "unit", "note")
PERIOD_ROLES = ("half_year", "full_year")
#: The section of submission_texts a "note" column's cells are kept in.
NOTE_SECTION = "indicator_notes"
#: The section of submission_texts the targets of a mid-term half of the grid are kept in (fact_target has a
#: half-year and a full-year period, no mid-term one).
MID_TERM_SECTION = "mid_term_targets"
#: What an operator column says of a target that needs no operator.
_KIND_WORDS = frozenset({"定性", "定量", "定性指标", "定量指标"})


@dataclass(slots=True)
class TableHeader:
    row: int  # the first header row (its cells are the table's A1 evidence)
    data_row: int  # the first row after the header
    roles: dict[int, str] = field(default_factory=dict)  # column -> role

    def column(self, role: str) -> int | None:
        return next((col for col, r in self.roles.items() if r == role), None)

    @property
    def value_columns(self) -> dict[int, Period]:
        return {col: cast(Period, role) for col, role in self.roles.items() if role in PERIOD_ROLES}


def _roles(index: SheetIndex, row: int, role_of: _RoleMemo) -> dict[int, str]:
    """Column -> role of the row's label cells that are header words (``role_of``: see :func:`_role_memo`)."""
    roles: dict[int, str] = {}
    for cell, text in index.labels_by_row.get(row, ()):
        if text in role_of:
            role = role_of[text]
        else:
            role = role_of[text] = header_role(text, role_of.words)
        if role:
            roles[cell.col] = role
    return roles


class _RoleMemo(dict[str, "str | None"]):
    """Normalised label text -> its header role (None: no header word), for one ``header_roles`` mapping."""

    def __init__(self, words: dict[str, str]):
        super().__init__()
        self.words = words


def _role_memo(header_roles: dict[str, str]) -> _RoleMemo:
    """The label texts' roles under these header words, remembered across sheets and files: every row of
    every indexed sheet is looked at for header words, and a season's files repeat the same label texts.
    (``header_role`` of a label's normalised text is that of its text: ``norm`` is idempotent.)"""
    key = tuple(header_roles.items())
    memo = _ROLE_MEMOS.get(key)
    if memo is None or len(memo) > _ROLE_MEMO_KEPT:
        memo = _ROLE_MEMOS.put(key, _RoleMemo(dict(header_roles)))
    return memo


# Safe on threads without a lock: each store is one atomic dict write of the same answer.
_ROLE_MEMOS: BoundedMemo[tuple[tuple[str, str], ...], _RoleMemo] = BoundedMemo(64)  # a few declarations' columns
_ROLE_MEMO_KEPT = 50_000


def find_headers(index: SheetIndex, header_roles: dict[str, str]) -> list[TableHeader]:
    """Every indicator table header of the sheet, in row order; ``header_roles``: normalised header word ->
    role (:data:`ROLES`), from the declaration's ``columns``.

    Asked twice per parse (the grid's own block, and where an amounts block above it ends) and answered
    from the sheet's index the second time; callers get their own list and must not change the headers."""
    key = ("indicator_headers", tuple(header_roles.items()))
    found = cast("list[TableHeader] | None", index.memo.get(key))
    if found is None:
        found = index.memo[key] = _find_headers(index, _role_memo(header_roles))
    return list(found)


def _find_headers(index: SheetIndex, role_of: _RoleMemo) -> list[TableHeader]:
    headers: list[TableHeader] = []
    for number in index.labels_by_row:  # rows in order; a header row holds label words
        roles = _roles(index, number, role_of)
        if "level1" not in roles.values() or "level3" not in roles.values():
            continue
        header = TableHeader(number, number + 1, roles)
        _merge_second_header_row(index, header, role_of)
        for col in [col for col, role in header.roles.items() if role == "single"]:
            header.roles[col] = "full_year"  # a single 指标值 column is the full-year target (each of them, when
            # the grid has a mid-term half and a year's half: see _halves)
        headers.append(header)
    return headers


def _merge_second_header_row(index: SheetIndex, header: TableHeader, role_of: _RoleMemo) -> None:
    """A nested header: the row below names the value columns under a spanning 指标值."""
    next_number = next((n for n in index.row_numbers if n > header.row), None)
    if next_number is None:
        return
    below = _roles(index, next_number, role_of)
    if below:
        if any(role in PERIOD_ROLES for role in below.values()):
            header.roles = {col: role for col, role in header.roles.items() if role != "single"}
        header.roles.update(below)
        header.data_row = next_number + 1


def parse_indicator_tables(index: SheetIndex, headers: list[TableHeader], last_row: int,
                           issues: list[Issue], stop_prefixes: tuple[str, ...],
                           notes: list[TextItem] | None = None) -> list[Target]:
    """Targets of all tables; each table runs to the next header, a note row (its first cell starting with
    one of ``stop_prefixes``: 注, 备注 …) or ``last_row``. ``notes`` receives the cells of "note" columns."""
    targets: list[Target] = []
    notes = notes if notes is not None else []
    for number, header in enumerate(headers):
        end = headers[number + 1].row - 1 if number + 1 < len(headers) else last_row
        earlier, year = _halves(header)
        # halves side by side: a blank value of one half is no lost cell of the other
        targets.extend(_parse_table(index, year, end, issues, stop_prefixes, notes, realign=not earlier))
        for half in earlier:
            for target in _parse_table(index, half, end, issues, stop_prefixes, notes, realign=False):
                notes.append(next_item(notes, MID_TERM_SECTION,
                                       f"{target.level1}｜{target.level2}｜{target.level3}：{target.raw_value}",
                                       target.sheet, target.cell))
    return targets


def _halves(header: TableHeader) -> tuple[list[TableHeader], TableHeader]:
    """The national form (财预〔2015〕88号) sets a mid-term half beside the year's in one grid: 一级指标 | 二级指标 |
    三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值, the 一级指标 shared. A level column right of a value column
    starts a half; the last half is the year's. Returns (the earlier halves, the year's); a grid without
    halves is its own year's half."""
    starts: list[int] = []
    seen_value = False
    for col in sorted(header.roles):
        role = header.roles[col]
        if role in PERIOD_ROLES:
            seen_value = True
        elif role in LEVELS and seen_value:
            starts.append(col)
            seen_value = False
    if not starts:
        return [], header
    bounds = [0, *starts, max(header.roles) + 1]
    halves = [{col: role for col, role in header.roles.items() if low <= col < high}
              for low, high in zip(bounds, bounds[1:])]
    shared = {col: role for col, role in halves[0].items() if role == "level1"}
    made = [TableHeader(header.row, header.data_row, roles if "level1" in roles.values() else shared | roles)
            for roles in halves]
    return made[:-1], made[-1]


def _is_stop_row(row: list[Cell], stop_prefixes: tuple[str, ...]) -> bool:
    return norm(row[0].text).startswith(stop_prefixes)  # any of them, in one test


def _parse_table(index: SheetIndex, header: TableHeader, end: int, issues: list[Issue],
                 stop_prefixes: tuple[str, ...], notes: list[TextItem], realign: bool = True) -> list[Target]:
    sheet = index.sheet.name
    has_key_task = header.column("key_task") is not None
    current: dict[str, str | None] = dict.fromkeys(LEVELS)
    targets: list[Target] = []
    if not header.value_columns:  # 一级/三级 found, but no 指标值 column this declaration knows
        issues.append(Issue("target_values_missing", "the indicator table has no target value column (指标值)",
                            "warning", sheet, index.row(header.row)[0].address))
        return targets
    value_columns = header.value_columns  # the header does not change while its rows are read
    last_value_col = max(value_columns)
    note_words = {col: " ".join(cell.text.split()) for cell in index.row(header.row) + index.row(header.data_row - 1)
                  if header.roles.get(col := cell.col) == "note"}
    stop_prefixes = tuple(stop_prefixes)
    for row in index.rows_between(header.data_row, end):
        if _is_stop_row(row, stop_prefixes):
            break
        placed = _place_cells(row, header, last_value_col if realign else None, issues, sheet)
        for level_number, level in enumerate(LEVELS):
            cell = placed.get(level)
            if cell is not None:
                current[level] = " ".join(cell.text.split())
                for lower in LEVELS[level_number + 1:]:  # a new parent starts fresh children
                    current[lower] = None
        values = {role: cell for role, cell in placed.items() if role in PERIOD_ROLES}
        if current["level3"] is None or "level3" not in placed:
            if values:
                issues.append(Issue("indicator_name_missing", "a row has target values but no 三级指标 name",
                                    "warning", sheet, row[0].address))
            continue
        for missing in ("level1", "level2"):
            if current[missing] is None:
                issues.append(Issue("indicator_level_missing", f"{current['level3']} has no {missing} above it",
                                    "warning", sheet, placed["level3"].address))
        parts = {role: placed[role] for role in _PART_ROLES if role in placed}
        for period, cell in sorted(values.items(), key=lambda item: PERIOD_ROLES.index(item[0])):
            targets.append(_target(current, has_key_task, cast(Period, period), cell, issues, parts))
        for col, word in note_words.items():
            cell = placed.get(f"note@{col}")
            if cell is not None:
                # numbered within its section: ``notes`` holds the mid-term targets of earlier tables too
                notes.append(next_item(notes, NOTE_SECTION, f"{current['level3']}｜{word}："
                                       f"{' '.join(cell.text.split())}", cell.sheet, cell.address))
        for period in value_columns.values():
            if period not in values:
                issues.append(Issue("target_value_missing", f"{current['level3']} has no {period} value",
                                    "warning", sheet, placed["level3"].address))
    return targets


def _place_cells(row: list[Cell], header: TableHeader, last_value_col: int | None, issues: list[Issue],
                 sheet: str) -> dict[str, Cell]:
    """Give each cell of a data row its role; realign a row that lost leading cells (``last_value_col`` None:
    never; a half of a grid whose year's half is right of it cannot tell a lost cell from a blank one)."""
    cells, shift = row, 0
    if last_value_col is not None:
        cells = [cell for cell in row if cell.col <= last_value_col]
        if not cells:
            return {}
        shift = last_value_col - cells[-1].col
        if shift == 0:  # columns right of the values (度量单位, 备注) are read only on a row that is in place
            cells = row
        else:
            issues.append(Issue(
                "row_realigned",
                f"row {row[0].row} ends {shift} column(s) left of the value columns; read as shifted right by {shift}",
                "warning", sheet, row[0].address))
    placed: dict[str, Cell] = {}
    for cell in cells:
        role = header.roles.get(cell.col + shift)
        if role == "note":  # a table may have several note columns (备注, 分值)
            placed[f"note@{cell.col + shift}"] = cell
        elif role is not None and role != "single":
            placed[role] = cell
    return placed


#: Roles of the columns that hold a part of the target (its operator, its unit).
_PART_ROLES = ("operator", "unit")


def _target(levels: dict[str, str | None], has_key_task: bool, period: Period, cell: Cell,
            issues: list[Issue], parts: dict[str, Cell] | None = None) -> Target:
    value = parse_target(_whole_target(cell, parts or {}, issues))
    if parts:  # the record keeps its own cell's text; operator and unit came from the cells beside it
        value = replace(value, raw_value=cell.text.strip())
    if value.problem:
        issues.append(Issue("target_value_unparsed", value.problem, "warning", cell.sheet, cell.address))
    return make_target(  # Target's fields in order: level1, level2, key_task, level3, period, raw_value,
        # operator, value, unit, is_quantitative, sheet, cell
        levels["level1"] or "", levels["level2"] or "", (levels["key_task"] or "") if has_key_task else None,
        levels["level3"] or "", period, value.raw_value, value.operator, value.value, value.unit,
        value.is_quantitative, cell.sheet, cell.address)


def _whole_target(cell: Cell, parts: dict[str, Cell], issues: list[Issue]) -> str:
    """The target as one text: ``≥`` | ``2000`` | ``人`` (指标性质 | 指标值 | 度量单位) -> '≥2000人'. An operator
    column saying 定性/定量 adds nothing; any other word there is reported (``target_operator_unread``)."""
    text = cell.text.strip()
    operator, unit = parts.get("operator"), parts.get("unit")
    if operator is not None:
        word = to_half_width(operator.text).strip()
        if word in _KIND_WORDS:
            pass
        elif word in _OPERATOR_WORDS:
            if not parse_target(text).operator:
                text = _OPERATOR_WORDS[word] + text
        else:
            issues.append(Issue("target_operator_unread", f"{word!r} in the operator column is no operator "
                                                          f"(≥, ≤, =, >, <, 定性, 定量)", "warning",
                                cell.sheet, operator.address))
    if unit is not None and unit.text.strip() and not text.endswith(unit.text.strip()):
        text += unit.text.strip()
    return text


_OPERATOR_WORDS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "==": "=", ">": ">", "<": "<",
                   "大于等于": "≥", "不低于": "≥", "不少于": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
                   "等于": "=", "大于": ">", "小于": "<"}

__all__ = ["MID_TERM_SECTION", "NOTE_SECTION", "TableHeader", "find_headers", "parse_indicator_tables"]
