"""Every layout variant of the three year-end families parses to the same records (provenance aside)."""
from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

import pytest
from evaluation_support import FIXTURES, parse_file, script

FAMILIES = {
    "project-self": ("project_self_evaluation", script.SELF_VARIANTS),
    "department-self": ("department_self_evaluation", script.SELF_VARIANTS),
    "evaluation": ("project_evaluation", script.EVALUATION_VARIANTS),
}
PROVENANCE = {"sheet", "cell", "raw", "actual_cell", "score_cell", "max_cell", "level2_max_cell", "weight_cell",
              "rate_cell"}
_parsed: dict = {}


def parsed(name: str):
    if name not in _parsed:
        _parsed[name] = parse_file(FIXTURES / name)
    return _parsed[name]


def records(submission) -> dict:
    def plain(record) -> dict:
        return {k: format(v, "f") if isinstance(v, Decimal) else v for k, v in asdict(record).items()
                if k not in PROVENANCE}

    return {"identity": (submission.template, submission.department_name, submission.fiscal_year,
                         submission.project_name),
            "budget": [plain(b) for b in submission.budget], "targets": [plain(t) for t in submission.targets],
            "results": [plain(r) for r in submission.results], "scores": [plain(s) for s in submission.fund_scores],
            "texts": [plain(t) for t in submission.texts]}


CASES = [(prefix, variant) for prefix, (_, variants) in FAMILIES.items() for variant in variants]


@pytest.mark.parametrize("prefix, variant", CASES)
def test_variant_gives_the_same_records(prefix, variant):
    submission = parsed(f"{prefix}-{variant}")
    assert submission.template == FAMILIES[prefix][0]
    assert records(submission) == records(parsed(f"{prefix}-merged-cells.xlsx"))
    assert submission.missing_blocks == []


@pytest.mark.parametrize("prefix, variant", CASES)
def test_clean_variants_need_no_judgement(prefix, variant):
    submission = parsed(f"{prefix}-{variant}")
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []


def test_project_self_evaluation_reads_the_national_form():
    s = parsed("project-self-merged-cells.xlsx")
    assert (s.department_name, s.fiscal_year, s.project_name) == ("苏州市总工会（本级）", 2023, "劳模“三金”专项经费")
    assert s.attributes["主管部门"] == "苏州市总工会"
    amounts = {(b.item_path, getattr(b, "measure", "budget")): b.amount_wan for b in s.budget}
    assert amounts[("资金总额", "initial_budget")] == amounts[("资金总额", "budget")] == Decimal(395)
    assert amounts[("资金总额", "executed")] == Decimal("390.5")
    assert amounts[("财政拨款", "executed")] == Decimal("390.5")
    (total,) = [f for f in s.fund_scores if f.max_score is not None]
    assert (total.item_path, total.rate, total.max_score, total.score) == ("资金总额", Decimal("98.86"), 10,
                                                                           Decimal("9.89"))
    first = s.results[0]
    assert (first.level1, first.level2, first.level3, first.actual_raw, first.actual_value, first.actual_unit,
            first.max_score, first.score, first.reason) == (
        "产出指标", "数量指标", "发放劳模“三金”人数", "296人", 296, "人", 10, Decimal("9.5"), "4名劳模年内去世，停发")
    assert [(t.level3, t.operator, t.value, t.unit) for t in s.targets][:2] == [
        ("发放劳模“三金”人数", "=", 300, "人"), ("劳模档案数字化页数", ">=", 20, "万页")]
    sections = {t.section for t in s.texts}
    assert sections == {"annual_goal", "goal_achieved"}


def test_department_self_evaluation_has_income_and_expense():
    s = parsed("department-self-merged-cells.xlsx")
    assert (s.department_name, s.fiscal_year, s.project_name) == ("苏州市总工会（本级）", 2023, None)
    executed = {(b.direction, b.item_path): b.amount_wan for b in s.budget if getattr(b, "measure", "") == "executed"}
    assert executed == {("income", "资金总额"): Decimal("1302.77"), ("income", "财政拨款"): Decimal("1302.77"),
                        ("income", "上年结转资金"): 0, ("income", "其他资金"): 0,
                        ("expense", "基本支出"): Decimal("380.12"), ("expense", "项目支出"): Decimal("922.65")}
    assert len(s.results) == len(script.DEPARTMENT_SELF_EVALUATION.indicators)


def test_evaluation_form_reads_weights_maxima_and_rubric_rows():
    s = parsed("evaluation-merged-cells.xlsx")
    assert (s.department_name, s.fiscal_year, s.project_name) == ("苏州市总工会（本级）", 2023, "劳模“三金”专项经费")
    by_name = {r.level3: r for r in s.results}
    rate = by_name["预算执行率"]
    assert (rate.level1, rate.weight, rate.level2, rate.level2_max, rate.max_score, rate.actual_raw,
            rate.data_items) == ("预算绩效", 20, "预算管理", 60, 30, "98.86%", "数据项1: 390.5; 数据项2: 395")
    rubric = by_name["是否弘扬了劳模精神"]
    assert (rubric.max_score, rubric.actual_raw) == (60, "是")  # three rubric rows of 20; 数据项1 is its value
    assert rubric.reason.splitlines() == ["① 劳模事迹在市级媒体宣传12次", "② 劳模进企业宣讲30场", "③ 社会评价良好"]
    assert len(rubric.max_cell.split(", ")) == 3
    standard = next(t for t in s.targets if t.level3 == "发放劳模“三金”人数")
    assert (standard.raw_value, standard.operator, standard.value, standard.unit, standard.is_quantitative) == (
        "300", None, 300, "人", True)


def test_evaluation_form_without_identity_takes_its_project_from_the_title():
    s = parsed("evaluation-no-identity.html")
    assert (s.template, s.department_name, s.fiscal_year, s.project_name) == (
        "project_evaluation", None, None, "劳模健康关爱工程")
    assert s.attributes.get("identity_from") == "title"
