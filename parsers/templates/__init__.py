"""Table families: recognise which declared family a workbook holds, by content, and parse it into records.

A family is declared in one TOML file (``families/*.toml``; format in FAMILIES.md) and read by shared block
readers (``blocks/``). Recognition scores every (family, sheet) pair — every (family, workbook) pair for a
workbook-scoped family — by title and labels, and parses the best one that reaches its family's
recognition score; nothing reaching it means the file is not a table we know (``unknown_template``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_etl.parsers.cells import Sheet, Workbook, parse_a1
from budget_etl.parsers.errors import Issue, ReadError
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates import engine
from budget_etl.parsers.templates.engine import Evidence
from budget_etl.parsers.templates.labels import index_of
from budget_etl.parsers.templates.registry import Registry, load_registry, registry_for
from budget_etl.parsers.templates.stacked import stacked_forms
from budget_etl.parsers.values import parse_amount

#: The default recognition score of a family (a declaration may set its own).
MIN_SCORE = 0.5
#: The family name of the tables no declared family recognised (loaded as generic tables).
GENERIC = "generic"
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
    patterns = tuple(dict.fromkeys(f.title_pattern for f in registry.families))  # each sheet tested once for all
    for sheet in workbook.sheets:
        indexes = [index_of(sheet)]  # kept: the workbook-scoped families and the parse look at it again
        for family in sheet_families:
            seen = engine.evidence(family, indexes, patterns)
            found.append(Recognition(family.name, sheet.name, seen.score, seen.found,
                                     seen.score >= family.min_score, seen))
    book_families = [f for f in registry.families if f.scope == "workbook"]
    if book_families and workbook.sheets:
        indexes = [index_of(sheet) for sheet in workbook.sheets]
        for family in book_families:
            seen = engine.evidence(family, indexes, patterns)
            # The submission's sheet: where its title is, else the first visible sheet.
            where = seen.title.cell.rsplit("!", 1)[0] if seen.title else next(
                (s.name for s in workbook.sheets if not s.hidden), workbook.sheets[0].name)
            found.append(Recognition(family.name, where, seen.score, seen.found,
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
    return _parse_one(registry, best, workbook)


def parse_parts(workbook: Workbook, registry: Registry | None = None, *, generic: bool = True
                ) -> list[ParsedSubmission | ReadError]:
    """Every submission a workbook holds, first sheet first; raises :class:`ReadError` when it holds none.

    - a recognised workbook-scoped family takes the sheets its blocks read (one submission); the sheets holding
      numbers that none of its blocks read (a table it does not declare, a second copy it left out) are what
      remains, as beside a recognised sheet;
    - otherwise each sheet that a sheet-scoped family recognises is a submission of that family;
    - a sheet that no family recognises but one comes near (its near-miss score) is a part rejected on its own
      (``unknown_template`` naming the family), never generic: a drifted table is to be fixed, not demoted;
    - with ``generic``, the tables of the remaining sheets are one ``generic`` submission. Beside a recognised
      table only sheets holding numbers count: an instructions sheet is not a table of its own.
    A part that fails to parse is a :class:`ReadError` in the list, so the others still load.
    """
    registry = registry or load_registry()
    ranked = recognise(workbook, registry)
    scope = {family.name: family.scope for family in registry.families}
    book = next((r for r in ranked if r.recognised and scope[r.template] == "workbook"), None)
    if book is not None:
        return _book_parts(_part(registry, book, workbook), workbook, generic=generic)
    parts: list[ParsedSubmission | ReadError] = []
    rest = []
    for sheet in workbook.sheets:
        mine = [r for r in ranked if r.sheet == sheet.name and scope[r.template] == "sheet"]  # best first
        recognised = next((r for r in mine if r.recognised), None)
        near = next((r for r in mine if r.score >= registry.family(r.template).near_miss), None)
        if recognised is not None:
            parts.extend(_sheet_parts(registry, recognised, sheet, workbook))
        elif near is not None and (not _beside_recognised(ranked, scope) or _holds_numbers(sheet)):
            parts.append(ReadError("unknown_template", _near_miss_message(registry, near), sheet=sheet.name))
        else:
            rest.append(sheet)
    if generic and rest:
        found = _generic_part(rest, workbook, numbers_only=any(isinstance(p, ParsedSubmission) for p in parts))
        if found is not None:
            parts.append(found)
    elif rest:
        _note_sheets_left_out(parts, rest)
    if not parts:
        if not any(cell.text.strip() for sheet in workbook.sheets for cell in sheet.cells):
            # nothing to recognise: 'closest: … score 0.00' would send the clerk looking for a wrong layout
            raise ReadError("empty_file", f"every sheet is blank ({len(workbook.sheets)}): no value to read")
        message = unknown_message(ranked, registry)
        if generic and rest:
            short, detail = message.split(DETAIL_MARK, 1)
            message = f"{short} No sheet holds a table with data to load as generic tables.{DETAIL_MARK}{detail}"
        raise ReadError("unknown_template", message)
    return parts


def _book_parts(part: ParsedSubmission | ReadError, workbook: Workbook, *, generic: bool
                ) -> list[ParsedSubmission | ReadError]:
    """A workbook-scoped family's submission, then the sheets of numbers none of its blocks read: generic tables
    (or, without ``generic``, a ``sheet_not_read`` warning each). A part that failed claims nothing it could be
    told apart from, so it stays alone, as before."""
    if isinstance(part, ReadError):
        return [part]
    parts: list[ParsedSubmission | ReadError] = [part]
    read = sheets_read(part)
    rest = [sheet for sheet in workbook.sheets if sheet.name not in read and _holds_numbers(sheet)]
    # a sheet read in part: its other tables (one under another, each under its title) are as unread as a sheet
    rest += [region for sheet in workbook.sheets if sheet.name in read
             for region in _parts_unread(part, sheet) if _holds_numbers(region)]
    if generic and rest:
        found = _generic_part(rest, workbook, numbers_only=True)
        if found is not None:
            parts.append(found)
    elif rest:
        _note_sheets_left_out(parts, rest)
    return parts


def _places_read(submission: ParsedSubmission) -> list[tuple[str, str | None]]:
    """(sheet, cell) of each block the submission found (``sheet!A1``; a block reader names the one table it read,
    not a second copy it left out) and of each of its records."""
    places: list[tuple[str, str | None]] = [
        (sheet, cell) for sheet, cell in (where.rsplit("!", 1) for where in submission.blocks.values() if "!" in where)]
    records = (submission.budget, submission.targets, submission.texts, submission.disclosure, submission.results,
               submission.fund_scores)
    return places + [(record.sheet, record.cell) for kind in records for record in kind]


def sheets_read(submission: ParsedSubmission) -> set[str]:
    """The sheets a workbook-scoped submission read: where its blocks were found and its records came from."""
    return {sheet for sheet, _ in _places_read(submission)}


def _parts_unread(submission: ParsedSubmission, sheet: Sheet) -> list[Sheet]:
    """The tables of a sheet holding several (one under another, each under its title: a disclosure page printed
    whole) where none of the submission's blocks was found and none of its records came from."""
    from budget_etl.parsers.disclosure.tables import table_regions  # cut as the disclosure tables are found

    regions = table_regions(sheet)
    if len(regions) < 2:
        return []
    rows = {parse_a1(cell)[0] for name, cell in _places_read(submission) if name == sheet.name and cell}
    return [region for region in regions
            if not any(min(c.row for c in region.cells) <= r <= region.max_row for r in rows)]


def _note_sheets_left_out(parts: list[ParsedSubmission | ReadError], rest: list[Sheet]) -> None:
    """Without generic tables, a sheet of numbers beside a recognised table is not read: a warning on the file's
    first submission names it (it vanished without a word, though its numbers are data the run did not keep)."""
    first = next((p for p in parts if isinstance(p, ParsedSubmission)), None)
    if first is None:
        return
    for sheet in rest:
        if _holds_numbers(sheet):
            first.issues.append(Issue(
                "sheet_not_read", f"sheet {sheet.name!r} holds numbers that no table family reads; it was left out "
                "(--no-generic; without it the sheet loads as generic tables)", "warning", sheet.name, "A1"))


def _beside_recognised(ranked: list[Recognition], scope: dict[str, str]) -> bool:
    return any(r.recognised and scope[r.template] == "sheet" for r in ranked)


def _holds_numbers(sheet: Sheet) -> bool:
    """A number cell, or a text cell reading as one: web pages and text files hold their numbers as text."""
    return any(isinstance(cell.value, Decimal) or (isinstance(cell.value, str) and parse_amount(cell.value)[0] is not None)
               for cell in sheet.cells)


def _near_miss_message(registry: Registry, near: Recognition) -> str:
    family = registry.family(near.template)
    missing = ", ".join(near.detail.missing) if near.detail is not None and near.detail.missing else "its title"
    return (f"sheet {near.sheet!r} looks like a {family.title} ({family.name}, score {near.score:.2f}, needs "
            f"{family.min_score:g}) but is not one: missing {missing}; see `budget-etl explain`")


def _generic_part(sheets: list[Sheet], workbook: Workbook, *, numbers_only: bool) -> ParsedSubmission | None:
    from budget_etl.parsers.generic_caption import captions
    from budget_etl.parsers.tables import find_tables  # the generic reader: only where no family applies

    tables = []
    for sheet in sheets:
        if numbers_only and not _holds_numbers(sheet):
            continue
        found = find_tables(sheet)
        # the title and unit lines the reader leaves out say what the numbers are: kept beside the table
        for table, (title, unit) in zip(found, captions(sheet, [t.range for t in found])):
            if table.entries:
                line = table.to_json()
                del line["file"]
                tables.append({**line, "title": title, "unit": unit})
    if not tables:
        return None
    # its size stays in the header once the tables are staged (ParsedSubmission.without_records): the run says it
    size = {"generic_tables": str(len(tables)), "generic_entries": str(sum(len(t["entries"]) for t in tables))}
    return ParsedSubmission(template=GENERIC, department_name=None, fiscal_year=None, sheet=tables[0]["sheet"],
                            tables=tables, issues=list(workbook.issues), attributes=size)


def _part(registry: Registry, recognition: Recognition, workbook: Workbook) -> ParsedSubmission | ReadError:
    try:
        return _parse_one(registry, recognition, workbook)
    except ReadError as error:
        return error


def _sheet_parts(registry: Registry, recognition: Recognition, sheet: Sheet, workbook: Workbook
                 ) -> list[ParsedSubmission | ReadError]:
    """A recognised sheet's submission, or one per form where it holds several one under another (stacked)."""
    try:
        forms = stacked_forms(registry.family(recognition.template), sheet,
                              lambda piece: _parse_one(registry, recognition, workbook, piece))
    except ReadError:
        forms = None  # a piece that breaks a reader: the sheet is read whole, and its error reported so
    return list(forms) if forms else [_part(registry, recognition, workbook)]


def _parse_one(registry: Registry, recognition: Recognition, workbook: Workbook,
               sheet: Sheet | None = None) -> ParsedSubmission:
    family = registry.family(recognition.template)
    sheet = sheet or next(s for s in workbook.sheets if s.name == recognition.sheet)
    try:
        submission = engine.parse(family, sheet, workbook)
    except ReadError:
        raise
    except Exception as exc:  # a recognised table that breaks a block reader is data, not a crash
        raise ReadError("parse_error", f"the {family.title} on sheet {sheet.name!r} could not be parsed: "
                                       f"{type(exc).__name__}: {exc}", sheet=sheet.name) from exc
    submission.score = recognition.score
    submission.issues[:0] = workbook.issues
    return submission


def unknown_message(ranked: list[Recognition], registry: Registry) -> str:
    """One short sentence (what `ingest` prints), then after :data:`DETAIL_MARK` what each family looks for."""
    if ranked and ranked[0].score > 0:
        best = ranked[0]
        family = registry.family(best.template)
        short = (f"No known table family was recognised (closest: sheet {best.sheet!r} as {best.template}, "
                 f"score {best.score:.2f}, needs {family.min_score:g}).")
    elif ranked:  # 'closest: … as project_self_evaluation, score 0.00' named a family nothing resembled
        short = "No known table family was recognised (no sheet has any family's title or labels)."
    else:
        short = "No known table family was recognised (the file has no sheets)."
    looked_for = "; ".join(f"{f.title} ({f.name}: labels {', '.join(f.labels)})" for f in registry.families)
    return f"{short}{DETAIL_MARK}{looked_for}."


def short_message(message: str) -> str:
    """An ``unknown_template`` message without its detail."""
    return message.split(DETAIL_MARK, 1)[0]


__all__ = ["DETAIL_MARK", "GENERIC", "parse_parts", "MIN_SCORE", "Recognition", "Registry", "load_registry", "parse_workbook", "recognise",
           "registry_for", "short_message", "unknown_message"]
