"""What a bureau analyst meets when tables no family knows are dropped into the inbox: their versions, the run's
counts and the warehouse's answers. Files written by tests/fixtures/make_generic_fixtures.py (copied and changed
here with openpyxl where a test needs a second version)."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generic"


def _csv(cli, sql: str) -> list[str]:
    code, out, err = cli("query", sql, "--format", "csv")
    assert code == 0, err
    return out.splitlines()[1:]


def test_a_changed_file_given_by_another_path_to_the_same_place_is_its_next_version(cli, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "statistics.xlsx", inbox / "收支统计.xlsx")
    monkeypatch.chdir(inbox)
    code, first, _ = cli.json("ingest", "../inbox/收支统计.xlsx", "--json")
    assert code == 0 and first["files"][0]["template"] == "generic"

    book = openpyxl.load_workbook(inbox / "收支统计.xlsx")
    book.active["B5"] = 1250.5  # 姑苏区's income corrected
    book.save(inbox / "收支统计.xlsx")
    code, second, _ = cli.json("ingest", str(inbox / "收支统计.xlsx"), "--json")
    assert code == 0 and second["files"][0]["version"] == 2

    assert _csv(cli, "select version, is_current, superseded_by is not null from submissions order by version") == [
        "1,False,True", "2,True,False"]
    # one current table, the corrected number only
    assert _csv(cli, "select value from v_generic_entries where cell = 'B5'") == ["1250.500000"]


def test_a_family_file_with_an_annex_sheet_is_not_counted_as_a_file_no_family_recognised(cli, run_dirs):
    code, out, _ = cli("ingest", str(FIXTURES / "statistics.xlsx"), str(FIXTURES / "department-and-statistics.xlsx"))
    assert code == 0
    assert "2 files: 2 loaded (1 as generic tables, 1 with extra sheets as generic tables)," in out
    code, summary, _ = cli.json("ingest", str(FIXTURES / "statistics.xlsx"),
                                str(FIXTURES / "department-and-statistics.xlsx"), "--db", str(run_dirs["db"]) + "2",
                                "--json")
    assert (summary["generic_loaded"], summary["generic_sheets_loaded"]) == (1, 1)
    page = Path(summary["report_path"]).read_text(encoding="utf-8")
    assert "1 loaded as generic tables (no table family recognised them); 1 with a family's table" in page


def test_a_quarantined_file_whose_annex_sheet_loaded_is_not_counted_among_the_loaded(cli, tmp_path, run_dirs):
    # the department table's total no longer adds up (quarantined), its annex sheet of figures loads on its own as
    # a generic table: the line said "0 loaded (1 with extra sheets as generic tables)", a loaded count of none
    book = openpyxl.load_workbook(FIXTURES / "department-and-statistics.xlsx")
    sheet = book["表2"]
    assert sheet["C7"].value == "资金总额"
    sheet["F7"] = 9999
    book.save(tmp_path / "部门整体.xlsx")
    code, out, _ = cli("ingest", str(tmp_path / "部门整体.xlsx"))
    assert code == 1
    assert ("1 file: 0 loaded, 1 quarantined, 0 rejected, 0 duplicate; 1 not loaded had extra sheets loaded as "
            "generic tables") in out
    # --json keeps its counts: the file is quarantined, and it is one whose extra sheets loaded as generic tables
    code, summary, _ = cli.json("ingest", str(tmp_path / "部门整体.xlsx"), "--db", str(run_dirs["db"]) + "2", "--json")
    assert summary["files"][0]["status"] == "quarantined" and summary["generic_sheets_loaded"] == 1


def test_each_generic_table_keeps_the_title_and_unit_its_lines_state(cli):
    files = ["project-list.xlsx", "procurement-gb18030.txt", "two-tables.xlsx"]
    code, _, err = cli("ingest", *(str(FIXTURES / name) for name in files))
    assert code == 0, err
    rows = _csv(cli, "select regexp_extract(source_path, '[^/]+$'), table_range, table_title, unit, count(*) "
                     "from v_generic_entries group by all order by all")
    assert rows == [
        "procurement-gb18030.txt,A3:C7,2024年政府采购预算表,元,7",
        "project-list.xlsx,A3:C8,2024年项目支出明细表,万元,10",
        "two-tables.xlsx,A2:B4,表一 人员情况,,2",
        "two-tables.xlsx,A8:C10,表二 资产情况,万元,2",  # 金额（万元）: the header's unit
        "two-tables.xlsx,A8:C10,表二 资产情况,,2",  # 数量 (NULL sorts last)
    ]
    # the 元 plan and the 万元 list add up once each is in 万元
    assert _csv(cli, "select sum(case unit when '元' then value / 10000 else value end)::decimal(18, 2) "
                     "from v_generic_entries where value_text in ('635,000.00', '484.35')") == ["547.85"]
    assert _csv(cli, "select title, unit from generic_tables where unit is not null order by unit") == [
        "2024年项目支出明细表,万元", "2024年政府采购预算表,元"]


def test_a_web_page_s_tables_keep_the_unit_its_paragraphs_state(cli):
    """A bureau's page prints each table's unit in a paragraph above it (<p>单位：万元</p>): the unit of its numbers."""
    code, out, err = cli("ingest", str(FIXTURES / "budget-page-gbk.html"))
    assert code == 0, err
    assert "generic  2 tables, 5 entries" in out
    assert _csv(cli, "select sheet, table_range, table_title, unit, count(*) from v_generic_entries "
                     "group by all order by all") == [
        "table1,A2:B5,2024年部门收支总表,万元,3", "table2,A2:B4,2024年政府采购预算表,元,2"]
    # the notes below the tables are neither entries nor labels
    assert _csv(cli, "select count(*) from v_generic_entries where value_text like '%注%' or value_text like '%说明%'"
                ) == ["0"]


def test_chinese_file_names_keep_the_columns_of_the_run_output_aligned(cli, tmp_path):
    from budget_etl.flows.query_output import display_width

    for name in ("项目支出明细.xlsx", "list.xlsx"):
        shutil.copy(FIXTURES / "project-list.xlsx", tmp_path / name)
    (tmp_path / "list.xlsx").write_bytes((tmp_path / "list.xlsx").read_bytes() + b"\0")  # other bytes, same table
    code, out, err = cli("ingest", str(tmp_path / "项目支出明细.xlsx"), str(tmp_path / "list.xlsx"))
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith("loaded")]
    assert len(lines) == 2
    # the template starts in the same terminal column on both lines
    assert len({display_width(line[:line.index("  generic")]) for line in lines}) == 1


def test_the_run_and_its_report_say_how_much_of_each_generic_file_was_kept(cli, run_dirs):
    files = [FIXTURES / "two-tables.xlsx", FIXTURES / "department-and-statistics.xlsx", FIXTURES / "title-only.xlsx"]
    code, out, _ = cli("ingest", *map(str, files))
    assert code == 1  # the title-only file has no table to keep
    assert "generic  2 tables, 6 entries" in out
    assert "- sheet 附表 收支情况: loaded generic 1 table, 16 entries" in out
    code, summary, _ = cli.json("ingest", *map(str, files), "--db", str(run_dirs["db"]) + "2", "--json")
    annex, title, two = summary["files"]  # in path order
    assert (two["generic_tables"], two["generic_entries"]) == (2, 6)
    assert (annex["generic_tables"], annex["submissions"][1]["generic_entries"]) == (None, 16)
    assert title["generic_tables"] is None
    page = Path(summary["report_path"]).read_text(encoding="utf-8")
    assert "<td>2 tables, 6 entries</td>" in page and "<td>1 table, 16 entries</td>" in page
    # the file table keeps its columns readable beside a long rejection message
    assert '<table class="files">' in page and "table.files td.path { min-width" in page


def test_a_file_like_no_family_names_none_as_closest(cli):
    code, out, _ = cli("ingest", str(FIXTURES / "title-only.xlsx"))
    assert code == 1
    assert ("unknown_template: No known table family was recognised (no sheet has any family's title or labels). "
            "No sheet holds a table with data to load as generic tables.") in out
    assert "score 0.00" not in out


def test_no_generic_names_the_sheet_of_numbers_it_leaves_out(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "department-and-statistics.xlsx"), "--no-generic", "--json")
    (entry,) = summary["files"]
    assert code == 0 and (entry["status"], entry["template"]) == ("loaded", "department_overall")
    assert entry["warnings"] == ["sheet_not_read"]
    assert _csv(cli, "select severity, source_cells, message like '%''附表 收支情况''%' from quality_results "
                     "where expectation = 'sheet_not_read'") == ["warning,附表 收支情况!A1,True"]
    assert _csv(cli, "select count(*) from v_generic_entries") == ["0"]


def test_export_keeps_the_generic_label_hierarchy_and_table_units(cli, tmp_path):
    import duckdb

    assert cli("ingest", str(FIXTURES / "statistics.xlsx"))[0] == 0
    code, _, err = cli("export", "--format", "parquet", str(tmp_path / "parquet"))
    assert code == 0, err
    con = duckdb.connect()
    labels = tmp_path / "parquet" / "generic_labels.parquet"
    assert con.execute(f"select l.label, p.label from read_parquet('{labels}') l join read_parquet('{labels}') p "
                       "on p.cell = l.parent_cell where l.cell = 'B4'").fetchall() == [("本年", "一般公共预算收入")]
    tables = tmp_path / "parquet" / "generic_tables.parquet"
    assert con.execute(f"select title, unit from read_parquet('{tables}')").fetchall() == [
        ("2023年各区一般公共预算收支情况", "万元")]


def test_the_report_command_says_what_was_kept_and_why_a_file_was_refused_in_one_sentence(cli):
    assert cli("ingest", str(FIXTURES / "two-tables.xlsx"), str(FIXTURES / "title-only.xlsx"))[0] == 1
    code, out, _ = cli("report")
    assert code == 0
    two = next(line for line in out.splitlines() if "two-tables.xlsx" in line)
    assert two.endswith("two-tables.xlsx  generic 2 tables, 6 entries")
    refused = next(line for line in out.splitlines() if "title-only.xlsx" in line)
    assert refused.endswith("No sheet holds a table with data to load as generic tables.")  # not every family's labels


def test_a_project_list_gives_each_project_its_amount_by_row(cli):
    assert cli("ingest", str(FIXTURES / "project-list.xlsx"))[0] == 0
    # the README's query: the name and the amount of one row meet on sheet_row
    assert _csv(cli, """
        select n.value_text, a.value, a.unit
        from v_generic_entries a join v_generic_entries n using (source_path, sheet, table_range, sheet_row)
        where a.headers[-1] = '金额' and n.headers[-1] = '项目名称' order by a.sheet_row""") == [
        "社区工会服务站运行经费,120.500000,万元", "职工技能竞赛,45.000000,万元", "困难职工帮扶,300.250000,万元",
        "工会干部培训,18.600000,万元", "合计,484.350000,万元"]


def test_the_load_history_counts_what_a_generic_file_kept(cli):
    assert cli("ingest", str(FIXTURES / "two-tables.xlsx"))[0] == 0
    assert _csv(cli, "select template, budget_facts, target_facts, generic_entries, disclosure_facts "
                     "from v_load_history") == ["generic,0,0,6,0"]


def test_a_reader_warning_is_reported_once(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "formula-total.xlsx"), "--json")
    assert code == 0 and summary["files"][0]["warnings"] == ["formula_without_value"]
    # it was there twice: as the reader's issue and again as the parser's
    assert _csv(cli, "select source_cells, count(*) from quality_results where not success group by all") == [
        "项目支出明细!C8,1"]


def test_a_scheduled_run_s_summary_lists_generic_files_apart(run_dirs):
    import budget_etl
    from budget_etl.flows.prefect_flows import run_markdown

    summary = budget_etl.ingest([str(FIXTURES / "statistics.xlsx"), str(FIXTURES / "department-and-statistics.xlsx")],
                                db_path=run_dirs["db"], reports_dir=run_dirs["reports"],
                                quarantine_dir=run_dirs["quarantine"], workers=0)
    markdown = run_markdown(summary)
    assert "| 2 | 0 | 0 | 0 |" in markdown
    assert ("Loaded: 1 as generic tables, 1 with extra sheets as generic tables (their cells are in "
            "`v_generic_entries`).") in markdown


def test_the_report_shows_a_warning_without_a_red_zero_failed(cli):
    code, summary, _ = cli.json("ingest", str(FIXTURES / "formula-total.xlsx"), "--json")
    assert code == 0
    page = Path(summary["report_path"]).read_text(encoding="utf-8")
    assert '<td>1 table, 9 entries · <span class="warning">1 warning</span></td>' in page
    assert "0 failed" not in page


def test_a_money_unit_in_a_column_header_is_the_unit_of_its_numbers(cli):
    assert cli("ingest", str(FIXTURES / "two-tables.xlsx"))[0] == 0
    assert _csv(cli, "select cell, headers[-1], unit from v_generic_entries where value is not null "
                     "and sheet_row >= 9 order by cell") == [
        "B10,数量,", "B9,数量,", "C10,金额（万元）,万元", "C9,金额（万元）,万元"]
    # a table with no unit line and none in its headers has none
    assert _csv(cli, "select count(*) from v_generic_entries where unit is null and headers[-1] = '人数'") == ["2"]


def test_a_list_of_projects_with_their_goals_is_no_project_target_table(cli):
    # a column headed '项目绩效目标' (and a title '…项目绩效目标汇总表') passed the project family's title words, so
    # these lists were quarantined as target tables missing their funds and indicators: their rows never loaded
    code, summary, _ = cli.json("ingest", str(FIXTURES / "goals-list.xlsx"), str(FIXTURES / "goals-summary.xlsx"),
                                "--json")
    assert code == 0
    assert [(f["status"], f["template"]) for f in summary["files"]] == [("loaded", "generic"), ("loaded", "generic")]
    assert _csv(cli, "select count(*) from v_generic_entries where list_contains(headers, '项目绩效目标')") == ["8"]
