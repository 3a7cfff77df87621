"""Recognising and parsing a sheet (or a workbook) as one declared family.

Recognition scores a family's title pattern and recognition labels (each by itself or a synonym); parsing
runs the family's blocks in declaration order through their block readers, then fills the identity and the
fiscal year, and lists the required blocks that were not found.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from budget_etl.parsers.cells import Cell, Sheet, Workbook
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.memo import BoundedMemo
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.blocks import BLOCK_READERS, BlockContext
from budget_etl.parsers.templates.declaration import Family, TitlePattern
from budget_etl.parsers.templates.header import find_fiscal_year, year_in
from budget_etl.parsers.templates.labels import SheetIndex, bare, index_of, norm

#: `explain` shows, for a missing label, the closest label texts at least this similar.
CLOSEST_RATIO = 0.6


@dataclass(frozen=True, slots=True)
class LabelHit:
    label: str  # the declared label
    text: str  # the cell's text
    cell: str  # 'sheet!A1'


@dataclass(frozen=True, slots=True)
class Evidence:
    """What recognition found: a score in [0, 1], the title, the labels found (with cells) and missing."""

    score: float
    title: LabelHit | None
    hits: tuple[LabelHit, ...]
    missing: tuple[str, ...]

    @property
    def found(self) -> tuple[str, ...]:
        """In words: "title '…' at A1", "单位名称 at B3"."""
        title = () if self.title is None else (f"title {self.title.text!r} at {self.title.cell.split('!')[-1]}",)
        return title + tuple(f"{hit.label} at {hit.cell.split('!')[-1]}" for hit in self.hits)


def evidence(family: Family, indexes: list[SheetIndex], patterns: tuple[TitlePattern, ...] = ()) -> Evidence:
    """Score ``family`` on these sheets (one for a sheet-scoped family; all of them for a workbook-scoped one).

    ``patterns``: every family's title pattern, when all of them are scored on the same sheets (recognition):
    each sheet's label cells are then tested once for all the titles, not once per family.

    A family with other layouts (``[[recognition.layouts]]``) takes a layout's evidence where the layout
    recognises the sheet and scores above the family's own labels (the best such layout; the family's own on a
    tie). Below the family's threshold the evidence is always its own: a layout moves no near miss and no
    unrelated sheet."""
    own = _evidence(family, indexes, patterns)
    if not family.layouts:
        return own
    best = own
    for layout in family.layouts:
        seen = _evidence(layout, indexes, patterns)
        if seen.score >= family.min_score and seen.score > best.score:
            best = seen
    return best


def _evidence(family: Family, indexes: list[SheetIndex], patterns: tuple[TitlePattern, ...]) -> Evidence:
    title = None
    for index in indexes:
        if family.title_pattern in patterns:
            cell = title_cells(patterns, index).get(family.title_pattern)
        else:
            cell = _title_cell(family.title_pattern, index)
        if cell is not None:
            title = LabelHit("title", cell.text.strip(), f"{cell.sheet}!{cell.address}")
            break
    if title is None:  # a web page's title above its table (Sheet.title)
        sheet = next((index.sheet for index in indexes if _outside_title(family, index.sheet)), None)
        if sheet is not None:
            title = LabelHit("title", sheet.title or "", f"{sheet.name}!(title above the table)")
    hits, missing = [], []
    for label, words in _label_words(family):
        cell = next((c for index in indexes if (c := index.find_normalised(words, exact=False))), None)
        if cell is None:
            missing.append(label)
        else:
            hits.append(LabelHit(label, cell.text.strip(), f"{cell.sheet}!{cell.address}"))
    weight = family.title_weight
    score = (weight if title is not None else 0.0) + (1 - weight) * len(hits) / len(family.labels)
    return Evidence(round(score, 4), title, tuple(hits), tuple(missing))


def _label_words(family: Family) -> list[tuple[str, frozenset[str]]]:
    """Each recognition label of the family with its spellings normalised, worked out once per family (every
    family is scored on every sheet of every file)."""
    kept = _LABEL_WORDS.get(id(family))
    if kept is None or kept[0] is not family:  # the family itself is kept: an id is never a recycled one
        words = [(label, frozenset(norm(spelling) for spelling in family.spellings(label)))
                 for label in family.labels]
        kept = _LABEL_WORDS.put(id(family), (family, words))
    return kept[1]


_LABEL_WORDS: BoundedMemo[int, tuple[Family, list[tuple[str, frozenset[str]]]]] = BoundedMemo(256)


def _title_cell(pattern: TitlePattern, index: SheetIndex) -> Cell | None:
    """The first label cell whose text passes ``pattern`` (:func:`title_cells` for this pattern alone)."""
    return title_cells((pattern,), index).get(pattern)


def title_cells(patterns: tuple[TitlePattern, ...], index: SheetIndex) -> dict[TitlePattern, Cell]:
    """Of each pattern that some label cell passes, the first such cell (row-major), from one pass over the
    sheet's label cells; kept with the sheet's index for the next family that asks.

    Every family's title is tested on every label cell of every sheet; the answers are remembered per tuple of
    patterns and text, since a season's files repeat the same label texts (a test costs a few substring
    searches, a lookup one dict read)."""
    key = ("title_cells", patterns)
    found = index.memo.get(key)
    if found is None:
        found = index.memo[key] = _first_title_cells(patterns, index)
    return found  # type: ignore[return-value]


def _first_title_cells(patterns: tuple[TitlePattern, ...], index: SheetIndex) -> dict[TitlePattern, Cell]:
    memo = _TITLES_PASSED.get(patterns)
    if memo is None or len(memo) > _TITLE_MATCHES_KEPT:
        memo = _TITLES_PASSED.put(patterns, {})
    found: dict[TitlePattern, Cell] = {}
    for cell, text in index.labels:
        passed = memo.get(text)
        if passed is None:
            passed = memo[text] = tuple(pattern for pattern in patterns if pattern.matches(text))
        for pattern in passed:
            if pattern not in found:
                found[pattern] = cell
    return found


# Per tuple of title patterns, label text -> the patterns it passes (usually none). Safe on threads without a
# lock: each store is one atomic dict write of the same answer whichever thread makes it.
_TITLES_PASSED: BoundedMemo[tuple[TitlePattern, ...], dict[str, tuple[TitlePattern, ...]]] = \
    BoundedMemo(64)  # a registry's tuple and each family's own
_TITLE_MATCHES_KEPT = 50_000


def closest_labels(family: Family, indexes: list[SheetIndex], label: str, limit: int = 3) -> list[tuple[str, str, float]]:
    """The label cells most like ``label`` (or a synonym): (text, 'sheet!A1', similarity), best first.

    For `explain`: an analyst sees 因公出国（境）费 where the declaration says 因公出国(境)费 and adds a synonym."""
    wanted = [bare(spelling) for spelling in family.spellings(label)]
    found = []
    for index in indexes:
        for cell, text in index.labels:
            ratio = max(difflib.SequenceMatcher(None, bare(text), w).ratio() for w in wanted)
            if ratio >= CLOSEST_RATIO:
                found.append((cell.text.strip(), f"{cell.sheet}!{cell.address}", round(ratio, 2)))
    found.sort(key=lambda item: -item[2])
    return found[:limit]


def parse(family: Family, sheet: Sheet, workbook: Workbook) -> ParsedSubmission:
    """Parse ``sheet`` as ``family``: every block by its reader, then identity, fiscal year, missing blocks."""
    index = index_of(sheet)
    submission = ParsedSubmission(template=family.name, department_name=None, fiscal_year=None, sheet=sheet.name,
                                  required_blocks=family.required_blocks)
    title = _title_cell(family.title_pattern, index)  # find_title's cell, with the answers remembered per text
    outside = None  # where a title printed outside the cells stands
    if title is not None:
        submission.blocks["title"] = title.address
        submission.attributes["title"] = " ".join(title.text.split())
    elif _outside_title(family, sheet):
        submission.attributes["title"] = " ".join((sheet.title or "").split())
        outside = "(title above the table)"
    elif _titled_sheet(family, sheet):
        submission.attributes["title"] = " ".join(sheet.name.split())
        outside = "(sheet name)"
    submission.required_identity = family.required_identity
    submission.restates_plan = family.restates_plan
    ctx = BlockContext(family, workbook, sheet, index, submission, known_labels=known_labels(family))
    for block in family.blocks:
        BLOCK_READERS[block.reader].read(ctx, block)
    _fill_identity(family, ctx)
    _place_fiscal_year(family, ctx, title)
    if outside is not None:
        # the form's title is there, outside its cells (a web page's heading, a sheet named as the form whose title
        # row was left out): a family requiring a title block finds it (set after the readers, which look for a cell)
        submission.blocks.setdefault("title", outside)
    for missing in submission.missing_blocks:
        submission.issues.append(Issue("block_missing", f"the {missing} block was not found", "warning", sheet.name))
    return submission


def _outside_title(family: Family, sheet: Sheet) -> bool:
    """The sheet's title printed outside its cells (an HTML heading) is the family's."""
    return bool(sheet.title) and family.title_pattern.matches(norm(sheet.title))


def _titled_sheet(family: Family, sheet: Sheet) -> bool:
    """A spreadsheet's sheet named as the family's form ('项目支出绩效自评表'): its title, where no cell holds one."""
    return sheet.title is None and family.title_pattern.matches(norm(sheet.name))


def known_labels(family: Family) -> tuple[str, ...]:
    """Every label a block of the family opens or closes on: a key/value's value is never one of these."""
    return tuple(dict.fromkeys(label for block in family.blocks
                               for label in BLOCK_READERS[block.reader].known_labels(block)))


def _fill_identity(family: Family, ctx: BlockContext) -> None:
    for field in ("department_name", "project_name"):
        block = next((name for name in family.identity.get(field, ()) if name in ctx.values), None)
        if block is None:
            continue
        text, cell = ctx.values[block]
        setattr(ctx.submission, field, text)
        ctx.submission.sources[field] = (cell.sheet, cell.address)


def _place_fiscal_year(family: Family, ctx: BlockContext, title: Cell | None) -> None:
    """The year sits above the first of the ``fiscal_year_before`` blocks; a year inside a later text (a
    goal's deadline) is not it."""
    if ctx.submission.fiscal_year is not None:  # a block reader has read it (a workbook's titles)
        return
    rows = [ctx.anchors[name].row for name in family.year_before if name in ctx.anchors]
    year = find_fiscal_year(ctx.index, title, min(rows, default=ctx.index.max_row))
    if year is not None:
        ctx.submission.fiscal_year = year[0]
        ctx.submission.sources["fiscal_year"] = (ctx.submission.sheet, year[1].address)
    elif title is None and _outside_title(family, ctx.sheet):  # '2023年度…评分表' in a web page's heading
        found = year_in(ctx.sheet.title or "")
        if found is not None:
            ctx.submission.fiscal_year = found
            ctx.submission.sources["fiscal_year"] = (ctx.submission.sheet, "(title above the table)")


def indexes_of(family: Family, sheet: Sheet, workbook: Workbook) -> list[SheetIndex]:
    if family.scope == "workbook":
        return [index_of(s) for s in workbook.sheets]
    return [index_of(sheet)]


__all__ = ["Evidence", "LabelHit", "closest_labels", "evidence", "known_labels", "norm", "parse"]
