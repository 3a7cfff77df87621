"""The load half of a run, one chunk at a time: validate, decide statuses, load in one transaction per chunk.

What a run keeps across chunks is bounded by what its report shows: one summary per file and the failed or
warned quality rows (the passing ones are in the warehouse). A chunk's staging, validation results and load
frames are dropped once it is committed, so memory does not grow with the number of chunks.

Across chunks, what one chunk decides must hold for the others:
- the same bytes twice in a run: the repeat is ``duplicate`` when its first copy loaded, whichever chunk that was
  in (``_originals`` keeps the statuses of the files that have repeats);
- one identity in two chunks: successive versions (the warehouse numbers them), and the later file's
  ``identity_unique_in_run`` warning names the earlier ones, read from this run's committed submissions;
- self-evaluations and disclosures are compared with the target tables the warehouse holds when their chunk is
  validated: earlier runs' and this run's earlier chunks' (and their own chunk's, through the staging);
- ``ingest_runs``: each chunk adds its counts to the run's one row.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from budget_etl.expectations.results import RESULT_COLUMNS
from budget_etl.flows.chunks import Chunk
from budget_etl.flows.files import absolute_path_text, fs_path
from budget_etl.flows.heap import map_large_blocks, release_free_heap
from budget_etl.flows.outputs import finish_committed_run
from budget_etl.flows.progress import NoProgress
from budget_etl.flows.report import REPORT_HTML, data_docs_dir, run_report_dir
from budget_etl.flows.summary import FileSummary, RunSummary, file_summary, timed, worst_status
from budget_etl.flows.summary_store import FileSummaries
from budget_etl.parsers.staging import FileResult, Staging, map_values
from budget_etl.parsers.templates.registry import Registry, registry_for

if TYPE_CHECKING:
    from budget_etl.flows.pipeline import IngestOptions, ParsedRun

#: per-chunk timings that are also summed into the run's timings
CHUNK_STAGES = ("stage", "validate", "load", "data_docs_wait")


class RunLoader:
    """Load a run's chunks in order (:meth:`load`), then write its outputs (:meth:`finish`)."""

    def __init__(self, run: "ParsedRun", options: "IngestOptions", progress: NoProgress, chunks: int):
        self.run, self.options, self.progress, self.chunks = run, options, progress, chunks
        self.registry = registry_for(options.template_dirs)
        self.summary = RunSummary(run_id=run.run_id, started_at=run.started_at, db_path=str(options.db_path),
                                  timings=dict(run.timings))
        # Known before the load: ingest_runs records it (write_report puts the page there).
        self.summary.report_path = str(run_report_dir(options.reports_dir, run.run_id) / REPORT_HTML)
        self.files = FileSummaries()  # on disk: ~1.4 kB a file in memory otherwise, for the whole run
        self.failed_quality: list[pd.DataFrame] = []
        #: key -> (status, submission_id) of each file whose bytes come again later in the run
        self._originals: dict[int, tuple[str, str | None]] = {}
        self._has_repeats = set(run.repeats.values())
        map_large_blocks()

    def load(self, chunk: Chunk) -> None:
        run, options = self.run, self.options
        timings: dict[str, float] = {"stage": chunk.stage_s}
        record: dict = {"chunk": chunk.index + 1, "files": chunk.files, "submissions": len(chunk.results)}
        staging = chunk.staging
        parts = parts_of(chunk.results)
        with timed(timings, "validate"):
            self.progress.chunk(chunk.index + 1, self.chunks, "validate")
            docs_dir = self._docs_dir(chunk.index)
            references = _stored_target_totals(options) if not staging.disclosure.empty else None
            reference = _target_reference(staging, options)
            quality, failed_keys, docs_path, build_docs = _validate(staging, docs_dir, self.registry,
                                                                    references, reference)
            if chunk.index == 0 or self.summary.data_docs_path is None:
                self.summary.data_docs_path = docs_path
            repeated = {key for file in parts if file in run.repeats for key in parts[file]}
            earlier = _earlier_in_run(staging, run.run_id, options) if chunk.index else {}
            quality = pd.concat([quality, _identity_warnings(staging, failed_keys | repeated, earlier)],
                                ignore_index=True)
        # The chunk's Great Expectations context and results sit in reference cycles: freed now, before the load,
        # whose peak would otherwise come on top of them (10,000 files: parent peak 425 -> 409 MB).
        gc.collect()
        statuses = {r.key: ("rejected" if r.rejected else "quarantined" if r.key in failed_keys else "loaded")
                    for r in chunk.results}
        for file in parts:
            if file in run.repeats and self._status_of(run.repeats[file], statuses) == "loaded":
                statuses.update((key, "duplicate") for key in parts[file])

        # The Data Docs only read the validation results: build them while the warehouse loads.
        docs = _Background(build_docs) if build_docs is not None else None
        with timed(timings, "load"):
            self.progress.chunk(chunk.index + 1, self.chunks, "load")
            loaded = self._load(chunk, staging, quality, statuses)
        loaded_meanwhile = self._mark_loaded_meanwhile(parts, statuses, loaded)
        quality = quality[~quality["file_key"].isin(loaded_meanwhile)]
        if docs is not None:
            with timed(timings, "data_docs_wait"):
                if docs.result() is None:  # the chunk is committed: a failed docs build only loses the link
                    self.summary.data_docs_path = None
                    if docs.error is not None:
                        self.summary.problems.append(f"Data Docs of run {run.run_id} not built ({docs.error})")
        ids = dict(zip(loaded["file_key"].tolist(), loaded["submission_id"].tolist())) if not loaded.empty else {}
        for file in parts:
            if file in self._has_repeats:
                self._originals[file] = (statuses[file], ids.get(file))
        self.files.extend(self._file_summaries(chunk.results, parts, quality, statuses, loaded))
        failed = quality[~quality["success"].astype(bool)]  # the passing rows are in the warehouse, not needed
        self.failed_quality.append(_quality_with_paths(failed, chunk.results, ids))
        record.update((name, round(seconds, 4)) for name, seconds in timings.items())
        self.summary.chunks.append(record)
        for name, seconds in timings.items():
            self.summary.timings[name] = self.summary.timings.get(name, 0.0) + seconds
        # A full collection before handing the heap back: the chunk's frames and Great Expectations' objects
        # sit in reference cycles, and Python rarely runs a full collection in a parent of ~450,000 long-lived
        # objects, so they stayed allocated into the next chunks (after each chunk of a 30,000-file run the
        # parent held 400-430 MB without it, ~370 MB with it: benchmarks/RESULTS.md).
        gc.collect()
        release_free_heap()  # the chunk's frames and DuckDB's load are freed by now

    def finish(self) -> RunSummary:
        """The whole run's summary, its report and quarantine copies (after the last chunk committed)."""
        summary = self.summary
        summary.finished_at = datetime.now(timezone.utc)
        self.files.extend(self.run.duplicates)
        self.files.sort_by_path()
        summary.files = self.files
        summary.quality = pd.concat(self.failed_quality, ignore_index=True) if self.failed_quality else \
            pd.DataFrame(columns=[*RESULT_COLUMNS, "path", "submission_id"])
        self.failed_quality = []
        with timed(summary.timings, "report"):
            self.progress.stage("report")
            finish_committed_run(summary, self.options.reports_dir, self.options.quarantine_dir,  # never raises
                                 annotate=lambda: _annotate(summary, self.options))
        self.progress.done()
        return summary

    # -- one chunk --------------------------------------------------------------------

    def _status_of(self, key: int, statuses: dict[int, str]) -> str | None:
        return statuses[key] if key in statuses else self._originals.get(key, (None, None))[0]

    def _docs_dir(self, index: int) -> Path | None:
        """One Data Docs site per chunk (each validation has its own GX context); a one-chunk run's is the run's."""
        if not self.options.data_docs:
            return None
        folder = data_docs_dir(self.options.reports_dir, self.run.run_id)
        return folder if self.chunks == 1 else folder / f"chunk-{index + 1:04d}"

    def _load(self, chunk: Chunk, staging: Staging, quality: pd.DataFrame,
              statuses: dict[int, str]) -> pd.DataFrame:
        from budget_etl.warehouse import RunRecord, Warehouse
        from budget_etl.warehouse.frames import generic_identity

        run, first = self.run, chunk.index == 0
        files = staging.files.copy()
        files["status"] = files["file_key"].map(statuses)
        files = files[files["status"] != "duplicate"]
        files["received_at"] = [_mtime(p) for p in files["path"]]
        files["identity_path"] = generic_identity(files, absolute_path_text)
        counts = pd.Series(file_statuses(chunk.results, statuses)).value_counts()  # files, not submissions
        skipped_before = len(run.duplicates) if first else 0  # found loaded when the run was planned
        record = RunRecord(
            run_id=run.run_id, started_at=run.started_at, finished_at=datetime.now(timezone.utc),
            files_seen=chunk.files + skipped_before,
            files_loaded=int(counts.get("loaded", 0)), files_quarantined=int(counts.get("quarantined", 0)),
            files_rejected=int(counts.get("rejected", 0)),
            files_skipped=int(counts.get("duplicate", 0)) + skipped_before,
            report_path=self.summary.report_path,
        )
        quality = quality[quality["file_key"].isin(set(files["file_key"]))]
        with Warehouse(self.options.db_path, lock_wait_s=self.options.lock_wait_s) as wh:
            # One DuckDB thread: the checkpoint when the chunk's connection closes took 20-70 MB more with two,
            # and the workers are reading on the cores meanwhile (benchmarks/RESULTS.md).
            wh.connection.execute("SET threads = 1")
            # Without a copy when every file of the chunk is loaded (no duplicate): the copy was ~10 MB more at
            # the load's peak. The load only reads the tables.
            loading = staging if len(files) == len(staging.files) else staging.for_files(files["file_key"])
            return wh.load_run(record, files.reset_index(drop=True), loading, quality.reset_index(drop=True))

    def _mark_loaded_meanwhile(self, parts: dict[int, list[int]], statuses: dict[int, str],
                               loaded: pd.DataFrame) -> set[int]:
        """Files the load found already loaded by another run (it decides under the writer lock): they, and the
        repeats of them in this chunk, are ``duplicate``. Returns their keys."""
        if loaded.empty or "status" not in loaded:
            return set()
        late = {int(k) for k in loaded.loc[loaded["status"] == "duplicate", "file_key"]}
        late |= {key for file in parts if self.run.repeats.get(file) in late for key in parts[file]}
        for key in late:
            statuses[key] = "duplicate"
        return late

    def _file_summaries(self, results: list[FileResult], parts: dict[int, list[int]], quality: pd.DataFrame,
                        statuses: dict[int, str], loaded: pd.DataFrame) -> list[FileSummary]:
        repeats = self.run.repeats
        ids = {int(row["file_key"]): row for row in loaded.to_dict("records")} if not loaded.empty else {}
        failed = quality[~quality["success"].astype(bool)]
        # One pass over the failures, not a scan of them per file: that was quadratic in the run's size.
        checks: dict[tuple[int, str], set[str]] = {}
        for key, severity, expectation in zip(failed["file_key"].tolist(), failed["severity"].tolist(),
                                              failed["expectation"].tolist()):
            checks.setdefault((int(key), severity), set()).add(expectation)
        by_key: dict[int, FileSummary] = {}
        for r in results:
            p = r.parsed
            status = statuses[r.key]
            summary = FileSummary(
                path=r.path, status=status, sha256=r.sha256, format=r.format,
                template=p.template if p else None, department_name=p.department_name if p else None,
                fiscal_year=p.fiscal_year if p else None, project_name=p.project_name if p else None,
                error_code=r.error_code, error_message=r.error_message,
                failed_checks=sorted(checks.get((r.key, "error"), ())),
                warnings=sorted(checks.get((r.key, "warning"), ())),
                sheet=p.sheet if p else None,
                identity_note=_identity_note(p, r.path) if p else None,
            )
            if p is not None and "generic_tables" in p.attributes:  # its tables are staged and gone by now
                summary.generic_tables = int(p.attributes["generic_tables"])
                summary.generic_entries = int(p.attributes["generic_entries"])
            if status == "quarantined" and not summary.error_code:
                summary.error_code = "quality_failed"
                summary.error_message = "failed: " + ", ".join(summary.failed_checks)
            if r.key in ids and status != "duplicate":
                row = ids[r.key]
                summary.submission_id = row["submission_id"]
                summary.version = None if pd.isna(row.get("version")) else int(row["version"])
            if status == "duplicate":
                if r.key in repeats:  # the first copy's submission, in this chunk or an earlier one
                    original = repeats[r.key]
                    twin = ids[original]["submission_id"] if original in ids else \
                        self._originals.get(original, (None, None))[1]
                else:
                    twin = ids[r.key]["submission_id"] if r.key in ids else None
                summary.submission_id = twin
                summary.version = None
                summary.error_code = None
                summary.error_message = ("the same bytes as another file of this run" if r.key in repeats
                                         else "already loaded by another run while this one was parsing")
                summary.failed_checks, summary.warnings = [], []
            by_key[r.key] = summary
        return [file_summary([by_key[key] for key in keys]) for keys in parts.values()]


def parts_of(results: list[FileResult]) -> dict[int, list[int]]:
    """file key -> the keys of the file's submissions, its first one first."""
    parts: dict[int, list[int]] = {}
    for r in sorted(results, key=lambda r: r.key):
        parts.setdefault(r.key if r.part_of is None else r.part_of, []).append(r.key)
    return parts


def file_statuses(results: list[FileResult], statuses: dict[int, str]) -> dict[int, str]:
    return {file: worst_status(statuses[k] for k in keys) for file, keys in parts_of(results).items()}


def _stored_target_totals(options: "IngestOptions") -> pd.DataFrame:
    """What the disclosures of a chunk are compared with: the warehouse's current target-table totals."""
    from budget_etl.warehouse import Warehouse
    from budget_etl.warehouse.disclosure import target_totals

    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return target_totals(wh.connection)


def _target_reference(staging: Staging, options: "IngestOptions"):
    """For a chunk with self-evaluations: the target tables already in the warehouse, to compare them with."""
    from budget_etl.expectations.scored import reference_from_rows, self_evaluation_keys

    if not self_evaluation_keys(staging):
        return None
    from budget_etl.warehouse import Warehouse
    from budget_etl.warehouse.load_results import target_table_rows

    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return reference_from_rows(*target_table_rows(wh.connection))


def _validate(staging: Staging, data_docs_dir: Path | None, registry: Registry,
              references: pd.DataFrame | None = None,
              reference=None) -> tuple[pd.DataFrame, set[int], str | None, Callable[[], Path] | None]:
    """Quality results, the files that failed an error check, the Data Docs index and what builds them."""
    if staging.files["template"].notna().sum() == 0 and staging.issues.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS), set(), None, None  # nothing parsed: skip GX's start-up
    from budget_etl.expectations import validate

    outcome = validate(staging, data_docs_dir=data_docs_dir, defer_docs=True, registry=registry,
                       references=references, reference=reference)
    docs = str(outcome.data_docs_index) if outcome.data_docs_index else None
    return outcome.results, set(outcome.failed_keys), docs, outcome.build_docs


class _Background:
    """Run a function on a thread; ``result()`` joins it: its return value, or None when it raised."""

    def __init__(self, fn: Callable[[], object]):
        self._value: object = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name=f"background-{fn.__name__}", daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            self._value = fn()
        except Exception as exc:  # noqa: BLE001 - the caller sees None and ``error``; the reason goes to the log
            logging.getLogger("budget_etl").debug("%s failed: %s: %s", fn.__name__, type(exc).__name__, exc)
            self._value = None
            self.error = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"

    def result(self) -> object:
        self._thread.join()
        return self._value


_IDENTITY = ["template", "department_name", "fiscal_year", "project_name", "identity_path"]


def _identity_warnings(staging: Staging, not_loading: set[int],
                       earlier: dict[tuple, list[str]]) -> pd.DataFrame:
    """Two loadable files with one identity in one run load as successive versions: say so.

    ``not_loading``: files of the chunk that will not load (failed the gate, or the same bytes as another file
    of the run). ``earlier``: identity -> paths of this run's earlier chunks (:func:`_earlier_in_run`); the
    warning goes on the files of this chunk, naming every file of the identity so far.
    """
    files = _loadable_identities(staging, not_loading)
    # Almost every identity is one file: group only the ones that can warn (twice in the chunk, or seen in an
    # earlier chunk). A groupby over all of them cost ~1 ms per identity, a second per chunk of 1,000 files.
    if earlier:
        seen = [tuple(None if pd.isna(v) else v for v in row) in earlier
                for row in files[_IDENTITY].itertuples(index=False, name=None)]
        files = files[files.duplicated(_IDENTITY, keep=False) | pd.Series(seen, index=files.index, dtype=bool)]
    else:
        files = files[files.duplicated(_IDENTITY, keep=False)]
    rows = []
    for identity, group in files.groupby(_IDENTITY, dropna=False, sort=False):
        before = earlier.get(tuple(None if pd.isna(v) else v for v in identity), [])
        group = group.sort_values("file_key")
        total = len(before) + len(group)
        if total < 2:
            continue
        paths = before + list(group["path"])
        for version, key in enumerate(group["file_key"].tolist(), start=len(before) + 1):
            rows.append({
                "file_key": key, "suite": "pipeline", "expectation": "identity_unique_in_run",
                "severity": "warning", "success": False, "observed": f"{total} files", "expected": "1 file",
                "source_cells": "", "message": (f"{total} files in this run have the same identity; they load as "
                                                f"successive versions in path order (this is version {version} of "
                                                f"{total} so far): " + "; ".join(paths)),
            })
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _loadable_identities(staging: Staging, not_loading: set[int]) -> pd.DataFrame:
    """The chunk's files that may load, with their identity as the warehouse versions it."""
    from budget_etl.warehouse.frames import generic_identity
    from budget_etl.warehouse.names import normalise_name  # names as the warehouse versions them (brackets, spaces)

    files = staging.files[staging.files["template"].notna() & ~staging.files["file_key"].isin(not_loading)]
    # A generic submission's identity is its path (as the warehouse versions it), so two generic files differ.
    return files.assign(department_name=map_values(files["department_name"], normalise_name),
                        project_name=map_values(files["project_name"], normalise_name),
                        identity_path=generic_identity(files, absolute_path_text))


def _earlier_in_run(staging: Staging, run_id: str, options: "IngestOptions") -> dict[tuple, list[str]]:
    """identity -> the paths of this run's committed loaded submissions of it (earlier chunks), in version order."""
    from budget_etl.warehouse import Warehouse

    identities = _loadable_identities(staging, set())[_IDENTITY].drop_duplicates()
    if identities.empty:
        return {}
    wanted = identities.astype(object).where(identities.notna(), None)
    same = " AND ".join(f"s.{c} IS NOT DISTINCT FROM w.{c}" for c in _IDENTITY)
    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        con = wh.connection
        con.register("wanted_identities", wanted.reset_index(drop=True))
        try:
            rows = con.execute(f"""
                SELECT {", ".join("s." + c for c in _IDENTITY)}, s.source_path
                FROM submissions s JOIN wanted_identities w ON {same}
                WHERE s.run_id = ? AND s.status = 'loaded' ORDER BY s.version
            """, [run_id]).fetchall()
        finally:
            con.unregister("wanted_identities")
    earlier: dict[tuple, list[str]] = {}
    for *identity, path in rows:
        earlier.setdefault(tuple(identity), []).append(path)
    return earlier


def _mtime(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(fs_path(path)).st_mtime, tz=timezone.utc)
    except OSError:
        return None


def _identity_note(parsed, path: str) -> str | None:
    """A form that names no department or year (the real 绩效评价表) is filed under its title: say so."""
    if parsed.attributes.get("identity_from") != "title":
        return None
    missing = [word for word, value in (("department", parsed.department_name), ("year", parsed.fiscal_year))
               if value is None]
    names = " or ".join(missing) or "project"
    return (f"the form names no {names}: filed under its title {parsed.attributes.get('title', '')!r} "
            f"(project {parsed.project_name!r}) and file {Path(path).name!r}")


def _quality_with_paths(quality: pd.DataFrame, results: list[FileResult], ids: dict) -> pd.DataFrame:
    paths = {r.key: r.path for r in results}
    quality = quality.copy()
    quality["path"] = quality["file_key"].map(paths)
    quality["submission_id"] = quality["file_key"].map(ids)
    return quality


def _annotate(summary: RunSummary, options: "IngestOptions") -> None:
    """Annotated workbooks for quarantined (and, if asked, warned) files: see flows.annotate."""
    from budget_etl.flows.annotate_run import annotate_run

    annotate_run(summary, reports_dir=Path(options.reports_dir), annotate_warnings=options.annotate_warnings,
                 workers=options.workers, timeout_s=options.timeout_s, memory_mb=options.memory_mb,
                 limits=options.limits)
