"""What a run keeps of a submission once it is staged: its header, none of its records. Every list of a
ParsedSubmission grows with its file; one added later and left out of ``without_records`` would be kept for the
whole chunk (the disclosure lines were, until this test)."""
from dataclasses import fields

from budget_etl.flows.chunks import _header
from budget_etl.parsers.records import FileResult, ParsedSubmission

RECORD_LISTS = [f.name for f in fields(ParsedSubmission) if str(f.type).startswith("list[")]


def test_a_header_keeps_the_identity_and_drops_every_record():
    assert "disclosure" in RECORD_LISTS
    parsed = ParsedSubmission("budget_disclosure", "某局", 2024, attributes={"title": "2024年收支总表"},
                              sources={"department_name": ("封面", "B3")})
    for name in RECORD_LISTS:
        getattr(parsed, name).append(object())
    header = _header(FileResult(key=3, path="a.xlsx", sha256="x", size=1, parsed=parsed, issues=[object()]))
    assert [name for name in RECORD_LISTS if getattr(header.parsed, name)] == [] and header.issues == []
    assert (header.parsed.template, header.parsed.department_name, header.parsed.fiscal_year,
            header.parsed.attributes, header.parsed.sources) == (
        "budget_disclosure", "某局", 2024, {"title": "2024年收支总表"}, {"department_name": ("封面", "B3")})
    assert len(parsed.disclosure) == 1  # the original is not changed
