"""Every layout and format of one content parses to the same records (provenance aside)."""
import pytest
from template_records import FIXTURES, SEED, as_json, parse_file

VARIANTS = ["merged-cells.xlsx", "offset-start.xlsx", "nested-header.xlsx", "amounts-as-text.xlsx",
            "formula-totals.xlsx", "instructions-sheet-first.xlsx", "blank-rows-and-note.xlsx", "legacy.xls",
            "export.html", "gb18030.txt"]
EXPECTED_COUNTS = {"department": (27, 88, 19), "project": (4, 12, 4)}
_parsed: dict = {}


def parsed(path):
    if path not in _parsed:
        _parsed[path] = parse_file(path)
    return _parsed[path]


def reference(template: str):
    """The department content is the seed's; the project reference is its plainest rendering."""
    return parsed(SEED) if template == "department" else parsed(FIXTURES / "project-merged-cells.xlsx")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("template", ["department", "project"])
def test_variant_gives_the_same_records(template, variant):
    submission = parsed(FIXTURES / f"{template}-{variant}")
    assert submission.template == ("department_overall" if template == "department" else "project")
    assert (len(submission.budget), len(submission.targets), len(submission.texts)) == EXPECTED_COUNTS[template]
    assert as_json(submission, provenance=False) == as_json(reference(template), provenance=False)
    assert submission.missing_blocks == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("template", ["department", "project"])
def test_clean_variants_need_no_judgement(template, variant):
    """The generated layouts are all regular: any warning would be a misreading."""
    submission = parsed(FIXTURES / f"{template}-{variant}")
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


@pytest.mark.parametrize("template", ["department", "project"])
def test_every_record_points_at_a_cell_holding_its_value(template):
    from budget_etl.parsers.readers import read_bytes

    path = FIXTURES / f"{template}-offset-start.xlsx"
    submission = parsed(path)
    sheet = next(s for s in read_bytes(path.read_bytes(), path.name).sheets if s.name == submission.sheet)
    grid = {c.address: c for c in sheet.cells}
    for line in submission.budget:
        assert grid[line.cell].text.strip() == line.raw
    for target in submission.targets:
        assert grid[target.cell].text.strip() == target.raw_value
    for text in submission.texts:
        assert text.text[:2] in grid[text.cell].text.replace("<p>", "")
    assert min(int(b.cell[1:]) for b in submission.budget) > 3  # the table starts at an offset, not row 1


@pytest.mark.parametrize("template, item, cell", [
    ("department", "资金总额", "F7"), ("department", "财政拨款", "F8"), ("project", "资金总额", "D5")])
def test_formula_totals_keep_their_cached_value(template, item, cell):
    submission = parsed(FIXTURES / f"{template}-formula-totals.xlsx")
    line = next(b for b in submission.budget if b.item_path == item and b.period == "full_year")
    reference_line = next(b for b in reference(template).budget if b.item_path == item and b.period == "full_year")
    assert (line.cell, line.amount_wan) == (cell, reference_line.amount_wan)


def test_instructions_sheet_is_skipped_for_the_data_sheet():
    submission = parsed(FIXTURES / "department-instructions-sheet-first.xlsx")
    assert submission.sheet == "绩效目标表"


def test_project_identity_and_attributes():
    submission = reference("project")
    assert (submission.project_name, submission.department_name, submission.fiscal_year) == (
        "劳模“三金”专项经费", "苏州市总工会（本级）", 2023)
    assert submission.attributes["主管部门"] == "苏州市总工会"
    assert {t.period for t in submission.targets} == {"full_year"}
    assert {b.item_path for b in submission.budget} == {"资金总额", "财政拨款", "上年结转资金", "其他资金"}
    assert set(submission.sources) == {"project_name", "department_name", "fiscal_year"}
