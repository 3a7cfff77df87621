"""Quality findings in plain Chinese, for the people who fill in the tables.

The check catalogue (``budget_etl.expectations.checks``) and the parser issues describe findings for the
warehouse's users, partly in English. A department's clerk reads the annotated workbook instead, so each
check and issue code gets one sentence here saying what should hold. A check added later without a sentence
here still gets a Chinese line naming it, with the catalogue's own words beside it: never an empty comment.
"""
from __future__ import annotations

from typing import NamedTuple


class Wording(NamedTuple):
    problem: str  # what should hold, as a sentence
    expected: str | None = None  # the expected value in Chinese, when the catalogue's is English boilerplate


#: check or issue code -> its sentence (and expected value) in Chinese
WORDING: dict[str, Wording] = {
    # structure
    "template_present": Wording("未能识别表格式样，请使用规定的绩效目标表模板。", "规定的表格式样"),
    "department_present": Wording("未填写单位名称。", "填写单位名称"),
    "year_present": Wording("未写明预算年度。", "写明年度，例如 2024"),
    "year_plausible": Wording("预算年度应在2000年至2100年之间。", "2000–2100"),
    "required_blocks_found": Wording("表中缺少必需的部分（例如资金情况或绩效指标）。", "各必需部分齐全"),
    "has_indicators": Wording("表中没有绩效指标，至少应填写一项。", "至少一项绩效指标"),
    # amounts
    "amount_not_negative": Wording("金额不能为负数。", "≥ 0"),
    "amount_fits_warehouse": Wording("金额过大，超出可存储的范围，请核对单位（万元）和数字。", "小于 1e14 万元"),
    # reconciliation
    "funds_total_reconciles": Wording("资金总额应等于财政拨款、国有资本金、社保基金、上年结转资金与其他资金之和。"),
    "appropriation_reconciles": Wording("财政拨款应等于一般公共预算资金、政府性基金与财政专户管理资金之和。"),
    "expenses_match_funds": Wording("基本支出与项目支出之和应等于资金总额（全年预算数）。"),
    "project_lines_reconcile": Wording("各项目支出明细之和应等于项目支出（半年和全年分别核对）。"),
    "project_funds_reconcile": Wording("年度资金总额应等于财政拨款、上年结转资金与其他资金之和。"),
    # periods
    "half_year_within_full_year": Wording("支出项目的半年计划执行数不应超过其全年预算数。", "不超过全年预算数"),
    "target_half_year_within_full_year": Wording("半年指标值不应超过全年指标值。", "不超过全年指标值"),
    # targets
    "quantitative_target_readable": Wording("数量型指标值应写明比较符号（=、≥、≤、>、<）和数字。",
                                            "比较符号加数字，例如 ≥20人"),
    "rate_percent_within_0_100": Wording("率、度类指标的百分比应在0%到100%之间。", "0%–100%"),
    "target_value_fits_warehouse": Wording("指标数值过大，超出可存储的范围，请核对。", "绝对值小于 1e14"),
    "indicator_unique": Wording("同一指标在一张表中出现了两次。", "每个指标每个期间只出现一次"),
    # the run
    "identity_unique_in_run": Wording(
        "本次提交中有多个文件属于同一单位、年度和项目，将按文件路径顺序作为先后版本入库。",
        "每个单位、年度和项目一个文件"),
    # reader and parser issues (suite 'parser')
    "amount_missing": Wording("金额未填写。", "填写金额"),
    "amount_unparsed": Wording("金额无法识别为数字。", "数字，例如 1363.41"),
    "score_unparsed": Wording("分值或得分无法识别为数字，未入库。", "数字，例如 9.5 或 9.5分"),
    "amount_without_item": Wording("该金额没有对应的项目名称。", "金额所在行写明项目名称"),
    "block_missing": Wording("表中缺少必需的部分。", "各必需部分齐全"),
    "formula_error": Wording("公式计算出错（例如 #DIV/0!、#REF!）。", "公式能正常计算"),
    "sheet_not_read": Wording("此工作表有数字，但不属于任何规定的表格式样，本次未读取。", "按规定式样填写，或单独报送"),
    "formula_without_value": Wording("公式没有保存计算结果，请在 Excel 中重新计算后保存。", "公式带有计算结果"),
    "hidden_rows": Wording("表中有隐藏的行，请确认其中的内容是否应当提交。"),
    "hidden_sheet": Wording("工作簿中有隐藏的工作表，请确认其中的内容是否应当提交。"),
    "indicator_level_missing": Wording("指标缺少上级指标（一级或二级指标）。", "填写一级、二级指标"),
    "indicator_name_missing": Wording("指标名称未填写。", "填写三级指标名称"),
    "label_approximate": Wording("标题文字与规定写法不完全一致，已按最接近的写法读取，请核对。", "规定的标题文字"),
    "target_value_missing": Wording("指标值未填写。", "填写指标值"),
    "target_values_missing": Wording("绩效指标表缺少指标值列。", "指标值列（全年、半年）"),
    "target_value_unparsed": Wording("指标值无法识别。", "比较符号加数字，或文字描述"),
    "value_missing": Wording("必填内容未填写。", "填写内容"),
    "row_realigned": Wording("这一行的内容错了列（整体偏左），已按右移读取，请核对并改正列位置。", "内容在对应的列中"),
}

SEVERITY_ZH = {"error": "错误", "warning": "警告"}
SEVERITY_EFFECT = {"error": "错误（未通过，本文件未入库）", "warning": "警告（不影响入库，请核实）"}


def problem(check: str, message: str | None = None, title: str | None = None) -> str:
    """The sentence saying what is wrong. A check without a sentence here (a sum rule a family declares)
    says its rule when the rule is written in Chinese (资金总额 = 财政拨款 + …), else names itself and keeps
    the catalogue's words."""
    wording = WORDING.get(check)
    if wording is not None:
        return wording.problem
    if title and _has_cjk(title):
        return f"应满足：{title}。"
    detail = f"：{message}" if message else "。"
    return f"未通过检查「{check}」{detail}"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def expected(check: str, catalogue_expected: str | None, catalogue_default: str | None = None) -> str:
    """What was expected: the finding's own text when it says something specific (the sum with its parts),
    the Chinese wording when the catalogue only has its English boilerplate."""
    text = (catalogue_expected or "").strip()
    wording = WORDING.get(check)
    if wording is not None and wording.expected and (not text or text == catalogue_default or text.isascii()):
        return wording.expected
    return text


def comment_text(finding: dict, default_expected: dict[str, str] | None = None,
                 titles: dict[str, str] | None = None) -> str:
    """The comment on a failing cell: what is wrong, observed vs expected, the check's name.

    ``finding`` has the quality result's fields (severity, suite, expectation, observed, expected, message);
    ``default_expected`` and ``titles`` are the catalogue's expected text and rule per check name.
    """
    check = str(finding.get("expectation") or "")
    severity = str(finding.get("severity") or "")
    observed = str(finding.get("observed") or "").strip()
    want = expected(check, finding.get("expected"), (default_expected or {}).get(check))
    lines = [SEVERITY_EFFECT.get(severity, severity),
             "问题：" + problem(check, finding.get("message"), (titles or {}).get(check))]
    if observed:
        lines.append("实际值：" + observed)
    if want:
        lines.append("应为：" + want)
    if not observed and not want and finding.get("message") and check in WORDING:
        lines.append("说明：" + str(finding["message"]))
    lines.append(f"检查项：{check}（{finding.get('suite') or ''}）")
    return "\n".join(lines)
