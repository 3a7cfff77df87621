"""`budget-etl templates`, `budget-etl explain FILE` and `--templates DIR`: which families exist, why a file is
(not) recognised, local declarations, and a broken declaration stopping the command with one line."""
from __future__ import annotations

from pathlib import Path

from budget_etl.parsers.templates.registry import PACKAGE_FAMILIES, load_registry

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "templates"
PROJECT = (PACKAGE_FAMILIES / "project.toml").read_text(encoding="utf-8")


def _families(tmp_path, **files) -> Path:
    folder = tmp_path / "families"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_templates_lists_name_scope_title_and_source(cli, tmp_path):
    code, out, _ = cli("templates")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [f.name for f in load_registry().families]
    department = next(line for line in lines if line.startswith("department_overall "))
    assert department.split()[:3] == ["department_overall", "sheet", "部门整体预算绩效目标表"]
    project = next(line for line in lines if line.startswith("project "))
    assert project.endswith("(budget_etl/parsers/templates/families/project.toml)")
    local = _families(tmp_path, mine=PROJECT.replace('name = "project"', 'name = "project_local"', 1))
    code, out, _ = cli("templates", "--templates", str(local))
    assert code == 0 and out.splitlines()[-1].split() == ["project_local", "sheet", "项目支出绩效目标表",
                                                          f"({local / 'mine.toml'})"]


def test_a_broken_declaration_stops_ingest_before_anything_is_read(cli, tmp_path, run_dirs):
    broken = _families(tmp_path, mine=PROJECT.replace('period = "full_year"', 'period = "fullyear"'))
    for args in (["ingest", str(FIXTURES / "project-merged-cells.xlsx")], ["templates"],
                 ["explain", str(FIXTURES / "project-merged-cells.xlsx")]):
        code, out, err = cli(*args, "--templates", str(broken))
        assert (code, out) == (2, "")
        assert err.splitlines() == [f"error: {broken / 'mine.toml'}: blocks[4].period: must be one of half_year, "
                                    f"full_year, got 'fullyear' [declaration_invalid]"]
    assert not run_dirs["db"].exists() and not run_dirs["reports"].exists()


def test_a_renamed_copy_of_a_family_loads_beside_the_packaged_ones(cli, tmp_path):
    local = _families(tmp_path, mine=PROJECT.replace('name = "project"', 'name = "project_local"', 1)
                      .replace('contains = ["项目", "绩效目标"]', 'contains = ["项目", "绩效目标", "本地"]'))
    local_file = tmp_path / "local.txt"
    text = (FIXTURES / "project-gb18030.txt").read_bytes().decode("gb18030")
    local_file.write_text(text.replace("项目支出绩效目标表", "项目支出绩效目标表（本地）", 1), encoding="utf-8")
    code, out, err = cli("ingest", str(local_file), str(ROOT / "tests" / "fixtures" / "seed-department-overall.txt"),
                         "--templates", str(local), "--workers", "0")
    assert code == 0, out + err
    code, out, _ = cli("query", "SELECT DISTINCT template FROM v_budget ORDER BY 1", "--format", "csv")
    assert out.splitlines() == ["template", "department_overall", "project_local"]


def test_explain_shows_found_and_missing_labels_with_cells(cli):
    code, out, _ = cli("explain", str(FIXTURES / "project-merged-cells.xlsx"))
    assert code == 0
    assert "  project: score 1.00 (recognised at 0.5, near miss at 0.3): recognised" in out
    assert "    found: 项目名称 at " in out and "    missing: " in out  # department_overall's labels
    assert out.splitlines()[-1].startswith("result: project on sheet ")


def test_explain_shows_the_closest_labels_of_a_near_miss(cli, tmp_path):
    # No title, and two labels drifted: 5 of 7 labels, score 0.43 — below 0.5, above the near miss 0.3.
    text = (ROOT / "tests" / "fixtures" / "seed-department-overall.txt").read_text(encoding="utf-8")
    drifted = (text.replace("苏州市市级部门整体预算绩效目标表", "").replace("中长期目标", "中长期工作目标")
               .replace("\n年度目标", "\n年度工作目标"))
    path = tmp_path / "drifted.txt"
    path.write_text(drifted, encoding="utf-8")
    code, out, _ = cli("explain", str(path))
    assert code == 1
    assert "  department_overall: score 0.43 (recognised at 0.5, near miss at 0.3): near miss" in out
    assert "    missing: 中长期目标\n      closest: '中长期工作目标' at text!A30 (similarity 0.83)" in out
    assert out.splitlines()[-1] == "result: no family recognised (unknown_template)"
    code, out, _ = cli("ingest", str(path))
    assert code == 1


def test_an_unknown_file_is_one_short_line_in_ingest_output(cli):
    # --no-generic: by default a table no family knows loads as generic tables instead of being rejected
    code, out, _ = cli("ingest", str(FIXTURES / "not-a-template.xlsx"), "--no-generic")
    assert code == 1
    lines = out.split("\n\n")[0].splitlines()
    assert len(lines) == 2 and lines[0].startswith("rejected")
    assert lines[1].strip().startswith("unknown_template: No known table family was recognised (no sheet has any ")
    assert "单位名称" not in lines[1] and len(lines[1]) < 160
