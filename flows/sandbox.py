"""Run untrusted work (reading and parsing outside files) in worker processes that may die.

A hostile file can abort a native parser, eat all memory or loop forever; none of
that may take the run down. ``run_sandboxed`` hands items to ``workers`` long-lived
processes in batches (one task per file would cost more than reading it), each
worker capped by RLIMIT_AS and watched by a per-item deadline. Workers report each
result as soon as it is ready, so when a worker dies or overruns, the parent knows
exactly which item was running: that item gets ``ReadError("worker_crashed")`` or
``ReadError("timeout")``, the worker is replaced, and the rest of its batch is
queued again — every other item still gets its real result.

``concurrent.futures.ProcessPoolExecutor`` is not used on purpose: after one worker
death it raises BrokenProcessPool for every pending task and cannot be reused.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

from budget_etl.parsers.errors import ReadError

_START_TIMEOUT_S = 60.0  # a worker that cannot even start (broken environment) must not hang the run
_STOP_GRACE_S = 2.0
_RETIRE_WAIT_S = 1.0  # an idle worker told to stop normally exits well within this
_CONTEXT = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited threads, locks or memory
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_WATCH_PARENT_S = 0.5  # how often a worker checks that its parent is alive (when PR_SET_PDEATHSIG is missing)
_ORPHANED_EXIT = 70  # a worker that found its parent gone


def run_sandboxed(fn: Callable[[Any], Any], items: Iterable[Any], *, workers: int = 2, timeout_s: float = 30.0,
                  memory_mb: int = 1024, batch_size: int = 16,
                  recycle_after: int | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(index_in_items, fn(item))`` as work completes, in completion order.

    ``fn`` must be a top-level (picklable) function and return a picklable result.
    ``memory_mb`` is what a worker may allocate on top of its size after start-up.
    ``timeout_s`` applies to each item. ``workers=0`` runs inline, unprotected.
    ``recycle_after``: a worker that has done this many items is replaced by a fresh one once its batch is done
    (None: never), so a long run's workers do not grow with it (a worker's heap only ever grows).
    """
    items = list(items)
    if workers <= 0:
        for index, item in enumerate(items):
            yield index, _call(fn, item)
        return
    yield from _Supervisor(fn, items, workers, timeout_s, memory_mb, batch_size, recycle_after).run()


def _call(fn: Callable[[Any], Any], item: Any) -> Any:
    """Exceptions the caller's ``fn`` did not handle become a result, not a dead run."""
    try:
        return fn(item)
    except MemoryError:
        return ReadError("worker_crashed", "the reader ran out of memory on this file")
    except Exception as exc:  # noqa: BLE001 - anything fn lets escape is reported against its item
        return ReadError("worker_crashed", f"the reader failed on this file ({type(exc).__name__}: {exc})")


def _worker_main(conn: Connection, fn: Callable[[Any], Any], memory_mb: int, parent_pid: int) -> None:
    _die_with_parent(parent_pid)  # first: before the memory cap, which a watchdog thread's stack counts against
    _cap_memory(memory_mb)
    _collect_less_often()
    conn.send(("ready", None))
    while True:
        batch = conn.recv()
        if batch is None:
            return
        for index, item in batch:
            result = _call(fn, item)
            try:
                conn.send((index, result))
            except Exception as exc:  # noqa: BLE001 - an unpicklable result is the item's failure
                conn.send((index, ReadError("worker_crashed", f"the result could not be passed back ({exc})")))


def _collect_less_often() -> None:
    """Run the cycle collector about 70 times less often than Python's default (700, 10, 10).

    A worker builds thousands of short-lived objects per file (cells, records) and frees them by reference
    counting; the default thresholds start a collection every 700 allocations, which re-walked the
    worker's surviving objects often enough to cost ~20 % of its CPU (benchmarks/RESULTS.md). Whatever
    imported modules and start-up state exist now are frozen: no collection walks them again. Cyclic
    garbage is still collected, later; the memory cap still holds (RLIMIT_AS, set before this).
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


def _die_with_parent(parent_pid: int) -> None:
    """Never outlive the run: a parent killed with SIGKILL runs no cleanup, and a worker busy on a hostile
    file would not notice the closed pipe until that file is done (or never).

    On Linux the kernel kills the worker when its parent dies (``PR_SET_PDEATHSIG``; note that "parent" is
    the *thread* that started it, which lives until the sandbox stops its workers). Everywhere, a watchdog
    thread also exits the worker once its parent is gone (it is re-parented, so ``getppid`` changes); and a
    parent that died before either was in place is caught by the first check.
    """
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux (no prctl): the watchdog alone
        pass
    if os.getppid() != parent_pid:
        os._exit(_ORPHANED_EXIT)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(_WATCH_PARENT_S)
        if os.getppid() != parent_pid:
            os._exit(_ORPHANED_EXIT)


def _cap_memory(memory_mb: int) -> None:
    try:
        import resource
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = current + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, OSError, ValueError):
        pass  # no RLIMIT_AS on this platform: the time limit still protects the run


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    pending: deque = field(default_factory=deque)  # (index, item) sent and not yet answered
    deadline: float = 0.0
    done: int = 0  # items answered


class _Supervisor:
    def __init__(self, fn, items, workers, timeout_s, memory_mb, batch_size, recycle_after=None):
        self.fn, self.items, self.timeout_s, self.memory_mb = fn, items, timeout_s, memory_mb
        self.recycle_after = recycle_after
        self.retired: list[_Worker] = []  # told to stop after their last batch; reaped without waiting
        # Small runs are split so that every core gets work.
        per_worker = -(-len(items) // max(workers, 1)) if items else 1
        size = max(1, min(batch_size, per_worker))
        indexed = list(enumerate(items))
        self.queue: deque[list] = deque(indexed[i:i + size] for i in range(0, len(indexed), size))
        self.worker_count = min(workers, len(self.queue))
        self.workers: list[_Worker] = []

    def run(self) -> Iterator[tuple[int, Any]]:
        try:
            self.workers = [self._start() for _ in range(self.worker_count)]
            while self.queue or any(w.pending for w in self.workers):
                self._dispatch()
                yield from self._collect()
        finally:
            self._stop_all()

    def _start(self) -> _Worker:
        parent_end, child_end = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_worker_main, args=(child_end, self.fn, self.memory_mb, os.getpid()),
                                   daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end, deadline=time.monotonic() + _START_TIMEOUT_S)

    def _dispatch(self) -> None:
        self._reap()
        for slot, worker in enumerate(self.workers):
            if (self.recycle_after and worker.ready and not worker.pending and self.queue
                    and worker.done >= self.recycle_after):
                self._retire(worker)
                worker = self.workers[slot] = self._start()
            if worker.ready and not worker.pending and self.queue:
                batch = self.queue.popleft()
                worker.pending.extend(batch)
                worker.deadline = time.monotonic() + self.timeout_s
                worker.conn.send(batch)

    def _collect(self) -> Iterator[tuple[int, Any]]:
        busy = [w for w in self.workers if w.pending or not w.ready]
        if not busy:
            return
        wait_s = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_s)
        for slot, worker in enumerate(self.workers):
            if worker not in busy:
                continue
            if worker.conn in ready or worker.process.sentinel in ready:
                yield from self._drain(slot, worker)
            elif time.monotonic() >= worker.deadline:
                yield from self._replace(slot, worker, "timeout",
                                         f"reading took longer than {self.timeout_s:g} s; the reader was stopped")

    def _drain(self, slot: int, worker: _Worker) -> Iterator[tuple[int, Any]]:
        try:
            while worker.conn.poll():
                index, result = worker.conn.recv()
                if index == "ready":
                    worker.ready = True
                    continue
                worker.pending.popleft()  # results come back in the order the batch was sent
                worker.done += 1
                worker.deadline = time.monotonic() + self.timeout_s
                yield index, result
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            code = worker.process.exitcode
            yield from self._replace(slot, worker, "worker_crashed",
                                     f"the reader process died on this file ({_describe_exit(code)})")

    def _replace(self, slot: int, worker: _Worker, code: str, message: str) -> Iterator[tuple[int, Any]]:
        _kill(worker)
        if worker.pending:
            culprit, _ = worker.pending.popleft()
            if worker.pending:
                self.queue.appendleft(list(worker.pending))  # its batch-mates get a fresh worker
            yield culprit, ReadError(code, message)
        elif not worker.ready:
            # A worker that dies before saying ready would die again: fail the run loudly, not forever.
            raise RuntimeError(f"a sandbox worker could not start ({_describe_exit(worker.process.exitcode)})")
        self.workers[slot] = self._start()

    def _retire(self, worker: _Worker) -> None:
        """Ask an idle worker to exit (it has nothing pending) and give it a moment to, before its replacement
        starts: an old worker beside its replacement was one worker's memory more in the tree's peak (seen in a
        10,000-file run). One that takes longer is reaped later, without waiting."""
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(_RETIRE_WAIT_S)
        self.retired.append(worker)

    def _reap(self) -> None:
        for worker in [w for w in self.retired if not w.process.is_alive()]:
            _kill(worker)  # joins the exited process and closes its pipe
            self.retired.remove(worker)

    def _stop_all(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + _STOP_GRACE_S
        for worker in self.workers + self.retired:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            _kill(worker)
        self.retired = []


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.conn.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        import signal
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
