"""Build small sheets of cells directly, for unit tests of the template helpers."""
from budget_etl.parsers.cells import Cell, Sheet, Workbook


def sheet_of(rows: dict[int, list[str]], name: str = "表1") -> Sheet:
    """rows: row number -> cell texts from column A ('' for a blank cell)."""
    cells = [Cell(name, r, c, text, text) for r, texts in rows.items() for c, text in enumerate(texts, start=1) if text]
    return Sheet(name, cells)


def workbook_of(*sheets: Sheet) -> Workbook:
    for number, sheet in enumerate(sheets):
        sheet.index = number
    return Workbook("xlsx", list(sheets))


def department_rows(**overrides: list[str]) -> dict[int, list[str]]:
    """A small, regular department table; override any row by its number (r5=[...])."""
    rows = {
        1: ["某某部门整体预算绩效目标表"], 2: ["2024年度"],
        3: ["单位名称", "", "某某局"],
        4: ["部门整体资金（万元）", "收入", "", "", "", "全年预算数"],
        5: ["", "", "资金总额", "", "", "10"],
        6: ["", "", "财政拨款", "小计", "", "10"],
        7: ["", "", "", "一般公共预算资金", "", "10"],
        8: ["", "支出", "", "", "半年计划执行数", "全年预算数"],
        9: ["", "", "基本支出", "", "4", "8"],
        10: ["", "", "项目支出", "", "1", "2"],
        11: ["", "", "", "甲项目", "1", "2"],
        12: ["中长期目标", "", "一、甲；二、乙"],
        13: ["一级指标", "二级指标", "三级指标", "", "半年指标值", "全年指标值"],
        14: ["产出", "数量", "培训人数", "", "=10人", "=20人"],
        15: ["", "", "满意度", "", "≥90%", "≥95%"],
    }
    for key, row in overrides.items():
        number = int(key.removeprefix("r"))
        if row is None:
            rows.pop(number)
        else:
            rows[number] = row
    return rows
