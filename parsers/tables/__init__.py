"""Read any table generically: entries (data cells) with their labels, labels with their parents.

    from budget_etl.parsers.tables import find_tables
    for table in find_tables(sheet):          # a budget_etl.parsers.cells.Sheet, from any reader
        table.sheet, table.range              # 'Sheet1', 'B3:T11'
        for entry in table.entries:
            entry.value, entry.cell           # '243', 'T11' (a merged cell: its top-left)
            entry.labels                      # [Label('2002', 'B11'), Label('Balance', 'T4')]: one per dimension
        for label in table.labels:
            label.label, label.cell, label.parent   # 'Balance', 'T4', Label('Other ICT goods', 'R3') or None
        table.to_json(file)                   # the JSON line of `budget-etl tables` (CONTRACT.md)

API
---
``find_tables(sheet) -> list[Table]``: the tables on one sheet, top to bottom (a sheet may hold several).
``Table(sheet, range, entries, labels)``: ``range`` in A1 ('B3:T11'); ``entries`` in reading order;
``labels`` every header cell of the table (column headers, stub cells, keys of 'key: value' pairs, and
the corner cells naming the stub's dimensions).
``Entry(value, cell, labels)``: ``value`` is the cell's text as shown (whitespace collapsed); ``labels`` are
its innermost labels, one per header dimension: each stub column, the column headers, or the key of
its 'key: value' pair.
``Label(label, cell, parent)``: ``label`` the header text with footnote marks dropped ('Operating margin1'
-> 'Operating margin'; an asterisk flag as in '2006*' stays); ``parent`` the header one level up in the same dimension, ``None`` at the top;
``label.path()`` the texts from the top down.

A stub coded by subject codes (:mod:`.codes`: digit codes that nest by prefix, '201' > '20129' > '2012901', in one
column or split over 类 | 款 | 项 columns) has its hierarchy from the codes: the code is one dimension (its columns
together, when split: the row's innermost level is its label, '01' under '29' under '201'), each name column beside
it another, and a row's label in each is under the label of the nearest row above whose code its code extends
('行政运行' under '群众团体事务' under '一般公共服务支出'). An entry's labels are then [code, name, column header]. With
nothing at the right of the names (a blank template, a list of codes) the codes are the stub and the names the
entries, each under its whole code.

``text.number_value(entry.value)``: the number a value shows, exactly (``Decimal``; '450 210,00' -> 450210.00,
'(12)' -> -12), or None for text and placeholders: what a loader stores as the entry's number.

Titles, unit lines ('(Number of persons)'), notes ('Source: ...') and lines of one or two 'key: value'
statements about the table ('编制单位：… | 单位：万元', '填报人：… | 填报日期：…') are neither entries nor labels.
Cells holding no value ('-', '..') are not entries. Tables found: one below the other (blank rows and
title lines between), side by side (an empty column between, one table wrapped into halves under a
repeated header, or blocks naming their stubs alike under group headers, as a 收支总表's income and
spending), 'key | value | key | value' blocks (infoboxes) with no header at all, and a form's lines of fields
('项目名称 | … | 主管部门 | …') each laid out its own way, alone or above the form's grid (:mod:`.fields`).

How (each stage a module, verbs after unpivotr's ``partition`` and ``behead``):
:mod:`.grid` (cells as boxes, merges resolved) -> :mod:`.partition` (table regions; title, unit and
note lines dropped; a form's lines of fields and its blocks under labels merged down split apart) ->
:mod:`.behead` (header rows, stub columns, 'key: value' columns) ->
:mod:`.assemble` (header hierarchies, entries with labels) -> :mod:`.refine` (a body mostly of text: the
header-cell model of :mod:`.cellmodel` over :mod:`.cellfeatures` gives a second opinion, and where it
disagrees the region is read from its header cells; not a region whose stub nests by codes, a cue the model does
not read). Decisions use the cells' content (numbers,
years, index sequences, outline numbers such as '一、' / '1.' / '1.1', placeholders), merged ranges and the readers' style hints (bold, indent,
alignment), never the words of particular tables; the only words it knows are general ones of statistics
tables (and of codes, only that they are digits and nest by prefix): 'of which' / 'thereof' / '其中' (a part of the row above) and a bare 'Total' / 'All' / '合计' in several
languages (the sum of its siblings, not their heading). The reader is deterministic and keeps no state; the
model is trained on IM-TQA train only (scripts/train_header_model.py).
Scores on real tables (Troy_200, IM-TQA) are in benchmarks/RESULTS.md ("Generic tables").
"""
from __future__ import annotations

from budget_etl.parsers.cells import Sheet
from budget_etl.parsers.tables.assemble import assemble
from budget_etl.parsers.tables.behead import header_rows, key_value_columns, stub_columns
from budget_etl.parsers.tables.codes import coded_stub
from budget_etl.parsers.tables.fields import fields_table, statements_under_alike
from budget_etl.parsers.tables.grid import Grid
from budget_etl.parsers.tables.model import Entry, Label, Table
from budget_etl.parsers.tables.partition import Region, partition
from budget_etl.parsers.tables.refine import refine_with_model


def find_tables(sheet: Sheet) -> list[Table]:
    """The tables on one sheet, top to bottom; an empty list when it holds none."""
    grid = Grid(sheet)
    tables = []
    for region in partition(grid):
        table, coded = _by_rules(grid, region)
        if not coded and not region.fields:  # the model reads neither codes nor a form's lines of fields
            table = refine_with_model(grid, region, table)
        if table.entries or table.labels:
            tables.append(table)
    return tables


def rule_table(grid: Grid, region: Region) -> Table:
    """A region read by the rules alone (header rows, stub columns, 'key: value' columns), before the
    header-cell model's second opinion (:mod:`.refine`)."""
    return _by_rules(grid, region)[0]


def _by_rules(grid: Grid, region: Region) -> tuple[Table, bool]:
    """:func:`rule_table`, and whether its stub nests by subject codes (:mod:`.codes`)."""
    if region.fields:
        fields = fields_table(grid, region.rows, region.left, region.right)
        if fields is not None:
            return fields, False
    keys = key_value_columns(grid, region)
    if keys:  # an infobox: no header rows, no stub, every pair's key labels its value
        return assemble(grid, region, 0, region.left - 1, set(keys)), False
    if region.left == region.right:  # one column: its header over its numbers, no stub
        return assemble(grid, region, 1, region.left - 1), False
    count = header_rows(grid, region)
    body = region.rows[count:] or region.rows
    if count == len(region.rows) > 2:
        # header only, no body (a blank template's header): labels, no entries; not two rows, which are as often a
        # header over one row of names
        return assemble(grid, region, count, region.left - 1), False
    stub_right = stub_columns(grid, region, body, region.rows[:count])
    table = assemble(grid, region, count, stub_right)
    if not table.entries and count == 2 and statements_under_alike(grid, region.rows, stub_right + 1, region.right):
        table = assemble(grid, region, 1, stub_right)  # a form's block of statements under their headers
    if not table.entries:  # labels only: a header without a body, or a form's lines of fields laid out unaligned
        table = fields_table(grid, region.rows, region.left, region.right) or table
    return table, coded_stub(grid, body, region.left, stub_right) is not None


__all__ = ["find_tables", "Table", "Entry", "Label"]
