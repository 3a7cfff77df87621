"""The committed samples show both templates, and one department whose sums do not add up."""
import pytest
from template_records import ROOT, parse_file

SAMPLES = ROOT / "samples"


def income(submission) -> dict:
    return {b.item_path: b.amount_wan for b in submission.budget if b.direction == "income"}


@pytest.mark.parametrize("name, template, department, year, project", [
    ("suzhou-trade-union-2023.txt", "department_overall", "苏州市总工会（本级）", 2023, None),
    ("wujiang-trade-union-2024-department.xlsx", "department_overall", "苏州市吴江区总工会", 2024, None),
    ("suzhou-trade-union-2023-project-labour-model-funds.xlsx", "project", "苏州市总工会（本级）", 2023, "劳模“三金”专项经费"),
    ("xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx", "department_overall", "苏州市相城区总工会", 2024, None),
])
def test_sample_parses(name, template, department, year, project):
    submission = parse_file(SAMPLES / name)
    assert (submission.template, submission.department_name, submission.fiscal_year, submission.project_name) == (
        template, department, year, project)
    assert submission.missing_blocks == [] and submission.targets and submission.budget


@pytest.mark.parametrize("name, adds_up", [("wujiang-trade-union-2024-department.xlsx", True),
                                           ("xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx", False)])
def test_only_the_bad_sample_has_a_total_that_is_not_its_sum(name, adds_up):
    items = income(parse_file(SAMPLES / name))
    top = sum(v for k, v in items.items() if "/" not in k and k != "资金总额")
    assert (items["资金总额"] == top) is adds_up
