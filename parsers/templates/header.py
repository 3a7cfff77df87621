"""The facts at the top of every table: title, fiscal year, key/value rows."""
from __future__ import annotations

import re

from budget_etl.parsers.cells import Cell
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.labels import SheetIndex, is_label_cell, norm

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


def find_fiscal_year(index: SheetIndex, title: Cell | None, before_row: int) -> tuple[int, Cell] | None:
    """The year of the table: a '2023年度' cell above the first block, else the title's year."""
    candidates = [cell for row in index.rows_between(0, before_row) for cell in row
                  if is_label_cell(cell) and "年" in cell.text]
    # Prefer '（2023年度）' on its own over a year inside another text (the title, a note).
    candidates.sort(key=lambda cell: (cell is title, "年度" not in cell.text, cell.row, cell.col))
    for cell in candidates:
        match = _YEAR_RE.search(cell.text)
        if match:
            return int(match.group(1)), cell
    return None


def year_in(text: str) -> int | None:
    """The year a text states ('2023年度…' -> 2023), if any."""
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def key_value(index: SheetIndex, labels: tuple[str, ...], known_labels: tuple[str, ...]) -> tuple[Cell, Cell | None] | None:
    """(label cell, value cell) for a key/value row; the value may share the label's cell ('单位名称：X')."""
    label = index.find(*labels)
    if label is None:
        wanted_norms = [(wanted, norm(wanted)) for wanted in labels]
        prefixes = tuple(normal for _, normal in wanted_norms)
        for row in index.rows:
            for cell in row:
                text = norm(cell.text)
                if not text.startswith(prefixes):  # the common case, in one test
                    continue
                for wanted, normal in wanted_norms:
                    if text.startswith(normal) and len(text) > len(normal) and \
                            re.match(rf"^\s*{re.escape(wanted)}\s*[:：]", cell.text.strip()):
                        return cell, cell
        return None
    return label, index.value_right_of(label, known_labels)


def value_text(label: Cell, value: Cell) -> str:
    """The value's text; for '单位名称：X' in one cell, the part after the colon."""
    text = value.text.strip()
    if value is label:
        text = re.split(r"[:：]", text, maxsplit=1)[1].strip()
    return " ".join(text.split())


def read_key_values(index: SheetIndex, submission: ParsedSubmission, fields: dict[str, tuple[str, ...]],
                    known_labels: tuple[str, ...]) -> dict[str, tuple[str, Cell]]:
    """Read key/value rows into ``attributes`` and ``blocks``; returns name -> (value, cell)."""
    found: dict[str, tuple[str, Cell]] = {}
    for name, labels in fields.items():
        pair = key_value(index, labels, known_labels)
        if pair is None:
            continue
        label, value = pair
        submission.blocks[name] = label.address
        if value is None or value.is_blank:
            submission.issues.append(Issue("value_missing", f"{labels[0]} has no value next to it",
                                           "warning", index.sheet.name, label.address))
            continue
        found[name] = (value_text(label, value), value)
    return found
