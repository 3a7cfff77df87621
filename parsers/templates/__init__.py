"""Table families: recognise which declared family a workbook holds, by content, and parse it into records.

A family is declared in one TOML file (``families/*.toml``; format in FAMILIES.md) and read by shared block
readers (``blocks/``). Recognition scores every (family, sheet) pair — every (family, workbook) pair for a
workbook-scoped family — by title and labels, and parses the best one that reaches its family's
recognition score; nothing reaching it means the file is not a table we know (``unknown_template``).
"""
from __future__ import annotations

from dataclasses import dataclass

from budget_etl.parsers.cells import Workbook
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates import engine
from budget_etl.parsers.templates.engine import Evidence
from budget_etl.parsers.templates.labels import SheetIndex, index_of
from budget_etl.parsers.templates.registry import Registry, load_registry, registry_for

#: The default recognition score of a family (a declaration may set its own).
MIN_SCORE = 0.5
#: In an ``unknown_template`` message, what follows this is the detail (the report shows it, `ingest` does not).
DETAIL_MARK = " Looked for: "


@dataclass(frozen=True, slots=True)
class Recognition:
    template: str
    sheet: str
    score: float
    evidence: tuple[str, ...]
    recognised: bool = False  # the score reaches the family's recognition score
    detail: Evidence | None = None


def recognise(workbook: Workbook, registry: Registry | None = None) -> list[Recognition]:
    """Every (family, sheet) pair with its score and the labels it found, best first."""
    registry = registry or load_registry()
    found = []
    sheet_families = [f for f in registry.families if f.scope == "sheet"]
    for sheet in workbook.sheets:
        indexes = [index_of(sheet)]
        for family in sheet_families:
            seen = engine.evidence(family, indexes)
            found.append(Recognition(family.name, sheet.name, seen.score, seen.found,
                                     seen.score >= family.min_score, seen))
    book_families = [f for f in registry.families if f.scope == "workbook"]
    if book_families and workbook.sheets:
        indexes = [SheetIndex(sheet) for sheet in workbook.sheets]
        for family in book_families:
            seen = engine.evidence(family, indexes)
            # The submission's sheet: where its title is, else the first visible sheet.
            sheet = seen.title.cell.rsplit("!", 1)[0] if seen.title else next(
                (s.name for s in workbook.sheets if not s.hidden), workbook.sheets[0].name)
            found.append(Recognition(family.name, sheet, seen.score, seen.found,
                                     seen.score >= family.min_score, seen))
    # Best score first; on a tie, visible sheets and earlier sheets first, then the family declared last (a
    # --templates folder's local variant over the packaged family it copies).
    order = {sheet.name: (sheet.hidden, sheet.index) for sheet in workbook.sheets}
    declared = {name: n for n, name in enumerate(registry.names)}
    return sorted(found, key=lambda r: (-r.score, order[r.sheet], -declared[r.template]))


def parse_workbook(workbook: Workbook, registry: Registry | None = None) -> ParsedSubmission:
    """Recognise the best sheet and family, then parse it. Raises :class:`ReadError`."""
    registry = registry or load_registry()
    ranked = recognise(workbook, registry)
    best = next((r for r in ranked if r.recognised), None)
    if best is None:
        raise ReadError("unknown_template", unknown_message(ranked, registry))
    family = registry.get(best.template)
    sheet = next(s for s in workbook.sheets if s.name == best.sheet)
    try:
        submission = engine.parse(family, sheet, workbook)
    except ReadError:
        raise
    except Exception as exc:  # a recognised table that breaks a block reader is data, not a crash
        raise ReadError("parse_error", f"the {family.title} on sheet {sheet.name!r} could not be parsed: "
                                       f"{type(exc).__name__}: {exc}", sheet=sheet.name) from exc
    submission.score = best.score
    submission.issues[:0] = workbook.issues
    return submission


def unknown_message(ranked: list[Recognition], registry: Registry) -> str:
    """One short sentence (what `ingest` prints), then after :data:`DETAIL_MARK` what each family looks for."""
    if ranked:
        best = ranked[0]
        family = registry.get(best.template)
        short = (f"No known table family was recognised (closest: sheet {best.sheet!r} as {best.template}, "
                 f"score {best.score:.2f}, needs {family.min_score:g}).")
    else:
        short = "No known table family was recognised (the file has no sheets)."
    looked_for = "; ".join(f"{f.title} ({f.name}: labels {', '.join(f.labels)})" for f in registry.families)
    return f"{short}{DETAIL_MARK}{looked_for}."


def short_message(message: str) -> str:
    """An ``unknown_template`` message without its detail."""
    return message.split(DETAIL_MARK, 1)[0]


__all__ = ["DETAIL_MARK", "MIN_SCORE", "Recognition", "Registry", "load_registry", "parse_workbook", "recognise",
           "registry_for", "short_message", "unknown_message"]
