"""An amount too large for DECIMAL(18,4) quarantines its own file instead of failing the whole run's load."""
from __future__ import annotations

from pathlib import Path


def test_out_of_range_amount_is_quarantined_and_the_run_still_loads(cli, seed_path, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = seed_path.read_text(encoding="utf-8")
    (inbox / "good.txt").write_text(seed, encoding="utf-8")
    lines = seed.split("\n")
    lines[20] = lines[20].replace("383.53", "123456789012345678")  # 基本支出, full year: 18 digits
    huge = "\n".join(lines).replace("苏州市总工会（本级）", "苏州市示例局")
    (inbox / "huge.txt").write_text(huge, encoding="utf-8")

    code, summary, err = cli.json("ingest", str(inbox), "--json")
    by_name = {Path(f["path"]).name: f for f in summary["files"]}
    assert code == 1, err
    assert by_name["good.txt"]["status"] == "loaded"
    assert by_name["huge.txt"]["status"] == "quarantined"
    assert "amount_fits_warehouse" in by_name["huge.txt"]["failed_checks"]
    assert cli("query", "select count(*) from v_budget")[1].strip() == "27"
