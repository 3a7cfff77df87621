"""The inbox folder departments drop submissions into, and what happens to each file after a run.

After a run has *committed* its load, every file it settled leaves the inbox:

    INBOX/processed/   loaded and duplicate files (their facts are in the warehouse, or already were)
    INBOX/failed/      quarantined and rejected files, each with ``<name>.reason.txt`` beside it

Moving only after the commit is what makes a killed run harmless: until then the files stay where they
are, the warehouse is unchanged (one transaction per load), and the next run finds them again. If a run is
killed after the commit but before the moves, the next run sees the same bytes as ``duplicate`` (by sha256)
and moves them to ``processed/`` then. No Prefect here: the flows in ``budget_etl.flows.prefect_flows`` call this.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from budget_etl.flows.files import fs_path, hash_file, path_text
from budget_etl.flows.pipeline import IngestOptions
from budget_etl.flows.quarantine import write_atomically
from budget_etl.flows.stages import REASON_SUFFIX, free_name
from budget_etl.flows.summary import FileSummary, RunSummary
from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import DEFAULT_LIMITS

PROCESSED_DIR = "processed"
FAILED_DIR = "failed"
_DESTINATION = {"loaded": PROCESSED_DIR, "duplicate": PROCESSED_DIR,
                "quarantined": FAILED_DIR, "rejected": FAILED_DIR}
#: A file in the inbox is taken once it has not changed for this long (`serve --settle`): an upload that
#: is still running, or paused, keeps changing it or has changed it just now.
DEFAULT_SETTLE_S = 10.0
_REHASH_TIMEOUT_S = 60.0  # the check before a move re-reads a file the run already hashed within its limits


@dataclass(frozen=True, slots=True)
class Move:
    """One file taken out of the inbox (or left in it, with ``target`` None and the reason in ``note``)."""

    source: str
    status: str
    target: str | None
    reason_path: str | None = None
    note: str = ""


def inbox_folders(inbox: Path) -> tuple[Path, Path]:
    """``processed/`` and ``failed/`` of this inbox: discovery must never look inside them."""
    inbox = Path(inbox)
    return inbox / PROCESSED_DIR, inbox / FAILED_DIR


def inbox_options(inbox: Path, db_path: Path, reports_dir: Path, quarantine_dir: Path,
                  **overrides) -> IngestOptions:
    """The ingest options for one inbox run: the usual ones, with the inbox's own folders excluded."""
    return IngestOptions(db_path=Path(db_path), reports_dir=Path(reports_dir), quarantine_dir=Path(quarantine_dir),
                         exclude_dirs=inbox_folders(inbox), **overrides)


def settle_inbox(summary: RunSummary, inbox: Path) -> list[Move]:
    """Move every file of a committed run out of the inbox, keeping its sub-folder (``a/b.xlsx`` →
    ``processed/a/b.xlsx``). Call it only after the run's load committed.

    A file is left in place (and picked up by the next run) when it vanished, or when its bytes changed
    since they were hashed: a department overwrote it mid-run, so what is on disk now was never ingested.
    """
    inbox = Path(inbox).resolve()
    return [_settle_one(f, summary, inbox) for f in summary.files]


def _settle_one(f: FileSummary, summary: RunSummary, inbox: Path) -> Move:
    given = fs_path(f.path)  # the real name (the summary's path is its lossless text form)
    # The entry itself is moved, never what a symbolic link points at: resolve its folder only.
    source = given.parent.resolve() / given.name
    try:
        relative = source.relative_to(inbox)
    except ValueError:
        return Move(f.path, f.status, None, note="not in the inbox; left where it is")
    if not os.path.lexists(source):
        return Move(f.path, f.status, None, note="gone from the inbox before it could be moved")
    if f.sha256 and not _same_bytes(source, f.sha256):
        return Move(f.path, f.status, None, note="changed while the run read it; the next run ingests it")
    target = free_name(inbox / _DESTINATION[f.status] / relative)
    reason_path = Path(str(target) + REASON_SUFFIX) if _DESTINATION[f.status] == FAILED_DIR else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if reason_path is not None:  # first: a file in failed/ always has its reason beside it
            write_atomically(reason_path, reason_text(f, summary).encode("utf-8"))
        os.replace(source, target)  # same file system: atomic, the file is never in two places or none
    except OSError as exc:  # a full disk, say: the file stays where it is and the next run judges it again
        if reason_path is not None and os.path.lexists(reason_path) and not os.path.lexists(target):
            os.unlink(reason_path)
        return Move(f.path, f.status, None, note=f"could not be moved ({exc.strerror or exc}); the next run "
                                                 "takes it again")
    return Move(f.path, f.status, path_text(target), None if reason_path is None else path_text(reason_path))


def _same_bytes(path: Path, sha256: str) -> bool:
    """Are the file's bytes still the ones the run judged? (Bounded like the run's own hashing.)"""
    try:
        return hash_file(path, DEFAULT_LIMITS.max_file_bytes, _REHASH_TIMEOUT_S)[0] == sha256
    except (OSError, ReadError):  # unreadable, grown too large, or no longer a regular file: not the same
        return False


def reason_text(f: FileSummary, summary: RunSummary) -> str:
    """Why a file is in ``failed/``, in plain words a clerk can act on, with the cells concerned."""
    lines = [f"file: {f.path}", f"status: {f.status}", f"run: {summary.run_id}"]
    if f.sha256:
        lines.append(f"sha256: {f.sha256}")
    if f.error_code:
        lines.append(f"error: {f.error_code}: {f.error_message or ''}".rstrip())
    for row in _failed_checks(f, summary):
        cells, message = _quality_text(row.get("source_cells")), _quality_text(row.get("message"))
        lines.append(f"check failed: {row['expectation']}: {message}" + (f" [{cells}]" if cells else ""))
    if f.quarantine_path:
        lines.append(f"quarantined copy: {f.quarantine_path}")
    if summary.report_path:
        lines.append(f"run report: {summary.report_path}")
    return "\n".join(lines) + "\n"


def _quality_text(value) -> str:
    """A quality cell as text: pandas gives NaN, not None, for a missing message."""
    return value if isinstance(value, str) else ""


def _failed_checks(f: FileSummary, summary: RunSummary) -> list[dict]:
    quality = summary.quality
    if quality is None or quality.empty or "path" not in quality.columns:
        return [{"expectation": name} for name in f.failed_checks]
    mine = quality[(quality["path"] == f.path) & ~quality["success"].astype(bool)
                   & (quality["severity"] == "error")]
    return mine.to_dict("records")
