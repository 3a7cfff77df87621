"""The steps every template's ``parse`` shares: start the submission at its title, place the fiscal year,
read the indicator tables, and note the required blocks that were not found."""
from __future__ import annotations

from typing import Callable

from budget_etl.parsers.cells import Cell, Sheet
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.header import find_fiscal_year, find_title
from budget_etl.parsers.templates.indicators import parse_indicator_tables
from budget_etl.parsers.templates.labels import SheetIndex, index_of


def begin(sheet: Sheet, name: str, required_blocks: tuple[str, ...],
          is_title: Callable[[str], bool]) -> tuple[SheetIndex, ParsedSubmission, Cell | None]:
    """Index the sheet and start its submission with the title block, when there is a title."""
    index = index_of(sheet)
    submission = ParsedSubmission(template=name, department_name=None, fiscal_year=None, sheet=sheet.name,
                                  required_blocks=required_blocks)
    title = find_title(index, is_title)
    if title is not None:
        submission.blocks["title"] = title.address
        submission.attributes["title"] = " ".join(title.text.split())
    return index, submission, title


def place_fiscal_year(submission: ParsedSubmission, index: SheetIndex, title: Cell | None, before_row: int) -> None:
    """The year sits above the first block; a year inside a later text (a goal's deadline) is not it."""
    year = find_fiscal_year(index, title, before_row)
    if year is not None:
        submission.fiscal_year = year[0]
        submission.sources["fiscal_year"] = (submission.sheet, year[1].address)


def read_targets(submission: ParsedSubmission, index: SheetIndex, headers) -> None:
    if headers:
        submission.blocks["targets"] = index.row(headers[0].row)[0].address
        submission.targets = parse_indicator_tables(index, headers, index.max_row, submission.issues)


def finish(submission: ParsedSubmission) -> ParsedSubmission:
    """Say which required blocks are missing (the quality gate fails the submission on them)."""
    for block in submission.missing_blocks:
        submission.issues.append(Issue("block_missing", f"the {block} block was not found", "warning",
                                       submission.sheet))
    return submission
