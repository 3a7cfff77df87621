"""Reading a sheet by its labels: normalised label text, label lookup, scoring.

A label is matched on its normalised text (no spaces, half-width punctuation,
no trailing colon), so '单 位 名 称：' is '单位名称'. Long cells (prose) are never
labels, which keeps a sentence that mentions '年度目标' from opening a block.
"""
from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from budget_etl.parsers.cells import Cell, Sheet
from budget_etl.parsers.memo import BoundedMemo
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


def _label_text(text: str) -> str | None:
    """The normalised text of a label cell (None for a cell that is no label), remembered: a season's sheets
    repeat the same texts, and every sheet is indexed once per file."""
    return _LABEL_TEXT.put(text, norm(text) if _is_label_text(text) else None)


_LABEL_TEXT: BoundedMemo[str, str | None] = BoundedMemo(1 << 16)
_UNSEEN = object()


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


_column = attrgetter("col")  # a sort key in C: every row of every indexed sheet is sorted by it
_row_of = attrgetter("row")


class SheetIndex:
    """The non-blank cells of a sheet, by row, with label lookups."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.cell_count = len(sheet.cells)
        # One pass over the cells (a sheet is indexed once per file, and this runs for every file): the
        # non-blank cells by row, then one pass over those for the label cells with their normalised text.
        by_row: dict[int, list[Cell]] = {}
        for cell in sheet.cells:
            if cell.text.strip():  # Cell.is_blank, inlined
                row = by_row.get(cell.row)
                if row is None:
                    by_row[cell.row] = [cell]
                else:
                    row.append(cell)
        # the sheet's last row, blank cells included (Sheet.max_row)
        self.max_row = max(map(_row_of, sheet.cells), default=0)
        self.row_numbers: list[int] = sorted(by_row)
        # Readers give cells row-major already; sorting an ordered row costs one pass.
        self.rows: list[list[Cell]] = [sorted(by_row[n], key=_column) for n in self.row_numbers]
        self._by_row = dict(zip(self.row_numbers, self.rows))
        # Every lookup scans the label cells, row-major, not the whole sheet; by row (header rows are read by
        # their label words); and by their first character (a lookup only compares the few that can match).
        labels: list[tuple[Cell, str]] = []
        labels_by_row: dict[int, list[tuple[Cell, str]]] = {}
        by_first: dict[str, list[tuple[int, Cell, str]]] = {}
        remembered = _LABEL_TEXT.get
        for number, row in zip(self.row_numbers, self.rows):
            row_labels = None
            for cell in row:
                label = remembered(cell.text, _UNSEEN)
                if label is _UNSEEN:
                    label = _label_text(cell.text)
                if not isinstance(label, str):  # None: not a label
                    continue
                entry = (cell, label)
                if row_labels is None:
                    row_labels = labels_by_row[number] = [entry]
                else:
                    row_labels.append(entry)
                first = by_first.get(label[:1])
                if first is None:
                    by_first[label[:1]] = [(len(labels), cell, label)]
                else:
                    first.append((len(labels), cell, label))
                labels.append(entry)
        self.labels = labels
        self.labels_by_row = labels_by_row
        self._by_first = by_first
        #: what readers of the sheet worked out from it, asked again within a parse (indicator headers)
        self.memo: dict[tuple, object] = {}

    def row(self, number: int) -> list[Cell]:
        return self._by_row.get(number, [])

    def rows_between(self, first: int, last: int) -> list[list[Cell]]:
        """Non-blank rows with first <= row <= last."""
        return [row for number, row in zip(self.row_numbers, self.rows) if first <= number <= last]

    def find(self, *labels: str, exact: bool = True, after_row: int = 0) -> Cell | None:
        """The first label cell (row-major) equal to one of ``labels`` (or starting with it)."""
        return self.find_normalised({norm(label) for label in labels}, exact=exact, after_row=after_row)

    def find_normalised(self, wanted: set[str] | frozenset[str], *, exact: bool = True,
                        after_row: int = 0) -> Cell | None:
        """:meth:`find` for labels already normalised (:func:`norm`)."""
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
        known = _normalised_set(tuple(known_labels))
        for cell in self.row(label.row):
            if cell.col > label.col:
                if norm(cell.text) in known:
                    return None
                return cell
        return None


@lru_cache(maxsize=256)
def _normalised_set(labels: tuple[str, ...]) -> frozenset[str]:
    """A family's known labels, normalised: every key/value block of every parse asks for the same few sets."""
    return frozenset(norm(text) for text in labels)


def index_of(sheet: Sheet) -> SheetIndex:
    """The sheet's index, shared by recognition (every family scores the same sheets) and parsing.

    The last few sheets' indexes are kept: a workbook's sheets are indexed once for the sheet-scoped
    families, again looked up for the workbook-scoped ones and for parsing. Each entry holds the sheet
    itself, so an identity match cannot be a new sheet at a recycled address.
    """
    key = id(sheet)
    cached = _INDEXES.get(key)
    if cached is None or cached.sheet is not sheet or cached.cell_count != len(sheet.cells):
        cached = SheetIndex(sheet)
        with _INDEXES_LOCK:  # files parse on threads too (`ingest --prefect --workers 0`)
            if len(_INDEXES) >= _INDEXES_KEPT:
                _INDEXES.pop(next(iter(_INDEXES)), None)  # the oldest
            _INDEXES[key] = cached
    return cached


# A few workbooks' worth of sheets: more would only keep old cells alive.
_INDEXES: dict[int, SheetIndex] = {}
_INDEXES_KEPT = 32
_INDEXES_LOCK = threading.Lock()


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
