"""Running the suites through Great Expectations: once per table for the whole run.

Importing Great Expectations costs seconds, so it happens here, inside
:func:`run_suites`, never when ``expectations`` is imported. The context is
ephemeral (nothing written except the Data Docs asked for); analytics and progress
bars are off, and GX's log chatter is kept out of the tool's output.

Data Docs print failing values and index columns without HTML-escaping them, so no
text taken from a file is ever handed to GX as a reported value: failures are
attributed by ``file_key`` and a row number only, the checked columns are numbers,
booleans or codes, and the row's labels and cells are looked up here afterwards.
"""
from __future__ import annotations

import logging
import os
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pandas as pd

from budget_etl.expectations.checks import CHECKS, Check, checks_of

DATA_DOCS_SITE = "run"
ROW = "row_id"  # the position of a row in its table, reported back with each failure


class QualityGateError(RuntimeError):
    """An expectation itself crashed: a defect in a check, never a property of a file."""


@contextmanager
def _quiet():
    """Keep GX's warnings and INFO/WARNING logs out of normal output."""
    loggers = [logging.getLogger(name) for name in ("great_expectations", "posthog", "tzlocal")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def preload() -> None:
    """Import what :func:`run_suites` needs from Great Expectations (seconds), ahead of time.

    For a caller with idle time to spare (the pipeline, while workers read files); harmless to call
    more than once or from a thread. Only imports: no context, no global warning or logging changes.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401
    import great_expectations.expectations  # noqa: F401
    from great_expectations.data_context.types import base  # noqa: F401
    from great_expectations.expectations import metadata_types  # noqa: F401


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx, gx.get_context(project_config=config, mode="ephemeral")


def _expectation(gxe, check: Check):
    from great_expectations.expectations.metadata_types import FailureSeverity

    expectation = check.expectation(gxe)
    expectation.meta = {"check": check.name, "severity": check.severity}
    expectation.description = check.title
    # GX's own severity only labels the Data Docs; the gate decides from check.severity.
    expectation.severity = FailureSeverity.WARNING if check.severity == "warning" else FailureSeverity.CRITICAL
    if check.where is not None:
        expectation.row_condition = check.row_condition
        expectation.condition_parser = "pandas"
    return expectation


def run_suites(tables: dict[str, pd.DataFrame], data_docs_dir: Path | None = None, *, defer_docs: bool = False,
               checks: tuple[Check, ...] = CHECKS) -> tuple[dict[str, list[dict]], Path | None, Callable[[], Path] | None]:
    """Validate each table once with its suite.

    Returns check name -> the failing rows (each the row of its table, as a dict), the Data Docs index when
    ``data_docs_dir`` was given, and — with ``defer_docs`` — the function that builds them, for the caller to
    run later (e.g. on a thread while the warehouse loads); the docs are then not built yet.
    """
    with _quiet():
        gx, context = _context()
        import great_expectations.expectations as gxe

        source = context.data_sources.add_pandas("staging")
        failing: dict[str, list[dict]] = {}
        for suite_name, frame in tables.items():
            # A check whose ``where`` selects no row of this table applies to no file (results.check_results
            # gives it no row), so GX is not asked to run it: each expectation costs ~20 ms of GX's own work.
            suite_checks = [c for c in checks_of(suite_name, checks) if not frame.empty and _selects_rows(c, frame)]
            if not suite_checks:  # nothing to check (no generic file in the chunk, …): no GX call
                continue
            suite = context.suites.add(gx.ExpectationSuite(
                name=suite_name, expectations=[_expectation(gxe, check) for check in suite_checks]))
            batch = source.add_dataframe_asset(suite_name).add_batch_definition_whole_dataframe("run")
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=suite_name, data=batch, suite=suite))
            frame = frame.reset_index(drop=True)
            result = definition.run(
                batch_parameters={"dataframe": frame.assign(**{ROW: range(len(frame))})},
                result_format={"result_format": "COMPLETE",
                               "unexpected_index_column_names": ["file_key", ROW]},
            )
            for item in result.results:
                name = item.expectation_config.meta["check"]
                if item.exception_info and item.exception_info.get("raised_exception"):
                    raise QualityGateError(
                        f"expectation {name} crashed: {item.exception_info.get('exception_message')}")
                found = [] if item.success else (item.result.get("unexpected_index_list") or [])
                failing[name] = [frame.iloc[int(hit[ROW])].to_dict() for hit in found]
    if data_docs_dir is None:
        return failing, None, None

    def build() -> Path:
        with _quiet():
            return _build_docs(context, data_docs_dir)

    if defer_docs:
        return failing, Path(data_docs_dir).resolve() / "index.html", build
    return failing, build(), None


def _selects_rows(check: Check, frame: pd.DataFrame) -> bool:
    if check.where is None:
        return True
    column, value = check.where
    return bool((frame[column] == value).any())


def _build_docs(context, data_docs_dir: Path) -> Path:
    data_docs_dir = Path(data_docs_dir).resolve()
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(site_name=DATA_DOCS_SITE, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(data_docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    from budget_etl.expectations.offline_docs import make_offline

    make_offline(data_docs_dir)  # GX's templates load from eight CDNs: strip them, add a CSP
    return data_docs_dir / "index.html"
