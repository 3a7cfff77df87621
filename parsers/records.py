"""Typed records a template returns: one :class:`ParsedSubmission` per file.

Every record carries the sheet and A1 cell it came from. Codes are English
snake_case; labels copied from the source stay in Chinese as data.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from types import MemberDescriptorType
from typing import Any, Callable, Literal

from budget_etl.parsers.errors import Issue

#: A family's name as declared (parsers/templates/families/*.toml); any number of families may be declared.
TemplateName = str
Direction = Literal["income", "expense"]
Period = Literal["half_year", "full_year"]
Measure = Literal["budget", "initial_budget", "executed"]
#: functions, organization, mid_term_goal, annual_goal, project_goal, or what a declaration names
TextSection = str


@dataclass(frozen=True, slots=True)
class BudgetLine:
    direction: Direction
    item_path: str  # '资金总额', '财政拨款/一般公共预算资金', '项目支出/工会社工工资'
    period: Period
    amount_wan: Decimal | None  # None: the source had no value ('—' or empty), not zero
    raw: str  # the source text of the amount
    sheet: str
    cell: str


@dataclass(frozen=True, slots=True)
class MeasuredLine(BudgetLine):
    """A line of another measure than the plan (年初预算数 ``initial_budget``, 全年执行数 ``executed``), or one
    whose source states amounts in another unit than 万元 (``amount_wan`` is converted; ``raw`` and ``unit``
    are the source's). A plain :class:`BudgetLine` is the ``budget`` measure in 万元."""

    measure: Measure = "budget"
    unit: str = "万元"


@dataclass(frozen=True, slots=True)
class Target:
    level1: str
    level2: str
    key_task: str | None  # 重点工作, None where the table has no such column
    level3: str
    period: Period
    raw_value: str  # trimmed source text: '=100%', '≥20万页', '健全'
    operator: str | None  # =, >=, <=, > or < for quantitative targets (parsers.values maps ≥ ＜ …)
    value: Decimal | None
    unit: str | None
    is_quantitative: bool
    sheet: str
    cell: str


@dataclass(frozen=True, slots=True)
class DisclosureLine:
    """One amount of a disclosure workbook's table (部门预算/单位预算 公开表), in 万元 and as written."""

    table: str  # the table's code: 'expense_summary', 'general_budget_function', 'three_public' ...
    side: str | None  # 'income' or 'expense' on a 收支总表, None elsewhere
    item: str  # the row's name, numbering removed; a '1. …' sub-item under its '一、…' parent: '财政拨款收入/一般公共预算'
    function_code: str | None  # 功能分类 code as text: '205', '20502', '2050205'
    economic_code: str | None  # 经济分类 code as text: '301', '30101'
    column: str  # the column's header path: '合计', '基本支出', '基本支出/人员经费', '因公出国(境)费'
    amount_wan: Decimal | None  # None: the source had no value ('—', empty), not zero
    amount: Decimal | None  # as written, in ``unit``
    unit: str  # '元' or '万元', as the table declares
    raw: str  # the source text of the amount
    is_total: bool  # a 合计 / 收入总计 / 支出总计 row
    depth: int  # 1 for '一、…' items, 2 for '1. …' sub-items of a 收支总表; 0 for totals
    sheet: str
    cell: str


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """What a self-evaluation or an evaluation form says an indicator achieved and scored.

    Maxima per level: ``weight`` is the 一级's 权重, ``level2_max`` the 二级's 分值, ``max_score`` the
    indicator's own 分值 (the sum of its rubric rows' 分值 where it has rubric rows ①②③)."""

    level1: str
    level2: str
    level3: str
    period: Period
    actual_raw: str | None  # 实际完成值 / 指标值 as written, trimmed
    actual_value: Decimal | None  # its number, when it has one ('296人' -> 296)
    actual_unit: str | None
    score: Decimal | None  # 得分
    max_score: Decimal | None  # 分值
    level2_max: Decimal | None  # the 二级's 分值 (evaluation forms)
    weight: Decimal | None  # the 一级's 权重 (evaluation forms)
    data_items: str | None  # 采集数据项, '数据项1: 390.5; 数据项2: 395'
    reason: str | None  # 偏差原因分析及改进措施, or the rubric rows' 理由
    sheet: str
    cell: str  # the 三级指标 cell
    actual_cell: str | None = None
    score_cell: str | None = None
    max_cell: str | None = None
    level2_max_cell: str | None = None
    weight_cell: str | None = None
    # An evaluation's scoring sheet (评分表): what the indicator means and how it is scored, as written.
    explanation: str | None = None  # 指标解释 / 指标说明
    scoring_rule: str | None = None  # 评分标准 / 评分细则 / 评价要点
    explanation_cell: str | None = None
    rule_cell: str | None = None


@dataclass(frozen=True, slots=True)
class FundsScore:
    """A funds row's score in a self-evaluation: 执行率 as reported, its 分值 and 得分 (年度资金总额 10 分)."""

    direction: Direction
    item_path: str
    rate_raw: str | None  # '98.86%'
    rate: Decimal | None  # percent: 98.86
    max_score: Decimal | None
    score: Decimal | None
    sheet: str
    cell: str  # the item's label cell
    rate_cell: str | None = None
    max_cell: str | None = None
    score_cell: str | None = None


@dataclass(frozen=True, slots=True)
class TextItem:
    section: TextSection
    seq: int  # 1-based item number within the section
    text: str  # HTML removed
    sheet: str
    cell: str


@dataclass(slots=True)
class ParsedSubmission:
    template: TemplateName
    department_name: str | None
    fiscal_year: int | None
    project_name: str | None = None
    budget: list[BudgetLine] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    texts: list[TextItem] = field(default_factory=list)
    disclosure: list[DisclosureLine] = field(default_factory=list)
    results: list[IndicatorResult] = field(default_factory=list)
    fund_scores: list[FundsScore] = field(default_factory=list)
    #: block name ('header', 'funds', 'targets', ...) -> A1 of the label that opened it
    blocks: dict[str, str] = field(default_factory=dict)
    #: block names this template requires; missing ones fail the structure check
    required_blocks: tuple[str, ...] = ()
    #: other key/value facts worth keeping ('title', '主管部门', '实施单位')
    attributes: dict[str, str] = field(default_factory=dict)
    #: where department_name / fiscal_year / project_name were read: name -> (sheet, A1)
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the identity fields the structure checks require (a family may declare fewer: evaluation forms)
    required_identity: tuple[str, ...] = ("department_name", "fiscal_year")
    #: its budget amounts restate a plan filed elsewhere (the family declares it): left out of v_budget
    restates_plan: bool = False
    sheet: str = ""  # the sheet the table was found on
    score: float = 0.0  # recognition score of the template
    issues: list[Issue] = field(default_factory=list)
    #: template ``generic`` only: the tables no family recognised, each as a line of `budget-etl tables`
    #: (``sheet``, ``range``, ``entries``, ``labels``; see ``budget_etl.parsers.tables.Table.to_json``)
    tables: list[dict] = field(default_factory=list)

    @property
    def missing_blocks(self) -> list[str]:
        return [b for b in self.required_blocks if b not in self.blocks]

    def without_records(self) -> "ParsedSubmission":
        """The submission's header (identity, blocks, attributes, sources) without its records and issues: what
        a run keeps of it once they are staged."""
        return replace(self, budget=[], targets=[], texts=[], disclosure=[], results=[], fund_scores=[], issues=[],
                       tables=[])  # every list field: tests/flows/test_chunk_headers.py checks none is missed


@dataclass(slots=True)
class FileResult:
    """What reading and parsing one file produced (built in a worker, pickled back).

    It lives here, not in ``budget_etl.parsers.staging``, so that worker processes never import pandas.
    """

    key: int  # run-local number, stable order = path order
    path: str
    sha256: str
    size: int
    format: str | None = None
    parsed: ParsedSubmission | None = None
    error_code: str | None = None  # set when the file is rejected
    error_message: str | None = None
    issues: list[Issue] = field(default_factory=list)  # reader issues (parser's are in parsed)
    seconds_read: float = 0.0
    seconds_parse: float = 0.0
    #: the file's further submissions (one per sheet a family recognised, the generic rest, a near-miss sheet
    #: rejected on its own), each a result without a key; the parent numbers them (see ``part_of``)
    more: list["FileResult"] = field(default_factory=list)
    #: for a further submission: the key of the file's first one (the file as a whole); None for that one
    part_of: int | None = None

    @property
    def rejected(self) -> bool:
        return self.parsed is None


def fast_maker(cls: type) -> Callable[..., Any]:
    """A function making ``cls`` from all its field values, positionally, faster than ``cls(...)``.

    A frozen dataclass's ``__init__`` stores each field through ``object.__setattr__``; a parse makes a few
    dozen targets and lines per file (53 a file on a make_corpus.py corpus), each of a dozen fields. This fills
    the slots through their descriptors instead: the same object (equal, same repr, same pickle). Only for a
    slotted dataclass without ``__post_init__``; anything else gets its own constructor back.

    A loop over the slots' stores, not a function written out per class with ``exec`` as before. Per Target (12
    fields), side by side: 1.0–1.2 µs, against 0.7–0.8 µs written out and 1.25–1.5 µs for ``Target(...)``; the
    ~0.4 µs a record the loop costs is ~0.02 of a parse's ~1.5 CPU-ms a file, which benchmarks/bench_worker_cpu.py
    cannot tell apart from the machine's noise.
    """
    names = tuple(f.name for f in fields(cls))
    if hasattr(cls, "__post_init__") or not all(isinstance(getattr(cls, name, None), MemberDescriptorType)
                                                for name in names):
        return cls
    new = object.__new__
    setters = tuple(getattr(cls, name).__set__ for name in names)  # each slot's own store, in field order
    count = len(setters)

    def make(*values: Any) -> Any:
        # checked here, not by zip(strict=True), which costs more than the loop saves over cls(...) on Python 3.11
        if len(values) != count:
            raise TypeError(f"{cls.__name__} takes {count} field values, {len(values)} given")
        made: Any = new(cls)
        for store, value in zip(setters, values):
            store(made, value)
        return made

    make.__name__ = make.__qualname__ = f"make_{cls.__name__}"
    return make


#: Targets and budget lines as a parse makes them (all fields, in declaration order).
make_target = fast_maker(Target)
make_budget_line = fast_maker(BudgetLine)
make_measured_line = fast_maker(MeasuredLine)
