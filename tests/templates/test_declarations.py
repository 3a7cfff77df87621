"""Declarations: loaded from TOML, checked field by field, extended by extra folders."""

import pytest
from sheet_builder import department_rows, sheet_of, workbook_of
from template_records import FIXTURES, parse_file

from budget_etl.parsers.templates import parse_workbook, recognise, registry_for
from budget_etl.parsers.templates.declaration import DeclarationError
from budget_etl.parsers.templates.registry import PACKAGE_FAMILIES, load_registry

PROJECT = (PACKAGE_FAMILIES / "project.toml").read_text(encoding="utf-8")


def _folder(tmp_path, **files):
    folder = tmp_path / "families"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_renamed_copy_of_a_family_recognises_and_parses_as_itself(tmp_path):
    copy = PROJECT.replace('name = "project"', 'name = "project_local"', 1)  # its sum rule keeps its name
    registry = registry_for([_folder(tmp_path, project_local=copy)])
    assert registry.names == (*load_registry().names, "project_local")
    from budget_etl.parsers.readers import read_bytes

    path = FIXTURES / "project-merged-cells.xlsx"
    submission = parse_workbook(read_bytes(path.read_bytes(), path.name), registry)
    reference = parse_file(path)
    assert submission.template in ("project", "project_local")  # equal scores: either may win
    assert (submission.budget, submission.targets) == (reference.budget, reference.targets)


@pytest.mark.parametrize("change, field, problem", [
    (('reader = "item_amounts"', 'reader = "item_amount"'), "blocks[4].reader", "unknown block reader 'item_amount'"),
    (('scope = "sheet"', 'scope = "book"'), "scope", "must be one of sheet, workbook"),
    (('name = "project"', 'name = "Project X"'), "name", "snake_case"),
    (('period = "full_year"', 'period = "fullyear"'), "blocks[4].period", "must be one of half_year, full_year"),
    (('labels = ["项目资金"]', 'lables = ["项目资金"]'), "blocks[4].lables", "is not a parameter of the item_amounts"),
    (('near_miss = 0.3', 'near_miss = 0.7'), "recognition.near_miss", "must be below score"),
    (('"其他资金" = []', '"其他资金" = "其它"'), "blocks[4].items", "'其他资金' must have a list of synonyms"),
    (('required_blocks = ["title", "project", "funds", "targets"]', 'required_blocks = ["fund"]'),
     "checks.required_blocks", "'fund' is not a block"),
    (('project_name = ["project"]', 'project_name = ["projet"]'), "identity.project_name", "not a key_value block"),
    (('total = "资金总额"', 'total = "资金总额"\nextra = 1'), "sum_rules[0].extra", "is not a known field"),
    (('[title_pattern]', '[title_pattern'), "(file)", "is not valid TOML"),
    (('scope = "sheet"', 'scope = "sheet"\nrestates_plan = "yes"'), "restates_plan", "must be true or false"),
])
def test_a_broken_declaration_is_one_line_naming_the_file_and_the_field(tmp_path, change, field, problem):
    assert change[0] in PROJECT
    folder = _folder(tmp_path, mine=PROJECT.replace(*change, 1))
    with pytest.raises(DeclarationError) as raised:
        registry_for([folder])
    message = str(raised.value)
    assert raised.value.code == "declaration_invalid" and "\n" not in message
    assert message.startswith(f"declaration_invalid: {folder / 'mine.toml'}: {field}: ")
    assert problem in message


def test_a_folder_without_declarations_is_refused(tmp_path):
    with pytest.raises(DeclarationError, match="holds no"):
        registry_for([_folder(tmp_path)])
    with pytest.raises(DeclarationError, match="is not a folder"):
        registry_for([tmp_path / "missing"])


def test_one_name_twice_in_a_folder_is_refused(tmp_path):
    with pytest.raises(DeclarationError, match="declared twice"):
        registry_for([_folder(tmp_path, a=PROJECT, b=PROJECT)])


def test_a_local_variant_replaces_the_packaged_family_and_its_synonyms_recognise(tmp_path):
    # A bureau writes 单位全称 for 单位名称: without a synonym the table loses a label's worth of score.
    rows = department_rows(r3=["单位全称", "", "某某局"])
    plain = next(r for r in recognise(workbook_of(sheet_of(rows))) if r.template == "department_overall")
    local = (PACKAGE_FAMILIES / "department_overall.toml").read_text(encoding="utf-8").replace(
        'synonyms = { ', 'synonyms = { "单位名称" = ["单位全称"], ').replace(
        'labels = ["单位名称", "部门名称", "预算单位", "单位", "部门（单位）名称"]', 'labels = ["单位名称", "单位全称"]')
    registry = registry_for([_folder(tmp_path, department_overall=local)])
    assert registry.get("department_overall").source.endswith("department_overall.toml")
    assert str(tmp_path) in registry.get("department_overall").source
    better = next(r for r in recognise(workbook_of(sheet_of(rows)), registry) if r.template == "department_overall")
    assert better.score > plain.score
    assert parse_workbook(workbook_of(sheet_of(rows)), registry).department_name == "某某局"


def test_packaged_declarations_name_their_source():
    for family in load_registry().families:
        assert family.source == f"budget_etl/parsers/templates/families/{family.name}.toml"
        assert (PACKAGE_FAMILIES / f"{family.name}.toml").is_file()


WORKBOOK_FAMILY = '''
name = "disclosure_like"
title = "部门预算公开表"
scope = "workbook"

[title_pattern]
contains = ["部门预算", "公开"]

[recognition]
labels = ["部门名称", "收支总表", "一般公共预算支出"]

[identity]
department_name = ["department"]
fiscal_year_before = ["department"]

[[blocks]]
name = "department"
reader = "key_value"
labels = ["部门名称"]
'''


def test_a_workbook_scoped_family_scores_its_labels_across_every_sheet(tmp_path):
    registry = registry_for([_folder(tmp_path, disclosure_like=WORKBOOK_FAMILY)])
    cover = sheet_of({1: ["2026年部门预算公开表"], 3: ["部门名称", "", "某某局"]}, "封面")
    summary = sheet_of({1: ["收支总表"], 2: ["项目", "金额"]}, "表1")
    spending = sheet_of({1: ["一般公共预算支出"], 2: ["科目", "金额"]}, "表2")
    workbook = workbook_of(cover, summary, spending)
    ranked = recognise(workbook, registry)
    best = ranked[0]
    assert (best.template, best.sheet, best.score, best.recognised) == ("disclosure_like", "封面", 1.0, True)
    assert [hit.cell for hit in best.detail.hits] == ["封面!A3", "表1!A1", "表2!A1"]
    # One recognition for the whole workbook, not one per sheet.
    assert [r.template for r in ranked].count("disclosure_like") == 1
    submission = parse_workbook(workbook, registry)
    assert (submission.template, submission.department_name, submission.fiscal_year) == ("disclosure_like", "某某局",
                                                                                         2026)
