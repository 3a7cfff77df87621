"""Keep a long run's parent from holding freed memory (glibc's malloc; elsewhere these do nothing).

A chunk's frames, staging and DuckDB's load are freed once the chunk is committed, but glibc keeps freed
blocks in its heap, and by default raises the size from which it maps blocks on their own (mmap) each time
such a block is freed: a later chunk's large blocks then come from the heap as well, and the heap's free part
grew with the run (12 -> 62 MB over 30 chunks, while the part in use stayed at 90-99 MB; benchmarks/RESULTS.md).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_MMAP_THRESHOLD = -3  # <malloc.h>
#: Blocks from this size up are mapped on their own and returned to the system when freed (glibc's initial
#: value; setting it also stops glibc from raising it).
MMAP_THRESHOLD = 128 * 1024


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only (musl has no malloc_trim)
        return libc
    except (OSError, AttributeError):
        return None


def map_large_blocks() -> bool:
    """Large blocks (a chunk's columns) get mappings of their own for the rest of the process; True if set."""
    libc = _libc()
    return bool(libc and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def release_free_heap() -> bool:
    """Give the heap's free pages back to the system (after a chunk); True if any were."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0))
