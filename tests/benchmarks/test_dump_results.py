"""dump_results.py (the equality gate of speed work): the same files dump the same lines; a changed result is named."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from dump_results import compare, main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_equal_dumps_compare_equal_and_a_changed_file_is_named(tmp_path, capsys):
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(FIXTURES / "seed-department-overall.txt", files / "seed.txt")
    shutil.copy(FIXTURES / "templates" / "department-merged-cells.xlsx", files / "department.xlsx")
    assert main([str(tmp_path / "a.jsonl"), str(files)]) == 0
    assert main([str(tmp_path / "b.jsonl"), str(files)]) == 0
    lines = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    assert [Path(line["path"]).name for line in lines] == ["department.xlsx", "seed.txt"]
    assert all("department_overall" in line["result"] for line in lines)
    assert compare(tmp_path / "a.jsonl", tmp_path / "b.jsonl") == 0
    assert "2 before, 2 after, 0 different" in capsys.readouterr().out

    # One amount changed: the seed's first 万元 amount gains a digit.
    seed = (files / "seed.txt").read_text("utf-8")
    amount = next(field for field in seed.split("\t") if field.replace(".", "").isdigit() and "." in field)
    (files / "seed.txt").write_text(seed.replace(amount, amount + "1", 1), "utf-8")
    assert main([str(tmp_path / "c.jsonl"), str(files)]) == 0
    assert compare(tmp_path / "a.jsonl", tmp_path / "c.jsonl") == 1
    out = capsys.readouterr().out
    assert f"DIFFERENT {files / 'seed.txt'}: result, cells" in out
    assert "1 different" in out
