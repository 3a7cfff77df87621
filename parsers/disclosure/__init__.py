"""Budget disclosure workbooks (部门预算 / 单位预算 公开表): classification codes, units, table readers.

The names below are what declarations may say (``shape``, ``classification``); they live here, in a module
that imports nothing, so that the block readers (parsers/templates/blocks/disclosure.py) can name them
without importing the readers' code while ``parsers.templates`` is still being imported.
"""
FUNCTION, ECONOMIC = "function", "economic"
CLASSIFIED, BALANCE, AMOUNT_ROW = "classified", "balance", "amount_row"
SHAPES = (CLASSIFIED, BALANCE, AMOUNT_ROW)
CLASSIFICATIONS = (FUNCTION, ECONOMIC)
