"""The header-cell model's second opinion (parsers/tables/refine.py) on real files written by
tests/fixtures/make_table_fixtures.py: header blocks inside the body, 'key | value' grids, and tables of
numbers, which it leaves to the rules."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tables_support import FIXTURES, by_cell, paths, tables_of

from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.tables import cellmodel, refine, rule_table
from budget_etl.parsers.tables.cellfeatures import FEATURES
from budget_etl.parsers.tables.grid import Grid
from budget_etl.parsers.tables.partition import partition

ITEMS = {"D4": "尺寸 / 长度", "D5": "尺寸 / 宽度", "D6": "尺寸 / 高度", "D7": "电机 / 功率", "D8": "电机 / 转速",
         "D9": "电机 / 电压", "D10": "重量 / 整机重量", "D11": "重量 / 包装重量", "I4": "性能 / 流量",
         "I5": "性能 / 扬程", "I6": "性能 / 效率", "I7": "性能 / 汽蚀余量", "I8": "接口 / 进口口径",
         "I9": "接口 / 出口口径", "I10": "接口 / 法兰标准"}
VALUES = {"D": ("F", "G"), "I": ("K", "L")}  # each group's value columns, one per model


def test_groups_of_columns_each_with_a_stub_of_items_and_a_header_block():
    table = _plain_product()
    labels = {label.cell: label for label in table.labels}
    entries = by_cell(table)
    for cell, path in ITEMS.items():
        assert cell in labels and " / ".join(labels[cell].path()).endswith(path), cell
    # every value is labelled by the item at its left (under its group) and by its model above
    for cell, path in ITEMS.items():
        for value_col, model in zip(VALUES[cell[0]], ("型号 / LP-50", "型号 / LP-80")):
            value = entries[value_col + cell[1:]]
            assert paths(value)[0].endswith(path), value.cell
            assert paths(value)[1] == f"产品参数 / {model}", value.cell
    # units are data, labelled by their item and the 'unit' header of their group
    assert entries["E4"].value == "mm" and paths(entries["E4"]) == ["产品参数 / 项目 / 尺寸 / 长度", "产品参数 / 单位"]
    assert entries["J4"].value == "m³/h" and paths(entries["J4"])[0].endswith("性能 / 流量")
    # the product's name is a label (of its description), not an entry
    assert [lab.label for lab in entries["B2"].labels] == ["立式离心泵", "产品特点"]
    assert "A2" in labels


def test_the_rules_alone_misread_the_header_blocks_inside_the_body(monkeypatch):
    """What the model adds: the rules alone take the units for labels and the items for data."""
    monkeypatch.setattr(refine, "load_model", lambda: None)
    labels = {label.cell for label in _plain_product().labels}
    assert {"E4", "E5"} <= labels and not {"D4", "D5"} & labels


def test_a_table_with_style_hints_is_left_to_the_rules():
    """The model never saw bold, indents or alignment; where a table has them the rules read it alone."""
    workbook = read_bytes((FIXTURES / "product-sheet.xlsx").read_bytes(), "product-sheet.xlsx")
    styled = next(sheet for sheet in workbook.sheets if sheet.name == "水泵加粗")
    grid = Grid(styled)
    (region,) = partition(grid)
    table = rule_table(grid, region)
    assert refine.refine_with_model(grid, region, table) is table
    plain = _plain_product()
    assert {label.cell for label in plain.labels} != {label.cell for label in table.labels}


def _plain_product():
    (table,) = [t for t in tables_of("product-sheet.xlsx") if t.sheet == "水泵"]
    return table


def test_key_value_grid_with_section_headings():
    (table,) = tables_of("key-value-grid.xlsx")
    entries = by_cell(table)
    keys = {"B2": "品牌", "D3": "蓝牙版本", "F5": "电池容量", "B8": "机身重量", "D7": "包装尺寸", "F8": "客服热线"}
    for cell, key in keys.items():
        assert key in paths(entries[cell]), cell
    assert {"A1", "C1", "E1", "A6", "C6", "E6"} <= {label.cell for label in table.labels}
    assert not {"A2", "C4", "E8"} & set(entries)


@pytest.mark.parametrize("name", ["multi-level-header.xlsx", "indented-stub.xls", "two-tables-one-sheet.xlsx",
                                  "side-by-side.xlsx", "continued-rows.xlsx"])
def test_a_body_of_numbers_is_left_to_the_rules(name):
    workbook = read_bytes((FIXTURES / name).read_bytes(), name)
    for sheet in workbook.sheets:
        grid = Grid(sheet)
        for region in partition(grid):
            table = rule_table(grid, region)
            assert refine.refine_with_model(grid, region, table) is table


@pytest.mark.parametrize("name", ["product-sheet.xlsx", "key-value-grid.xlsx"])
def test_every_entry_has_a_label_and_every_label_cell_is_in_the_table(name):
    for table in tables_of(name):
        cells = {label.cell for label in table.labels}
        assert table.entries
        for entry in table.entries:
            assert entry.labels
            assert {label.cell for label in entry.labels} <= cells
        for label in table.labels:
            assert label.parent is None or label.parent.cell in cells


def test_the_shipped_model_reads_its_features_and_needs_no_numpy():
    model = cellmodel.load_model()
    assert model is not None and model.trees
    spec = json.loads(cellmodel.MODEL_PATH.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="other features"):
        cellmodel.HeaderModel({**spec, "features": list(FEATURES[:-1])})
    code = ("import sys, json; sys.modules['numpy'] = None\n"
            "from budget_etl.parsers.readers import read_bytes\n"
            "from budget_etl.parsers.tables import find_tables\n"
            f"data = open({str(FIXTURES / 'product-sheet.xlsx')!r}, 'rb').read()\n"
            "tables = [t for s in read_bytes(data, 'p.xlsx').sheets for t in find_tables(s)]\n"
            "print(json.dumps(sorted(label.cell for t in tables for label in t.labels)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == sorted(label.cell for t in tables_of("product-sheet.xlsx") for label in t.labels)


class _NoOpinion:
    def is_header(self, vector):
        raise AssertionError("the header-cell model was consulted")


def test_a_region_far_larger_than_any_the_model_learnt_from_is_left_to_the_rules(monkeypatch):
    """A long list (index | name | remark | amount, 1,300 rows): scoring each of its cells was most of the time
    such a table took; the model never saw a table of this size."""
    from budget_etl.parsers.cells import Cell, Sheet
    rows = [("序号", "项目名称", "备注", "金额")]
    rows += [(str(i), f"项目{i:04d}", "续建" if i % 2 else "新建", str(1000 + i)) for i in range(1, 1301)]
    sheet = Sheet("S", [Cell("S", r, c, text, text) for r, row in enumerate(rows, start=1)
                        for c, text in enumerate(row, start=1)])
    grid = Grid(sheet)
    (region,) = partition(grid)
    table = rule_table(grid, region)
    assert sum(1 for entry in table.entries if not entry.value.isdigit()) > 0.2 * len(table.entries)
    monkeypatch.setattr(refine, "load_model", lambda: _NoOpinion())
    assert refine.refine_with_model(grid, region, table) is table
