"""The quality gate: Great Expectations suites over the run's staging tables.

    outcome = validate(staging, data_docs_dir=reports / run_id / "data_docs")
    outcome.results      # one row per check per file (see RESULT_COLUMNS)
    outcome.failed_keys  # files with a failed error-severity check: quarantine them

The suites are in :mod:`budget_etl.expectations.checks` (one per table: ``structure``,
``budget``, ``targets``, ``reconcile``, ``periods``); reader and parser issues join
the results as suite ``parser``. Great Expectations is imported only when
:func:`validate` runs.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from budget_etl.expectations.checks import CHECKS, SUITES, Check
from budget_etl.expectations.results import RESULT_COLUMNS
from budget_etl.expectations.scored import TargetReference
from budget_etl.parsers.staging import Staging
from budget_etl.parsers.templates.registry import Registry


@dataclass(slots=True)
class QualityOutcome:
    results: pd.DataFrame
    failed_keys: set[int] = field(default_factory=set)
    data_docs_index: Path | None = None
    seconds: float = 0.0
    #: with ``validate(..., defer_docs=True)``: builds the Data Docs (at ``data_docs_index``) when called
    build_docs: Callable[[], Path] | None = None

    def for_file(self, file_key: int) -> pd.DataFrame:
        return self.results[self.results["file_key"] == file_key].reset_index(drop=True)


def validate(staging: Staging, *, data_docs_dir: Path | None = None, defer_docs: bool = False,
             registry: Registry | None = None, references: pd.DataFrame | None = None,
             reference: TargetReference | None = None) -> QualityOutcome:
    """Validate the whole run's staging at once; rejected files are not validated. ``registry``: the families
    (their sum rules and checks); the packaged ones by default.

    ``defer_docs``: leave building the Data Docs to ``outcome.build_docs()`` (they take ~0.7 s for 2,000 files,
    which the caller can overlap with other work). ``references``: the warehouse's target-table totals for the
    disclosures' cross-document check (:func:`budget_etl.warehouse.disclosure.target_totals`).
    ``reference``: the target tables in the warehouse that self-evaluations are compared with (this run's own
    are always used).
    """
    from budget_etl.expectations.checks import catalogue
    from budget_etl.expectations.derived import build_tables, parsed_keys
    from budget_etl.expectations.gx_run import run_suites
    from budget_etl.expectations.results import check_results, issue_results, results_frame

    started = time.perf_counter()
    checks = catalogue(registry)
    tables = build_tables(staging, registry, references, reference)
    failing, index, build_docs = run_suites(tables, data_docs_dir, defer_docs=defer_docs, checks=checks)
    keys = set(parsed_keys(staging))
    results = results_frame(check_results(tables, failing, checks) + issue_results(staging.issues, keys))
    blocked = results[(results["severity"] == "error") & ~results["success"]]
    return QualityOutcome(results=results, failed_keys={int(k) for k in blocked["file_key"]},
                          data_docs_index=index, seconds=time.perf_counter() - started, build_docs=build_docs)


__all__ = ["validate", "QualityOutcome", "CHECKS", "SUITES", "Check", "RESULT_COLUMNS"]
