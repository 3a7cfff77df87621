"""The parsers' module-level memos: remembered answers kept across sheets and files, never without bound.

A season's files repeat the same texts, styles and families, so the parsers remember what they worked out
(a text's classification, a label's normalised form, a style object) in module-level dicts that live as long
as the worker process. :class:`BoundedMemo` is the one policy they share: at most ``limit`` answers, and when
full it forgets them all before storing the next. Not least-recently-used: a hit stays one plain
``dict.get`` (the lookups are in the parsers' innermost loops, the stores are rare), and the limits are far
above what a season's files need, so a reset is rare and costs only working the answers out again.

Safe on threads without a lock, like the dict it is: a store is one atomic write of the same answer whichever
thread makes it, and a reset racing a store at worst forgets that answer.
"""
from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(dict[K, V]):
    """A dict of remembered answers: read it as a dict, store with :meth:`put`."""

    __slots__ = ("limit",)

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key`` (first forgetting everything when full); returns ``value``."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
