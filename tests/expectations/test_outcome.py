"""The gate's outcome: parser issues as results, rejected files left out, one row per check, Data Docs, quiet GX."""
import subprocess
import sys

import pytest

from budget_etl.expectations import CHECKS, RESULT_COLUMNS
from budget_etl.expectations.scored_checks import SCORED_CHECKS
from budget_etl.parsers.templates.registry import load_registry


def _cases(m):
    with_issues = m.department(issues=[
        m.issue("merged_header", "表头合并单元格被拆开", "error", "Sheet1", "B3"),
        m.issue("odd_spacing", "多余空格", "warning", "Sheet1", "C5"),
        m.issue("html_removed", "HTML removed", "info", "Sheet1", "C7"),
    ])
    reader_warned = m.file_result(key=0, path="/in/hidden.xlsx", sha256="ab" * 32, size=10, format="xlsx",
                                  parsed=m.department(), issues=[m.issue("hidden_sheet", "a hidden sheet was skipped",
                                                                         "warning", "Hidden", None)])
    rejected = m.file_result(key=0, path="/in/broken.xlsx", sha256="cd" * 32, size=10, format="xlsx",
                             error_code="corrupt_file", error_message="truncated",
                             issues=[m.issue("zip_crc", "bad CRC", "error", None, None)])
    return {"good": m.department(), "with_issues": with_issues, "reader_warned": reader_warned,
            "rejected": rejected}


@pytest.fixture(scope="module")
def run(make, tmp_path_factory):
    docs = tmp_path_factory.mktemp("reports") / "run-1" / "data_docs"
    return make.validate_cases(_cases(make), data_docs_dir=docs)


def test_results_have_the_documented_columns(run):
    outcome, _ = run
    assert list(outcome.results.columns) == RESULT_COLUMNS


def test_one_row_per_check_per_file(run):
    outcome, keys = run
    checks = outcome.results[outcome.results["suite"] != "parser"]
    assert not checks.duplicated(["file_key", "expectation"]).any()
    applicable = set(checks.loc[checks["file_key"] == keys["good"], "expectation"])
    generic_only = {c.name for c in CHECKS if c.suite == "generic"}  # for files no family recognised
    disclosure_only = {c.name for c in CHECKS if c.suite == "disclosure"}  # a disclosure workbook's sums
    # Nor other families' sum rules or the checks of scored tables (self-evaluations, evaluation forms).
    registry = load_registry()
    other_rules = ({rule.check for family in registry.families for rule in family.sum_rules}
                   - {rule.check for rule in registry.get("department_overall").sum_rules})
    assert applicable == ({c.name for c in CHECKS} - other_rules - {c.name for c in SCORED_CHECKS} - generic_only
                          - disclosure_only)


@pytest.mark.parametrize("code, severity, cells", [
    ("merged_header", "error", "Sheet1!B3"),
    ("odd_spacing", "warning", "Sheet1!C5"),
])
def test_parser_issues_become_results(make, run, code, severity, cells):
    outcome, keys = run
    row = make.result_of(outcome, keys["with_issues"], code)
    assert (row["suite"], row["severity"], bool(row["success"]), row["source_cells"]) == ("parser", severity, False, cells)


def test_parser_errors_block_and_info_is_not_a_finding(run):
    outcome, keys = run
    assert keys["with_issues"] in outcome.failed_keys
    assert "html_removed" not in set(outcome.for_file(keys["with_issues"])["expectation"])


def test_reader_warnings_are_reported_but_do_not_block(make, run):
    outcome, keys = run
    row = make.result_of(outcome, keys["reader_warned"], "hidden_sheet")
    assert row["severity"] == "warning" and "(reader)" in row["message"]
    assert keys["reader_warned"] not in outcome.failed_keys


def test_rejected_files_are_not_validated(run):
    outcome, keys = run
    assert outcome.for_file(keys["rejected"]).empty
    assert outcome.failed_keys == {keys["with_issues"]}


def test_data_docs_are_built_for_every_suite(run):
    outcome, _ = run
    index = outcome.data_docs_index
    assert index is not None and index.name == "index.html" and index.is_file()
    pages = {p.parts[-4] for p in (index.parent / "validations").rglob("*.html")}
    assert pages == {"structure", "budget", "targets", "reconcile", "periods"}  # suites with rows in this run


def test_importing_the_gate_does_not_import_great_expectations():
    code = "import sys, budget_etl.expectations; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_validation_prints_no_progress_bars(make, capfd):
    make.validate_cases({"good": make.department()})
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err + captured.out


def test_text_from_a_file_never_reaches_the_data_docs(make, tmp_path):
    """GX Data Docs do not escape reported values, so the gate must not report file text to GX."""
    import dataclasses

    hostile = make.set_amount(make.department(department_name="<script>alert(1)</script>"), "国有资本金", "full_year", "-1")
    hostile.budget[5] = dataclasses.replace(hostile.budget[5], raw="<script>alert(2)</script>")
    hostile = make.set_target(hostile, "预算执行率", "full_year", "<img src=x onerror=alert(3)>5人", parse=False)
    duplicated = hostile.targets[-1]
    hostile.targets.append(dataclasses.replace(duplicated, cell="E99"))
    outcome, keys = make.validate_cases({"hostile": hostile}, data_docs_dir=tmp_path / "docs")
    failed = set(outcome.results.loc[~outcome.results["success"], "expectation"])
    assert {"amount_not_negative", "quantitative_target_readable", "indicator_unique"} <= failed
    assert make.result_of(outcome, keys["hostile"], "amount_not_negative")["observed"] == "<script>alert(2)</script>"
    pages = list((tmp_path / "docs").rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "onerror=alert" not in text and "劳模满意度" not in text, page
