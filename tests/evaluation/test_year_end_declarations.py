"""The year-end families are declarations like any other: packaged, checked field by field."""
from __future__ import annotations

import pytest

from budget_etl.parsers.templates import registry_for
from budget_etl.parsers.templates.declaration import DeclarationError
from budget_etl.parsers.templates.registry import PACKAGE_FAMILIES, load_registry

YEAR_END = ("project_self_evaluation", "department_self_evaluation", "project_evaluation")


def test_the_three_families_are_packaged():
    registry = load_registry()
    for name in YEAR_END:
        family = registry.get(name)
        assert family is not None and family.source.endswith(f"families/{name}.toml")
    assert registry.get("project_evaluation").required_identity == ()
    assert registry.get("project_self_evaluation").required_identity == ("department_name", "fiscal_year")


@pytest.mark.parametrize("family, change, field, problem", [
    ("project_evaluation", ('level1 = ["一级指标"]', 'levle1 = ["一级指标"]'), "blocks[4].columns.levle1",
     "is not a column role"),
    ("project_evaluation", ("required = []", 'required = ["project_name"]'), "identity.required",
     "'project_name' is not one of department_name, fiscal_year"),
    ("project_self_evaluation", ('executed = ["全年执行数"', 'spent = ["全年执行数"'), "blocks[3].columns.spent",
     "is not a column role"),
    ("department_self_evaluation", ('sections = { "预期目标" = "annual_goal"', 'sectons = { "预期目标" = "annual_goal"'),
     "blocks[2].sectons", "is not a parameter of the column_texts reader"),
])
def test_a_broken_year_end_declaration_names_the_file_and_the_field(tmp_path, family, change, field, problem):
    text = (PACKAGE_FAMILIES / f"{family}.toml").read_text(encoding="utf-8")
    assert change[0] in text
    folder = tmp_path / "families"
    folder.mkdir()
    (folder / f"{family}.toml").write_text(text.replace(*change, 1), encoding="utf-8")
    with pytest.raises(DeclarationError) as caught:
        registry_for([folder])
    assert caught.value.field == field and problem in caught.value.problem
    assert str(folder) in str(caught.value) and "\n" not in str(caught.value)
