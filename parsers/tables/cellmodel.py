"""The header-cell model: a small ensemble of boosted decision trees over :mod:`.cellfeatures`, shipped as
``header_model.json`` beside this module and written by ``scripts/train_header_model.py`` (trained on the
IM-TQA train split only; see benchmarks/RESULTS.md, "Generic tables"). Evaluated in plain Python: no
numerical library at run time.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from budget_etl.parsers.tables.cellfeatures import FEATURES

MODEL_PATH = Path(__file__).with_name("header_model.json")


class HeaderModel:
    """Trees as flat lists in the file: an inner node is ``[feature, threshold, left, right]`` (go left when the
    feature is at most the threshold), a leaf ``[value]``; the score is ``base`` plus one leaf per tree, a
    log-odds. Held as nested tuples ``(feature, threshold, left, right)`` with float leaves: one tuple read
    per level."""

    def __init__(self, spec: dict):
        if tuple(spec["features"]) != FEATURES:
            raise ValueError("header model was trained on other features; rerun scripts/train_header_model.py")
        self.base = float(spec["base"])
        self.threshold = float(spec.get("threshold", 0.0))
        self.trees = [_nest(tree, 0) for tree in spec["trees"]]

    def score(self, vector: list[float]) -> float:
        total = self.base
        for node in self.trees:
            while type(node) is tuple:
                node = node[2] if vector[node[0]] <= node[1] else node[3]
            total += node
        return total

    def is_header(self, vector: list[float]) -> bool:
        return self.score(vector) > self.threshold


def _nest(tree: list[list], index: int):
    node = tree[index]
    if len(node) == 1:
        return float(node[0])
    return (int(node[0]), float(node[1]), _nest(tree, int(node[2])), _nest(tree, int(node[3])))


@lru_cache(maxsize=1)
def load_model() -> HeaderModel | None:
    """The shipped model, or None when the package has none (then the rules alone decide)."""
    if not MODEL_PATH.exists():
        return None
    return HeaderModel(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
