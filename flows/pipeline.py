"""One ingest run, end to end, as plain Python: the library behind `budget-etl ingest` and the Prefect flow.

    discover → hash → skip duplicates → read+parse (sandboxed, parallel) → stage → validate (GX, once per
    table for the whole run) → decide statuses → load (one transaction) → quarantine copies → report

Nothing is half-loaded: the load is one transaction, and a file's facts reach the warehouse only when every
error-severity expectation passed for it.
"""
from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from budget_etl.expectations.results import RESULT_COLUMNS  # the quality rows the pipeline adds have their shape
from budget_etl.flows.files import StillChanging, fs_path, hash_file, path_text
from budget_etl.flows.outputs import check_output_dirs, finish_committed_run
from budget_etl.flows.progress import NoProgress
from budget_etl.flows.report import REPORT_HTML, data_docs_dir, run_report_dir
from budget_etl.flows.stages import FileTask, discover, read_and_parse, rejected_result
from budget_etl.flows.summary import FileSummary, RunSummary, file_summary, worst_status
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits
from budget_etl.parsers.staging import FileResult, Staging, StagingBuilder, build_staging, map_values
from budget_etl.parsers.templates.registry import Registry, registry_for


@dataclass(slots=True)
class IngestOptions:
    db_path: Path = Path("warehouse.duckdb")
    reports_dir: Path = Path("reports")
    quarantine_dir: Path = Path("quarantine")
    workers: int | None = None  # None: one per core; 0: in this process, without crash isolation
    batch_size: int = 16  # files per worker task: per-task overhead matters with thousands of files
    timeout_s: float = 60.0  # per file, in its worker
    memory_mb: int = 2048  # per worker process
    limits: ReadLimits = DEFAULT_LIMITS
    lock_wait_s: float = 30.0  # how long to wait for another writer to release the warehouse
    data_docs: bool = False  # build the run's GX Data Docs beside the report (opt in: ``--data-docs``)
    exclude_dirs: tuple[Path, ...] = ()  # e.g. an inbox's processed/ and failed/ folders
    template_dirs: tuple[Path, ...] = ()  # folders of extra family declarations (--templates DIR)
    annotate_warnings: bool = False  # also write annotated workbooks for loaded files with warnings
    generic: bool = True  # tables no family recognises load as generic tables (False: rejected, unknown_template)
    settle_s: float = 0.0  # take only files unchanged for this long (an inbox: others are still being written)


@dataclass(slots=True)
class ParsedRun:
    """What the parse half of a run produced; the load half consumes it."""

    run_id: str
    started_at: datetime
    results: list[FileResult]  # one per file to process, in key order
    duplicates: list[FileSummary]  # files already loaded (same sha256), nothing to do
    repeats: dict[int, int] = field(default_factory=dict)  # key -> key of the same bytes earlier in this run
    timings: dict[str, float] = field(default_factory=dict)
    #: staged as results streamed in (then ``results`` keep only each file's header); None: stage ``results``
    staging: Staging | None = None
    waiting: list[str] = field(default_factory=list)  # files still being written (settle_s): left for a later run
    #: the key the next further submission of a file gets (files have keys 0..n-1, their further ones follow)
    next_key: int = 0

    def number_parts(self, result: FileResult) -> list[FileResult]:
        """A file's result and its further submissions (``result.more``), each with a key of its own."""
        parts = [replace(result, more=[])]
        for part in result.more:
            parts.append(replace(part, key=self.next_key, path=result.path, sha256=result.sha256,
                                 size=result.size, format=result.format, part_of=result.key))
            self.next_key += 1
        return parts


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: '20261123T235816Z-3fa1'."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def run_ingest(paths: Iterable[str | os.PathLike], options: IngestOptions | None = None,
               progress: NoProgress | None = None) -> RunSummary:
    """Ingest files and folders; returns the run's summary. Raises only when nothing could be loaded
    (a missing path, a warehouse locked longer than ``lock_wait_s``): then nothing changed."""
    options = options or IngestOptions()
    progress = progress or NoProgress()
    registry_for(options.template_dirs)  # a broken declaration stops the run before anything is read
    parsed = parse_files(paths, options, progress)
    return load_parsed(parsed, options, progress)


def parse_files(paths: Iterable[str | os.PathLike], options: IngestOptions, progress: NoProgress) -> ParsedRun:
    """The parse half: discover, hash, skip what is already loaded, read and parse the rest in workers."""
    run, tasks = plan_run(paths, options, progress)
    with _timed(run.timings, "read_parse"):
        progress.stage("read+parse", len(tasks))
        results = []
        preloading = None
        if tasks and options.workers != 0:
            import budget_etl.flows.sandbox  # noqa: F401 - the main thread's last import before the preload thread starts

            preloading = _preload_quality_gate()
        staged = _StreamingStaging(run)
        for task, result in _parse_tasks(tasks, options):
            results.extend(staged.add(result))
            progress.advance(1, task.path)
        assemble(run, results, numbered=True)
        run.staging = staged.finish(run.results)
    if preloading is not None:  # the load half imports freely from here on, never alongside this thread
        with _timed(run.timings, "gx_import_wait"):  # what the parsing did not hide (small runs)
            preloading.join()
    return run


class _StreamingStaging:
    """Stage each result as it arrives and keep only its header, so that memory does not grow with every
    file's parsed records (tens of kB each) until the end of the run."""

    def __init__(self, run: ParsedRun):
        self.run = run
        self.builder = StagingBuilder()
        self.paths = {r.key: r.path for r in run.results}
        self.repeats_of: dict[int, list[int]] = {}
        for repeat, original in run.repeats.items():
            self.repeats_of.setdefault(original, []).append(repeat)

    def add(self, result: FileResult) -> list[FileResult]:
        """Stage a file's submissions; returns them as headers only (records dropped), with their keys."""
        kept = []
        for twin in [result] + [replace(result, key=r, path=self.paths[r]) for r in self.repeats_of.get(result.key, ())]:
            for part in self.run.number_parts(twin):  # the same bytes again: the same rows, its own keys
                self.builder.add(part)
                kept.append(part)
        return [part if part.parsed is None else
                replace(part, parsed=replace(part.parsed, budget=[], targets=[], texts=[], results=[], fund_scores=[],
                                                           issues=[], tables=[]),
                        issues=[])
                for part in kept]

    def finish(self, results: list[FileResult]) -> Staging:
        for result in results:  # files that never reached a worker (unreadable when hashed)
            if result.key not in self.builder.keys:
                self.builder.add(result)
        return self.builder.build()


def _preload_quality_gate() -> threading.Thread:
    """Import Great Expectations (seconds of CPU) in a thread while the workers read and parse.

    The parent only waits on the workers' pipes meanwhile, so the import overlaps the workers' start-up and
    the files' reading instead of following them. Started only when there are files to parse (a run of
    duplicates never pays for it), after the main thread's last import (the sandbox), and joined before the
    load half, so two threads never import at once.
    """
    def preload() -> None:
        try:
            from budget_etl.expectations.gx_run import preload as import_gx
            import_gx()
        except Exception:  # noqa: BLE001 - validate() imports it again and reports any real failure
            pass

    thread = threading.Thread(target=preload, name="preload-great-expectations", daemon=True)
    thread.start()
    return thread


def plan_run(paths: Iterable[str | os.PathLike], options: IngestOptions,
             progress: NoProgress | None = None) -> tuple[ParsedRun, list[FileTask]]:
    """Discover and hash the files; return the run (duplicates settled) and the files left to parse."""
    progress = progress or NoProgress()
    started = datetime.now(timezone.utc)
    run = ParsedRun(run_id=new_run_id(started), started_at=started, results=[], duplicates=[])
    with _timed(run.timings, "discover"):
        check_output_dirs(options.reports_dir, options.quarantine_dir)  # a post-commit failure costs more
        unlisted: list[tuple[Path, str]] = []
        files = discover(paths, exclude_dirs=options.exclude_dirs, unreadable=unlisted)
        progress.stage("hash", len(files))
        hashed: list[tuple[str, str, int, ReadError | None]] = []  # path text, sha256, size, error
        for folder, reason in unlisted:  # rejected entries naming the folder: its files were never seen
            hashed.append((path_text(folder), "", 0, ReadError(
                "io_error", f"cannot read the folder ({reason}); none of its files were ingested")))
        for path in files:
            text = path_text(path)  # the path as the run reports and stores it (lossless, printable)
            try:  # regular files only, within the size limit and the per-file time limit
                digest, size = hash_file(path, options.limits.max_file_bytes, options.timeout_s, options.settle_s)
                hashed.append((text, digest, size, None))
            except StillChanging:
                run.waiting.append(text)
            except ReadError as exc:
                hashed.append((text, "", 0, exc))
            except OSError as exc:  # vanished or unreadable between listing and reading
                hashed.append((text, "", 0, ReadError("io_error", f"cannot read the file: {exc.strerror or exc}")))
            progress.advance(1, text)
        known = _loaded_sha256(options, [d for _, d, _, err in hashed if not err])

    tasks: list[FileTask] = []
    first_key_of: dict[str, int] = {}
    for path, digest, size, error in hashed:
        key = len(run.results)
        if error:
            run.results.append(FileResult(key=key, path=path, sha256=digest, size=size,
                                          error_code=error.code, error_message=error.message))
            continue
        if digest in known:
            run.duplicates.append(FileSummary(path=path, status="duplicate", sha256=digest,
                                              submission_id=known[digest]))
            continue
        if digest in first_key_of:  # the same bytes twice in one run: parse once
            run.repeats[key] = first_key_of[digest]
        else:
            first_key_of[digest] = key
            tasks.append(FileTask(key, path, digest, size, options.limits,
                                  tuple(str(d) for d in options.template_dirs), options.generic))
        run.results.append(FileResult(key=key, path=path, sha256=digest, size=size))
    run.next_key = len(run.results)
    return run, tasks


def parse_batch(tasks: list[FileTask], options: IngestOptions) -> list[FileResult]:
    """Read and parse a batch of files (sandboxed); one result per task, in task order."""
    results = {task.key: result for task, result in _parse_tasks(tasks, options)}
    return [results[task.key] for task in tasks]


def assemble(run: ParsedRun, results: Iterable[FileResult], *, numbered: bool = False) -> ParsedRun:
    """Put parsed results in their place in the run: each further submission of a file gets a key of its own,
    and files repeated in the run share their twin's result. ``numbered``: the results already went through
    :meth:`ParsedRun.number_parts`, repeats included (the streaming staging does it as they arrive)."""
    by_key = {r.key: r for r in run.results}
    if numbered:
        by_key.update((r.key, r) for r in results)
    else:
        repeats_of: dict[int, list[int]] = {}
        for repeat, original in run.repeats.items():
            repeats_of.setdefault(original, []).append(repeat)
        for result in results:
            twins = [replace(result, key=r, path=by_key[r].path) for r in repeats_of.get(result.key, ())]
            for twin in [result, *twins]:
                by_key.update((part.key, part) for part in run.number_parts(twin))
    run.results = [by_key[k] for k in sorted(by_key)]
    # Seconds the workers spent reading and parsing, summed over files (CPU time spread over the cores;
    # 'read_parse' is the wall time of both).
    run.timings["read"] = sum(r.seconds_read for r in run.results)
    run.timings["parse"] = sum(r.seconds_parse for r in run.results)
    return run


def _parse_tasks(tasks: list[FileTask], options: IngestOptions) -> Iterator[tuple[FileTask, FileResult]]:
    if not tasks:
        return
    workers = options.workers if options.workers is not None else min(os.cpu_count() or 1, len(tasks))
    if workers == 0:
        for task in tasks:
            yield task, read_and_parse(task)
        return
    from budget_etl.flows.sandbox import run_sandboxed

    for index, result in run_sandboxed(read_and_parse, tasks, workers=workers, timeout_s=options.timeout_s,
                                       memory_mb=options.memory_mb, batch_size=options.batch_size):
        task = tasks[index]
        if isinstance(result, ReadError):  # the worker crashed or timed out on this file
            result = rejected_result(task, result)
        yield task, result


def _loaded_sha256(options: IngestOptions, digests: list[str]) -> dict[str, str]:
    from budget_etl.warehouse import Warehouse

    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return wh.loaded_sha256(digests)


def load_parsed(run: ParsedRun, options: IngestOptions, progress: NoProgress) -> RunSummary:
    """The load half: stage, validate, decide statuses, load in one transaction, quarantine, report."""
    summary = RunSummary(run_id=run.run_id, started_at=run.started_at, db_path=str(options.db_path),
                         timings=dict(run.timings))
    with _timed(summary.timings, "stage"):
        progress.stage("stage")
        staging = run.staging if run.staging is not None else build_staging(run.results)
    with _timed(summary.timings, "validate"):
        progress.stage("validate")
        docs_dir = data_docs_dir(options.reports_dir, run.run_id) if options.data_docs else None
        references = _stored_target_totals(options) if not staging.disclosure.empty else None
        reference = _target_reference(staging, options)
        quality, failed_keys, summary.data_docs_path, build_docs = _validate(
            staging, docs_dir, registry_for(options.template_dirs), references, reference)
        repeated = {key for repeat in run.repeats for key in parts_of(run.results)[repeat]}
        quality = pd.concat([quality, _identity_warnings(staging, failed_keys | repeated)], ignore_index=True)
    statuses = {r.key: ("rejected" if r.rejected else "quarantined" if r.key in failed_keys else "loaded")
                for r in run.results}
    parts = parts_of(run.results)
    for repeat, original in run.repeats.items():
        if statuses[original] == "loaded":
            statuses.update((key, "duplicate") for key in parts[repeat])
    # Known before the load: ingest_runs records it (write_report puts the page there).
    summary.report_path = str(run_report_dir(options.reports_dir, run.run_id) / REPORT_HTML)

    # The Data Docs only read the validation results: build them while the warehouse loads.
    docs = _Background(build_docs) if build_docs is not None else None
    with _timed(summary.timings, "load"):
        progress.stage("load")
        loaded = _load(run, staging, quality, statuses, summary, options)
    loaded_meanwhile = _mark_loaded_meanwhile(run, statuses, loaded)
    quality = quality[~quality["file_key"].isin(loaded_meanwhile)]
    if docs is not None:
        with _timed(summary.timings, "data_docs_wait"):
            if docs.result() is None:  # the run is committed: a failed docs build only loses the link
                summary.data_docs_path = None
                if docs.error is not None:
                    summary.problems.append(f"Data Docs of run {run.run_id} not built ({docs.error})")
    summary.finished_at = datetime.now(timezone.utc)
    summary.files = _file_summaries(run, staging, quality, statuses, loaded) + run.duplicates
    summary.files.sort(key=lambda f: f.path)
    summary.quality = _quality_with_paths(quality, run, loaded)
    with _timed(summary.timings, "report"):
        progress.stage("report")
        finish_committed_run(summary, options.reports_dir, options.quarantine_dir,  # never raises for a file
                             annotate=lambda: _annotate(summary, options))
    progress.done()
    return summary


def _stored_target_totals(options: IngestOptions) -> pd.DataFrame:
    """What the disclosures of this run are compared with: the warehouse's current target-table totals."""
    from budget_etl.warehouse import Warehouse
    from budget_etl.warehouse.disclosure import target_totals

    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return target_totals(wh.connection)


def _target_reference(staging: Staging, options: IngestOptions):
    """For a run with self-evaluations: the target tables already in the warehouse, to compare them with."""
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


def _identity_warnings(staging: Staging, not_loading: set[int]) -> pd.DataFrame:
    """Two loadable files with one identity in one run load as successive versions: say so.

    ``not_loading``: files that will not load (failed the gate, or the same bytes as another file of the run).
    """
    from budget_etl.warehouse.names import normalise_name  # names as the warehouse versions them (brackets, spaces)

    files = staging.files[staging.files["template"].notna() & ~staging.files["file_key"].isin(not_loading)]
    files = files.assign(department_name=map_values(files["department_name"], normalise_name),
                         project_name=map_values(files["project_name"], normalise_name))
    identity = ["template", "department_name", "fiscal_year", "project_name"]
    rows = []
    for _, group in files.groupby(identity, dropna=False, sort=False):
        if len(group) < 2:
            continue
        paths = list(group.sort_values("file_key")["path"])
        for version, (_, row) in enumerate(group.sort_values("file_key").iterrows(), start=1):
            rows.append({
                "file_key": row["file_key"], "suite": "pipeline", "expectation": "identity_unique_in_run",
                "severity": "warning", "success": False, "observed": f"{len(group)} files", "expected": "1 file",
                "source_cells": "", "message": (f"{len(group)} files in this run have the same identity; they load as "
                                                f"successive versions in path order (this is version {version} of "
                                                f"{len(group)}): " + "; ".join(paths)),
            })
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _load(run: ParsedRun, staging: Staging, quality: pd.DataFrame, statuses: dict[int, str],
          summary: RunSummary, options: IngestOptions) -> pd.DataFrame:
    from budget_etl.warehouse import RunRecord, Warehouse

    files = staging.files.copy()
    files["status"] = files["file_key"].map(statuses)
    files = files[files["status"] != "duplicate"]
    files["received_at"] = [_mtime(p) for p in files["path"]]
    counts = pd.Series(file_statuses(run.results, statuses)).value_counts()  # files, not submissions
    record = RunRecord(
        run_id=run.run_id, started_at=run.started_at, finished_at=datetime.now(timezone.utc),
        files_seen=len(parts_of(run.results)) + len(run.duplicates),
        files_loaded=int(counts.get("loaded", 0)), files_quarantined=int(counts.get("quarantined", 0)),
        files_rejected=int(counts.get("rejected", 0)),
        files_skipped=int(counts.get("duplicate", 0)) + len(run.duplicates),
        report_path=summary.report_path,
    )
    quality = quality[quality["file_key"].isin(set(files["file_key"]))]
    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return wh.load_run(record, files.reset_index(drop=True), staging.for_files(files["file_key"]),
                           quality.reset_index(drop=True))


def _mark_loaded_meanwhile(run: ParsedRun, statuses: dict[int, str], loaded: pd.DataFrame) -> set[int]:
    """Files the load found already loaded by another run (it decides under the writer lock): they, and the
    repeats of them in this run, are ``duplicate``. Returns their keys."""
    if loaded.empty or "status" not in loaded:
        return set()
    late = {int(k) for k in loaded.loc[loaded["status"] == "duplicate", "file_key"]}
    late |= {repeat for repeat, original in run.repeats.items() if original in late}
    for key in late:
        statuses[key] = "duplicate"
    return late


def _mtime(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(fs_path(path)).st_mtime, tz=timezone.utc)
    except OSError:
        return None


def _file_summaries(run: ParsedRun, staging: Staging, quality: pd.DataFrame, statuses: dict[int, str],
                    loaded: pd.DataFrame) -> list[FileSummary]:
    ids = {int(row["file_key"]): row for row in loaded.to_dict("records")} if not loaded.empty else {}
    failed = quality[~quality["success"].astype(bool)]
    # One pass over the failures, not a scan of them per file: that was quadratic in the run's size.
    checks: dict[tuple[int, str], set[str]] = {}
    for key, severity, expectation in zip(failed["file_key"].tolist(), failed["severity"].tolist(),
                                          failed["expectation"].tolist()):
        checks.setdefault((int(key), severity), set()).add(expectation)
    by_key: dict[int, FileSummary] = {}
    for r in run.results:
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
        if status == "quarantined" and not summary.error_code:
            summary.error_code = "quality_failed"
            summary.error_message = "failed: " + ", ".join(summary.failed_checks)
        if r.key in ids and status != "duplicate":
            row = ids[r.key]
            summary.submission_id = row["submission_id"]
            summary.version = None if pd.isna(row.get("version")) else int(row["version"])
        if status == "duplicate":
            twin = ids.get(run.repeats.get(r.key), ids.get(r.key))
            summary.submission_id = None if twin is None else twin["submission_id"]
            summary.version = None
            summary.error_code = None
            summary.error_message = ("the same bytes as another file of this run" if r.key in run.repeats
                                     else "already loaded by another run while this one was parsing")
            summary.failed_checks, summary.warnings = [], []
        by_key[r.key] = summary
    return [file_summary([by_key[key] for key in keys]) for keys in parts_of(run.results).values()]


def parts_of(results: list[FileResult]) -> dict[int, list[int]]:
    """file key -> the keys of the file's submissions, its first one first."""
    parts: dict[int, list[int]] = {}
    for r in sorted(results, key=lambda r: r.key):
        parts.setdefault(r.key if r.part_of is None else r.part_of, []).append(r.key)
    return parts


def file_statuses(results: list[FileResult], statuses: dict[int, str]) -> dict[int, str]:
    return {file: worst_status(statuses[k] for k in keys) for file, keys in parts_of(results).items()}


def _identity_note(parsed, path: str) -> str | None:
    """A form that names no department or year (the real 绩效评价表) is filed under its title: say so."""
    if parsed.attributes.get("identity_from") != "title":
        return None
    missing = [word for word, value in (("department", parsed.department_name), ("year", parsed.fiscal_year))
               if value is None]
    names = " or ".join(missing) or "project"
    return (f"the form names no {names}: filed under its title {parsed.attributes.get('title', '')!r} "
            f"(project {parsed.project_name!r}) and file {Path(path).name!r}")


def _quality_with_paths(quality: pd.DataFrame, run: ParsedRun, loaded: pd.DataFrame) -> pd.DataFrame:
    paths = {r.key: r.path for r in run.results}
    ids = dict(zip(loaded["file_key"], loaded["submission_id"])) if not loaded.empty else {}
    quality = quality.copy()
    quality["path"] = quality["file_key"].map(paths)
    quality["submission_id"] = quality["file_key"].map(ids)
    return quality


def _annotate(summary: RunSummary, options: IngestOptions) -> None:
    """Annotated workbooks for quarantined (and, if asked, warned) files: see flows.annotate."""
    from budget_etl.flows.annotate_run import annotate_run

    annotate_run(summary, reports_dir=Path(options.reports_dir), annotate_warnings=options.annotate_warnings,
                 workers=options.workers, timeout_s=options.timeout_s, memory_mb=options.memory_mb,
                 limits=options.limits)
