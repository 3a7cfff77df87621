"""Templates: recognise which table a workbook holds, by content, and parse it into records.

Each template is a module exposing ``NAME``, ``score(sheet) -> float`` (0..1),
``evidence(sheet)`` and ``parse(sheet) -> ParsedSubmission``; :data:`TEMPLATES`
lists them. Recognition scores every (template, sheet) pair by title and labels
and parses the best one; nothing scoring at least :data:`MIN_SCORE` means the
file is not a table we know.
"""
from __future__ import annotations

from dataclasses import dataclass

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates import department_overall, project

#: Registered templates; adding one is a module and a line here.
TEMPLATES = (department_overall, project)
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class Recognition:
    template: str
    sheet: str
    score: float
    evidence: tuple[str, ...]


def recognise(workbook: Workbook) -> list[Recognition]:
    """Every (template, sheet) pair with its score and the labels it found, best first."""
    found = []
    for sheet in workbook.sheets:
        for template in TEMPLATES:
            seen = template.evidence(sheet)
            found.append(Recognition(template.NAME, sheet.name, seen.score, seen.found))
    # Best score first; on a tie, visible sheets and earlier sheets first.
    order = {sheet.name: (sheet.hidden, sheet.index) for sheet in workbook.sheets}
    return sorted(found, key=lambda r: (-r.score, order[r.sheet]))


def parse_workbook(workbook: Workbook) -> ParsedSubmission:
    """Recognise the best sheet and template, then parse it. Raises :class:`ReadError`."""
    ranked = recognise(workbook)
    if not ranked or ranked[0].score < MIN_SCORE:
        raise ReadError("unknown_template", _unknown_message(ranked))
    best = ranked[0]
    template = next(t for t in TEMPLATES if t.NAME == best.template)
    sheet = next(s for s in workbook.sheets if s.name == best.sheet)
    try:
        submission = template.parse(sheet)
    except ReadError:
        raise
    except Exception as exc:  # a recognised table that breaks the parser is data, not a crash
        raise ReadError("parse_error", f"the {template.TITLE} on sheet {sheet.name!r} could not be parsed: "
                                       f"{type(exc).__name__}: {exc}", sheet=sheet.name) from exc
    submission.score = best.score
    submission.issues[:0] = workbook.issues
    return submission


def _unknown_message(ranked: list[Recognition]) -> str:
    looked_for = "; ".join(f"a {t.TITLE} (title containing {t.TITLE!r}, labels {', '.join(t.RECOGNITION_LABELS)})"
                           for t in TEMPLATES)
    best = (f" The closest was sheet {ranked[0].sheet!r} as {ranked[0].template}, score {ranked[0].score:.2f} "
            f"(needs {MIN_SCORE})." if ranked else " The file has no sheets.")
    return f"No known table layout was recognised. Looked for {looked_for}.{best}"


__all__ = ["MIN_SCORE", "Recognition", "TEMPLATES", "parse_workbook", "recognise"]
