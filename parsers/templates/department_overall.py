"""部门整体预算绩效目标表: one department's funds, goals and indicators for a year."""
from __future__ import annotations

from budget_etl.parsers.cells import Sheet
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.funds import DepartmentFundsReader
from budget_etl.parsers.templates.header import read_key_values
from budget_etl.parsers.templates.indicators import find_headers
from budget_etl.parsers.templates.labels import Evidence, SheetIndex, score_labels
from budget_etl.parsers.templates.skeleton import begin, finish, place_fiscal_year, read_targets
from budget_etl.parsers.templates.texts import section_items

NAME = "department_overall"
TITLE = "部门整体预算绩效目标表"
FUNDS_LABELS = ("部门整体资金", "部门整体支出", "部门资金")
RECOGNITION_LABELS = ("单位名称", "单位主要职能", "部门整体资金", "中长期目标", "年度目标", "半年指标值", "全年指标值")
REQUIRED_BLOCKS = ("title", "department", "funds", "targets")
KEY_VALUES = {
    "department": ("单位名称", "部门名称", "预算单位", "单位"),
    "functions": ("单位主要职能", "部门主要职能", "主要职能"),
    "organization": ("机构设置及人员配置", "机构设置及人员编制", "机构设置"),
    "mid_term_goal": ("中长期目标",),
    "annual_goal": ("年度目标", "年度总体目标"),
}
TEXT_SECTIONS = ("functions", "organization", "mid_term_goal", "annual_goal")
ALL_LABELS = tuple(label for labels in KEY_VALUES.values() for label in labels) + FUNDS_LABELS


def _is_title(text: str) -> bool:
    return "部门整体" in text and "绩效目标" in text


def evidence(sheet: Sheet) -> Evidence:
    return score_labels(sheet, _is_title, RECOGNITION_LABELS)


def score(sheet: Sheet) -> float:
    return evidence(sheet).score


def parse(sheet: Sheet) -> ParsedSubmission:
    index, submission, title = begin(sheet, NAME, REQUIRED_BLOCKS, _is_title)

    values = read_key_values(index, submission, KEY_VALUES, ALL_LABELS)
    if "department" in values:
        name, cell = values["department"]
        submission.department_name = name
        submission.sources["department_name"] = (sheet.name, cell.address)
        submission.attributes["单位名称"] = name
    for section in TEXT_SECTIONS:
        if section in values:
            submission.texts.extend(section_items(section, values[section][1]))

    headers = find_headers(index)
    funds_label = index.find(*FUNDS_LABELS, exact=False)
    department_label = index.find(*KEY_VALUES["department"])
    first_block_row = min([cell.row for cell in (funds_label, department_label) if cell is not None]
                          + [header.row for header in headers[:1]], default=index.max_row)
    place_fiscal_year(submission, index, title, first_block_row)

    if funds_label is not None:
        submission.blocks["funds"] = funds_label.address
        submission.budget = _read_funds(index, funds_label.row, headers, submission.issues)
    read_targets(submission, index, headers)
    return finish(submission)


def _read_funds(index: SheetIndex, first_row: int, headers, issues: list[Issue]):
    """The funds block runs from its label to the next section (a goal text or an indicator table)."""
    section_rows = [cell.row for cell in index.find_all(*KEY_VALUES["mid_term_goal"], *KEY_VALUES["annual_goal"])
                    if cell.row > first_row]
    section_rows += [header.row for header in headers if header.row > first_row]
    last_row = min(section_rows, default=index.max_row + 1) - 1
    reader = DepartmentFundsReader(index.sheet.name, FUNDS_LABELS)
    for row in index.rows_between(first_row, last_row):
        reader.read_row(row)
    lines = reader.finish()
    issues.extend(reader.issues)
    return lines
