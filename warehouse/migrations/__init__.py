"""Numbered SQL migrations (``NNNN_what.sql``), applied in order by :mod:`budget_etl.warehouse.migrate`.

Never edit a migration that has shipped: add the next number instead.
"""
