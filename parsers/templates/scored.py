"""Scored tables: self-evaluations (绩效自评表) and evaluation forms (绩效评价表).

Three readers, each driven by the header words a declaration gives (never by positions):

- :func:`read_scored_grid` — an indicator grid whose columns carry, besides the 一级/二级/三级 levels, a
  target (年度指标值, 目标值(标准)), an actual value (实际完成值, 指标值), maxima (权重, 分值), a score (得分),
  a unit (计量单位), collected items (数据项1, 数据项2), a reason (偏差原因, 理由, 扣分原因), and an evaluation's
  scoring sheet's texts: what the indicator means (指标解释) and how it is scored (评分标准). A maximum column
  (``max``: 权重, 分值) belongs to the level column nearest on its left, so an evaluation form's two 分值
  columns are the 二级's and the 三级's. Several header bands may follow each other in one table (the real
  forms repeat the header for 预算绩效, 项目产出, 项目效果). Rows under an indicator that name no new
  indicator but carry a 分值 are its rubric rows (①②③ with 理由): their 分值 add up to its maximum. A scoring
  sheet may write a level's maximum in its name ('决策(20)', '决策（20分）'): read with ``scores_in_names``. A
  scoring sheet of two levels (一级指标 | 二级指标 | 分值 | 得分, no 三级指标) is read with ``two_levels``, and the
  分值 and 得分 its total row states (合计, 总分) with ``read_totals``.
- :func:`read_execution_funds` — a funds grid whose rows are fund items and whose columns are amounts of
  several measures (年初预算数, 全年预算数, 全年执行数) and a score (分值, 执行率, 得分).
- :func:`read_column_texts` — texts under header words (预期目标 | 实际完成情况).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import Direction, FundsScore, IndicatorResult, Target
from budget_etl.parsers.templates.labels import (
    SheetIndex,
    header_role,
    is_label_cell,
    match_label,
    norm,
)
from budget_etl.parsers.values import (
    NO_VALUE_MARKS,
    parse_amount,
    parse_target,
    to_half_width,
)

LEVELS = ("level1", "level2", "level3")
#: The column roles a scored grid's header words may take.
GRID_ROLES = LEVELS + ("max", "unit", "target", "actual", "score", "item", "reason", "explanation", "rule")
#: The column roles of an execution funds grid.
FUNDS_ROLES = ("initial_budget", "budget", "executed", "max", "rate", "score")
FUNDS_MEASURES = ("initial_budget", "budget", "executed")
_NUMBER_RE = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(\S{0,6})$")
_RUBRIC_MARKS = "①②③④⑤⑥⑦⑧⑨⑩"
#: A score written with its word: '10分', '9.5 分' (read half-width).
_POINTS_RE = re.compile(r"^(.*\d)\s*分$")
#: 计量单位 words that say "yes or no", not a unit of a number
_NOT_UNITS = ("是/否", "是否", "/", "—")
_YEAR_PREFIX_RE = re.compile(r"^[(（]?(?:19|20)\d{2}\s*年度?[)）]?\s*")
#: The first words of a grid's total row (a stop row): its 分值 and 得分 are the whole grid's.
TOTAL_WORDS = ("总分", "合计", "总计")
#: A level's name carrying its maximum: '决策(20)', '决策（20分）', '产出 (权重40%)' (read half-width).
_SCORE_IN_NAME_RE = re.compile(r"^(?P<name>.*?\S)\s*\(\s*(?:权重|分值|满分)?\s*[:：]?\s*"
                               r"(?P<score>\d+(?:\.\d+)?)\s*(?:分|%)?\s*\)$")


# -- values ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Measured:
    raw: str | None
    value: Decimal | None
    unit: str | None


def parse_measured(text: str | None, unit_hint: str | None = None) -> Measured:
    """An actual value or a standard: '296人' -> 296 人; '98.86%' -> 98.86 %; '是' stays text.

    An operator in front is read past (an actual is a fact, ≥ in it is a clerk's habit). ``unit_hint``: the
    row's 计量单位, used when the number is bare ('300' under 人)."""
    raw = " ".join((text or "").split())
    if not raw or raw in NO_VALUE_MARKS:
        return Measured(raw or None, None, None)
    parsed = parse_target(raw)
    if parsed.is_quantitative:
        return Measured(raw, parsed.value, parsed.unit or _unit(unit_hint))
    match = _NUMBER_RE.match(to_half_width(raw).replace(" ", ""))
    if match and not re.match(r"^\d{4}年", to_half_width(raw)):
        unit = match.group(2) or _unit(unit_hint)
        return Measured(raw, Decimal(match.group(1).replace(",", "")), unit or None)
    return Measured(raw, None, None)


def _unit(hint: str | None) -> str | None:
    hint = (hint or "").strip()
    return None if not hint or hint in _NOT_UNITS else hint


def standard_target(raw: str, unit_hint: str | None) -> tuple[str | None, Decimal | None, str | None, bool]:
    """An evaluation form's 目标值(标准) as (operator, value, unit, is_quantitative).

    A standard is usually a bare number ('100%', '0' under 次): it is quantitative with no operator (the
    form's rubric, not a sign, says how it is scored)."""
    parsed = parse_target(raw)
    if parsed.is_quantitative:
        return parsed.operator, parsed.value, parsed.unit or _unit(unit_hint), True
    measured = parse_measured(raw, unit_hint)
    if measured.value is not None:
        return None, measured.value, measured.unit, True
    return None, None, None, False


def score_in_name(text: str) -> tuple[str, Decimal | None]:
    """'决策（20分）' -> ('决策', 20); a name without one -> (the name, None)."""
    name = " ".join(text.split())
    match = _SCORE_IN_NAME_RE.match(to_half_width(name))
    if match is None:
        return name, None
    return name[:len(match.group("name"))], Decimal(match.group("score"))


def number_of(cell: Cell | None) -> Decimal | None:
    """A score or maximum cell as a number ('10', '１０', '9.5分': a score written with its word); None when
    empty, '—' or not a number (:func:`note_unparsed_scores` says so)."""
    return _score_number(cell)[0]


def _score_number(cell: Cell | None) -> tuple[Decimal | None, bool]:
    if cell is None:
        return None, True
    amount, understood = parse_amount(cell.value if isinstance(cell.value, Decimal) else cell.text)
    if not understood:
        points = _POINTS_RE.match(to_half_width(cell.text).strip())
        if points is not None:
            amount, understood = parse_amount(points.group(1))
    return amount, understood


def note_unparsed_scores(cells: list[Cell | None], issues: list[Issue]) -> None:
    """A 分值 or 得分 cell whose text is no number: a warning at the cell, since its value is not loaded."""
    for cell in cells:
        if cell is not None and not _score_number(cell)[1]:
            issues.append(Issue("score_unparsed", f"{cell.text.strip()!r} is not a score", "warning", cell.sheet,
                                cell.address))


def percent_of(text: str | None) -> Decimal | None:
    """'98.86%' -> 98.86; '98.86' -> 98.86 (a 执行率 column is a percentage either way)."""
    measured = parse_measured(text)
    return measured.value if measured.unit in (None, "%") else None


def project_from_title(title: str, endings: tuple[str, ...]) -> str | None:
    """'反恐经费支出绩效评价表' -> '反恐经费': the title without the form's name at its end, nor the year at its
    start ('2023年度职工疗休养项目绩效评价评分表' -> '职工疗休养')."""
    text = _YEAR_PREFIX_RE.sub("", " ".join(title.split()))
    for ending in sorted(endings, key=len, reverse=True):
        if norm(text).endswith(norm(ending)):
            cut = len(text)
            while cut > 0 and norm(text[cut - 1:]) != norm(ending):
                cut -= 1
            name = text[:cut - 1].strip() if cut else ""
            return name or None
    return None


# -- headers ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class GridHeader:
    row: int
    data_row: int
    roles: dict[int, str] = field(default_factory=dict)  # column -> role; 'max' resolved to '<level>_max'
    two_levels: bool = False  # 一级 | 二级 with no 三级 column: the 二级 column (role level3) names the indicators

    def columns(self, role: str) -> list[int]:
        return sorted(col for col, r in self.roles.items() if r == role)

    def column(self, role: str) -> int | None:
        cols = self.columns(role)
        return cols[0] if cols else None


def _roles_of(row: list[Cell], words: dict[str, str]) -> dict[int, str]:
    return {cell.col: role for cell in row if is_label_cell(cell) and (role := header_role(cell.text, words))}


def find_grid_headers(index: SheetIndex, words: dict[str, str], required: tuple[str, ...], *,
                      two_levels: bool = False) -> list[GridHeader]:
    """Every header row holding all ``required`` roles; a second header row below is merged in.

    ``words``: normalised header word -> role. The row below counts as a second header row when every
    role word in it is one of the header's (数据项1 | 数据项2 under a spanning 采集数据项). ``two_levels``: a
    row holding level1 and level2 but no level3 is a header too, its level2 column read as the indicators'
    (a scoring sheet scoring its 二级指标: 一级指标 | 二级指标 | 分值 | 得分)."""
    headers: list[GridHeader] = []
    for row in index.rows:
        roles = _roles_of(row, words)
        found = set(roles.values())
        two = two_levels and "level3" not in found and {"level1", "level2"} <= found
        if two:
            roles = {col: "level3" if role == "level2" else role for col, role in roles.items()}
        elif not all(role in found for role in required):
            continue
        header = GridHeader(row[0].row, row[0].row + 1, roles, two)
        below_number = next((n for n in index.row_numbers if n > header.row), None)
        if below_number is not None:
            below_row = index.row(below_number)
            below = _roles_of(below_row, words)
            if below and len(below) == len(below_row) and not any(r in LEVELS for r in below.values()):
                header.roles.update(below)
                header.data_row = below_number + 1
        _resolve_maxima(header)
        headers.append(header)
    return headers


def _resolve_maxima(header: GridHeader) -> None:
    """权重/分值 columns are the maximum of the level column nearest on their left."""
    levels = sorted((col, role) for col, role in header.roles.items() if role in LEVELS)
    for col, role in sorted(header.roles.items()):
        if role == "max":
            left = [level for level_col, level in levels if level_col < col]
            header.roles[col] = f"{left[-1] if left else 'level3'}_max"


# -- the scored grid -------------------------------------------------------------------------------------
#: A level's maximum: its number and the cell stating it (a 权重/分值 cell, or the level's own name cell).
_LevelMax = tuple[Decimal | None, Cell | None]
_NO_MAX: _LevelMax = (None, None)


@dataclass(slots=True)
class _Indicator:
    level1: str
    level2: str
    level3: str
    cell: Cell
    target: Cell | None = None
    unit: str | None = None
    actual: Cell | None = None
    score: Cell | None = None
    max_cells: list[Cell] = field(default_factory=list)
    items: list[tuple[str, Cell]] = field(default_factory=list)  # (数据项N, its cell)
    reasons: list[str] = field(default_factory=list)
    level2_max: _LevelMax = (None, None)
    weight: _LevelMax = (None, None)
    explanation: Cell | None = None
    rule: Cell | None = None


@dataclass(slots=True)
class ScoredGrid:
    targets: list[Target] = field(default_factory=list)
    results: list[IndicatorResult] = field(default_factory=list)
    totals: list[tuple[str, Cell]] = field(default_factory=list)  # ('合计｜得分', its cell) of a total row


@dataclass(slots=True)
class _Band:
    """Where a band's reading is: the 一级 and 二级 above (name, maximum cell) and the indicator open."""
    level1: tuple[str, _LevelMax] | None = None
    level2: tuple[str, _LevelMax] | None = None
    current: _Indicator | None = None
    indicators: list[_Indicator] = field(default_factory=list)


def read_scored_grid(index: SheetIndex, headers: list[GridHeader], last_row: int, stop_words: tuple[str, ...],
                     issues: list[Issue], *, standard_targets: bool = False,
                     scores_in_names: bool = False, read_totals: bool = False) -> ScoredGrid:
    """Targets and results of every band; a band runs to the next header, a stop row (总分, 注) or
    ``last_row``. ``standard_targets``: targets are standards (bare numbers, a 计量单位 column);
    ``scores_in_names``: a 一级/二级 name may carry its maximum ('决策(20)'), read where no 权重/分值 column
    gives one; ``read_totals``: a stop row starting with one of :data:`TOTAL_WORDS` gives the grid's totals."""
    grid = ScoredGrid()
    for number, header in enumerate(headers):
        end = headers[number + 1].row - 1 if number + 1 < len(headers) else last_row
        band = _Band()
        read: list[list[Cell]] = []
        for row in index.rows_between(header.data_row, end):
            first = norm(row[0].text)
            if any(first.startswith(norm(word)) for word in stop_words):
                if read_totals and first.startswith(TOTAL_WORDS):
                    grid.totals += _total_cells(row, header)
                break
            _read_row(row, header, band, issues, scores_in_names)
            read.append(row)
        _note_unread_columns(index, header, read, issues)
        for indicator in band.indicators:
            _emit(indicator, header, grid, standard_targets, issues)
    return grid


def _note_unread_columns(index: SheetIndex, header: GridHeader, rows: list[list[Cell]], issues: list[Issue]) -> None:
    """A column of the grid, right of its first level, whose header names no role of the family but whose rows hold
    values: a ``grid_column_not_read`` warning at its header cell, so the loss is seen and the declaration can be
    given the word (a province's '全年指标值' for 年度指标值 lost every target without a word)."""
    first = min(header.roles)
    header_rows = range(header.row, header.data_row)
    seen: set[int] = set()
    for number in header_rows:
        for cell in index.row(number):
            if (cell.col <= first or cell.col in header.roles or cell.col in seen or not is_label_cell(cell)
                    or not cell.text.strip()):
                continue
            if any(c.col == cell.col and c.text.strip() for row in rows for c in row):
                seen.add(cell.col)
                issues.append(Issue(
                    "grid_column_not_read", f"the indicator grid's column {cell.text.strip()!r} matches no column "
                    "this family reads; its values were not loaded", "warning", cell.sheet, cell.address))


def _total_cells(row: list[Cell], header: GridHeader) -> list[tuple[str, Cell]]:
    """A total row's numbers under a 分值 / 权重 column (the total maximum) and under the 得分 column."""
    word = " ".join(row[0].text.split())
    found = []
    for cell in row:
        role = header.roles.get(cell.col, "")
        what = "分值" if role.endswith("_max") else "得分" if role == "score" else None
        if what is not None and number_of(cell) is not None:
            found.append((f"{word}｜{what}", cell))
    return found


def _read_row(row: list[Cell], header: GridHeader, band: _Band, issues: list[Issue], scores_in_names: bool) -> None:
    placed: dict[str, list[Cell]] = {}
    for cell in row:
        role = header.roles.get(cell.col)
        if role is not None:
            placed.setdefault(role, []).append(cell)
    if "level1" in placed:  # a new 一级 starts fresh 二级 and indicators
        band.level1 = _level(placed, "level1", scores_in_names)
        band.level2, band.current = None, None
    if "level2" in placed:
        band.level2 = _level(placed, "level2", scores_in_names)
        band.current = None
    if "level3" in placed:
        cell = placed["level3"][0]
        above = (("一级指标", band.level1),) if header.two_levels else (("一级指标", band.level1), ("二级指标", band.level2))
        for name, value in above:
            if value is None:
                issues.append(Issue("indicator_level_missing", f"{cell.text.strip()} has no {name} above it",
                                    "warning", cell.sheet, cell.address))
        level1, level2 = band.level1 or ("", _NO_MAX), band.level2 or ("", _NO_MAX)
        band.current = _Indicator(level1[0], level2[0], " ".join(cell.text.split()), cell,
                                  level2_max=level2[1], weight=level1[1])
        band.indicators.append(band.current)
    values = {role: cells for role, cells in placed.items() if role not in LEVELS + ("level1_max", "level2_max")}
    if not values:
        return
    current = band.current
    if current is None:
        issues.append(Issue("indicator_name_missing", "a row has values but no 三级指标 name", "warning",
                            row[0].sheet, row[0].address))
        return
    # A rubric row (or a second target group under a merged 三级指标) adds to the current indicator.
    current.target = current.target or _first(values, "target")
    current.unit = current.unit or (" ".join(values["unit"][0].text.split()) if "unit" in values else None)
    current.actual = current.actual or _first(values, "actual")
    current.score = current.score or _first(values, "score")
    current.max_cells += values.get("level3_max", [])
    for col in header.columns("item"):
        item = next((c for c in values.get("item", []) if c.col == col), None)
        if item is not None and item.text.strip() not in NO_VALUE_MARKS:
            current.items.append((_header_word(header, col), item))
    # A bare rubric mark (①) says nothing; the reason after it does.
    current.reasons += [text for c in values.get("reason", []) if (text := " ".join(c.text.split()))
                        and text.strip(_RUBRIC_MARKS + " ")]
    current.explanation = current.explanation or _first(values, "explanation")
    current.rule = current.rule or _first(values, "rule")


def _level(placed: dict[str, list[Cell]], role: str, scores_in_names: bool) -> tuple[str, _LevelMax]:
    """A level's name and maximum: its 权重/分值 column's, else (``scores_in_names``) the one in its name."""
    cell = placed[role][0]
    max_cell = _first(placed, f"{role}_max")
    name, in_name = score_in_name(cell.text) if scores_in_names else (" ".join(cell.text.split()), None)
    if max_cell is not None or in_name is None:
        return name, (number_of(max_cell), max_cell)
    return name, (in_name, cell)


def _first(values: dict[str, list[Cell]], role: str) -> Cell | None:
    cells = values.get(role)
    return cells[0] if cells else None


def _header_word(header: GridHeader, col: int) -> str:
    return f"数据项{header.columns('item').index(col) + 1}"


def _emit(indicator: _Indicator, header: GridHeader, grid: ScoredGrid, standard_targets: bool,
          issues: list[Issue]) -> None:
    sheet = indicator.cell.sheet
    if indicator.target is not None and indicator.target.text.strip():
        raw = " ".join(indicator.target.text.split())
        if standard_targets:
            operator, value, unit, quantitative = standard_target(raw, indicator.unit)
        else:
            parsed = parse_target(raw)
            if parsed.problem:
                issues.append(Issue("target_value_unparsed", parsed.problem, "warning", sheet,
                                    indicator.target.address))
            operator, value, unit, quantitative = parsed.operator, parsed.value, parsed.unit, parsed.is_quantitative
        grid.targets.append(Target(indicator.level1, indicator.level2, None, indicator.level3, "full_year", raw,
                                   operator, value, unit, quantitative, sheet, indicator.target.address))
    actual_cell: Cell | None = indicator.actual
    if actual_cell is None and header.column("actual") is None and len(indicator.items) == 1:
        # A band without 指标值 (the rubric band): its one collected item is the indicator's value.
        actual_cell = indicator.items[0][1]
    actual = parse_measured(actual_cell.text if actual_cell is not None else None, indicator.unit)
    note_unparsed_scores([indicator.score, *indicator.max_cells], issues)
    maxima = [number_of(cell) for cell in indicator.max_cells]
    max_score = sum((m for m in maxima if m is not None), Decimal(0)) if any(m is not None for m in maxima) else None
    has_anything = actual.raw or indicator.score is not None or max_score is not None or indicator.reasons
    if not has_anything:
        return
    grid.results.append(IndicatorResult(
        level1=indicator.level1, level2=indicator.level2, level3=indicator.level3, period="full_year",
        actual_raw=actual.raw, actual_value=actual.value, actual_unit=actual.unit,
        score=number_of(indicator.score), max_score=max_score, level2_max=indicator.level2_max[0],
        weight=indicator.weight[0],
        data_items="; ".join(f"{word}: {' '.join(cell.text.split())}" for word, cell in indicator.items) or None,
        reason="\n".join(indicator.reasons) or None, sheet=sheet, cell=indicator.cell.address,
        actual_cell=actual_cell.address if actual_cell is not None and actual.raw else None,
        score_cell=indicator.score.address if indicator.score is not None else None,
        max_cell=", ".join(c.address for c in indicator.max_cells) or None,
        level2_max_cell=_address(indicator.level2_max[1]), weight_cell=_address(indicator.weight[1]),
        explanation=_text(indicator.explanation), scoring_rule=_text(indicator.rule),
        explanation_cell=_address(indicator.explanation), rule_cell=_address(indicator.rule),
    ))


def _address(cell: Cell | None) -> str | None:
    return cell.address if cell is not None else None


def _text(cell: Cell | None) -> str | None:
    """A text cell as one line of words; None when it is empty or says nothing ('—', '/')."""
    text = " ".join(cell.text.split()) if cell is not None else ""
    return text if text and text not in NO_VALUE_MARKS else None


# -- the execution funds grid ----------------------------------------------------------------------------
@dataclass(slots=True)
class ExecutionFunds:
    lines: list[tuple[str, str, str, Decimal | None, str, Cell]] = field(default_factory=list)
    scores: list[FundsScore] = field(default_factory=list)


def read_execution_funds(index: SheetIndex, first_row: int, last_row: int, words: dict[str, str],
                         items: dict[str, dict[str, str]], issues: list[Issue]) -> ExecutionFunds:
    """Rows of fund items, columns of measures and scores.

    ``words``: normalised header word -> role (:data:`FUNDS_ROLES`); ``items``: direction -> {spelling:
    canonical item}. Returns the amounts as (direction, item, measure, amount, raw, cell) and the scores."""
    out = ExecutionFunds()
    rows = index.rows_between(first_row, last_row)
    header = next((row for row in rows if sum(1 for c in row if header_role(c.text, words) in FUNDS_MEASURES) >= 2),
                  None)
    if header is None:
        issues.append(Issue("funds_header_missing", "the funds block has no 全年预算数 / 全年执行数 header",
                            "warning", index.sheet.name, rows[0][0].address if rows else None))
        return out
    roles = {cell.col: role for cell in header if (role := header_role(cell.text, words)) is not None}
    aliases = {spelling: (direction, canonical) for direction, vocabulary in items.items()
               for spelling, canonical in vocabulary.items()}
    for row in rows:
        if row[0].row <= header[0].row:
            continue
        label, match = None, None
        for cell in row:
            if cell.col in roles:
                continue
            found = match_label(cell.text, {spelling: spelling for spelling in aliases})
            if found is not None:
                label, match = cell, found
        if label is None or match is None:
            continue
        direction, item = aliases[match.canonical]
        if not match.exact:
            issues.append(Issue("label_approximate", f"{label.text.strip()!r} read as {item}", "warning",
                                label.sheet, label.address))
        by_role = {roles[cell.col]: cell for cell in row if cell.col in roles}
        for measure in FUNDS_MEASURES:
            found_cell = by_role.get(measure)
            if found_cell is None:
                if measure in roles.values():
                    issues.append(Issue("amount_missing", f"{item} has no {measure} amount", "warning",
                                        label.sheet, label.address))
                continue
            amount, understood = parse_amount(found_cell.value if isinstance(found_cell.value, Decimal)
                                              else found_cell.text)
            if not understood:
                issues.append(Issue("amount_unparsed", f"{found_cell.text!r} is not an amount", "warning",
                                    found_cell.sheet, found_cell.address))
            out.lines.append((direction, item, measure, amount, found_cell.text.strip(), found_cell))
        rate, max_cell, score = by_role.get("rate"), by_role.get("max"), by_role.get("score")
        stated = [c for c in (rate, max_cell, score) if c is not None and c.text.strip() not in NO_VALUE_MARKS]
        if stated:
            note_unparsed_scores([max_cell, score], issues)
            rate_raw = " ".join(rate.text.split()) if rate is not None and rate.text.strip() not in NO_VALUE_MARKS \
                else None
            out.scores.append(FundsScore(
                cast(Direction, direction), item, rate_raw, percent_of(rate_raw), number_of(max_cell), number_of(score),
                label.sheet, label.address,
                rate_cell=rate.address if rate is not None and rate_raw else None,
                max_cell=max_cell.address if max_cell is not None and number_of(max_cell) is not None else None,
                score_cell=score.address if score is not None and number_of(score) is not None else None))
    return out


# -- texts under header words ----------------------------------------------------------------------------
def read_column_texts(index: SheetIndex, label: Cell, last_row: int, sections: dict[str, str]
                      ) -> dict[str, list[Cell]]:
    """Below the header words of ``sections`` ({header word: section}), the cells in their columns.

    The header row is the label's row or the first row after it holding one of the words."""
    wanted = {norm(word): section for word, section in sections.items()}
    rows = index.rows_between(label.row, last_row)
    header = next((row for row in rows if any(header_role(c.text, wanted) for c in row)), None)
    if header is None:
        return {}
    columns = {cell.col: role for cell in header if (role := header_role(cell.text, wanted)) is not None}
    found: dict[str, list[Cell]] = {}
    for row in rows:
        if row[0].row <= header[0].row:
            continue
        for cell in row:
            if cell.col in columns and cell.text.strip():
                found.setdefault(columns[cell.col], []).append(cell)
    return found


__all__ = [
    "FUNDS_ROLES",
    "GRID_ROLES",
    "ExecutionFunds",
    "GridHeader",
    "Measured",
    "ScoredGrid",
    "TOTAL_WORDS",
    "find_grid_headers",
    "parse_measured",
    "percent_of",
    "project_from_title",
    "read_column_texts",
    "read_execution_funds",
    "read_scored_grid",
    "score_in_name",
    "standard_target",
]
