"""Reading a sheet by its labels: normalised label text, label lookup, scoring.

A label is matched on its normalised text (no spaces, half-width punctuation,
no trailing colon), so '单 位 名 称：' is '单位名称'. Long cells (prose) are never
labels, which keeps a sentence that mentions '年度目标' from opening a block.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from parsers.cells import Cell, Sheet
from parsers.values import to_half_width

MAX_LABEL_CHARS = 40
_PARENTHETICAL_RE = re.compile(r"\([^()]*\)")
_DROP_RE = re.compile(r"[\s:：*＊]+")


def norm(text: str) -> str:
    """'单 位 名 称：' -> '单位名称'; '部门整体资金（万元）' -> '部门整体资金(万元)'."""
    return _DROP_RE.sub("", to_half_width(text))


def bare(text: str) -> str:
    """A label without its parenthetical and leading '其中': '其中:财政拨款(万元)' -> '财政拨款'."""
    text = _PARENTHETICAL_RE.sub("", norm(text))
    return text.removeprefix("其中")


def is_label_cell(cell: Cell) -> bool:
    return not cell.is_blank and len(cell.text.strip()) <= MAX_LABEL_CHARS


@dataclass(frozen=True, slots=True)
class LabelMatch:
    canonical: str
    exact: bool


def match_label(text: str, vocabulary: dict[str, str] | tuple[str, ...]) -> LabelMatch | None:
    """Match a cell text to a vocabulary (canonical -> canonical, or alias -> canonical).

    Exact: equal to a listed spelling after :func:`norm`. Approximate: equal after :func:`bare`, an alias,
    or nearly the same characters; the caller reports approximate matches for review.
    """
    aliases = vocabulary if isinstance(vocabulary, dict) else {word: word for word in vocabulary}
    normal = norm(text)
    for alias, canonical in aliases.items():  # every listed spelling is an intended one
        if normal == norm(alias):
            return LabelMatch(canonical, True)
    stripped = bare(text)
    for alias, canonical in aliases.items():
        if stripped == bare(alias):
            return LabelMatch(canonical, False)
    if len(stripped) >= 4:
        for alias, canonical in aliases.items():
            if len(alias) >= 4 and difflib.SequenceMatcher(None, stripped, bare(alias)).ratio() >= 0.85:
                return LabelMatch(canonical, False)
    return None


def starts_with_label(cell: Cell, label: str) -> bool:
    """'部门整体资金（万元）' starts with '部门整体资金'; prose cells never do."""
    return is_label_cell(cell) and norm(cell.text).startswith(norm(label))


class SheetIndex:
    """The non-blank cells of a sheet, by row, with label lookups."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.rows: list[list[Cell]] = sheet.rows()
        self.row_numbers: list[int] = [row[0].row for row in self.rows]
        self._by_row = dict(zip(self.row_numbers, self.rows))

    def row(self, number: int) -> list[Cell]:
        return self._by_row.get(number, [])

    def rows_between(self, first: int, last: int) -> list[list[Cell]]:
        """Non-blank rows with first <= row <= last."""
        return [row for number, row in zip(self.row_numbers, self.rows) if first <= number <= last]

    def find(self, *labels: str, exact: bool = True, after_row: int = 0) -> Cell | None:
        """The first label cell (row-major) equal to one of ``labels`` (or starting with it)."""
        wanted = {norm(label) for label in labels}
        for row in self.rows:
            if row[0].row <= after_row:
                continue
            for cell in row:
                if not is_label_cell(cell):
                    continue
                text = norm(cell.text)
                if text in wanted or (not exact and any(text.startswith(w) for w in wanted)):
                    return cell
        return None

    def find_all(self, *labels: str) -> list[Cell]:
        wanted = {norm(label) for label in labels}
        return [cell for row in self.rows for cell in row if is_label_cell(cell) and norm(cell.text) in wanted]

    def value_right_of(self, label: Cell, known_labels: tuple[str, ...] = ()) -> Cell | None:
        """The value of a key/value label: the next non-blank cell to its right that is not a label."""
        known = {norm(text) for text in known_labels}
        for cell in self.row(label.row):
            if cell.col > label.col:
                if norm(cell.text) in known:
                    return None
                return cell
        return None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What recognition found: a score in [0, 1] and the labels seen, with their cells."""

    score: float
    found: tuple[str, ...]


def score_labels(sheet: Sheet, title_test, labels: tuple[str, ...], title_weight: float = 0.4) -> Evidence:
    """Score a sheet: ``title_weight`` for a title cell passing ``title_test``, the rest by labels found."""
    index = SheetIndex(sheet)
    found: list[str] = []
    title_cell = next((cell for row in index.rows for cell in row
                       if is_label_cell(cell) and title_test(norm(cell.text))), None)
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
