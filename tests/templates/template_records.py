"""Plain views of a ParsedSubmission for comparisons: JSON-ready, optionally without provenance."""
from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates import parse_workbook

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "templates"
SEED = ROOT / "tests" / "fixtures" / "seed-department-overall.txt"
SEED_GOLDEN = FIXTURES / "seed-department-overall.golden.json"


def parse_file(path: Path) -> ParsedSubmission:
    return parse_workbook(read_bytes(path.read_bytes(), path.name))


def _plain(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def as_json(submission: ParsedSubmission, *, provenance: bool = True) -> dict:
    """Every record as a dict; without provenance, sheet/cell (and an amount's source text) are dropped."""
    dropped = set() if provenance else {"sheet", "cell", "raw"}

    def row(record) -> dict:
        return {k: _plain(v) for k, v in asdict(record).items() if k not in dropped}

    view = {
        "template": submission.template, "department_name": submission.department_name,
        "fiscal_year": submission.fiscal_year, "project_name": submission.project_name,
        "budget": [row(line) for line in submission.budget],
        "targets": [row(target) for target in submission.targets],
        "texts": [row(text) for text in submission.texts],
    }
    if provenance:
        view |= {"sheet": submission.sheet, "blocks": submission.blocks, "attributes": submission.attributes,
                 "sources": {k: list(v) for k, v in submission.sources.items()},
                 "issues": [issue.to_dict() for issue in submission.issues]}
    return view


if __name__ == "__main__":  # rewrite the golden file; review the diff by hand before committing
    import json

    SEED_GOLDEN.write_text(json.dumps(as_json(parse_file(SEED)), ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
    print(f"wrote {SEED_GOLDEN.relative_to(ROOT)}")
