"""Hand-made submissions and runs for the warehouse tests.

Built through the real ``budget_etl.parsers.staging.build_staging`` from ``ParsedSubmission``
objects, so these tests do not wait for the templates. Also imported by
``crash_loader.py``, the subprocess the atomicity tests kill.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

import pandas as pd

from budget_etl.parsers.records import BudgetLine, ParsedSubmission, Target, TextItem
from budget_etl.parsers.staging import FileResult, Staging, build_staging
from budget_etl.warehouse import RunRecord

DEPARTMENT = "苏州市总工会（本级）"
SHEET = "Sheet1"

# (level1, level2, key_task, level3, half-year text, full-year text), as in the seed file.
SEED_TARGETS = [
    ("决策", "计划制定", None, "工作计划制定健全性", "健全", "健全"),
    ("过程", "预算执行", None, "预算执行率", "=62%", "=100%"),
    ("过程", "预算执行", None, "公用经费控制率", "≤100%", "≤100%"),
    ("履职", "切实履行维护职工合法权益的基本职责", "激发基层工会活力", "社工工作质量达标率", "=0%", "=95%"),
    ("履职", "做好劳模工作", None, "评选苏州时代工匠人数", "=0人", "=20人"),
    ("满意度", "服务对象满意度", None, "劳模满意度", "=85%", "=85%"),
]
_QUANTITATIVE = re.compile(r"^(=|≥|≤|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(.*)$")
_OPERATOR = {"≥": ">=", "≤": "<="}


def target(level1, level2, key_task, level3, period, raw, row, col) -> Target:
    match = _QUANTITATIVE.match(raw)
    cell = f"{'ABCDEFGH'[col - 1]}{row}"
    if not match:
        return Target(level1, level2, key_task, level3, period, raw, None, None, None, False, SHEET, cell)
    operator = _OPERATOR.get(match.group(1), match.group(1))
    return Target(level1, level2, key_task, level3, period, raw, operator, Decimal(match.group(2)),
                  match.group(3) or None, True, SHEET, cell)


def department_submission(name: str = DEPARTMENT, year: int = 2023, *, total: str = "1363.41",
                          basic: tuple[str, str] = ("191.76", "383.53"),
                          projects: dict[str, tuple[str, str]] | None = None,
                          targets=SEED_TARGETS, texts: list[str] | None = None) -> ParsedSubmission:
    """A 部门整体预算绩效目标表 with the seed's shape (amounts as exact text)."""
    projects = {"工会社工工资": ("157.81", "315.61")} if projects is None else projects
    budget = [BudgetLine("income", "资金总额", "full_year", _dec(total), total, SHEET, "D8"),
              BudgetLine("income", "财政拨款", "full_year", _dec(total), total, SHEET, "E9")]
    row = 19
    project_half = sum((_dec(h) or Decimal(0) for h, _ in projects.values()), Decimal(0))
    project_full = sum((_dec(f) or Decimal(0) for _, f in projects.values()), Decimal(0))
    for path, (half, full) in [("基本支出", basic), ("项目支出", (str(project_half), str(project_full)))] + [
            (f"项目支出/{p}", amounts) for p, amounts in projects.items()]:
        budget.append(BudgetLine("expense", path, "half_year", _dec(half), half, SHEET, f"D{row}"))
        budget.append(BudgetLine("expense", path, "full_year", _dec(full), full, SHEET, f"E{row}"))
        row += 1
    rows = []
    for i, (l1, l2, task, l3, half, full) in enumerate(targets):
        r = 40 + i
        rows.append(target(l1, l2, task, l3, "half_year", half, r, 5))
        rows.append(target(l1, l2, task, l3, "full_year", full, r, 6))
    items = [TextItem("functions", i + 1, t, SHEET, "C6") for i, t in enumerate(texts or ["指导全市工会工作。"])]
    return ParsedSubmission(template="department_overall", department_name=name, fiscal_year=year,
                            budget=budget, targets=rows, texts=items, sheet=SHEET,
                            sources={"department_name": (SHEET, "C5"), "fiscal_year": (SHEET, "A3")})


def project_submission(name: str = DEPARTMENT, year: int = 2023, project: str = "劳模健康关爱工程", *,
                       total: str = "28.8", targets=None) -> ParsedSubmission:
    """A 项目支出绩效目标表: income funds with one 指标值 (full_year) per indicator."""
    budget = [BudgetLine("income", "资金总额", "full_year", _dec(total), total, SHEET, "C6"),
              BudgetLine("income", "财政拨款", "full_year", _dec(total), total, SHEET, "C7"),
              BudgetLine("income", "上年结转资金", "full_year", Decimal(0), "0", SHEET, "C8")]
    specs = targets or [("产出指标", "数量指标", None, "体检人数", "=300人"),
                        ("满意度指标", "服务对象满意度指标", None, "劳模满意度", "≥90%")]
    rows = [target(l1, l2, task, l3, "full_year", raw, 20 + i, 4) for i, (l1, l2, task, l3, raw) in enumerate(specs)]
    return ParsedSubmission(template="project", department_name=name, fiscal_year=year, project_name=project,
                            budget=budget, targets=rows,
                            texts=[TextItem("project_goal", 1, "保障劳模健康。", SHEET, "B5")], sheet=SHEET)


@dataclass
class FileSpec:
    """One file of a run: what it parsed to and the status the gate gave it."""
    parsed: ParsedSubmission | None
    status: str = "loaded"
    path: str | None = None
    sha256: str | None = None
    error_code: str | None = None


@dataclass
class RunInput:
    run: RunRecord
    files: pd.DataFrame
    staging: Staging
    quality: pd.DataFrame
    specs: list[FileSpec] = field(default_factory=list)

    def load_into(self, wh) -> pd.DataFrame:
        return wh.load_run(self.run, self.files, self.staging, self.quality)


def make_run(run_id: str, specs: list[FileSpec], started_at: datetime | None = None) -> RunInput:
    """Staging, files and quality frames of a run, shaped like the pipeline's."""
    results = []
    for key, spec in enumerate(specs, start=1):
        path = spec.path or f"/inbox/{run_id}/file-{key:03d}.txt"
        sha = spec.sha256 or hashlib.sha256(f"{run_id}|{path}".encode()).hexdigest()
        results.append(FileResult(
            key=key, path=path, sha256=sha, size=1000, format="text",
            parsed=None if spec.status == "rejected" else spec.parsed,
            error_code=spec.error_code or ("corrupt_file" if spec.status == "rejected" else None),
            error_message="The file is damaged or truncated" if spec.status == "rejected" else None))
    staging = build_staging(results)
    files = staging.files[["file_key", "path", "sha256", "format", "template", "department_name",
                           "fiscal_year", "project_name", "error_code", "error_message"]].copy()
    files["status"] = [s.status for s in specs]
    files["received_at"] = [datetime(2024, 3, 1, 9, 30) for _ in specs]  # naive local, as fromtimestamp
    quality = pd.DataFrame([
        {"file_key": r.key, "suite": "department_overall", "expectation": "expect_totals_add_up",
         "severity": "error", "success": spec.status != "quarantined",
         "observed": "1363.41 vs 1300.00" if spec.status == "quarantined" else "1363.41",
         "source_cells": [f"{SHEET}!D8", f"{SHEET}!E9"], "message": "资金总额 = 财政拨款 + 其他",
         "expected": {"tolerance": 0.01}}
        for r, spec in zip(results, specs) if spec.status != "rejected"
    ], columns=["file_key", "suite", "expectation", "severity", "success", "observed", "source_cells",
                "message", "expected"])
    started = started_at or datetime(2024, 3, 1, 10, 0, tzinfo=timezone.utc)
    run = RunRecord(run_id=run_id, started_at=started, finished_at=started,
                    files_seen=len(specs), files_loaded=sum(s.status == "loaded" for s in specs),
                    files_quarantined=sum(s.status == "quarantined" for s in specs),
                    files_rejected=sum(s.status == "rejected" for s in specs), report_path=f"/reports/{run_id}.html")
    return RunInput(run, files, staging, quality, specs)


def table_counts(con) -> dict[str, int]:
    """Rows per table: the fingerprint the atomicity tests compare."""
    names = [n for (n,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()]
    return {n: con.execute(f"SELECT count(*) FROM {n}").fetchall()[0][0] for n in names}


def _dec(text: str | None) -> Decimal | None:
    return None if text in (None, "", "—") else Decimal(text)


def big_department_submission(name: str, indicators: int = 210) -> ParsedSubmission:
    """A department table with many indicators (2 target values each), for bulk and crash tests."""
    return dataclasses.replace(_big_template(indicators), department_name=name)


@functools.lru_cache(maxsize=4)
def _big_template(indicators: int) -> ParsedSubmission:
    many = [("产出", f"数量{i // 20}", None, f"指标{i:04d}", f"={i % 50}%", "=100%") for i in range(indicators)]
    return department_submission("template", targets=many)
