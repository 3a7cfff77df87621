"""Validate and load a run's chunks on a thread of their own while the main thread keeps the readers busy.

Why a thread: the sandboxed workers get their next batch of files only from the main thread. When it
validated and loaded each chunk itself (1-2 s of Great Expectations, pandas and DuckDB per 1,000 files), both
workers sat idle meanwhile: a 10,000-file run spent ~17 s with one of its two cores unused. On this thread the
main thread goes on handing out batches and staging results (it waits on the workers' pipes most of the time),
so the chunk's work overlaps the reading of the next chunk's files.

What stays as it was: chunks are loaded one at a time, strictly in order, each in its own transaction; at most
one finished chunk waits for this thread (the main thread blocks on a second one, so memory stays bounded);
a chunk that fails to load stops the run (no later chunk is loaded) and its exception is raised in the main
thread; when the main thread fails (an interrupt, a broken worker pool), the chunk being loaded finishes its
transaction and nothing after it starts.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable

from budget_etl.flows.chunks import Chunk

_DONE = object()
_POLL_S = 0.1  # how often a blocked hand-off looks whether the thread died


class ChunkThread:
    """``put`` chunks in order (blocks while one already waits), then ``finish`` (or ``abandon`` on failure)."""

    def __init__(self, load: Callable[[Chunk], None]):
        self._load = load
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="load-chunks", daemon=True)
        self._thread.start()

    def put(self, chunks: Iterable[Chunk]) -> None:
        """Hand these chunks over, in order; raises the exception a chunk's load raised, if any did."""
        for chunk in chunks:
            self._hand_over(chunk)
        self._raise_if_failed()

    def finish(self) -> None:
        """Wait until every chunk handed over is loaded; raises the exception a chunk's load raised."""
        self._hand_over(_DONE)
        self._thread.join()
        self._raise_if_failed()

    def abandon(self) -> None:
        """The run failed elsewhere: load no further chunk, let the one in progress finish, wait for it."""
        self._stopping = True
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        self._queue.put(_DONE)  # the queue was emptied above and only this thread puts
        self._thread.join()

    def _hand_over(self, item: object) -> None:
        while True:
            self._raise_if_failed()
            if not self._thread.is_alive():  # it stopped on a failure: nobody will take the item
                return
            try:
                self._queue.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                continue

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _DONE or self._stopping:
                return
            try:
                self._load(item)  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - raised again in the main thread
                self._error = exc
                return
