"""The plain-Python stages of an ingest run, shared by the CLI and the Prefect flows.

discover → hash → read+parse (sandboxed workers) → stage → validate → decide statuses → load → report.
Each function here is small and side-effect free except where its name says it touches disk.
"""
from __future__ import annotations

import copyreg
import hashlib
import os
import stat
import time
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Iterable

from budget_etl.errors import BudgetEtlError
from budget_etl.flows.files import fit_name, fs_path, not_regular, path_text, read_regular
from budget_etl.parsers.errors import Issue, ReadError
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS, ReadLimits
from budget_etl.parsers.records import BudgetLine, DisclosureLine, FileResult, MeasuredLine, Target, TextItem

#: Beside a quarantined or failed file: why it did not load (``<name>.reason.txt``).
REASON_SUFFIX = ".reason.txt"
# Files a person or a program leaves beside submissions that are never submissions.
_IGNORED_PREFIXES = (".", "~$")
_IGNORED_SUFFIXES = (REASON_SUFFIX, ".tmp", ".part", ".crdownload")


@dataclass(frozen=True, slots=True)
class FileTask:
    """One file to read and parse: what a worker process receives."""

    key: int
    path: str
    sha256: str
    size: int
    limits: ReadLimits = DEFAULT_LIMITS
    template_dirs: tuple[str, ...] = ()  # extra family declarations (--templates DIR)
    generic: bool = True  # tables no family recognises load as generic tables (--no-generic: rejected)


def discover(paths: Iterable[str | os.PathLike], *, exclude_dirs: Iterable[str | os.PathLike] = (),
             unreadable: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Every submission file under ``paths`` (files taken as given, folders recursively), in path order.

    Raises ``path_not_found`` naming the first path that does not exist: a typo must not look like an empty inbox.
    A folder that cannot be listed (permissions) is appended to ``unreadable`` as (folder, reason), so the run
    can say so instead of skipping its files without a word.
    A path that is neither a regular file nor a folder (a FIFO, a device) raises ReadError ``not_regular_file``:
    reading it could block forever, and ignoring it would look like an empty run. Inside folders, such entries
    are listed like any file and rejected when hashed, so a run reports them instead of hanging on them.
    """
    def cannot_list(error: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(error.filename), error.strerror or str(error)))

    excluded = {Path(d).resolve() for d in exclude_dirs}
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise BudgetEtlError("path_not_found", f"no such file or folder: {path}")
        mode = path.stat().st_mode
        if not stat.S_ISDIR(mode):
            if not stat.S_ISREG(mode):
                error = not_regular(path, mode)
                raise ReadError(error.code, f"{path_text(path)} is {error.message}")
            found[path] = None
            continue
        for root, dirs, files in os.walk(path, onerror=cannot_list):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith(_IGNORED_PREFIXES)
                             and (root_path / d).resolve() not in excluded)
            for name in sorted(files):
                if name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES):
                    continue
                found[root_path / name] = None
    return sorted(found, key=lambda p: str(p))


#: Room kept in a name for `` (NNN)`` and a reason file's suffix: both must fit the file system.
_NAME_RESERVE = len(" (999)") + len(REASON_SUFFIX)


def free_name(path: Path) -> Path:
    """path, or ``name (2).ext``, ``name (3).ext`` …, whichever is free together with its reason file:
    a department re-sending ``预算.xlsx`` keeps both copies. A name too long for the file system with
    those suffixes is shortened first, keeping its extension (:func:`budget_etl.flows.files.fit_name`)."""
    path = path.with_name(fit_name(path.name, _NAME_RESERVE))
    candidate, n = path, 1
    while os.path.lexists(candidate) or os.path.lexists(str(candidate) + REASON_SUFFIX):
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


def read_and_parse(task: FileTask) -> FileResult:
    """Read one file into cells and parse it with the best-matching template.

    Runs inside a sandboxed worker process. Never raises: every failure becomes a rejected FileResult
    with a stable error code, so one bad file cannot take the run down.
    """
    # Imported here so the parent process (and `budget-etl --help`) does not pay for the readers.
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.templates import parse_parts, registry_for

    result = FileResult(key=task.key, path=task.path, sha256=task.sha256, size=task.size)
    started = time.perf_counter()
    try:
        if task.size > task.limits.max_file_bytes:
            raise ReadError("too_large", f"the file is {task.size:,} bytes; the limit is {task.limits.max_file_bytes:,}")
        try:
            data = read_regular(fs_path(task.path), task.limits.max_file_bytes)
        except OSError as exc:
            raise ReadError("io_error", f"cannot read the file: {exc.strerror or exc}", transient=True) from None
        # What is judged is what was read here: if the file changed since it was hashed, its record carries
        # the hash of these bytes, so a quarantine copy or an inbox move can tell the bytes apart.
        result.sha256 = hashlib.sha256(data).hexdigest()
        result.size = len(data)
        workbook = read_bytes(data, Path(task.path).name, task.limits)
        result.format = workbook.format
        result.issues = list(workbook.issues)
        result.seconds_read = time.perf_counter() - started
        parse_started = time.perf_counter()
        first, *more = parse_parts(workbook, registry_for(task.template_dirs), generic=task.generic)
        # parse_parts puts the reader's issues on every submission too (for `parse` callers): here they are the
        # file's reader issues already, once; kept on the submissions as well, each was reported twice
        # ('(reader)' and '(parser)') and once more per further submission.
        read_issues = set(result.issues)  # frozen: hashable (a sheet of hidden rows has one per row)
        for part in (first, *more):
            if not isinstance(part, ReadError) and read_issues:
                part.issues = [issue for issue in part.issues if issue not in read_issues]
        result.more = [_part_result(task, result.format, part) for part in more]
        if isinstance(first, ReadError):
            raise first
        result.parsed = first
        result.seconds_parse = time.perf_counter() - parse_started
    except ReadError as exc:
        result.error_code, result.error_message = exc.code, exc.message
    except MemoryError:
        result.error_code, result.error_message = "too_large", "reading the file needed more memory than allowed"
    except RecursionError:
        result.error_code, result.error_message = "corrupt_file", "the file's structure is nested too deeply to read"
    except Exception as exc:  # a bug or an unforeseen layout: reject the file, keep the run going
        result.error_code = "parse_error"
        result.error_message = f"unexpected {type(exc).__name__} while reading: {exc}"
    if result.parsed is None and result.seconds_read == 0.0:
        result.seconds_read = time.perf_counter() - started
    return result


def _part_result(task: FileTask, format: str | None, part) -> FileResult:
    """A further submission of the file (numbered by the parent), or a part of it rejected on its own."""
    result = FileResult(key=-1, path=task.path, sha256=task.sha256, size=task.size, format=format)
    if isinstance(part, ReadError):
        result.error_code, result.error_message = part.code, part.message
    else:
        result.parsed = part
    return result


def rejected_result(task: FileTask, error: ReadError) -> FileResult:
    """The result for a file whose worker crashed or timed out."""
    return FileResult(key=task.key, path=task.path, sha256=task.sha256, size=task.size,
                      error_code=error.code, error_message=error.message)


def _pickle_records_compactly() -> None:
    """Pickle the parsed records as (class, field values): a worker sends back a few hundred per file.

    A frozen, slotted dataclass otherwise pickles through ``dataclasses``' generic state functions, a
    Python loop over ``fields()`` per object, which made unpickling results a visible share of the
    parent's time. Registered on import, so in the parent and in every worker (which imports this
    module to run :func:`read_and_parse`); the objects that come out are equal to those that went in.
    """
    for cls in (BudgetLine, MeasuredLine, Target, TextItem, DisclosureLine, Issue):
        values = attrgetter(*(f.name for f in fields(cls)))
        copyreg.pickle(cls, lambda obj, cls=cls, values=values: (cls, values(obj)))


_pickle_records_compactly()

