"""A file holds as many submissions as it holds tables: one per sheet a family recognises, one `generic` for the
readable rest, a near miss rejected on its own. Files written by tests/fixtures/make_generic_fixtures.py."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generic"


def _one_file(summary: dict) -> dict:
    (entry,) = summary["files"]
    return entry


def test_three_department_tables_on_three_sheets_are_three_submissions(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "three-departments.xlsx"), "--json")
    assert code == 0
    entry = _one_file(summary)
    assert entry["status"] == "loaded"
    assert [(s["sheet"], s["status"], s["template"], s["department_name"]) for s in entry["submissions"]] == [
        ("表1", "loaded", "department_overall", "苏州市总工会（本级）"),
        ("表2", "loaded", "department_overall", "苏州市吴中区总工会"),
        ("表3", "loaded", "department_overall", "苏州市姑苏区总工会"),
    ]
    assert len({s["submission_id"] for s in entry["submissions"]}) == 3
    rows = cli("query", "select department_name, count(*), sum(amount_wan) filter (where item_path = '资金总额')::decimal(18, 2) "
                        "from v_budget group by all order by all", "--format", "csv")[1].splitlines()
    assert rows[1:] == ["苏州市吴中区总工会,27,1363.41", "苏州市姑苏区总工会,27,1363.41",
                        "苏州市总工会（本级）,27,1363.41"]
    runs = cli("query", "select files_seen, files_loaded from ingest_runs", "--format", "csv")[1].splitlines()
    assert runs[1] == "1,1"  # files, not submissions


def test_the_same_workbook_again_is_one_duplicate_file(cli):
    cli("ingest", str(FIXTURES / "three-departments.xlsx"))
    code, summary, _ = cli.json("ingest", str(FIXTURES / "three-departments.xlsx"), "--json")
    assert code == 0 and [f["status"] for f in summary["files"]] == ["duplicate"]
    assert cli("query", "select count(*) from submissions")[1].strip() == "3"


def test_a_drifted_table_is_rejected_naming_its_family_never_loaded_as_generic(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "drifted-department.xlsx"), "--json")
    assert code == 1
    entry = _one_file(summary)
    assert entry["status"] == "rejected" and entry["error_code"] == "unknown_template"
    assert "department_overall" in entry["error_message"] and "missing" in entry["error_message"]
    assert [s["template"] for s in entry["submissions"]] == [None]
    assert cli("query", "select count(*) from v_generic_entries")[1].strip() == "0"


def test_a_table_no_family_knows_loads_as_generic_entries_with_header_paths(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "statistics.xlsx"), "--json")
    assert code == 0
    entry = _one_file(summary)
    assert (entry["status"], entry["template"]) == ("loaded", "generic")
    assert summary["generic_loaded"] == 1
    rows = cli("query", "select cell, value_text, value, headers from v_generic_entries order by cell",
               "--format", "json")[1]
    import json

    entries = {row["cell"]: row for row in json.loads(rows)}
    # 姑苏区's income this year: a number, under the district and the two-level column header
    gusu = entries["B5"]
    assert gusu["value_text"] == "1200.5" and float(gusu["value"]) == 1200.5
    assert any(path.endswith("姑苏区") for path in gusu["headers"])
    assert "一般公共预算收入 / 本年" in gusu["headers"]
    assert "一般公共预算支出 / 上年" in entries["E7"]["headers"]
    # the title, the unit line and the note are neither entries nor labels
    texts = {row["value_text"] for row in entries.values()}
    assert not texts & {"2023年各区一般公共预算收支情况", "单位：万元", "注：数据来源于各区财政局。"}
    assert len(entries) == 16  # 4 districts' rows (with 合计) x 4 amounts
    checks = cli("query", "select expectation, success from quality_results where suite = 'generic' order by 1",
                 "--format", "csv")[1].splitlines()
    assert checks[1:] == ["generic_entries_labelled,True", "generic_has_tables,True"]


def test_no_generic_restores_unknown_template(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "statistics.xlsx"), "--json", "--no-generic")
    assert code == 1
    entry = _one_file(summary)
    assert (entry["status"], entry["error_code"]) == ("rejected", "unknown_template")


def test_a_department_table_beside_a_statistics_sheet_gives_both(cli):
    code, summary, out = cli.json("ingest", str(FIXTURES / "department-and-statistics.xlsx"), "--json")
    assert code == 0
    entry = _one_file(summary)
    assert [(s["template"], s["status"]) for s in entry["submissions"]] == [
        ("department_overall", "loaded"), ("generic", "loaded")]
    assert cli("query", "select count(*) from v_budget")[1].strip() == "27"
    assert cli("query", "select count(distinct sheet) from v_generic_entries")[1].strip() == "1"


@pytest.mark.parametrize("name", ["seed"])
def test_a_single_table_file_still_has_one_submission(cli, seed_path, name):
    code, summary, _ = cli.json("ingest", str(seed_path), "--json")
    assert code == 0
    entry = _one_file(summary)
    assert len(entry["submissions"]) == 1 and entry["submissions"][0]["submission_id"] == entry["submission_id"]
