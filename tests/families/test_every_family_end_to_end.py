"""Every registered family, end to end: a file with every block filled loads, and a file breaking each of its
sum rules is quarantined naming that rule. Families are taken from the registry, so a family declared
without what this needs (an example writer for a new block reader, amounts its rules can be solved for, a
title its own pattern matches) fails here, not in a user's run."""
from __future__ import annotations

from pathlib import Path

import pytest
from family_examples import amounts_of, broken, write_example

from budget_etl.flows.pipeline import IngestOptions, run_ingest
from budget_etl.parsers.readers import read_bytes
from budget_etl.parsers.templates import load_registry, parse_workbook
from budget_etl.parsers.templates.examples import EXAMPLE_WRITERS
from budget_etl.parsers.templates.labels import norm

#: Families whose block readers have no generated example (a workbook of many titled tables is not a grid of
#: lines): each is named here with the folder of its own end-to-end tests, written by its own fixture script.
#: A family missing from both (no example writer, no entry here) fails test_every_family_is_covered.
OWN_END_TO_END_TESTS = {"budget_disclosure": "tests/disclosure"}
ROOT = Path(__file__).resolve().parents[2]

ALL_FAMILIES = load_registry().families
FAMILIES = [f for f in ALL_FAMILIES if f.name not in OWN_END_TO_END_TESTS]


def test_every_family_is_covered():
    """Each family is tested here with a generated example, or by its own end-to-end tests named above."""
    for family in ALL_FAMILIES:
        if family.name in OWN_END_TO_END_TESTS:
            folder = ROOT / OWN_END_TO_END_TESTS[family.name]
            assert any(folder.glob("test_*ingest*.py")), f"{family.name}: no end-to-end tests in {folder}"
        else:
            missing = [b.reader for b in family.blocks if b.reader not in EXAMPLE_WRITERS]
            assert not missing, f"{family.name}: block readers without an example writer: {missing}"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One run over every family's complete example and rule-breaking variants."""
    root = tmp_path_factory.mktemp("families")
    inbox = root / "inbox"
    inbox.mkdir()
    expected = {}
    for family in FAMILIES:
        amounts = amounts_of(family)
        path = write_example(family, inbox / f"{family.name}-complete.xlsx", amounts)
        expected[str(path)] = (family, None)
        for rule in family.sum_rules:
            path = write_example(family, inbox / f"{family.name}-breaks-{rule.check}.xlsx",
                                 broken(family, rule, amounts))
            expected[str(path)] = (family, rule.check)
    summary = run_ingest([inbox], IngestOptions(db_path=root / "w.duckdb", reports_dir=root / "reports",
                                                quarantine_dir=root / "quarantine", workers=0, data_docs=False))
    return expected, {f.path: f for f in summary.files}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_the_title_matches_its_own_pattern(family):
    assert family.title_pattern.matches(norm(family.title))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_the_complete_example_fills_every_block_without_a_judgement(family, tmp_path):
    path = write_example(family, tmp_path / "complete.xlsx", amounts_of(family))
    submission = parse_workbook(read_bytes(path.read_bytes(), path.name))
    assert submission.template == family.name
    assert set(submission.blocks) >= {block.name for block in family.blocks} | {"title"}
    assert [(i.code, i.cell) for i in submission.issues if i.severity != "info"] == []
    assert submission.department_name and submission.fiscal_year == 2024
    amounts = amounts_of(family)
    read = {(b.direction, b.item_path, b.period, getattr(b, "measure", "budget")): b.amount_wan
            for b in submission.budget}
    assert read == amounts


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_the_complete_example_loads(family, ingested):
    expected, files = ingested
    (path,) = [p for p, (f, rule) in expected.items() if f.name == family.name and rule is None]
    result = files[path]
    assert (result.status, result.template, result.failed_checks) == ("loaded", family.name, [])


@pytest.mark.parametrize("family, rule", [(f, r.check) for f in FAMILIES for r in f.sum_rules],
                         ids=lambda x: getattr(x, "name", x))
def test_breaking_a_sum_rule_quarantines_naming_it(family, rule, ingested):
    expected, files = ingested
    (path,) = [p for p, (f, r) in expected.items() if f.name == family.name and r == rule]
    result = files[path]
    assert result.status == "quarantined" and rule in result.failed_checks, (result.status, result.failed_checks)
