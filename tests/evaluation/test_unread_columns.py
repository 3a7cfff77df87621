"""A column of an indicator grid that the family has no word for ('佐证材料' where the national form has
偏差原因分析及改进措施): its values cannot be placed, so the file loads with a ``grid_column_not_read`` warning at the
column's header cell instead of losing them unseen (through `budget-etl ingest`: real DuckDB, real GX gates)."""
from __future__ import annotations

from evaluation_support import FIXTURES, ingest, query


def test_a_column_the_family_cannot_place_is_a_warning_at_its_header(tmp_path):
    run_dirs = {"db": tmp_path / "w.duckdb", "reports": tmp_path / "reports", "quarantine": tmp_path / "quarantine"}
    _, summary = ingest([FIXTURES / "project-self-unread-column.xlsx"], run_dirs)
    (file,) = summary["files"]
    assert file["status"] == "loaded" and "grid_column_not_read" in file["warnings"]
    rows = query(run_dirs, """select source_cells, message from quality_results
                              where expectation = 'grid_column_not_read'""")
    assert [r["source_cells"] for r in rows] == ["绩效评价表!I12"] and "'佐证材料'" in rows[0]["message"]


def test_a_grid_whose_columns_are_all_read_has_no_such_warning(tmp_path):
    run_dirs = {"db": tmp_path / "w.duckdb", "reports": tmp_path / "reports", "quarantine": tmp_path / "quarantine"}
    _, summary = ingest([FIXTURES / "project-self-merged-cells.xlsx"], run_dirs)
    assert "grid_column_not_read" not in summary["files"][0]["warnings"]
