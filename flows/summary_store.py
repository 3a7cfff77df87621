"""A run's per-file summaries kept in a temporary file, not in memory.

Why: the report, ``--json`` and the statuses need one :class:`FileSummary` per file until the run ends, ~1.4 kB
each in memory (the submissions' dicts): 140 MB of a 100,000-file run's parent, growing with every chunk. Here
each is a record in an unnamed temporary file (gone when closed or when the process ends, even on kill -9),
and memory keeps only each record's place and the file's status: ~20 bytes a file.

It is a sequence: iterating reads one record at a time (each a fresh object), in order. **A summary changed
after it was read is not changed in the store until it is assigned back** (``files[i] = summary``); a list of
summaries behaves the same when code follows that rule, so the report, quarantine and annotation code work on
either.
"""
from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from budget_etl.flows.summary import (
    FAILED,
    GENERIC_FILE,
    GENERIC_SHEETS,
    STATUSES,
    CountedFiles,
    FileSummary,
    generic_kind,
)


class FileSummaries(CountedFiles):
    def __init__(self, summaries: Iterable[FileSummary] = ()):
        self._file = tempfile.TemporaryFile(prefix="budget-etl-files-")
        self._end = 0  # where the next record goes
        self._offsets = array("q")  # record i starts here (records appended, never moved)
        self._sizes = array("l")
        self._order: array | None = None  # display position -> record; None: the order they were appended
        #: kept in memory, one byte each: a run's counts are asked for often, and must not read every record
        self._statuses = bytearray()
        self._generic = bytearray()  # the file's flows.summary.generic_kind (listed apart)
        self.extend(summaries)

    # -- writing ----------------------------------------------------------------------
    def append(self, summary: FileSummary) -> None:
        self._offsets.append(self._write(summary))
        self._sizes.append(self._last_size)
        self._statuses.append(STATUSES.index(summary.status))
        self._generic.append(generic_kind(summary))
        if self._order is not None:
            self._order.append(len(self._offsets) - 1)

    def extend(self, summaries: Iterable[FileSummary]) -> None:
        for summary in summaries:
            self.append(summary)

    def __setitem__(self, index: int, summary: FileSummary) -> None:
        """Replace a summary: written as a new record (the old one's bytes stay unused: a run changes few)."""
        record = self._record(index)
        self._offsets[record] = self._write(summary)
        self._sizes[record] = self._last_size
        self._statuses[record] = STATUSES.index(summary.status)
        self._generic[record] = generic_kind(summary)

    def sort_by_path(self) -> None:
        """Order the summaries by path (reads each record's path once)."""
        paths = [summary.path for summary in self._records(range(len(self._offsets)))]
        self._order = array("q", sorted(range(len(paths)), key=paths.__getitem__))

    # -- reading ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> FileSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[FileSummary]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self._records(self._record(i) for i in range(*index.indices(len(self)))))
        return self._read(self._record(index))

    def __iter__(self) -> Iterator[FileSummary]:
        order = range(len(self._offsets)) if self._order is None else self._order
        return self._records(order)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"<FileSummaries of {len(self)} files>"

    def __reduce__(self):
        """Pickled (a Prefect task's result) as the plain list of summaries: an open file does not travel."""
        return list, (list(self),)

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for code, status in enumerate(STATUSES):
            counts[status] = self._statuses.count(code)
        return counts

    def generic_counts(self) -> dict[int, int]:
        """generic kind -> files (:func:`budget_etl.flows.summary.generic_kind`)."""
        return {kind: self._generic.count(kind) for kind in (GENERIC_FILE, GENERIC_SHEETS)}

    def failed_with_generic_sheets(self) -> int:
        """Files quarantined or rejected whose extra sheets loaded as generic tables."""
        failed = {STATUSES.index(status) for status in FAILED}
        return sum(1 for status, kind in zip(self._statuses, self._generic) if kind == GENERIC_SHEETS and status in failed)

    def close(self) -> None:
        self._file.close()

    # -- records ----------------------------------------------------------------------
    def _record(self, index: int) -> int:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("file summary index out of range")
        return index if self._order is None else self._order[index]

    def _write(self, summary: FileSummary) -> int:
        data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        start, self._last_size = self._end, len(data)
        self._end += len(data)
        return start

    def _read(self, record: int) -> FileSummary:
        self._file.seek(self._offsets[record])
        return pickle.loads(self._file.read(self._sizes[record]))

    def _records(self, records: Iterable[int]) -> Iterator[FileSummary]:
        for record in records:
            yield self._read(record)
