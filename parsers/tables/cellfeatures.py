"""What the header-cell model sees of one cell of a table region: its place, its span, its text, its
neighbours and its row's and column's make-up, plus what the rules (:mod:`.behead`/:mod:`.assemble`)
decided for it and its neighbours.

Every feature is a number computed from the grid alone (no words of any table); the order of
:data:`FEATURES` is the order of the vector the model (:mod:`.cellmodel`) reads and the training
script (scripts/train_header_model.py) writes.
"""
from __future__ import annotations

from collections import Counter

from budget_etl.parsers.tables.grid import Box, Grid
from budget_etl.parsers.tables.partition import Region

FEATURES = (
    "rule_header", "numeric", "number", "text_length", "has_cjk", "short_no_cjk", "ends_colon",
    "row_index", "col_index", "row_share", "col_share", "first_row", "first_col", "last_col",
    "row_span", "col_span", "spans_all_cols",
    "left_exists", "left_rule_header", "left_numeric", "left_tall", "left_length",
    "right_exists", "right_rule_header", "right_numeric", "right_length", "right_wide",
    "above_exists", "above_rule_header", "above_numeric", "above_wide_over",
    "below_exists", "below_numeric", "below_rule_header",
    "row_boxes", "row_numeric_share", "row_text_share", "row_rule_share",
    "col_boxes", "col_numeric_share", "col_distinct_share", "col_rule_share", "col_tall_share",
    "repeats", "longer_than_right", "region_rows", "region_cols", "region_rule_share",
)

Cell = tuple[int, int]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def region_boxes(grid: Grid, region: Region) -> list[Box]:
    """The boxes that start inside the region, top to bottom, left to right."""
    return [b for r in region.rows for b in grid.own(r, region.left, region.right)]


def cell_features(grid: Grid, region: Region, boxes: list[Box], rule: set[Cell]) -> list[list[float]]:
    """One feature vector (in :data:`FEATURES` order) per box of ``boxes``; ``rule`` holds the (row, col) of the
    boxes the rules made labels."""
    rows = set(region.rows)
    left, right = region.left, region.right
    n_rows, n_cols = len(region.rows), right - left + 1
    row_index = {r: i for i, r in enumerate(region.rows)}
    texts = Counter(b.text for b in boxes)
    by_row: dict[int, list[Box]] = {}
    by_col: dict[int, list[Box]] = {}
    for b in boxes:
        by_row.setdefault(b.row, []).append(b)
        by_col.setdefault(b.col, []).append(b)

    def share(group: list[Box], test) -> float:
        return sum(1 for b in group if test(b)) / len(group) if group else 0.0

    row_stats = {r: (len(g), share(g, lambda b: b.numeric), share(g, lambda b: not b.numeric and b.has_value),
                     share(g, lambda b: (b.row, b.col) in rule)) for r, g in by_row.items()}
    col_stats = {c: (len(g), share(g, lambda b: b.numeric), len({b.text for b in g}) / len(g),
                     share(g, lambda b: (b.row, b.col) in rule), share(g, lambda b: b.tall)) for c, g in by_col.items()}
    region_rule = share(boxes, lambda b: (b.row, b.col) in rule)

    def near(row: int, col: int) -> Box | None:
        if row not in rows or not left <= col <= right:
            return None
        return grid.at(row, col)

    vectors = []
    for b in boxes:
        text = b.text
        lft, rgt = near(b.row, b.col - 1), near(b.row, b.last_col + 1)
        above, below = near(b.row - 1, b.col), near(b.last_row + 1, b.col)
        r_stats, c_stats = row_stats[b.row], col_stats[b.col]
        # a unit ('mm', 'm³/h', 'kW'): short, a letter, no CJK character
        unit_like = len(text) <= 6 and any(ch.isalpha() for ch in text) and not any(_is_cjk(ch) for ch in text)
        vectors.append([
            float((b.row, b.col) in rule), float(b.numeric), float(b.number), float(min(len(text), 60)),
            share_of(text, _is_cjk), float(unit_like), float(text.endswith((":", "："))),
            float(row_index[b.row]), float(b.col - left), row_index[b.row] / max(1, n_rows - 1),
            (b.col - left) / max(1, n_cols - 1), float(row_index[b.row] == 0), float(b.col == left),
            float(b.last_col == right), float(b.last_row - b.row + 1), float(b.last_col - b.col + 1),
            float(b.col == left and b.last_col == right),
            *_side(lft, rule), float(bool(lft and lft.tall)), float(len(lft.text) if lft else 0),
            *_side(rgt, rule), float(len(rgt.text) if rgt else 0), float(bool(rgt and rgt.wide)),
            *_side(above, rule), float(bool(above and above.wide and above.last_col > b.last_col or
                                            above and above.col < b.col)),
            float(below is not None), float(bool(below and below.numeric)), float(bool(below and (below.row, below.col) in rule)),
            float(r_stats[0]), r_stats[1], r_stats[2], r_stats[3],
            float(c_stats[0]), c_stats[1], c_stats[2], c_stats[3], c_stats[4],
            float(texts[text] - 1), float(bool(rgt) and len(text) > len(rgt.text) if rgt else 0),
            float(n_rows), float(n_cols), region_rule,
        ])
    return vectors


def share_of(text: str, test) -> float:
    return sum(1 for ch in text if test(ch)) / len(text) if text else 0.0


def _side(box: Box | None, rule: set[Cell]) -> tuple[float, float, float]:
    if box is None:
        return 0.0, 0.0, 0.0
    return 1.0, float((box.row, box.col) in rule), float(box.numeric)
