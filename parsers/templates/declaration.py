"""A table family as data: one TOML file, read and checked here (format: parsers/templates/FAMILIES.md).

Everything a declaration says is checked when it is loaded, before any file is read: a mistake is one
:class:`DeclarationError` naming the file and the field (``families/x.toml: blocks[2].reader: unknown block
reader 'amount_gird'; known: ...``). The objects built here are frozen and picklable: worker processes
receive them as they are.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, overload

from budget_etl.errors import BudgetEtlError
from budget_etl.parsers.values import ROUNDING_TOLERANCE

SCOPES = ("sheet", "workbook")
DIRECTIONS = ("income", "expense")
PERIODS = ("half_year", "full_year")
MEASURES = ("budget", "initial_budget", "executed")
IDENTITY_FIELDS = ("department_name", "project_name")
#: What the structure checks require of a submission's identity, unless its family says otherwise.
REQUIRED_IDENTITY = ("department_name", "fiscal_year")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Families whose names are taken by the warehouse itself.
RESERVED_NAMES = ("generic",)


class DeclarationError(BudgetEtlError):
    """A declaration that cannot be used: the run does not start."""

    def __init__(self, source: str, field_name: str, problem: str):
        super().__init__("declaration_invalid", f"{source}: {field_name}: {problem}")
        self.source, self.field, self.problem = source, field_name, problem


class FieldError(ValueError):
    """Raised by a block reader's own check: ``field`` is relative to the block (``items.income``)."""

    def __init__(self, field_name: str, problem: str):
        super().__init__(problem)
        self.field, self.problem = field_name, problem


@dataclass(frozen=True, slots=True)
class TitlePattern:
    """How the table's title reads: every ``contains`` word, none of ``excludes``, and ``regex`` if given.

    Tested on the label text normalised (no spaces, half-width brackets; :func:`labels.norm`)."""

    contains: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    regex: str | None = None

    def matches(self, text: str) -> bool:
        if any(word not in text for word in self.contains) or any(word in text for word in self.excludes):
            return False
        return self.regex is None or re.search(self.regex, text) is not None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a family: its name (what ``required_blocks`` and reports say), the block reader that reads
    it and that reader's parameters (checked against the reader's :class:`~blocks.Param` list)."""

    name: str
    reader: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


#: A line of an amounts block: (direction, item_path).
Line = tuple[str, str]


@dataclass(frozen=True, slots=True)
class SumRule:
    """``total`` must equal the sum of ``parts`` (or of the total's direct children when ``children``)."""

    check: str
    title: str
    total: Line
    parts: tuple[Line, ...] = ()
    children: bool = False
    periods: tuple[str, ...] = PERIODS
    tolerance: float = ROUNDING_TOLERANCE  # 万元
    measure: str = "budget"  # the lines of this measure are added up


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    title: str
    scope: str
    title_pattern: TitlePattern
    labels: tuple[str, ...]  # recognition labels, each found by itself or one of its synonyms
    synonyms: dict[str, tuple[str, ...]]
    min_score: float  # recognised at or above
    near_miss: float  # `explain` shows the closest labels at or above this (and below min_score)
    title_weight: float
    blocks: tuple[Block, ...]
    identity: dict[str, tuple[str, ...]]  # department_name / project_name -> blocks naming it, first wins
    year_before: tuple[str, ...]  # the fiscal year is read above the first of these blocks
    required_identity: tuple[str, ...]  # department_name / fiscal_year the structure checks require
    sum_rules: tuple[SumRule, ...]
    required_blocks: tuple[str, ...]
    #: 一级指标 groups the indicator tables must hold (产出, 效益, 满意度): a level1 text starting with each
    required_level1: tuple[str, ...]
    #: directions (income, expense) in which at least one amount must be filled in
    required_amounts: tuple[str, ...]
    #: its 全年预算数 restates a plan another family filed (a self-evaluation repeats its target table's):
    #: v_budget leaves such amounts out, so that summing it counts each plan once
    restates_plan: bool
    source: str  # where the declaration came from (shown by `budget-etl templates`)
    #: other layouts of the same table (``[[recognition.layouts]]``): the family with another set of labels.
    #: A layout's evidence stands in for the family's only where it recognises the sheet.
    layouts: tuple["Family", ...] = ()

    def spellings(self, label: str) -> tuple[str, ...]:
        return (label, *self.synonyms.get(label, ()))

    def block(self, name: str) -> Block | None:
        return next((b for b in self.blocks if b.name == name), None)


# ------------------------------------------------------------------------------------------------ loading
class _Table:
    """A TOML table with the path of its fields, so every complaint names the field."""

    def __init__(self, data: dict, source: str, prefix: str = ""):
        self.data, self.source, self.prefix = data, source, prefix
        self.used: set[str] = set()

    def path(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, problem: str) -> DeclarationError:
        return DeclarationError(self.source, self.path(key), problem)

    def raw(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    @overload
    def text(self, key: str, default: str, *, required: bool = False) -> str: ...
    @overload
    def text(self, key: str, default: None = None, *, required: bool = False) -> str | None: ...

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.raw(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def need(self, key: str) -> str:
        """A required non-empty string (``text(key, required=True)``, typed as never None)."""
        value = self.text(key, required=True)
        assert value is not None  # text() raised otherwise
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            if required:
                raise self.fail(key, "is required (a list of strings)")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"must be a list of non-empty strings, got {value!r}")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return tuple(v.strip() for v in value)

    def number(self, key: str, default: float, *, low: float = 0.0, high: float = 1.0) -> float:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise self.fail(key, f"must be a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def table(self, key: str, *, required: bool = False) -> _Table:
        value = self.raw(key)
        if value is None:
            if required:
                raise self.fail(key, "is required (a table)")
            value = {}
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, got {value!r}")
        return _Table(value, self.source, f"{self.path(key)}.")

    def tables(self, key: str) -> list[_Table]:
        value = self.raw(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be an array of tables ([[" + self.path(key) + "]])")
        return [_Table(v, self.source, f"{self.path(key)}[{n}].") for n, v in enumerate(value)]

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "is not a known field here (a typo?)")


def synonyms_table(table: _Table, key: str) -> dict[str, tuple[str, ...]]:
    """``{canonical = [synonym, ...]}``, order kept (it is the matching order)."""
    sub = table.table(key)
    return {name: sub.texts(name) for name in list(sub.data)}


def load_family(path: Path, source: str | None = None) -> Family:
    """Read and check one declaration. Raises :class:`DeclarationError` naming the file and the field."""
    source = source or str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DeclarationError(source, "(file)", f"cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeclarationError(source, "(file)", f"is not valid TOML: {exc}") from None
    return family_from_dict(data, source)


def family_from_dict(data: dict, source: str) -> Family:
    from budget_etl.parsers.templates.blocks import (
        check_block,  # the readers register themselves there
        fills_of,
    )

    top = _Table(data, source)
    name = top.need("name")
    if not NAME_RE.match(name):
        raise top.fail("name", f"must be lower-case snake_case (stored as submissions.template), got {name!r}")
    if name in RESERVED_NAMES:
        raise top.fail("name", f"{name!r} is reserved")
    title = top.need("title")
    scope = top.text("scope", "sheet")
    if scope not in SCOPES:
        raise top.fail("scope", f"must be one of {', '.join(SCOPES)}, got {scope!r}")
    restates_plan = top.flag("restates_plan")

    pattern = top.table("title_pattern", required=True)
    title_pattern = TitlePattern(pattern.texts("contains"), pattern.texts("excludes"), pattern.text("regex"))
    if title_pattern.regex is not None:
        try:
            re.compile(title_pattern.regex)
        except re.error as exc:
            raise pattern.fail("regex", f"is not a valid regular expression: {exc}") from None
    if not title_pattern.contains and title_pattern.regex is None:
        raise pattern.fail("contains", "give the words the title contains (or a regex)")
    pattern.reject_unknown()

    recognition = top.table("recognition", required=True)
    labels = recognition.texts("labels", required=True)
    synonyms = synonyms_table(recognition, "synonyms")
    for label in synonyms:
        if label not in labels:
            raise recognition.fail(f"synonyms.{label}", "names a label not in recognition.labels")
    min_score = recognition.number("score", 0.5)
    near_miss = recognition.number("near_miss", round(min_score * 0.6, 4))
    if near_miss >= min_score:
        raise recognition.fail("near_miss", f"must be below score ({min_score:g}), got {near_miss:g}")
    title_weight = recognition.number("title_weight", 0.4, high=0.99)
    layouts = tuple(_layout(table) for table in recognition.tables("layouts"))
    recognition.reject_unknown()

    blocks: list[Block] = []
    for number, table in enumerate(top.tables("blocks")):
        block_name = table.need("name")
        if any(b.name == block_name for b in blocks) or block_name == "title":
            raise table.fail("name", f"{block_name!r} is already a block of this family")
        reader = table.need("reader")
        params = {k: v for k, v in table.data.items() if k not in ("name", "reader")}
        block = Block(block_name, reader, params)
        check_block(block, source, f"blocks[{number}].")
        blocks.append(block)
    if not blocks:
        raise top.fail("blocks", "a family needs at least one block ([[blocks]])")
    top.used.add("blocks")
    block_names = {b.name for b in blocks}

    identity = top.table("identity")
    by_field: dict[str, tuple[str, ...]] = {}
    for key in IDENTITY_FIELDS:
        named = identity.texts(key)
        for block_name in named:
            named_block = next((b for b in blocks if b.name == block_name), None)
            if named_block is None or named_block.reader != "key_value":
                raise identity.fail(key, f"{block_name!r} is not a key_value block of this family")
        by_field[key] = named
    year_before = identity.texts("fiscal_year_before")
    required_identity = identity.texts("required") if "required" in identity.data else REQUIRED_IDENTITY
    for key in required_identity:
        if key not in REQUIRED_IDENTITY:
            raise identity.fail("required", f"{key!r} is not one of {', '.join(REQUIRED_IDENTITY)}")
    for block_name in year_before:
        if block_name not in block_names:
            raise identity.fail("fiscal_year_before", f"{block_name!r} is not a block of this family")
    identity.reject_unknown()

    rules = tuple(_sum_rule(table) for table in top.tables("sum_rules"))
    if len({r.check for r in rules}) != len(rules):
        raise top.fail("sum_rules", "two rules have the same name")

    checks = top.table("checks")
    required_blocks = checks.texts("required_blocks")
    for block_name in required_blocks:
        if block_name not in block_names | {"title"}:
            raise checks.fail("required_blocks", f"{block_name!r} is not a block of this family")
    required_level1 = checks.texts("required_level1")
    if required_level1 and not any("fact_target" in fills_of(b) for b in blocks):
        raise checks.fail("required_level1", "the family has no indicator block")
    required_amounts = checks.texts("required_amounts")
    for direction in required_amounts:
        if direction not in DIRECTIONS:
            raise checks.fail("required_amounts", f"{direction!r} is not a direction ({', '.join(DIRECTIONS)})")
    if required_amounts and not any("fact_budget" in fills_of(b) for b in blocks):
        raise checks.fail("required_amounts", "the family has no amounts block")
    checks.reject_unknown()
    top.raw("description")  # free text for people; allowed, not used
    top.reject_unknown()
    family = Family(name=name, title=title, scope=scope, title_pattern=title_pattern, labels=labels,
                    synonyms=synonyms, min_score=min_score, near_miss=near_miss, title_weight=title_weight,
                    blocks=tuple(blocks), identity=by_field, year_before=year_before,
                    required_identity=required_identity, sum_rules=rules,
                    required_blocks=required_blocks, required_level1=required_level1,
                    required_amounts=required_amounts, restates_plan=restates_plan, source=source)
    # A layout is the family scored with its own labels: the same title, threshold and blocks.
    return replace(family, layouts=tuple(replace(family, labels=labels_of, synonyms=synonyms_of)
                                         for labels_of, synonyms_of in layouts))


def _layout(table: _Table) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """``[[recognition.layouts]]``: ``labels`` and their ``synonyms``, as the family's own."""
    labels = table.texts("labels", required=True)
    synonyms = synonyms_table(table, "synonyms")
    for label in synonyms:
        if label not in labels:
            raise table.fail(f"synonyms.{label}", "names a label not in this layout's labels")
    table.raw("name")  # what the layout is, for people
    table.reject_unknown()
    return labels, synonyms


def _line(table: _Table, key: str, text: str, direction: str) -> Line:
    """'资金总额' (in the rule's direction) or 'expense:基本支出'."""
    if ":" in text:
        direction, _, text = text.partition(":")
        if direction not in DIRECTIONS:
            raise table.fail(key, f"{direction!r} is not a direction ({', '.join(DIRECTIONS)})")
    return direction, text


def _sum_rule(table: _Table) -> SumRule:
    check = table.need("name")
    if not NAME_RE.match(check):
        raise table.fail("name", f"must be snake_case (it is the check's name in quality_results), got {check!r}")
    direction = table.text("direction", "income")
    if direction not in DIRECTIONS:
        raise table.fail("direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    total = _line(table, "total", table.need("total"), direction)
    parts = tuple(_line(table, "parts", part, direction) for part in table.texts("parts"))
    children = table.flag("children")
    if bool(parts) == children:
        raise table.fail("parts", "give either parts or children = true")
    periods = table.texts("periods") or PERIODS
    for period in periods:
        if period not in PERIODS:
            raise table.fail("periods", f"{period!r} is not a period ({', '.join(PERIODS)})")
    tolerance = table.number("tolerance", ROUNDING_TOLERANCE, high=1e12)
    measure = table.text("measure", "budget")
    if measure not in MEASURES:
        raise table.fail("measure", f"must be one of {', '.join(MEASURES)}, got {measure!r}")
    default_title = f"{total[1]} = " + (" + ".join(p for _, p in parts) if parts else "the sum of its lines")
    rule = SumRule(check, table.text("title", default_title), total, parts, children, periods, tolerance, measure)
    table.reject_unknown()
    return rule


