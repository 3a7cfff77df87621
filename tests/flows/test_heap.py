"""flows.heap: the parent returns freed heap pages after each chunk (memory, issue 18) where glibc allows."""
import sys

import pytest

from budget_etl.flows.heap import map_large_blocks, release_free_heap


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt and malloc_trim")
def test_glibc_takes_both_settings():
    assert map_large_blocks() is True
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # 128 MB in blocks under the threshold: in the heap
    del blocks[::2]  # holes between live blocks: free() alone cannot shrink the heap past them
    assert release_free_heap() is True, "the holes' pages go back to the system"
    del blocks


def test_both_are_harmless_to_call_again():
    map_large_blocks(), map_large_blocks()
    release_free_heap()
