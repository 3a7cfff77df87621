"""A small factory of hand-made submissions, and a one-call validator for a set of them.

The good department submission copies the numbers of the real seed export
(苏州市总工会 2023, ``tests/fixtures/seed-department-overall.txt``), so it passes
every check for the same reasons a real file does; each test case changes one
thing to make one check fail.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from budget_etl.expectations import validate
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import BudgetLine, ParsedSubmission, Target
from budget_etl.parsers.staging import FileResult, build_staging

SHEET = "Sheet1"

#: (direction, item_path, period, amount, cell) — the seed's funds block.
SEED_BUDGET = [
    ("income", "资金总额", "full_year", "1363.41", "E13"),
    ("income", "财政拨款", "full_year", "1363.41", "F14"),
    ("income", "财政拨款/一般公共预算资金", "full_year", "1363.41", "F15"),
    ("income", "财政拨款/政府性基金", "full_year", "0", "F16"),
    ("income", "财政拨款/财政专户管理资金", "full_year", "0", "F17"),
    ("income", "国有资本金", "full_year", "0", "E18"),
    ("income", "社保基金", "full_year", "0", "E19"),
    ("income", "上年结转资金", "full_year", "0", "E20"),
    ("income", "其他资金", "full_year", "0", "D21"),
    ("expense", "基本支出", "half_year", "191.76", "E23"),
    ("expense", "基本支出", "full_year", "383.53", "F23"),
    ("expense", "项目支出", "half_year", "656.57", "E24"),
    ("expense", "项目支出", "full_year", "979.88", "F24"),
    ("expense", "项目支出/退休人员体检费", "half_year", "0", "E25"),
    ("expense", "项目支出/退休人员体检费", "full_year", "7.5", "F25"),
    ("expense", "项目支出/工会社工工资", "half_year", "157.81", "C26"),
    ("expense", "项目支出/工会社工工资", "full_year", "315.61", "D26"),
    ("expense", "项目支出/困难职工帮扶资金", "half_year", "31.5", "C27"),
    ("expense", "项目支出/困难职工帮扶资金", "full_year", "50.71", "D27"),
    ("expense", "项目支出/专项奖励表彰费", "half_year", "0", "C28"),
    ("expense", "项目支出/专项奖励表彰费", "full_year", "110", "D28"),
    ("expense", "项目支出/企业退休劳模荣誉津贴", "half_year", "72.26", "C29"),
    ("expense", "项目支出/企业退休劳模荣誉津贴", "full_year", "72.26", "D29"),
    ("expense", "项目支出/劳模健康关爱工程", "half_year", "0", "C30"),
    ("expense", "项目支出/劳模健康关爱工程", "full_year", "28.8", "D30"),
    ("expense", "项目支出/劳模“三金”专项经费", "half_year", "395", "C31"),
    ("expense", "项目支出/劳模“三金”专项经费", "full_year", "395", "D31"),
]

#: (level1, level2, key_task, level3, half raw, full raw, row) — a sample of the seed's indicators.
SEED_TARGETS = [
    ("决策", "计划制定", None, "工作计划制定健全性", "健全", "健全", 37),
    ("过程", "预算执行", None, "预算执行率", "=62%", "=100%", 44),
    ("过程", "预算执行", None, "公用经费控制率", "≤100%", "≤100%", 46),
    ("履职", "做好劳模工作", "大力弘扬劳模精神", "评选五一劳动奖章人数", "=0人", "=300人", 70),
    ("效益", "社会效益", None, "在档特困职工基本生活水平保障度", "保障", "保障", 76),
    ("满意度", "服务对象满意度", None, "劳模满意度", "=85%", "=85%", 81),
]

_OPS = {"≥": ">=", "≤": "<=", "=": "=", ">": ">", "<": "<"}


def parse_target_value(raw: str) -> tuple[str | None, Decimal | None, str | None]:
    """The tiny parse a template would do, enough for hand-made targets: '≥20万页' -> ('>=', 20, '万页')."""
    if raw[:1] in _OPS:
        number = "".join(ch for ch in raw[1:] if ch.isdigit() or ch in ".-")
        unit = raw[1 + len(number):] or None
        return _OPS[raw[:1]], Decimal(number), unit
    return None, None, None


def line(direction, path, period, amount, cell) -> BudgetLine:
    return BudgetLine(direction, path, period, None if amount is None else Decimal(amount),
                      "" if amount is None else str(amount), SHEET, cell)


def target(level1, level2, key_task, level3, period, raw, cell) -> Target:
    operator, value, unit = parse_target_value(raw)
    return Target(level1, level2, key_task, level3, period, raw, operator, value, unit,
                  operator is not None, SHEET, cell)


def department(**changes) -> ParsedSubmission:
    """The seed's department submission; keyword arguments replace fields."""
    targets = []
    for l1, l2, task, l3, half, full, row in SEED_TARGETS:
        first = "E" if task else "D"
        second = "F" if task else "E"
        targets.append(target(l1, l2, task, l3, "half_year", half, f"{first}{row}"))
        targets.append(target(l1, l2, task, l3, "full_year", full, f"{second}{row}"))
    base = ParsedSubmission(
        template="department_overall", department_name="苏州市总工会（本级）", fiscal_year=2023,
        budget=[line(*row) for row in SEED_BUDGET], targets=targets,
        blocks={"header": "A4", "funds": "A12", "targets": "A36"},
        required_blocks=("header", "funds", "targets"),
        sources={"department_name": (SHEET, "C6"), "fiscal_year": (SHEET, "A4")},
        sheet=SHEET, score=1.0,
    )
    return dataclasses.replace(base, **changes)


def project(**changes) -> ParsedSubmission:
    base = ParsedSubmission(
        template="project", department_name="苏州市总工会（本级）", fiscal_year=2023,
        project_name="劳模“三金”专项经费",
        budget=[line("income", "资金总额", "full_year", "395", "C7"),
                line("income", "财政拨款", "full_year", "300", "C8"),
                line("income", "上年结转资金", "full_year", "45", "C9"),
                line("income", "其他资金", "full_year", "50", "C10")],
        targets=[target("产出指标", "数量指标", None, "发放人数", "full_year", "≥1000人", "D14"),
                 target("效益指标", "社会效益指标", None, "劳模生活保障度", "full_year", "保障", "D15"),
                 target("满意度指标", "服务对象满意度指标", None, "劳模满意度", "full_year", "≥90%", "D16")],
        blocks={"header": "A2", "funds": "A7", "targets": "A13"},
        required_blocks=("header", "funds", "targets"),
        sources={"department_name": (SHEET, "B4"), "fiscal_year": (SHEET, "A2")},
        sheet=SHEET, score=1.0,
    )
    return dataclasses.replace(base, **changes)


def set_amount(sub: ParsedSubmission, path: str, period: str, amount: str | None) -> ParsedSubmission:
    """A copy with one amount changed (the line must exist)."""
    found = [b for b in sub.budget if b.item_path == path and b.period == period]
    assert found, f"no line {path} {period}"
    budget = [line(b.direction, b.item_path, b.period, amount, b.cell) if b in found else b for b in sub.budget]
    return dataclasses.replace(sub, budget=budget)


def set_target(sub: ParsedSubmission, level3: str, period: str, raw: str, *, parse: bool = True) -> ParsedSubmission:
    """A copy with one target's raw value changed; ``parse=False`` leaves it unparsed (no operator)."""
    def change(t: Target) -> Target:
        if t.level3 != level3 or t.period != period:
            return t
        if parse:
            return target(t.level1, t.level2, t.key_task, t.level3, t.period, raw, t.cell)
        return dataclasses.replace(t, raw_value=raw, operator=None, value=None, unit=None, is_quantitative=False)
    return dataclasses.replace(sub, targets=[change(t) for t in sub.targets])


def validate_cases(cases: dict[str, ParsedSubmission | FileResult], **kwargs):
    """Validate every case in one run (as the pipeline does); returns (outcome, name -> file_key)."""
    results = []
    for key, (name, case) in enumerate(cases.items(), start=1):
        if isinstance(case, FileResult):
            results.append(dataclasses.replace(case, key=key))
        else:
            results.append(FileResult(key=key, path=f"/in/{name}.txt", sha256=f"{key:064x}", size=1,
                                      format="text", parsed=case))
    outcome = validate(build_staging(results), **kwargs)
    return outcome, {name: key for key, name in enumerate(cases, start=1)}


def result_of(outcome, key: int, check: str) -> pd.Series:
    rows = outcome.results[(outcome.results["file_key"] == key) & (outcome.results["expectation"] == check)]
    assert len(rows) == 1, f"expected one {check} result for file {key}, got {len(rows)}"
    return rows.iloc[0]


@pytest.fixture(scope="session")
def make():
    """The factory, as a fixture (test modules are not importable from each other)."""
    return SimpleNamespace(department=department, project=project, set_amount=set_amount,
                           set_target=set_target, line=line, target=target, issue=Issue,
                           file_result=FileResult, validate_cases=validate_cases, result_of=result_of)
