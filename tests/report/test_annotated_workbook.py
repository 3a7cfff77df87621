"""Annotated workbooks: a quarantined (or warned) file's own sheets back, failing cells marked and explained.

One real run (real readers, real GX gate, real DuckDB file) over the bad-sums submission in every format,
the hostile HTML export and the seed export (loaded, with warnings); every workbook is read back with openpyxl
and as raw XML.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from budget_etl.flows.annotate import ANNOTATED_SUFFIX, FINDINGS_SHEET, split_cells
from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.parsers.cells import parse_range
from budget_etl.parsers.readers import read_bytes

ROOT = Path(__file__).resolve().parents[2]
FEEDBACK = ROOT / "tests" / "fixtures" / "feedback"
BAD_XLSX = ROOT / "samples" / "xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx"
SEED_TEXT = ROOT / "samples" / "suzhou-trade-union-2023.txt"
ERROR_FILL, WARNING_FILL = "FFC7CE", "FFEB9C"


def _ingest(tmp: Path, files: list[Path], **options):
    inbox = tmp / "inbox"
    inbox.mkdir()
    for f in files:
        shutil.copy2(f, inbox / f.name)
    return run_ingest([inbox], IngestOptions(db_path=tmp / "w.duckdb", reports_dir=tmp / "reports",
                                             quarantine_dir=tmp / "quarantine", data_docs=False, **options))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    files = [BAD_XLSX, SEED_TEXT, *sorted(FEEDBACK.glob("*bad-sums*"))]
    return _ingest(tmp_path_factory.mktemp("annotate"), files, workers=0, annotate_warnings=True)


def _file(run, name: str):
    return next(f for f in run.files if Path(f.path).name == name)


def _findings(run, f) -> list[dict]:
    q = run.quality
    return q[(q["path"] == f.path) & ~q["success"].astype(bool)].to_dict("records")


def test_every_quarantined_file_gets_a_workbook_beside_its_copy(run):
    quarantined = [f for f in run.files if f.status == "quarantined"]
    bad = {p.name for p in FEEDBACK.iterdir() if "bad-sums" in p.name}
    assert {Path(f.path).name for f in quarantined} == {BAD_XLSX.name, *bad}
    assert {f.format for f in quarantined} == {"xlsx", "xls", "text", "html"}
    for f in quarantined:
        assert f.annotated_path == f.quarantine_path + ANNOTATED_SUFFIX
        assert Path(f.annotated_path).is_file()


@pytest.mark.parametrize("name", [BAD_XLSX.name, "bad-sums.xls", "bad-sums-gb18030.txt", "bad-sums.html"])
def test_failing_cells_are_filled_and_commented_in_chinese(run, name):
    f = _file(run, name)
    book = openpyxl.load_workbook(f.annotated_path)
    assert book.sheetnames[0] == FINDINGS_SHEET and len(book.sheetnames) == 2
    own = book.worksheets[1]
    findings = _findings(run, f)
    assert {r["expectation"] for r in findings} == {"funds_total_reconciles", "expenses_match_funds"}
    for finding in findings:
        cells = split_cells(finding["source_cells"])
        assert cells
        for _, address in cells:
            cell = own[address]
            assert cell.fill.start_color.rgb.endswith(ERROR_FILL), address
            text = cell.comment.text
            assert finding["expectation"] in text
            assert "错误" in text and "实际值：900" in text and "应为：820.5" in text
    # The total's cell carries both findings: one comment holds both.
    total = own[split_cells(findings[0]["source_cells"])[0][1]]
    assert str(total.value) == "900" and "funds_total_reconciles" in total.comment.text \
        and "expenses_match_funds" in total.comment.text
    assert "资金总额应等于" in total.comment.text


@pytest.mark.parametrize("name", [BAD_XLSX.name, "bad-sums.xls", "bad-sums-gb18030.txt", "bad-sums.html"])
def test_the_sheet_is_rebuilt_from_the_readers_cells(run, name):
    f = _file(run, name)
    source = read_bytes(Path(f.path).read_bytes(), name).sheets[0]
    own = openpyxl.load_workbook(f.annotated_path).worksheets[1]
    merges = {r for r in source.merged_ranges if len(set(r.split(":"))) == 2}  # more than one cell
    assert {str(r) for r in own.merged_cells.ranges} == merges
    assert merges or name.endswith(".txt")  # a text export has no merges to keep
    covered = {(r, c) for ref in source.merged_ranges for r1, c1, r2, c2 in [parse_range(ref)]
               for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
    compared = 0
    for cell in source.cells:
        if cell.is_blank or (cell.row, cell.col) in covered:
            continue
        got = own.cell(row=cell.row, column=cell.col).value
        assert (str(got) if not isinstance(got, str) else got) in (cell.text, str(cell.value)) or \
            float(got) == float(cell.value), (cell.address, got, cell.text)
        compared += 1
    assert compared > 100


def test_the_findings_sheet_links_every_cell(run):
    f = _file(run, BAD_XLSX.name)
    book = openpyxl.load_workbook(f.annotated_path)
    sheet = book[FINDINGS_SHEET]
    wanted = {(s, a) for r in _findings(run, f) for s, a in split_cells(r["source_cells"])}
    linked = set()
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            if cell.hyperlink is None:
                continue
            match = re.fullmatch(r"'((?:[^']|'')+)'!([A-Z]+\d+)", cell.hyperlink.location)
            assert match, cell.hyperlink.location
            title, address = match.group(1).replace("''", "'"), match.group(2)
            assert book[title][address].comment is not None
            linked.add((title, address))
    assert linked == wanted
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("错误 2 项" in t for t in texts) and any("已隔离" in t for t in texts)


def test_workbooks_are_well_formed_packages(run):
    """What Excel's repair prompt would complain about: a part that does not parse, a relationship or
    content type to a part that is missing, a formula where a text was."""
    for f in run.files:
        if not f.annotated_path:
            continue
        with zipfile.ZipFile(f.annotated_path) as z:
            assert z.testzip() is None
            names = set(z.namelist())
            for name in names:
                if name.endswith((".xml", ".rels", ".vml")):
                    ElementTree.fromstring(z.read(name))
            types = ElementTree.fromstring(z.read("[Content_Types].xml"))
            overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
            assert overrides <= names
            assert any(n.startswith("xl/comments") for n in names)
            for name in names:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_a_cell_that_reads_like_a_formula_stays_text(run):
    f = _file(run, "hostile-bad-sums.html")
    own = openpyxl.load_workbook(f.annotated_path).worksheets[1]
    texts = [c for row in own.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYPER")]
    assert len(texts) == 1 and texts[0].data_type == "s"
    assert any(isinstance(c.value, str) and c.value.startswith("<script>") for row in own.iter_rows() for c in row)


def test_warned_loaded_files_are_annotated_in_the_report_folder(run):
    f = _file(run, SEED_TEXT.name)
    assert f.status == "loaded" and f.warnings
    path = Path(f.annotated_path)
    assert path.parent == Path(run.report_path).parent / "annotated"
    book = openpyxl.load_workbook(path)
    own = book.worksheets[1]
    warned = [a for r in _findings(run, f) for _, a in split_cells(r["source_cells"])]
    assert warned and all(own[a].fill.start_color.rgb.endswith(WARNING_FILL) for a in warned)
    assert all("警告" in own[a].comment.text for a in warned)


def test_without_the_option_loaded_files_get_none(tmp_path):
    summary = _ingest(tmp_path, [SEED_TEXT, BAD_XLSX], workers=1)  # a real sandbox worker writes it
    by_name = {Path(f.path).name: f for f in summary.files}
    assert by_name[SEED_TEXT.name].warnings and by_name[SEED_TEXT.name].annotated_path is None
    assert not (Path(summary.report_path).parent / "annotated").exists()
    assert Path(by_name[BAD_XLSX.name].annotated_path).is_file()


@pytest.mark.parametrize("text, expected", [
    ("绩效目标表!F7, 绩效目标表!F8", [("绩效目标表", "F7"), ("绩效目标表", "F8")]),
    ("a, b!A1, c!$B$2", [("a, b", "A1"), ("c", "B2")]),
    ("绩效目标表", [("绩效目标表", "")]),
    ("", []),
])
def test_split_cells(text, expected):
    assert split_cells(text) == expected


def test_a_check_without_chinese_wording_says_its_rule_or_names_itself():
    from budget_etl.flows.findings_zh import comment_text

    declared = {"expectation": "grants_reconcile", "suite": "reconcile", "severity": "error", "observed": "9",
                "expected": "8 = 甲 5 + 乙 3", "message": "x"}
    text = comment_text(declared, titles={"grants_reconcile": "资金合计 = 甲 + 乙"})
    assert "问题：应满足：资金合计 = 甲 + 乙。" in text and "实际值：9" in text and "应为：8 = 甲 5 + 乙 3" in text
    assert "检查项：grants_reconcile（reconcile）" in text
    unknown = dict(declared, expectation="some_new_check", message="Some rule. a: 1, expected 2")
    assert "问题：未通过检查「some_new_check」：Some rule. a: 1, expected 2" in comment_text(unknown)


def _cells_and_comments(path: str) -> list:
    book = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value, c.comment.text if c.comment else None,
             c.fill.start_color.rgb if c.fill and c.fill.fill_type else None)
            for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_the_catalogue_the_parent_sends_writes_what_the_workers_own_would(run, tmp_path):
    """The run ships each task the rules and expected texts of its checks (a worker reading them itself would
    import the checks, hence pandas): the workbook is the same either way."""
    import dataclasses
    import pickle
    import subprocess
    import sys

    from budget_etl.flows.annotate import AnnotateTask, annotate_task, catalogue_for

    f = _file(run, BAD_XLSX.name)
    findings = tuple(_findings(run, f))
    sent = AnnotateTask(source=f.path, target=str(tmp_path / "sent.xlsx"), status=f.status,
                        department_name=f.department_name, fiscal_year=f.fiscal_year, findings=findings,
                        catalogue=catalogue_for({x["expectation"] for x in findings}))
    assert sent.catalogue and {name for name, _, _ in sent.catalogue} == {x["expectation"] for x in findings}
    own = dataclasses.replace(sent, target=str(tmp_path / "own.xlsx"), catalogue=None)
    annotate_task(sent)
    annotate_task(own)
    assert _cells_and_comments(sent.target) == _cells_and_comments(own.target)
    # What a worker imports to write it, in a fresh interpreter as a sandboxed worker starts.
    script = ("import sys, pickle; from budget_etl.flows.annotate import annotate_task; "
              "annotate_task(pickle.loads(sys.stdin.buffer.read())); print('pandas' in sys.modules)")
    task = dataclasses.replace(sent, target=str(tmp_path / "fresh.xlsx"))
    out = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(task), capture_output=True, check=True)
    assert out.stdout.decode().strip() == "False"
    assert _cells_and_comments(task.target) == _cells_and_comments(sent.target)
