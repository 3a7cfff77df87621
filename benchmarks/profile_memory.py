"""Peak memory per stage of one ingest: ``profile_memory.py DIR [--workers N] [--no-data-docs]``.

Runs the pipeline in this process (workers as in a real run) and samples the RSS of this process and of
its workers every 20 ms, attributing each sample to the stage the pipeline last announced through its
progress hooks. Shows which stage sets the run's peak, and whether it grows with the number of files.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from budget_etl.flows.progress import NoProgress


class StageMemory(NoProgress):
    """A progress sink that records the peak RSS (parent, and parent + workers) of each stage."""

    def __init__(self, interval: float = 0.02):
        self.stage_name = "start"
        self.peaks: dict[str, tuple[int, int]] = {}
        self._me = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def stage(self, name: str, total: int | None = None) -> None:
        self.stage_name = name

    def chunk(self, number: int, total: int, step: str) -> None:
        # Chunks are validated and loaded while reading goes on: their samples count as 'validate'/'load'.
        self.stage_name = step

    def advance(self, n: int = 1, detail: str = "") -> None:
        if self.stage_name in ("validate", "load"):  # back to reading after a chunk
            self.stage_name = "read+parse"

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self, interval: float) -> None:
        while not self._stop.is_set():
            parent = self._me.memory_info().rss
            tree = parent
            for child in self._me.children(recursive=True):
                try:
                    tree += child.memory_info().rss
                except psutil.Error:
                    pass
            old = self.peaks.get(self.stage_name, (0, 0))
            self.peaks[self.stage_name] = (max(old[0], parent), max(old[1], tree))
            self._stop.wait(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-data-docs", action="store_true")
    parser.add_argument("--chunk-files", type=int, default=None, help="files per chunk (default: the pipeline's)")
    args = parser.parse_args(argv)

    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    memory = StageMemory()
    with tempfile.TemporaryDirectory(prefix="budget-etl-memory-") as tmp:
        work = Path(tmp)
        options = IngestOptions(db_path=work / "warehouse.duckdb", reports_dir=work / "reports",
                                quarantine_dir=work / "quarantine", workers=args.workers,
                                data_docs=not args.no_data_docs)
        if args.chunk_files:
            options.chunk_files = args.chunk_files
        started = time.perf_counter()
        summary = run_ingest([args.directory], options, memory)
        seconds = time.perf_counter() - started
    memory.close()
    print(f"{len(summary.files)} files in {seconds:.1f} s: {summary.counts}")
    print(f"{'stage':<12} {'parent MB':>10} {'tree MB':>10}")
    for name, (parent, tree) in memory.peaks.items():
        print(f"{name:<12} {parent / 2**20:>10.0f} {tree / 2**20:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
