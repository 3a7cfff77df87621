"""Train the generic table reader's header-cell model on the IM-TQA train split, reproducibly.

    .venv/bin/python scripts/train_header_model.py [--datasets ../shared/datasets] [--cv]

Renders IM-TQA train (its own render.py: a sheet per table, merges kept, header truth) in a temporary
folder, reads each workbook as `budget-etl tables` does, and for every cell of every table region the
rules find computes the features of :mod:`budget_etl.parsers.tables.cellfeatures` (the rules' own
decision among them) and the truth (IM-TQA's four header roles: a header cell or not). It fits boosted
decision trees (logistic loss, 100 trees of depth 5, histogram splits; plain numpy, no randomness) and writes them
to parsers/tables/header_model.json, which ships with the package and is evaluated without numpy.
Only the train split is used; the dev split is never read here. The rules' decisions are among the
features, so rerun this after changing the rules (parsers/tables/behead.py, assemble.py, partition.py) and
check benchmarks/score_tables.py before landing the new model. `--cv` first prints 5-fold
cross-validated header-cell F1 per table type (folds by table, seed 0) for the model and the rules.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from budget_etl.parsers.cells import parse_a1
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.tables import rule_table
from budget_etl.parsers.tables import text as tx
from budget_etl.parsers.tables.cellfeatures import FEATURES, cell_features, region_boxes
from budget_etl.parsers.tables.cellmodel import MODEL_PATH
from budget_etl.parsers.tables.grid import Grid
from budget_etl.parsers.tables.model import cell_a1
from budget_etl.parsers.tables.partition import partition
from budget_etl.parsers.tables.refine import MAX_NUMERIC_SHARE, MIN_FLIPS

ROOT = Path(__file__).resolve().parents[1]
PART_SHEETS = 400  # a workbook holds at most 500 sheets (ReadLimits.max_sheets)
ROUNDS, DEPTH, LEARNING_RATE, L2, MIN_HESSIAN, BINS = 100, 5, 0.3, 1.0, 1.0, 32
SEED = 0


def cells(datasets: Path, work: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Features, truth, table number and table types of every cell in a region of an IM-TQA train table, with
    its region's number and the share of numbers among the rules' entries of its region (refine's gate)."""
    folder = datasets / "imtqa"
    tables = json.loads((folder / "train_tables.json").read_text(encoding="utf-8"))
    features, truth, table_of, types, region_of, numeric_share = [], [], [], [], [], []
    regions = 0
    for start in range(0, len(tables), PART_SHEETS):
        part = work / f"train-{start // PART_SHEETS + 1}"
        part.with_suffix(".json").write_text(json.dumps(tables[start:start + PART_SHEETS], ensure_ascii=False),
                                             encoding="utf-8")
        subprocess.run([sys.executable, str(folder / "render.py"), str(part.with_suffix(".json")),
                        str(part.with_suffix(".xlsx")), str(part.with_suffix(".truth.jsonl"))], check=True)
        want = {}
        for line in part.with_suffix(".truth.jsonl").read_text(encoding="utf-8").splitlines():
            t = json.loads(line)
            want[t["table"]] = (set(t["header_cells"]), t["type"])
        workbook = read_bytes(part.with_suffix(".xlsx").read_bytes(), part.with_suffix(".xlsx").name)
        for sheet in workbook.sheets:
            headers, kind = want[sheet.name]
            grid = Grid(sheet)
            for region in partition(grid):
                table = rule_table(grid, region)
                rule = {parse_a1(label.cell) for label in table.labels}
                boxes = region_boxes(grid, region)
                share = sum(1 for e in table.entries if tx.is_numeric(e.value)) / max(1, len(table.entries))
                regions += 1
                for box, vector in zip(boxes, cell_features(grid, region, boxes, rule)):
                    features.append(vector)
                    truth.append(cell_a1(box.row, box.col) in headers)
                    table_of.append(len(types))
                    region_of.append(regions)
                    numeric_share.append(share)
            types.append(kind)
    return (np.array(features, dtype=float), np.array(truth, dtype=float), np.array(table_of), types,
            np.array(region_of), np.array(numeric_share))


def thresholds(x: np.ndarray) -> list[np.ndarray]:
    found = []
    for j in range(x.shape[1]):
        values = np.unique(x[:, j])
        if len(values) > BINS:
            values = np.unique(np.quantile(x[:, j], np.linspace(0, 1, BINS + 1)[1:-1], method="lower"))
        else:
            values = values[:-1]
        found.append(values)
    return found


def fit(x: np.ndarray, y: np.ndarray) -> dict:
    """Boosted trees, logistic loss; splits at the thresholds above, gain as in XGBoost (L2 on leaves)."""
    edges = thresholds(x)
    binned = np.stack([np.searchsorted(e, x[:, j], side="left") for j, e in enumerate(edges)], 1)
    share = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    base = float(np.log(share / (1 - share)))
    score = np.full(len(y), base)
    trees = []
    for _ in range(ROUNDS):
        p = 1 / (1 + np.exp(-score))
        grad, hess = p - y, p * (1 - p)
        tree: list[list] = []

        def grow(index: np.ndarray, depth: int) -> int:
            me = len(tree)
            tree.append([])
            g, h = grad[index].sum(), hess[index].sum()
            best = None
            if depth < DEPTH and len(index) > 1:
                for j, e in enumerate(edges):
                    if not len(e):
                        continue
                    gb = np.bincount(binned[index, j], weights=grad[index], minlength=len(e) + 1)
                    hb = np.bincount(binned[index, j], weights=hess[index], minlength=len(e) + 1)
                    gl, hl = np.cumsum(gb)[:-1], np.cumsum(hb)[:-1]
                    gr, hr = g - gl, h - hl
                    ok = (hl >= MIN_HESSIAN) & (hr >= MIN_HESSIAN)
                    gain = np.where(ok, gl ** 2 / (hl + L2) + gr ** 2 / (hr + L2) - g ** 2 / (h + L2), -1.0)
                    k = int(np.argmax(gain))
                    if gain[k] > 1e-6 and (best is None or gain[k] > best[0]):
                        best = (gain[k], j, k)
            if best is None:
                tree[me] = [round(float(-g / (h + L2) * LEARNING_RATE), 6)]
                return me
            _, j, k = best
            goes_left = binned[index, j] <= k
            low = grow(index[goes_left], depth + 1)
            high = grow(index[~goes_left], depth + 1)
            tree[me] = [j, float(edges[j][k]), low, high]
            return me

        grow(np.arange(len(y)), 0)
        trees.append(tree)
        score += evaluate([tree], 0.0, x)
    return {"features": list(FEATURES), "base": round(base, 6), "threshold": 0.0, "trees": trees}


def evaluate(trees: list, base: float, x: np.ndarray) -> np.ndarray:
    out = np.full(len(x), base)
    for tree in trees:
        def walk(node: int, index: np.ndarray) -> None:
            spec = tree[node]
            if len(spec) == 1:
                out[index] += spec[0]
                return
            feature, threshold, low, high = spec
            goes_left = x[index, feature] <= threshold
            walk(low, index[goes_left])
            walk(high, index[~goes_left])
        walk(0, np.arange(len(x)))
    return out


def cross_validate(x: np.ndarray, y: np.ndarray, table_of: np.ndarray, types: list[str], region_of: np.ndarray,
                   numeric_share: np.ndarray) -> None:
    """5-fold cross-validated header-cell F1 of the model alone, of the rules, and of the two as find_tables
    combines them (refine's gates: a body under MAX_NUMERIC_SHARE numbers, at least MIN_FLIPS disagreements)."""
    fold_of_table = np.random.RandomState(SEED).permutation(len(types)) % 5
    fold = fold_of_table[table_of]
    predicted = np.zeros(len(y), dtype=bool)
    for k in range(5):
        model = fit(x[fold != k], y[fold != k])
        predicted[fold == k] = evaluate(model["trees"], model["base"], x[fold == k]) > 0
    rules = x[:, 0] > 0
    open_to_model = numeric_share < MAX_NUMERIC_SHARE
    flips = np.bincount(region_of, weights=(predicted != rules) & open_to_model)
    combined = np.where(open_to_model & (flips[region_of] >= MIN_FLIPS), predicted, rules)
    kind = np.array(types)[table_of]
    truth = y > 0
    for name, guess in (("model alone", predicted), ("rules", rules), ("as combined", combined)):
        scores = []
        for key in ("all", "complex", "hierarchical", "horizontal", "vertical"):
            mask = np.ones(len(y), dtype=bool) if key == "all" else kind == key
            hit, want, got = (guess & truth)[mask].sum(), truth[mask].sum(), guess[mask].sum()
            scores.append(f"{key} {2 * hit / (want + got):.3f}")
        print(f"5-fold CV header-cell F1 (cells inside regions), {name}: " + ", ".join(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", action="store_true", help="print 5-fold cross-validated scores first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="header-model-") as work:
        x, y, table_of, types, region_of, numeric_share = cells(args.datasets, Path(work))
    print(f"{len(types)} tables, {len(y)} cells, {int(y.sum())} header cells")
    if args.cv:
        cross_validate(x, y, table_of, types, region_of, numeric_share)
    model = fit(x, y)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(model['trees'])} trees of depth {DEPTH})")


if __name__ == "__main__":
    main()
