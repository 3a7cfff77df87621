"""One ingest run, end to end, as plain Python: the library behind `budget-etl ingest` and the Prefect flow.

    discover → hash → skip duplicates → read+parse (sandboxed, parallel) → per chunk of files: stage →
    validate (GX, once per table per chunk) → decide statuses → load (one transaction) → quarantine copies → report

The guarantee is per chunk (``chunk_files`` files in path order, 1,000 by default; a run of fewer files is one
chunk, all or nothing as before). Each chunk is one transaction: nothing is half-loaded, a file's facts reach
the warehouse only when every error-severity expectation passed for it, and a file's submissions are never split
between chunks. A run killed mid-way (kill -9, power cut) leaves its earlier chunks committed (their
``ingest_runs`` row counts them) and nothing of the chunk it was in; the next run over the same files finds the
committed ones ``duplicate`` and loads the rest. The report and the quarantine copies are written once the last
chunk committed, and cover the whole run. Memory stays flat in the number of files: a chunk's staging and
quality rows are dropped once it is loaded; the run keeps one summary per file and the failed checks.
"""
from __future__ import annotations

import os
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from budget_etl.flows import chunked_load
from budget_etl.flows.chunk_thread import ChunkThread
from budget_etl.flows.chunked_load import RunLoader
from budget_etl.flows.chunks import DEFAULT_CHUNK_FILES, Chunk, ChunkRouter, chunk_count, chunks_of_parsed
from budget_etl.flows.files import StillChanging, hash_file, path_text
from budget_etl.flows.outputs import check_output_dirs
from budget_etl.flows.progress import NoProgress
from budget_etl.flows.stages import FileTask, discover, read_and_parse, rejected_result
from budget_etl.flows.summary import FileSummary, RunSummary, timed
from budget_etl.flows.temp_dir import check_temp_dir
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits
from budget_etl.parsers.staging import FileResult
from budget_etl.parsers.templates.registry import registry_for

#: Files a sandbox worker reads before a fresh process replaces it. A worker's heap only grows as it reads
#: (37 -> 79 MB over 15,000 files each in a 30,000-file run), which made a long run's memory grow with its
#: length; a worker's start costs ~0.3 s of CPU, ~1 % of reading 2,000 files (benchmarks/RESULTS.md).
WORKER_FILES = 2000


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
    chunk_files: int = DEFAULT_CHUNK_FILES  # files validated and loaded together, in one transaction (--chunk-files)


@dataclass(slots=True)
class ParsedRun:
    """What the parse half of a run produced; the load half consumes it."""

    run_id: str
    started_at: datetime
    results: list[FileResult]  # one per file to process, in key order
    duplicates: list[FileSummary]  # files already loaded (same sha256), nothing to do
    repeats: dict[int, int] = field(default_factory=dict)  # key -> key of the same bytes earlier in this run
    timings: dict[str, float] = field(default_factory=dict)
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


def run_ingest(paths: Iterable[str | os.PathLike], options: IngestOptions | None = None,
               progress: NoProgress | None = None) -> RunSummary:
    """Ingest files and folders; returns the run's summary.

    Files are validated and loaded in chunks of ``options.chunk_files`` while the rest are still read and
    parsed (see the module's docstring for what a chunk guarantees). Raises when nothing could be loaded (a
    missing path, a warehouse locked longer than ``lock_wait_s``: then nothing changed), or when a chunk could not
    be loaded: then the chunks before it stay committed, and the next run over the same files loads the rest.
    """
    options = options or IngestOptions()
    progress = progress or NoProgress()
    registry_for(options.template_dirs)  # a broken declaration stops the run before anything is read
    run, tasks = plan_run(paths, options, progress)
    router = ChunkRouter(run, options.chunk_files)
    loader = RunLoader(run, options, progress, router.total)
    preloading = None
    if tasks and options.workers != 0:
        import budget_etl.flows.sandbox  # noqa: F401 - the main thread's last import before the preload thread starts

        preloading = _preload_quality_gate()

    def load(chunk: Chunk) -> None:
        """Validate and load one chunk (on the chunk thread)."""
        nonlocal preloading
        if preloading is not None:  # the load half imports freely from here on, never alongside this thread
            with timed(loader.summary.timings, "gx_import_wait"):  # what the parsing did not hide (small runs)
                preloading.join()
            preloading = None
        loader.load(chunk)

    # Chunks are validated and loaded on a thread of their own, while this one keeps the workers reading.
    loading = ChunkThread(load)
    try:
        started = time.perf_counter()
        loading.put(router.ready())  # chunks of files rejected when hashed
        progress.stage("read+parse", len(tasks))
        for task, result in _parse_tasks(tasks, options):
            run.timings["read"] = run.timings.get("read", 0.0) + result.seconds_read
            run.timings["parse"] = run.timings.get("parse", 0.0) + result.seconds_parse
            progress.advance(1, task.path)
            loading.put(router.add(result))
        loading.put(router.ready())
        # Wall seconds until the last file was read and parsed; the chunks validated and loaded meanwhile overlap
        # them ('validate', 'load' are those chunks' own seconds, on the chunk thread).
        run.timings["read_parse"] = time.perf_counter() - started
    except BaseException:
        loading.abandon()
        raise
    loading.finish()
    loader.summary.timings.update(run.timings)
    return loader.finish()


def parse_files(paths: Iterable[str | os.PathLike], options: IngestOptions, progress: NoProgress) -> ParsedRun:
    """The parse half: discover, hash, skip what is already loaded, read and parse the rest in workers.

    Every parsed result is kept for :func:`load_parsed` (which loads it in chunks): memory grows with the run.
    :func:`run_ingest` streams instead, loading each chunk as soon as its files are parsed."""
    run, tasks = plan_run(paths, options, progress)
    with timed(run.timings, "read_parse"):
        progress.stage("read+parse", len(tasks))
        results = []
        for task, result in _parse_tasks(tasks, options):
            results.append(result)
            progress.advance(1, task.path)
        assemble(run, results)
    return run


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
    with timed(run.timings, "discover"):
        check_output_dirs(options.reports_dir, options.quarantine_dir)  # a post-commit failure costs more
        check_temp_dir()  # the run's file summaries are kept in a temporary file
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


def assemble(run: ParsedRun, results: Iterable[FileResult]) -> ParsedRun:
    """Put parsed results in their place in the run: each further submission of a file gets a key of its own,
    and files repeated in the run share their twin's result."""
    by_key = {r.key: r for r in run.results}
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
                                       memory_mb=options.memory_mb, batch_size=options.batch_size,
                                       recycle_after=WORKER_FILES):
        task = tasks[index]
        if isinstance(result, ReadError):  # the worker crashed or timed out on this file
            result = rejected_result(task, result)
        yield task, result


def _loaded_sha256(options: IngestOptions, digests: list[str]) -> dict[str, str]:
    from budget_etl.warehouse import Warehouse

    with Warehouse(options.db_path, lock_wait_s=options.lock_wait_s) as wh:
        return wh.loaded_sha256(digests)


def load_parsed(run: ParsedRun, options: IngestOptions, progress: NoProgress) -> RunSummary:
    """The load half of a run parsed as a whole (:func:`parse_files`, the Prefect flow): stage, validate, decide
    statuses and load one chunk at a time (one transaction each), then quarantine and report."""
    loader = RunLoader(run, options, progress, chunk_count(run, options.chunk_files))
    progress.stage("validate+load", loader.chunks)
    for chunk in chunks_of_parsed(run, options.chunk_files):
        loader.load(chunk)
        progress.advance(1)
    return loader.finish()


# Kept here too: the Prefect flow and the tests use them with a run's results.
parts_of = chunked_load.parts_of
file_statuses = chunked_load.file_statuses
