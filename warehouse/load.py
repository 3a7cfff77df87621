"""Loading one run, or one chunk of a run's files: a single transaction of bulk ``INSERT … SELECT`` from
registered DataFrames.

Order inside the transaction: the run row (a later chunk adds its counts to it), the submissions (with their
versions, continuing the run's earlier chunks), the version chains, the shared dimensions, then facts, texts and
quality results. Any error rolls everything back, and a killed process leaves an uncommitted transaction that
DuckDB discards on the next open: never half a chunk, and each earlier chunk stays whole.

The duplicate check that matters is the one in here. The pipeline looks up known
sha256s before parsing, but another run (a scheduled serve, a manual ingest) may
load the same bytes while this one parses. Inside this transaction, under DuckDB's
single-writer lock, no other run can commit, so a file whose bytes are loaded by
now becomes ``duplicate`` here: each sha256 is loaded once, whatever runs overlap.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

import duckdb
import pandas as pd

from budget_etl.parsers.staging import Staging
from budget_etl.warehouse.disclosure import load_disclosure
from budget_etl.warehouse.frames import as_utc_datetime, prepare_files, prepare_quality
from budget_etl.warehouse.load_results import add_result_indicators, insert_fund_scores, insert_results
from budget_etl.warehouse.loaded import LOADED, OWNERS
from budget_etl.warehouse.run_record import RunRecord

#: Called after each step of a load with the step's name (timings, progress, and the
#: crash tests, which kill the process at a chosen step).
Progress = Callable[[str], None]
STEPS = ("duplicates", "run", "submissions", "versions", "dimensions", "fact_budget", "fact_target",
         "fact_indicator_result", "fact_budget_score", "texts", "generic", "disclosure", "quality", "commit")

# The identity of a submission, NULL-safe: a department table has no project name, a generic submission
# has only its path (identity_path, NULL for every family).
_IDENTITY = ("template", "department_name", "fiscal_year", "project_name", "identity_path")
_SAME_IDENTITY = "\n    AND ".join(f"{{a}}.{column} IS NOT DISTINCT FROM {{b}}.{column}" for column in _IDENTITY)


def load_run(con: duckdb.DuckDBPyConnection, run: RunRecord, files: pd.DataFrame,
             staging: Staging, quality: pd.DataFrame, progress: Progress | None = None) -> pd.DataFrame:
    """Write the run; returns ``file_key, submission_id, version, is_current, status`` per file.

    ``status`` is ``duplicate`` for a file whose bytes another run loaded meanwhile (then ``submission_id``
    is that run's submission and nothing of the file is written), else the status the file was loaded with.
    """
    step = progress or (lambda name: None)
    in_files = prepare_files(run.run_id, files)
    inputs = {
        "in_files": in_files,
        "in_budget": staging.budget,
        "in_targets": staging.targets,
        "in_texts": staging.texts,
        "in_generic": staging.generic,
        "in_generic_labels": staging.generic_labels,
        "in_disclosure": staging.disclosure,
        "in_results": staging.results,
        "in_fund_scores": staging.fund_scores,
        "in_quality": prepare_quality(quality),
    }
    for name, frame in inputs.items():
        con.register(name, frame)
    con.execute("BEGIN TRANSACTION")
    try:
        late = _loaded_meanwhile(con)
        if not late.empty:
            run = _count_as_skipped(run, in_files[in_files["file_key"].isin(late["file_key"])]["status"])
            con.register("in_files", in_files[~in_files["file_key"].isin(late["file_key"])])
        step("duplicates")
        _insert_run(con, run)
        step("run")
        _insert_submissions(con, run.run_id)
        step("submissions")
        _chain_versions(con, run.run_id)
        step("versions")
        _add_dimensions(con, run.run_id)
        step("dimensions")
        _insert_budget(con, run.run_id)
        step("fact_budget")
        _insert_targets(con, run.run_id)
        step("fact_target")
        insert_results(con, run.run_id)
        step("fact_indicator_result")
        insert_fund_scores(con, run.run_id)
        step("fact_budget_score")
        _insert_texts(con, run.run_id)
        step("texts")
        _insert_generic(con, run.run_id)
        step("generic")
        load_disclosure(con, staging.disclosure, LOADED, {"run_id": run.run_id})
        step("disclosure")
        _insert_quality(con, run.run_id)
        step("quality")
        result = con.execute(  # this load's files only: the run's earlier chunks are committed already
            "SELECT file_key, submission_id, version, is_current, status FROM submissions "
            "WHERE run_id = ? AND file_key IN (SELECT file_key FROM in_files) ORDER BY file_key", [run.run_id]).df()
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    finally:
        for name in inputs:
            con.unregister(name)
    step("commit")
    if late.empty:
        return result
    late = late.assign(version=pd.NA, is_current=False, status="duplicate")
    return pd.concat([result, late], ignore_index=True).sort_values("file_key", ignore_index=True)


def _loaded_meanwhile(con) -> pd.DataFrame:
    """``file_key, submission_id``: files of this run whose bytes are already loaded (by another run), with
    the latest loaded submission of those bytes (a file may be re-sent after a newer one)."""
    return con.execute("""
        SELECT f.file_key, arg_max(s.submission_id, s.loaded_at) AS submission_id
        FROM in_files f JOIN submissions s ON s.source_sha256 = f.source_sha256 AND s.status = 'loaded'
        GROUP BY f.file_key ORDER BY f.file_key
    """).df()


def _count_as_skipped(run: RunRecord, statuses: pd.Series) -> RunRecord:
    """The run's counts with these files (of these planned statuses) moved to ``files_skipped``."""
    counts = statuses.value_counts()
    return replace(run, files_loaded=run.files_loaded - int(counts.get("loaded", 0)),
                   files_quarantined=run.files_quarantined - int(counts.get("quarantined", 0)),
                   files_rejected=run.files_rejected - int(counts.get("rejected", 0)),
                   files_skipped=run.files_skipped + len(statuses))


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the transaction is already gone (e.g. DuckDB aborted it); nothing to undo


def _insert_run(con, run: RunRecord) -> None:
    # A run loaded in chunks has one row: each chunk adds its files, so the row counts what is committed.
    con.execute(
        """INSERT INTO ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id) DO UPDATE SET
               finished_at = excluded.finished_at,
               files_seen = ingest_runs.files_seen + excluded.files_seen,
               files_loaded = ingest_runs.files_loaded + excluded.files_loaded,
               files_quarantined = ingest_runs.files_quarantined + excluded.files_quarantined,
               files_rejected = ingest_runs.files_rejected + excluded.files_rejected,
               files_skipped = ingest_runs.files_skipped + excluded.files_skipped,
               report_path = excluded.report_path""",
        [run.run_id, as_utc_datetime(run.started_at), as_utc_datetime(run.finished_at),
         run.files_seen, run.files_loaded, run.files_quarantined, run.files_rejected,
         run.files_skipped, run.report_path],
    )


def _insert_submissions(con, run_id: str) -> None:
    # A loaded file continues its identity's numbering; several files of one identity
    # in this run take successive versions in file_key (= path) order.
    con.execute(f"""
        INSERT INTO submissions
        WITH previous AS (
            SELECT {", ".join(_IDENTITY)}, max(version) AS last_version
            FROM submissions WHERE status = 'loaded'
            GROUP BY {", ".join(_IDENTITY)}
        )
        SELECT f.submission_id, ?, f.source_path, f.source_sha256, f.source_format, f.template,
               f.department_name, f.fiscal_year, f.project_name, f.status,
               CASE WHEN f.status = 'loaded' THEN
                   coalesce(p.last_version, 0) + row_number() OVER (
                       PARTITION BY f.status, {", ".join("f." + c for c in _IDENTITY)}
                       ORDER BY f.file_key)
               END,
               false, NULL, f.received_at, current_timestamp, f.error_code, f.error_message,
               f.department_name_raw, f.file_key, f.identity_path, f.restates_plan
        FROM in_files f
        LEFT JOIN previous p ON f.status = 'loaded' AND {_SAME_IDENTITY.format(a='f', b='p')}
    """, [run_id])


def _chain_versions(con, run_id: str) -> None:
    # Within each identity this run touched, the highest version is current and every
    # other version points to the one after it.
    con.execute(f"""
        UPDATE submissions AS s
        SET is_current = c.next_id IS NULL, superseded_by = c.next_id
        FROM (
            SELECT x.submission_id,
                   lead(x.submission_id) OVER (
                       PARTITION BY {", ".join("x." + c for c in _IDENTITY)}
                       ORDER BY x.version) AS next_id
            FROM submissions x
            WHERE x.status = 'loaded' AND EXISTS (
                SELECT 1 FROM submissions n
                WHERE n.run_id = ? AND n.status = 'loaded' AND {_SAME_IDENTITY.format(a='n', b='x')})
        ) c
        WHERE s.submission_id = c.submission_id
          AND (s.is_current IS DISTINCT FROM (c.next_id IS NULL) OR s.superseded_by IS DISTINCT FROM c.next_id)
    """, [run_id])


def _add_dimensions(con, run_id: str) -> None:
    # New members get ids after the current maximum; existing ones are shared.
    con.execute(f"""
        INSERT INTO dim_department
        SELECT (SELECT coalesce(max(department_id), 0) FROM dim_department)
                   + row_number() OVER (ORDER BY n.department_name), n.department_name
        FROM (SELECT DISTINCT department_name FROM {LOADED} WHERE department_name IS NOT NULL) n
        WHERE n.department_name NOT IN (SELECT department_name FROM dim_department)
    """, {"run_id": run_id})
    con.execute(f"""
        INSERT INTO dim_project
        SELECT (SELECT coalesce(max(project_id), 0) FROM dim_project)
                   + row_number() OVER (ORDER BY n.department_id, n.project_name),
               n.department_id, n.project_name
        FROM (SELECT DISTINCT d.department_id, l.project_name
              FROM {LOADED} l LEFT JOIN dim_department d ON d.department_name = l.department_name
              WHERE l.project_name IS NOT NULL) n
        WHERE NOT EXISTS (SELECT 1 FROM dim_project p
                          WHERE p.department_id IS NOT DISTINCT FROM n.department_id
                            AND p.project_name = n.project_name)
    """, {"run_id": run_id})
    con.execute(f"""
        INSERT INTO dim_fund_item
        SELECT (SELECT coalesce(max(fund_item_id), 0) FROM dim_fund_item)
                   + row_number() OVER (ORDER BY n.direction, n.item_path),
               n.direction, n.item_path
        FROM (SELECT DISTINCT b.direction, b.item_path
              FROM in_budget b JOIN {LOADED} l ON l.file_key = b.file_key) n
        WHERE NOT EXISTS (SELECT 1 FROM dim_fund_item i
                          WHERE i.direction = n.direction AND i.item_path = n.item_path)
    """, {"run_id": run_id})
    # One row per indicator path across all departments; key_task '' means none.
    con.execute(f"""
        INSERT INTO dim_indicator
        SELECT (SELECT coalesce(max(indicator_id), 0) FROM dim_indicator)
                   + row_number() OVER (ORDER BY n.indicator_path),
               n.level1, n.level2, n.key_task, n.level3, n.indicator_path
        FROM (SELECT t.indicator_path, min(t.level1) AS level1, min(t.level2) AS level2,
                     min(nullif(t.key_task, '')) AS key_task, min(t.level3) AS level3
              FROM in_targets t JOIN {LOADED} l ON l.file_key = t.file_key
              GROUP BY t.indicator_path) n
        WHERE n.indicator_path NOT IN (SELECT indicator_path FROM dim_indicator)
    """, {"run_id": run_id})
    add_result_indicators(con, run_id)




def _insert_budget(con, run_id: str) -> None:
    # Exact decimal text straight to DECIMAL(20,6): never through a float.
    con.execute(f"""
        INSERT INTO fact_budget (submission_id, department_id, fiscal_year, fund_item_id, project_id, period,
                                 amount_wan, source_sheet, source_cell, measure, amount_raw, amount_unit)
        SELECT o.submission_id, o.department_id, o.fiscal_year, i.fund_item_id, o.project_id,
               b.period, CAST(b.amount AS DECIMAL(20, 6)), b.sheet, b.cell, b.measure, b.raw, b.unit
        FROM in_budget b
        JOIN {OWNERS} o ON o.file_key = b.file_key
        JOIN dim_fund_item i ON i.direction = b.direction AND i.item_path = b.item_path
    """, {"run_id": run_id})


def _insert_targets(con, run_id: str) -> None:
    con.execute(f"""
        INSERT INTO fact_target
        SELECT o.submission_id, o.department_id, o.fiscal_year, i.indicator_id, o.project_id,
               t.period, t.raw_value, t.operator, CAST(t.value AS DECIMAL(18, 4)), t.unit,
               t.is_quantitative, t.sheet, t.cell
        FROM in_targets t
        JOIN {OWNERS} o ON o.file_key = t.file_key
        JOIN dim_indicator i ON i.indicator_path = t.indicator_path
    """, {"run_id": run_id})


def _insert_texts(con, run_id: str) -> None:
    con.execute(f"""
        INSERT INTO submission_texts
        SELECT l.submission_id, x.section, x.seq, x.text, x.cell, x.sheet
        FROM in_texts x JOIN {LOADED} l ON l.file_key = x.file_key
    """, {"run_id": run_id})


def _insert_generic(con, run_id: str) -> None:
    con.execute(f"""
        INSERT INTO generic_entries
        SELECT l.submission_id, g.sheet, g.table_range, g.cell, g.value_text, CAST(g.value AS DECIMAL(20, 6)),
               CAST(g.headers AS VARCHAR[])
        FROM in_generic g JOIN {LOADED} l ON l.file_key = g.file_key
    """, {"run_id": run_id})
    con.execute(f"""
        INSERT INTO generic_labels
        SELECT l.submission_id, g.sheet, g.table_range, g.cell, g.label, g.parent_cell
        FROM in_generic_labels g JOIN {LOADED} l ON l.file_key = g.file_key
    """, {"run_id": run_id})
    # A table is where its entries or labels are (a table of labels only still counts); its title and unit
    # ride on its entries (one text per table).
    con.execute(f"""
        INSERT INTO generic_tables (submission_id, sheet, table_range, entries, labels, title, unit)
        SELECT l.submission_id, t.sheet, t.table_range,
               count(*) FILTER (WHERE t.kind = 'entry'), count(*) FILTER (WHERE t.kind = 'label'),
               max(t.title), max(t.unit)
        FROM (SELECT file_key, sheet, table_range, 'entry' AS kind, table_title AS title, unit FROM in_generic
              UNION ALL SELECT file_key, sheet, table_range, 'label', NULL, NULL FROM in_generic_labels) t
        JOIN {LOADED} l ON l.file_key = t.file_key
        GROUP BY l.submission_id, t.sheet, t.table_range
    """, {"run_id": run_id})


def _insert_quality(con, run_id: str) -> None:
    con.execute("""
        INSERT INTO quality_results
        SELECT $run_id, s.submission_id, q.suite, q.expectation, q.severity, q.success,
               q.observed, q.source_cells, q.message, q.expected, q.file_key
        FROM in_quality q
        LEFT JOIN submissions s ON s.run_id = $run_id AND s.file_key = q.file_key
        WHERE q.file_key IS NULL OR s.submission_id IS NOT NULL  -- not the files found loaded meanwhile
    """, {"run_id": run_id})
