"""A run's files in chunks: each chunk is staged, validated and loaded on its own, in one transaction.

Why chunks: holding a whole run's staging and quality rows until one validation and one load made memory grow
~55 MB per 1,000 files. A chunk is ``chunk_files`` consecutive files in key (path) order; a file's further
submissions and the repeats of its bytes belong to the chunk of their own file, so no file is ever split
between two transactions. Chunks are handed out strictly in order, which keeps versions (numbered in file-key
order) the same as in a run loaded at once.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from budget_etl.parsers.records import FileResult  # no pandas: the CLI reads DEFAULT_CHUNK_FILES for --help

if TYPE_CHECKING:
    from budget_etl.flows.pipeline import ParsedRun
    from budget_etl.parsers.staging import Staging, StagingBuilder

#: Files per chunk by default: big enough that Great Expectations' per-call cost stays small against the chunk
#: (~0.1 s of ~1 s), small enough that a chunk's staging and quality rows stay tens of MB.
DEFAULT_CHUNK_FILES = 1000


@dataclass(slots=True)
class Chunk:
    index: int  # 0-based
    files: int  # files of the run in this chunk (each may hold several submissions)
    results: list[FileResult]  # every submission of those files, in key order (headers only when streamed)
    staging: "Staging"
    stage_s: float = 0.0  # seconds building the chunk's staging tables


def chunk_count(run: "ParsedRun", chunk_files: int) -> int:
    """At least one: a run of duplicates only still records its ingest_runs row."""
    return max(1, -(-len(run.results) // chunk_files))


def _builder() -> "StagingBuilder":
    from budget_etl.parsers.staging import StagingBuilder

    return StagingBuilder()


def _header(part: FileResult) -> FileResult:
    """A submission without its records (staged already): what the run keeps of it until its chunk is loaded."""
    if part.parsed is None:
        return part
    return replace(part, parsed=part.parsed.without_records(), issues=[])


class ChunkRouter:
    """Stage each parse result into its chunk as it arrives (keeping only its header) and hand out each chunk,
    in order, as soon as all of its files arrived. Results arrive roughly in key order, so only a chunk or
    two are open at a time."""

    def __init__(self, run: "ParsedRun", chunk_files: int):
        self.run, self.size = run, chunk_files
        self.total = chunk_count(run, chunk_files)
        self.builders: dict[int, "StagingBuilder"] = {}
        self.headers: dict[int, list[FileResult]] = {}
        self.pending = [0] * self.total  # files of each chunk still to arrive
        self.next = 0  # the next chunk to hand out
        self.repeats_of: dict[int, list[int]] = {}
        for repeat, original in run.repeats.items():
            self.repeats_of.setdefault(original, []).append(repeat)
        for result in run.results:
            if result.error_code:  # rejected when hashed: never reaches a worker, staged now
                self._stage(result)
            else:
                self.pending[result.key // self.size] += 1

    def add(self, result: FileResult) -> Iterator[Chunk]:
        """Stage a parsed file and the repeats of its bytes; yield the chunks this completed."""
        planned = self.run.results[result.key]
        # The worker's copies of the path and hash are equal to the planned ones: keep one copy of each, as
        # the run holds them until its end (a file's summary names both).
        result.path = planned.path
        if result.sha256 == planned.sha256:  # not if the file changed between hashing and reading
            result.sha256 = planned.sha256
        for r in self.repeats_of.get(result.key, ()):
            self._stage(replace(result, key=r, path=self.run.results[r].path))  # the same rows, its own keys
            self.pending[r // self.size] -= 1
        self._stage(result)
        self.pending[result.key // self.size] -= 1
        yield from self.ready()

    def ready(self) -> Iterator[Chunk]:
        while self.next < self.total and self.pending[self.next] == 0:
            index = self.next
            self.next += 1
            started = time.perf_counter()
            builder = self.builders.pop(index, None) or _builder()
            staging = builder.build()
            headers = sorted(self.headers.pop(index, []), key=lambda r: r.key)
            yield Chunk(index, self._files_in(index), headers, staging, time.perf_counter() - started)

    def _stage(self, result: FileResult) -> None:
        index = result.key // self.size
        builder = self.builders.get(index) or self.builders.setdefault(index, _builder())
        headers = self.headers.setdefault(index, [])
        for part in self.run.number_parts(result):
            builder.add(part)
            headers.append(_header(part))

    def _files_in(self, index: int) -> int:
        return max(0, min(len(self.run.results), (index + 1) * self.size) - index * self.size)


def chunks_of_parsed(run: "ParsedRun", chunk_files: int) -> Iterator[Chunk]:
    """The chunks of a run whose results are all in memory (parsed by Prefect tasks, already assembled):
    each chunk's staging is built only when it is its turn, so one chunk's tables exist at a time."""
    by_chunk: dict[int, list[FileResult]] = {}
    for result in run.results:
        owner = result.key if result.part_of is None else result.part_of
        by_chunk.setdefault(owner // chunk_files, []).append(result)
    for index in range(chunk_count(run, chunk_files)):
        results = by_chunk.pop(index, [])
        started = time.perf_counter()
        builder = _builder()
        for result in results:
            builder.add(result)
        staging = builder.build()
        files = sum(1 for r in results if r.part_of is None)
        yield Chunk(index, files, [_header(r) for r in results], staging, time.perf_counter() - started)
