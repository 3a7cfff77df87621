"""Reading a sheet by its labels: normalised label text, label lookup, scoring.

A label is matched on its normalised text (no spaces, half-width punctuation,
no trailing colon), so '单 位 名 称：' is '单位名称'. Long cells (prose) are never
labels, which keeps a sentence that mentions '年度目标' from opening a block.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from budget_etl.parsers.cells import Cell, Sheet
from budget_etl.parsers.values import to_half_width

MAX_LABEL_CHARS = 40
_PARENTHETICAL_RE = re.compile(r"\([^()]*\)")
_DROP_RE = re.compile(r"[\s:：*＊]+")


# Memoised: recognition and parsing normalise the same few hundred label texts millions of times a run.
@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """'单 位 名 称：' -> '单位名称'; '部门整体资金（万元）' -> '部门整体资金(万元)'."""
    return _DROP_RE.sub("", to_half_width(text))


@lru_cache(maxsize=1 << 14)
def bare(text: str) -> str:
    """A label without its parenthetical and leading '其中': '其中:财政拨款(万元)' -> '财政拨款'."""
    text = _PARENTHETICAL_RE.sub("", norm(text))
    return text.removeprefix("其中")


def header_role(text: str, words: Mapping[str, str]) -> str | None:
    """The role of a column's header word (``words``: normalised word -> role): as written, else without its
    parenthetical. Local forms mark columns with formulas and units ('全年预算数（A）', '执行率（B/A）',
    '得分（分）') where the national form has none; a word declared with its parenthetical ('目标值(标准)')
    matches as written first."""
    return words.get(norm(text)) or words.get(bare(text))


def is_label_cell(cell: Cell) -> bool:
    return _is_label_text(cell.text)


@lru_cache(maxsize=1 << 16)
def _is_label_text(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= MAX_LABEL_CHARS


@dataclass(frozen=True, slots=True)
class LabelMatch:
    canonical: str
    exact: bool


def match_label(text: str, vocabulary: dict[str, str] | tuple[str, ...]) -> LabelMatch | None:
    """Match a cell text to a vocabulary (canonical -> canonical, or alias -> canonical).

    Exact: equal to a listed spelling after :func:`norm`. Approximate: equal after :func:`bare`, an alias,
    or nearly the same characters; the caller reports approximate matches for review.
    """
    aliases = tuple(vocabulary.items()) if isinstance(vocabulary, dict) else tuple((w, w) for w in vocabulary)
    return _match_label(text, aliases)


# Memoised on the text and the vocabulary's items (not the dict's identity, which may be recycled):
# the fuzzy comparison is costly and funds blocks repeat the same few labels file after file.
@lru_cache(maxsize=1 << 14)
def _match_label(text: str, aliases: tuple[tuple[str, str], ...]) -> LabelMatch | None:
    normal = norm(text)
    for alias, canonical in aliases:  # every listed spelling is an intended one
        if normal == norm(alias):
            return LabelMatch(canonical, True)
    stripped = bare(text)
    for alias, canonical in aliases:
        if stripped == bare(alias):
            return LabelMatch(canonical, False)
    if len(stripped) >= 4:
        for alias, canonical in aliases:
            if len(alias) >= 4 and difflib.SequenceMatcher(None, stripped, bare(alias)).ratio() >= 0.85:
                return LabelMatch(canonical, False)
    return None


class SheetIndex:
    """The non-blank cells of a sheet, by row, with label lookups."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.cell_count = len(sheet.cells)
        self.max_row = sheet.max_row  # a max() over every cell: computed once, asked for several times
        self.rows: list[list[Cell]] = sheet.rows()
        self.row_numbers: list[int] = [row[0].row for row in self.rows]
        self._by_row = dict(zip(self.row_numbers, self.rows))
        # The label cells with their normalised text, row-major: every lookup scans this, not the whole sheet.
        self.labels: list[tuple[Cell, str]] = [(cell, norm(cell.text)) for row in self.rows for cell in row
                                               if is_label_cell(cell)]
        # ... and by their first character: a lookup only compares the few cells that can match.
        self._by_first: dict[str, list[tuple[int, Cell, str]]] = {}
        for position, (cell, text) in enumerate(self.labels):
            self._by_first.setdefault(text[:1], []).append((position, cell, text))

    def row(self, number: int) -> list[Cell]:
        return self._by_row.get(number, [])

    def rows_between(self, first: int, last: int) -> list[list[Cell]]:
        """Non-blank rows with first <= row <= last."""
        return [row for number, row in zip(self.row_numbers, self.rows) if first <= number <= last]

    def find(self, *labels: str, exact: bool = True, after_row: int = 0) -> Cell | None:
        """The first label cell (row-major) equal to one of ``labels`` (or starting with it)."""
        wanted = {norm(label) for label in labels}
        if "" in wanted:  # an empty label matches by prefix everywhere: the plain scan says which cell
            return next((cell for cell, text in self.labels if cell.row > after_row
                         and (text in wanted or not exact)), None)
        best: tuple[int, Cell] | None = None
        for word in wanted:
            for position, cell, text in self._by_first.get(word[0], ()):
                if best is not None and position >= best[0]:
                    break
                if cell.row > after_row and (text == word or (not exact and text.startswith(word))):
                    best = (position, cell)
                    break
        return best[1] if best else None

    def find_all(self, *labels: str) -> list[Cell]:
        wanted = {norm(label) for label in labels}
        return [cell for cell, text in self.labels if text in wanted]

    def value_right_of(self, label: Cell, known_labels: tuple[str, ...] = ()) -> Cell | None:
        """The value of a key/value label: the next non-blank cell to its right that is not a label."""
        known = {norm(text) for text in known_labels}
        for cell in self.row(label.row):
            if cell.col > label.col:
                if norm(cell.text) in known:
                    return None
                return cell
        return None


_last_index: SheetIndex | None = None


def index_of(sheet: Sheet) -> SheetIndex:
    """The sheet's index, shared by recognition (every template scores the same sheet) and parsing.

    One entry is enough: a file's sheets are scored and parsed one after another. The cache holds the
    sheet itself, so an identity match cannot be a new sheet at a recycled address.
    """
    global _last_index
    cached = _last_index
    if cached is None or cached.sheet is not sheet or cached.cell_count != len(sheet.cells):
        cached = _last_index = SheetIndex(sheet)
    return cached


@dataclass(frozen=True, slots=True)
class Evidence:
    """What recognition found: a score in [0, 1] and the labels seen, with their cells."""

    score: float
    found: tuple[str, ...]


def score_labels(sheet: Sheet, title_test, labels: tuple[str, ...], title_weight: float = 0.4) -> Evidence:
    """Score a sheet: ``title_weight`` for a title cell passing ``title_test``, the rest by labels found."""
    index = index_of(sheet)
    found: list[str] = []
    title_cell = next((cell for cell, text in index.labels if title_test(text)), None)
    if title_cell is not None:
        found.append(f"title {title_cell.text.strip()!r} at {title_cell.address}")
    hits = 0
    for label in labels:
        cell = index.find(label, exact=False)
        if cell is not None:
            hits += 1
            found.append(f"{label} at {cell.address}")
    score = (title_weight if title_cell is not None else 0.0) + (1 - title_weight) * hits / len(labels)
    return Evidence(round(score, 4), tuple(found))
