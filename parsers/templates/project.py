"""项目支出绩效目标表: one project's funds, goal and indicators (a single 指标值 = full year)."""
from __future__ import annotations

from budget_etl.parsers.cells import Sheet
from budget_etl.parsers.records import ParsedSubmission
from budget_etl.parsers.templates.funds import read_project_funds
from budget_etl.parsers.templates.header import read_key_values
from budget_etl.parsers.templates.indicators import find_headers
from budget_etl.parsers.templates.labels import Evidence, score_labels
from budget_etl.parsers.templates.skeleton import begin, finish, place_fiscal_year, read_targets
from budget_etl.parsers.templates.texts import section_items

NAME = "project"
TITLE = "项目支出绩效目标表"
FUNDS_LABELS = ("项目资金",)
RECOGNITION_LABELS = ("项目名称", "主管部门", "实施单位", "项目资金", "年度资金总额", "年度绩效目标", "绩效指标")
REQUIRED_BLOCKS = ("title", "project", "funds", "targets")
KEY_VALUES = {
    "project": ("项目名称",),
    "主管部门": ("主管部门", "主管单位"),
    "实施单位": ("实施单位", "项目实施单位"),
    "project_goal": ("年度绩效目标", "年度目标", "总体目标"),
}
ALL_LABELS = tuple(label for labels in KEY_VALUES.values() for label in labels) + FUNDS_LABELS + ("绩效指标",)


def _is_title(text: str) -> bool:
    return "项目" in text and "绩效目标" in text and "部门整体" not in text


def evidence(sheet: Sheet) -> Evidence:
    return score_labels(sheet, _is_title, RECOGNITION_LABELS)


def score(sheet: Sheet) -> float:
    return evidence(sheet).score


def parse(sheet: Sheet) -> ParsedSubmission:
    index, submission, title = begin(sheet, NAME, REQUIRED_BLOCKS, _is_title)

    values = read_key_values(index, submission, KEY_VALUES, ALL_LABELS)
    if "project" in values:
        submission.project_name, cell = values["project"]
        submission.sources["project_name"] = (sheet.name, cell.address)
    for attribute in ("主管部门", "实施单位"):
        if attribute in values:
            submission.attributes[attribute] = values[attribute][0]
    # The department that owns the project is the unit carrying it out; the supervising one if none is named.
    owner = "实施单位" if "实施单位" in values else "主管部门" if "主管部门" in values else None
    if owner is not None:
        submission.department_name = values[owner][0]
        submission.sources["department_name"] = (sheet.name, values[owner][1].address)
    if "project_goal" in values:
        submission.texts.extend(section_items("project_goal", values["project_goal"][1]))

    headers = find_headers(index)
    funds_label = index.find(*FUNDS_LABELS, exact=False)
    project_label = index.find(*KEY_VALUES["project"])
    first_block_row = min([row for row in (project_label.row if project_label else None,
                                           funds_label.row if funds_label else None) if row is not None],
                          default=index.max_row)
    place_fiscal_year(submission, index, title, first_block_row)

    if funds_label is not None:
        submission.blocks["funds"] = funds_label.address
        ends = [cell.row for cell in index.find_all(*KEY_VALUES["project_goal"], "绩效指标") if cell.row > funds_label.row]
        ends += [header.row for header in headers if header.row > funds_label.row]
        last = min(ends, default=index.max_row + 1) - 1
        submission.budget = read_project_funds(index.rows_between(funds_label.row, last), sheet.name,
                                               FUNDS_LABELS, submission.issues)
    read_targets(submission, index, headers)
    return finish(submission)
