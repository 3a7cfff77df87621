"""Quarantine copies: each quarantined file copied, with a reason file, to ``<quarantine>/<run_id>/``.

They are written after the load committed, so they must be safe and repeatable:

* **what is copied is what was judged**: the copy is hashed as it is written and kept only when its sha256
  is the one the run recorded for the file; a file that changed since is not copied (its reason file says
  so), so a quarantine folder never shows bytes that were not judged;
* **names fit**: an over-long name is shortened keeping its extension plus a hash (``free_name``);
* **repeatable**: ``budget-etl report RUN`` calls :func:`restore_copies`, which re-creates any copy or reason
  file that is missing, from the file if it still holds the judged bytes.

Nothing here raises for one file: a failure becomes a problem line the caller reports.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd

from budget_etl.flows.files import fs_path, open_regular, path_text
from budget_etl.flows.report import failed_by_path, reason_file_text
from budget_etl.flows.stages import REASON_SUFFIX, free_name
from budget_etl.flows.summary import FileSummary, RunSummary
from budget_etl.parsers.errors import ReadError

_CHUNK = 1 << 20


class ChangedSinceJudged(Exception):
    """The file on disk no longer holds the bytes the run judged."""


def quarantine_copies(summary: RunSummary, quarantine_dir: Path) -> list[str]:
    """Copy every quarantined file of the run that has no copy yet; returns the problems (one line each).

    Sets ``quarantine_path`` on each file copied (assigned back into ``summary.files``).
    """
    quarantined = [(i, f) for i, f in enumerate(summary.files) if _quarantined(f)]
    if not quarantined:
        return []
    quality = summary.quality
    if quality is not None and not quality.empty and "path" in quality.columns:
        # Sorted and split once: pandas per file cost ~2.5 ms a reason file.
        rows_of = failed_by_path(quality[quality["path"].isin({f.path for _, f in quarantined})])
    else:
        rows_of = {}
    target = Path(quarantine_dir) / summary.run_id
    problems = []
    for i, f in quarantined:
        rows = rows_of.get(f.path, [])
        try:
            _copy_one(f, rows, target)
        except (OSError, ReadError, ChangedSinceJudged) as exc:
            problems.append(f"quarantine copy of {f.path} not written ({_why(exc)}); re-create it with "
                            f"`budget-etl report {summary.run_id} --quarantine {path_text(quarantine_dir)}`")
        # Assigned back either way: a copy made before its reason file failed is still named (a run's files are
        # copies when read, flows.summary_store).
        summary.files[i] = f  # type: ignore[index]
    return problems


def restore_copies(summary: RunSummary, quarantine_dir: Path) -> list[str]:
    """Re-create the missing quarantine copies (and reason files) of a past run; returns the problems."""
    positions, missing_files = [], []
    for i, f in enumerate(summary.files):
        if not _quarantined(f):
            continue
        if f.quarantine_path:
            copy = fs_path(f.quarantine_path)
            if copy.exists() and Path(str(copy) + REASON_SUFFIX).exists():
                continue
            if copy.exists():
                _write_reason(copy, f, pd.DataFrame())
                continue
            f.quarantine_path = None  # gone: copy it again below
        positions.append(i)
        missing_files.append(f)
    missing = RunSummary(run_id=summary.run_id, started_at=summary.started_at, quality=summary.quality,
                         files=missing_files)
    problems = quarantine_copies(missing, quarantine_dir)
    for i, f in zip(positions, missing_files):  # copied or not, each is assigned back (a copy when read)
        summary.files[i] = f  # type: ignore[index]
    return problems


def _quarantined(f: FileSummary) -> bool:
    """The file, or one of its submissions, was quarantined: the file is copied."""
    return f.status == "quarantined" or any(s.get("status") == "quarantined" for s in f.submissions)


def _copy_one(f: FileSummary, rows: list[dict], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    dest = free_name(target / fs_path(f.path).name)
    copy_if_unchanged(fs_path(f.path), f.sha256, dest)
    f.quarantine_path = path_text(dest)
    _write_reason(dest, f, rows)


def _write_reason(copy: Path, f: FileSummary, rows: pd.DataFrame | list[dict]) -> None:
    """Written beside the copy through a temporary name, so a half-written reason file never stays."""
    write_atomically(Path(str(copy) + REASON_SUFFIX), reason_file_text(f, rows).encode("utf-8"))


def copy_if_unchanged(source: Path, sha256: str | None, dest: Path) -> None:
    """Copy ``source`` to ``dest`` only if its bytes hash to ``sha256``; never leaves a partial ``dest``."""
    fd, _ = open_regular(source)
    with os.fdopen(fd, "rb") as src:
        tmp = _temporary_beside(dest)
        try:
            digest = hashlib.sha256()
            with open(tmp, "wb") as out:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if sha256 and digest.hexdigest() != sha256:
                raise ChangedSinceJudged("the file changed after the run judged it (sha256 "
                                         f"{digest.hexdigest()[:12]}…, judged {sha256[:12]}…)")
            os.replace(tmp, dest)
        except BaseException:
            _unlink_quietly(tmp)
            raise


def write_atomically(dest: Path, data: bytes) -> None:
    """``dest`` holds ``data`` whole, or is untouched: written under a temporary name, then renamed."""
    tmp = _temporary_beside(dest)
    try:
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, dest)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _temporary_beside(dest: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=".part-", dir=dest.parent)
    os.close(fd)
    return Path(name)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return getattr(exc, "message", None) or str(exc)
