"""The outcome of one ingest run: what the CLI prints, the report renders and --json emits."""
from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import TextIO

import pandas as pd

STATUSES = ("loaded", "quarantined", "rejected", "duplicate")


@dataclass(slots=True)
class FileSummary:
    path: str
    status: str  # one of STATUSES
    sha256: str | None = None
    format: str | None = None
    submission_id: str | None = None
    template: str | None = None
    department_name: str | None = None
    fiscal_year: int | None = None
    project_name: str | None = None
    version: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    failed_checks: list[str] = field(default_factory=list)  # error-severity expectation names
    warnings: list[str] = field(default_factory=list)  # warning-severity expectation names
    quarantine_path: str | None = None
    annotated_path: str | None = None  # the annotated workbook written for the file (flows.annotate)
    #: where the identity came from when the file does not state it (an evaluation form's title)
    identity_note: str | None = None
    sheet: str | None = None  # where the submission's table is (a file may hold several)
    #: a ``generic`` submission: how many tables and entries (data cells) it holds, so a run says what it kept
    generic_tables: int | None = None
    generic_entries: int | None = None
    #: a file's submissions, each as a dict of these fields (one per sheet a family recognised, one for a
    #: workbook family, one ``generic`` for the readable rest, a near-miss sheet rejected on its own);
    #: the file's ``status`` is the worst of theirs
    submissions: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """``dataclasses.asdict(self)``: the same dict of copies, without its per-value dataclass checks and
        deep copies (a run's report and --json convert every file and submission, 20,000 for 10,000 files)."""
        return {name: _plain_copy(getattr(self, name)) for name in _FILE_SUMMARY_FIELDS}


_FILE_SUMMARY_FIELDS = tuple(f.name for f in fields(FileSummary))


def _plain_copy(value):
    """A copy of lists, tuples and dicts all the way down; anything else (text, numbers, None) as it is."""
    if isinstance(value, list):
        return [_plain_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_plain_copy(v) for v in value)
    return value


class CountedFiles(Sequence[FileSummary]):
    """File summaries that keep their own counts, so that a run's counts, asked for often, never read every
    summary: :class:`budget_etl.flows.summary_store.FileSummaries` (on disk). :class:`RunSummary` counts any
    other sequence (a list) by reading it. Declared here, not there, so that this module needs no import of
    the store (which imports this one)."""

    @abstractmethod
    def status_counts(self) -> dict[str, int]:
        """Status -> number of files, every one of :data:`STATUSES` present."""

    @abstractmethod
    def generic_counts(self) -> dict[int, int]:
        """Generic kind (:data:`GENERIC_FILE`, :data:`GENERIC_SHEETS`) -> number of files (:func:`generic_kind`)."""

    @abstractmethod
    def failed_with_generic_sheets(self) -> int:
        """Files quarantined or rejected whose extra sheets loaded as generic tables."""


@dataclass(slots=True)
class RunSummary:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    db_path: str = ""
    report_path: str | None = None
    report_json_path: str | None = None
    data_docs_path: str | None = None
    #: in path order; a run's own summary keeps them on disk (flows.summary_store.FileSummaries): assign a
    #: changed summary back (``files[i] = f``), a summary read from it is a copy
    files: Sequence[FileSummary] = field(default_factory=list)
    #: one row per expectation per file: file_key, submission_id, path, suite, expectation,
    #: severity, success, observed, expected, source_cells, message
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: seconds spent per stage ('discover', 'read_parse', 'stage', 'validate', 'load', 'report'); 'stage',
    #: 'validate' and 'load' summed over the chunks
    timings: dict[str, float] = field(default_factory=dict)
    #: one entry per chunk, in order: ``chunk`` (1-based), ``files``, ``submissions`` and its seconds
    #: (``stage``, ``validate``, ``load``, ``data_docs_wait`` when Data Docs were built); --json: timings.chunks
    chunks: list[dict] = field(default_factory=list)
    #: steps after the commit that failed (a quarantine copy, the report): one line each, with how to redo it
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def counts(self) -> dict[str, int]:
        if isinstance(self.files, CountedFiles):  # kept on disk (flows.summary_store): counted without reading
            return self.files.status_counts()
        counts = dict.fromkeys(STATUSES, 0)
        for f in self.files:
            counts[f.status] += 1
        return counts

    def generic_counts(self) -> dict[int, int]:
        """Generic kind (:data:`GENERIC_FILE`, :data:`GENERIC_SHEETS`) -> number of files, in one pass: what reads
        both counts asks for this once (each property below is a pass of its own over a list of files)."""
        if isinstance(self.files, CountedFiles):
            return self.files.generic_counts()
        counts = dict.fromkeys((GENERIC_FILE, GENERIC_SHEETS), 0)
        for f in self.files:
            kind = generic_kind(f)
            if kind != NOT_GENERIC:
                counts[kind] += 1
        return counts

    @property
    def generic_loaded(self) -> int:
        """Files whose tables no family recognised and that loaded as generic tables (listed apart)."""
        return self.generic_counts()[GENERIC_FILE]

    @property
    def generic_sheets_loaded(self) -> int:
        """Files a family recognised (in part) whose other sheets loaded as generic tables."""
        return self.generic_counts()[GENERIC_SHEETS]

    def failed_with_generic_sheets(self) -> int:
        """Files quarantined or rejected whose extra sheets loaded as generic tables all the same (each sheet is a
        submission gated on its own; the file's status is its worst submission's)."""
        if isinstance(self.files, CountedFiles):
            return self.files.failed_with_generic_sheets()
        return sum(1 for f in self.files if f.status in FAILED and generic_kind(f) == GENERIC_SHEETS)

    def generic_counts_text(self, *, loaded_only: bool = False) -> str:
        """'6 as generic tables, 1 with extra sheets as generic tables' (either part only when there are some);
        ``loaded_only``: of the loaded files only, for the text that stands beside their count."""
        counts = self.generic_counts()
        sheets = counts[GENERIC_SHEETS] - (self.failed_with_generic_sheets() if loaded_only else 0)
        parts = []
        if counts[GENERIC_FILE]:
            parts.append(f"{counts[GENERIC_FILE]} as generic tables")
        if sheets:
            parts.append(f"{sheets} with extra sheets as generic tables")
        return ", ".join(parts)

    @property
    def exit_code(self) -> int:
        """0: all loaded or duplicate; 1: something quarantined or rejected (the rest loaded), or a step after
        the commit failed (the load stands: never the 2 of "nothing loaded")."""
        return 1 if self.count("quarantined") or self.count("rejected") or self.problems else 0

    def to_json(self, *, stream_files: bool = False) -> dict:
        """The run as JSON values; ``stream_files``: ``files`` is :data:`budget_etl.flows.json_stream.STREAMED`,
        for :meth:`write_json` to write one file at a time."""
        from budget_etl.flows.json_stream import STREAMED

        generic = self.generic_counts()
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "db_path": self.db_path,
            "counts": self.counts,
            "generic_loaded": generic[GENERIC_FILE],
            "generic_sheets_loaded": generic[GENERIC_SHEETS],
            "files": STREAMED if stream_files else [f.to_dict() for f in self.files],
            "report_path": self.report_path,
            "report_json_path": self.report_json_path,
            "data_docs_path": self.data_docs_path,
            "timings": {**{k: round(v, 4) for k, v in self.timings.items()}, "chunks": list(self.chunks)},
            "problems": list(self.problems),
        }

    def write_json(self, out: TextIO, doc: dict | None = None, **options) -> None:
        """``json.dump(doc or self.to_json(), out, **options)``, the files encoded one at a time: a large run's
        JSON is never all in memory. ``doc``: from ``to_json(stream_files=True)``, with keys added."""
        from budget_etl.flows.json_stream import dump

        dump(doc if doc is not None else self.to_json(stream_files=True), (f.to_dict() for f in self.files), out,
             **options)



@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the block's wall seconds to ``timings[stage]`` (a stage may run several times: once per chunk)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


#: :func:`generic_kind`: no generic table loaded; a file loaded as generic tables only; a file whose other
#: submissions are a family's (or a near miss rejected) and whose remaining sheets loaded as generic tables.
NOT_GENERIC, GENERIC_FILE, GENERIC_SHEETS = 0, 1, 2


def generic_size(tables: int | None, entries: int | None) -> str:
    """'2 tables, 6 entries' of a generic submission ('' for any other)."""
    if tables is None:
        return ""
    return f"{tables} table{'s' if tables != 1 else ''}, {entries} entr{'ies' if entries != 1 else 'y'}"


def generic_kind(f: FileSummary) -> int:
    """How a file's tables reached the generic tables. Counted apart: a department table with an annex sheet is
    not a file 'no family recognised' (it was counted as one, so a run of family files with annexes said
    'N loaded as generic tables' of files a family did read)."""
    if not any(s["template"] == "generic" and s["status"] == "loaded" for s in f.submissions):
        return NOT_GENERIC
    return GENERIC_FILE if all(s["template"] == "generic" for s in f.submissions) else GENERIC_SHEETS


#: The statuses of a file that did not load (its extra sheets may have, as generic tables).
FAILED = ("quarantined", "rejected")

#: A file's status is its worst submission's.
_WORST_FIRST = ("rejected", "quarantined", "loaded", "duplicate")


def worst_status(statuses: Iterable[str]) -> str:
    return min(statuses, key=_WORST_FIRST.index)


def file_summary(submissions: list[FileSummary]) -> FileSummary:
    """One file's line: its first submission's identity, the worst status of all, each submission listed."""
    first = submissions[0]
    worst = next(s for s in submissions if s.status == worst_status(s.status for s in submissions))
    listed = [replace(s, submissions=[]).to_dict() for s in submissions]
    for entry in listed:
        del entry["submissions"]
    said = first if worst.status == first.status else worst  # the error that decided the file's status
    return replace(first, status=worst.status, error_code=said.error_code, error_message=said.error_message,
                   failed_checks=sorted({c for s in submissions for c in s.failed_checks}),
                   warnings=sorted({w for s in submissions for w in s.warnings}), submissions=listed)
