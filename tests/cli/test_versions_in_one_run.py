"""Two files of one identity in one run load as successive versions, each with a warning."""
from __future__ import annotations

from pathlib import Path


def test_same_identity_twice_in_one_run(cli, seed_path, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = seed_path.read_text(encoding="utf-8")
    (inbox / "a-first.txt").write_text(seed, encoding="utf-8")
    # Other bytes, same identity once the name is normalised: half-width brackets and a stray space.
    (inbox / "b-resent.txt").write_text(seed.replace("苏州市总工会（本级）", " 苏州市总工会(本级)"), encoding="utf-8")

    code, summary, err = cli.json("ingest", str(inbox), "--json")
    assert code == 0, err
    by_name = {Path(f["path"]).name: f for f in summary["files"]}
    assert [by_name[n]["version"] for n in ("a-first.txt", "b-resent.txt")] == [1, 2]
    assert all("identity_unique_in_run" in f["warnings"] for f in by_name.values())
    current = cli("query", "select source_path from submissions where is_current")[1]
    assert "b-resent.txt" in current and "a-first.txt" not in current
    assert cli("query", "select count(*) from v_budget")[1].strip() == "27"
