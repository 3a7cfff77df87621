"""Block readers: the shared code that declarations name (``reader = "key_value"``).

A block reader is a function ``read(ctx, block)`` registered with :func:`block_reader` under a name, with the
parameters a declaration may give it (:class:`Param`, checked when the declaration loads) and the warehouse
facts it fills. It finds its block by labels, never by position, and adds what it read to
``ctx.submission`` (records with their cells) and the block's opening cell to ``ctx.anchors``.

Adding one: write a module in this folder (every module here is imported, which registers its readers),
decorate the function, document it in parsers/templates/FAMILIES.md. Declarations can then name it.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from budget_etl.parsers.cells import Cell, Sheet, Workbook
from budget_etl.parsers.errors import Issue
from budget_etl.parsers.records import (
    BudgetLine,
    Direction,
    Measure,
    ParsedSubmission,
    Period,
    make_budget_line,
    make_measured_line,
)
from budget_etl.parsers.templates.declaration import (
    MEASURES,
    Block,
    DeclarationError,
    Family,
    FieldError,
)
from budget_etl.parsers.templates.labels import SheetIndex

#: The facts a block may fill (the warehouse tables, or the submission's identity and attributes).
FILLS = ("identity", "attributes", "submission_texts", "fact_budget", "fact_target", "fact_disclosure",
         "fact_indicator_result", "fact_budget_score")
#: 万元 per unit: amounts are stored in 万元, the source text and its unit kept beside.
UNITS: dict[str, Decimal] = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
                             "百万元": Decimal(100), "亿元": Decimal(10000)}


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a block reader, as a declaration writes it.

    ``kind``: ``text``, ``texts`` (a list of strings), ``vocabulary`` (a table ``canonical = [synonyms]``,
    order kept), ``word_map`` (a table ``word = "value"``, values from ``choices``), ``number``, ``flag``
    (true/false), ``table`` (anything; the reader's ``check`` looks inside)."""

    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True, slots=True)
class BlockReader:
    name: str
    read: Callable[[BlockContext, Block], None]
    params: dict[str, Param]
    fills: tuple[str, ...]
    doc: str
    #: labels of the block that are never a key/value's value (its opening and closing labels)
    known_labels: Callable[[Block], tuple[str, ...]] = lambda block: ()
    #: extra checks of a declaration's parameters; raise FieldError(field, problem)
    check: Callable[[Block], None] | None = None


BLOCK_READERS: dict[str, BlockReader] = {}


def block_reader(name: str, *, fills: tuple[str, ...], params: dict[str, Param],
                 known_labels: Callable[[Block], tuple[str, ...]] | None = None,
                 check: Callable[[Block], None] | None = None) -> Callable:
    """Register ``read(ctx, block)`` as the block reader ``name``; its docstring is its documentation."""
    unknown = set(fills) - set(FILLS)
    if unknown:
        raise ValueError(f"block reader {name}: fills {sorted(unknown)} not in {FILLS}")

    def register(read: Callable[[BlockContext, Block], None]) -> Callable:
        if name in BLOCK_READERS:
            raise ValueError(f"block reader {name!r} is registered twice")
        BLOCK_READERS[name] = BlockReader(name, read, params, fills, (read.__doc__ or "").strip(),
                                          known_labels or (lambda block: ()), check)
        return read
    return register


def fills_of(block: Block) -> tuple[str, ...]:
    reader = BLOCK_READERS.get(block.reader)
    return reader.fills if reader else ()


def check_block(block: Block, source: str, prefix: str) -> None:
    """Check a declared block against its reader; fills in parameter defaults. Raises DeclarationError."""
    reader = BLOCK_READERS.get(block.reader)
    if reader is None:
        raise DeclarationError(source, f"{prefix}reader", f"unknown block reader {block.reader!r}; known: "
                                                          f"{', '.join(sorted(BLOCK_READERS))}")
    for key in block.params:
        if key not in reader.params:
            raise DeclarationError(source, f"{prefix}{key}", f"is not a parameter of the {reader.name} reader "
                                                             f"(it takes {', '.join(reader.params)})")
    for key, param in reader.params.items():
        if key not in block.params:
            if param.required:
                raise DeclarationError(source, f"{prefix}{key}", f"is required by the {reader.name} reader")
            if param.default is not None:
                block.params[key] = param.default
            continue
        problem = _kind_problem(param, block.params[key])
        if problem:
            raise DeclarationError(source, f"{prefix}{key}", problem)
        block.params[key] = _normalised(param, block.params[key])
    if reader.check is not None:
        try:
            reader.check(block)
        except FieldError as exc:
            raise DeclarationError(source, f"{prefix}{exc.field}", exc.problem) from None


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _kind_problem(param: Param, value: Any) -> str | None:
    if param.kind == "text":
        if not isinstance(value, str) or not value.strip():
            return f"must be a non-empty string, got {value!r}"
        if param.choices and value not in param.choices:
            return f"must be one of {', '.join(param.choices)}, got {value!r}"
    elif param.kind == "texts":
        if not (isinstance(value, str) and value.strip()) and not _is_texts(value):
            return f"must be a list of non-empty strings, got {value!r}"
    elif param.kind == "vocabulary":
        if not isinstance(value, dict):
            return "must be a table: canonical = [synonyms, ...]"
        for key, synonyms in value.items():
            if not _is_texts(synonyms):
                return f"{key!r} must have a list of synonyms (may be empty), got {synonyms!r}"
    elif param.kind == "word_map":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return 'must be a table: word = "value"'
        bad = [v for v in value.values() if param.choices and v not in param.choices]
        if bad:
            return f"values must be one of {', '.join(param.choices)}, got {bad[0]!r}"
    elif param.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, got {value!r}"
    elif param.kind == "flag":
        if not isinstance(value, bool):
            return f"must be true or false, got {value!r}"
    elif param.kind == "table" and not isinstance(value, dict):
        return f"must be a table, got {value!r}"
    return None


def _normalised(param: Param, value: Any) -> Any:
    if param.kind == "texts":
        return (value.strip(),) if isinstance(value, str) else tuple(v.strip() for v in value)
    if param.kind == "vocabulary":
        return {key: tuple(v.strip() for v in synonyms) for key, synonyms in value.items()}
    return value


def vocabulary_aliases(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``{canonical: (synonyms)}`` as ``{spelling: canonical}``, each canonical before its synonyms."""
    aliases: dict[str, str] = {}
    for canonical, synonyms in vocabulary.items():
        aliases.setdefault(canonical, canonical)
        for synonym in synonyms:
            aliases.setdefault(synonym, canonical)
    return aliases


@dataclass(slots=True)
class BlockContext:
    """What a block reader works with: the family, the sheet (for a workbook-scoped family, the sheet that was
    recognised; ``workbook`` has the others), the sheet's label index and the submission being built."""

    family: Family
    workbook: Workbook
    sheet: Sheet
    index: SheetIndex
    submission: ParsedSubmission
    #: key/value blocks read so far: block name -> (value text, value cell)
    values: dict[str, tuple[str, Cell]] = field(default_factory=dict)
    #: block name -> the cell that opened it (its label); the fiscal year is read above these
    anchors: dict[str, Cell] = field(default_factory=dict)
    #: labels of the family that are never a key/value's value
    known_labels: tuple[str, ...] = ()
    _section_rows: list[int] | None = None

    def warn(self, code: str, message: str, cell: Cell | None = None) -> None:
        self.submission.issues.append(Issue(code, message, "warning", self.sheet.name,
                                            cell.address if cell is not None else None))

    def opened(self, block: Block, cell: Cell) -> None:
        """Record that ``block`` was found at ``cell`` (``required_blocks`` checks this)."""
        self.anchors[block.name] = cell
        self.submission.blocks[block.name] = cell.address

    def section_rows(self) -> list[int]:
        """Rows where a table of the family's indicator blocks starts: an amounts block above ends there."""
        if self._section_rows is None:
            from budget_etl.parsers.templates.indicators import find_headers

            rows: set[int] = set()
            for block in self.family.blocks:
                if "fact_target" in BLOCK_READERS[block.reader].fills and block.get("columns") is not None:
                    rows.update(header.row for header in find_headers(self.index, header_roles(block)))
            self._section_rows = sorted(rows)
        return self._section_rows

    def block_end(self, block: Block, first_row: int) -> int:
        """The last row of a block opening at ``first_row``: the row before the next ``ends_at`` label or the
        next indicator table, else the sheet's end."""
        ends = [cell.row for cell in self.index.find_all(*block.get("ends_at", ())) if cell.row > first_row]
        ends += [row for row in self.section_rows() if row > first_row]
        return min(ends, default=self.index.max_row + 1) - 1

    def amount_line(self, block: Block, direction: str, path: str, period: str, amount: Decimal | None,
                    raw: str, cell: Cell | Any) -> BudgetLine:
        """A line of ``block``: its amount converted from the block's ``unit`` to 万元, in its ``measure``."""
        unit, measure = block.get("unit", "万元"), block.get("measure", "budget")
        address = cell if isinstance(cell, str) else cell.address
        if amount is not None and unit != "万元":
            amount = amount * UNITS[unit]
        # direction, period and measure come from a checked declaration: they are among the allowed values
        line_direction, line_period = cast(Direction, direction), cast(Period, period)
        if unit == "万元" and measure == "budget":
            return make_budget_line(line_direction, path, line_period, amount, raw, self.sheet.name, address)
        return make_measured_line(line_direction, path, line_period, amount, raw, self.sheet.name, address,
                                  cast(Measure, measure), unit)


def header_roles(block: Block) -> dict[str, str]:
    """An indicator block's ``columns`` table ({role: [header words]}) as {header word: role}."""
    from budget_etl.parsers.templates.labels import norm

    return {norm(word): role for role, words in block["columns"].items() for word in words}


def _import_readers() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_import_readers()

__all__ = [
    "BLOCK_READERS",
    "FILLS",
    "MEASURES",
    "UNITS",
    "BlockContext",
    "BlockReader",
    "Param",
    "block_reader",
    "check_block",
    "fills_of",
    "header_roles",
    "vocabulary_aliases",
]
