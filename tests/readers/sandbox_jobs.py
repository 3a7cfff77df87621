"""Top-level job functions for the sandbox tests (workers import them by name)."""
from __future__ import annotations

import ctypes
import os
import time


def misbehave(item: str) -> str:
    """Behave as named: 'ok-N' returns, the others die, hang, exhaust memory or raise."""
    if item == "abort":
        os.abort()
    if item == "segfault":
        ctypes.string_at(0)
    if item == "exit":
        os._exit(3)
    if item == "hang":
        time.sleep(3600)
    if item == "oom":
        hog = bytearray(8 * 1024 ** 3)  # 8 GiB: far over the cap
        return str(len(hog))
    if item == "raise":
        raise ValueError("a bug in fn")
    return f"done:{item}:{os.getpid()}"


def read_fixture(path: str):
    """What the pipeline's fn does: open a file, read it, return the Workbook or the ReadError."""
    from budget_etl.parsers.errors import ReadError
    from budget_etl.parsers.readers import read_bytes
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return read_bytes(data, os.path.basename(path))
    except ReadError as exc:
        return exc


def mark_then_hang(mark: str) -> str:
    """Say "I am inside my item" (my pid in the file ``mark``), then stay busy: a worker mid-file."""
    with open(mark + ".tmp", "w") as fh:
        fh.write(str(os.getpid()))
    os.replace(mark + ".tmp", mark)  # whole, or not there: the test reads it as soon as it appears
    time.sleep(3600)
    return mark


def collector_settings(_item: str) -> tuple:
    """The worker's cycle-collector thresholds and how many objects it has frozen."""
    import gc
    return gc.get_threshold(), gc.get_freeze_count()
