"""Where an ingest's CPU goes, process by process and, in the parent, part by part.

    .venv/bin/python benchmarks/cpu_attribution.py DIR [--chunk-files N] [--json-out FILE]

Runs ``run_ingest`` in this process over DIR (sandboxed workers as in a real run; reports, quarantine and
warehouse in a temporary folder) and prints CPU seconds (user + system):

- per process: this parent, the read+parse workers, the annotate workers (started once the last chunk is
  loaded), and any other child (multiprocessing's resource tracker). Children are sampled with psutil every
  ``--interval`` s while alive (a child's last few ms before it exits are missed); the exact total of the
  children, from ``RUSAGE_CHILDREN`` once they are reaped, is printed beside the sampled sum;
- in the parent, by part: each part's own thread's CPU (``time.thread_time``) while it ran, through wrappers
  put around the pipeline's functions (nested parts are shown under their parent part, not subtracted);
  the parent's imports before the run are timed separately (``--cli`` imports what ``budget-etl``'s entry
  point imports first, as the command does).

The wrappers and the sampler cost CPU of their own (the sampler's thread is shown); compare runs of one
harness with each other, and the tree total with ``run.py``'s.
"""
from __future__ import annotations

import argparse
import functools
import json
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from sampling import PeriodicSampler

_CPU: dict[str, float] = defaultdict(float)
_CALLS: dict[str, int] = defaultdict(int)
_LOCK = threading.Lock()
_DEPTH = threading.local()


def _wrap(owner, name: str, label: str) -> None:
    """Add the calling thread's CPU during ``owner.name`` to ``label`` (only the outermost call of a label)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        active = getattr(_DEPTH, "labels", None)
        if active is None:
            active = _DEPTH.labels = set()
        if label in active:  # recursion or re-entry: counted by the outer call
            return original(*args, **kwargs)
        active.add(label)
        started = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent = time.thread_time() - started
            active.discard(label)
            with _LOCK:
                _CPU[label] += spent
                _CALLS[label] += 1

    setattr(owner, name, timed)


def _wrap_generator(owner, name: str, label: str) -> None:
    """Like :func:`_wrap` for a generator: only the CPU spent inside its own steps is counted."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        inner = original(*args, **kwargs)
        while True:
            started = time.thread_time()
            try:
                item = next(inner)
            except StopIteration:
                with _LOCK:
                    _CPU[label] += time.thread_time() - started
                return
            with _LOCK:
                _CPU[label] += time.thread_time() - started
            yield item

    setattr(owner, name, timed)


class ChildSampler(PeriodicSampler):
    """Last seen CPU seconds of every descendant of this process, sampled on a thread."""

    def __init__(self, interval: float):
        import psutil

        super().__init__(interval, name="cpu-sampler")
        self.me = psutil.Process()
        self.children: dict[int, dict] = {}
        self.thread_cpu = 0.0
        self.phase = "parse"  # set to "report" once the run's report stage starts

    def sample(self) -> bool:
        import psutil

        try:
            children = self.me.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            try:
                times = child.cpu_times()
                entry = self.children.get(child.pid)
                if entry is None:
                    cmd = " ".join(child.cmdline())
                    entry = self.children[child.pid] = {
                        "kind": "tracker" if "resource_tracker" in cmd else self.phase, "cpu": 0.0}
                entry["cpu"] = times.user + times.system
            except psutil.Error:
                pass
        self.thread_cpu = time.thread_time()
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--chunk-files", type=int, default=None)
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between samples of the children")
    parser.add_argument("--cli", action="store_true", help="import the CLI module first, as `budget-etl` does")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)

    imports_started = time.process_time()
    if args.cli:
        import budget_etl.flows.cli  # noqa: F401
    from budget_etl.flows import annotate_run as annotate_module
    from budget_etl.flows import chunked_load, chunks, outputs, pipeline, report, sandbox
    from budget_etl.flows.pipeline import IngestOptions, run_ingest
    imports = time.process_time() - imports_started

    from multiprocessing.connection import Connection

    import budget_etl.expectations as expectations
    from budget_etl.expectations import gx_run

    _wrap(pipeline, "plan_run", "plan_run (discover, hash, loaded sha256)")
    _wrap(gx_run, "preload", "import Great Expectations (preload thread)")
    _wrap(Connection, "recv", "recv + unpickle results (main thread)")
    _wrap_generator(chunks.ChunkRouter, "add", "stage each result (ChunkRouter.add)")
    _wrap(sandbox._Supervisor, "_start", "start a worker (parent's side)")
    _wrap(chunked_load.RunLoader, "load", "chunk: all (chunk thread)")
    _wrap(chunked_load, "_validate", "chunk: validate (derived tables, GX, results)")
    _wrap(expectations, "validate", "chunk: validate: expectations.validate")
    _wrap(gx_run, "run_suites", "chunk: validate: GX run_suites")
    _wrap(chunked_load, "_identity_warnings", "chunk: identity warnings")
    _wrap(chunked_load, "_earlier_in_run", "chunk: earlier identities (warehouse query)")
    _wrap(chunked_load, "_stored_target_totals", "chunk: stored target totals")
    _wrap(chunked_load, "_target_reference", "chunk: target reference")
    _wrap(chunked_load.RunLoader, "_load", "chunk: warehouse load")
    _wrap(chunked_load.RunLoader, "_file_summaries", "chunk: file summaries")
    _wrap(chunked_load, "release_free_heap", "chunk: release free heap")
    _wrap(chunked_load.RunLoader, "finish", "finish: all")
    _wrap(outputs, "quarantine_copies", "finish: quarantine copies")
    _wrap(annotate_module, "annotate_run", "finish: annotate (parent's side)")
    _wrap(outputs, "write_report", "finish: write_report")
    _wrap_generator(report, "iter_pages", "finish: write_report: HTML pages")
    _wrap(report, "run_history", "finish: write_report: history")

    sampler = ChildSampler(args.interval)
    original_finish = chunked_load.RunLoader.finish

    def finish(self):
        sampler.phase = "report"  # children started from here on are the annotate workers
        return original_finish(self)

    chunked_load.RunLoader.finish = finish
    with tempfile.TemporaryDirectory(prefix="budget-etl-cpu-") as tmp:
        work = Path(tmp)
        options = IngestOptions(db_path=work / "warehouse.duckdb", reports_dir=work / "reports",
                                quarantine_dir=work / "quarantine")
        if args.chunk_files:
            options.chunk_files = args.chunk_files
        before = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        main_thread = time.thread_time()
        with sampler:
            summary = run_ingest([args.directory], options)
        main_thread = time.thread_time() - main_thread
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    children_exact = kids.ru_utime + kids.ru_stime
    by_kind: dict[str, list[float]] = defaultdict(list)
    for entry in sampler.children.values():
        by_kind[entry["kind"]].append(entry["cpu"])

    rows = [("parent: imports before the run" + (" (CLI)" if args.cli else ""), imports, 1),
            ("parent: the run (all threads)", parent, 1),
            ("parent: main thread", main_thread, 1),
            ("parent: sampler thread (this harness)", sampler.thread_cpu, 1)]
    rows += [(f"parent: {label}", seconds, _CALLS.get(label, 0)) for label, seconds in sorted(_CPU.items())]
    names = {"parse": "read+parse workers", "report": "annotate workers", "tracker": "resource tracker"}
    for kind, values in sorted(by_kind.items()):
        rows.append((f"children: {names.get(kind, kind)} (sampled, {len(values)} processes)", sum(values),
                     len(values)))
    rows.append(("children: all, exact (RUSAGE_CHILDREN)", children_exact, 0))
    rows.append(("tree: parent run + imports + children exact", parent + imports + children_exact, 0))
    counts = {s: summary.count(s) for s in ("loaded", "quarantined", "rejected", "duplicate")}
    print(f"{len(summary.files)} files, {wall:.1f} s wall, {counts}")
    print("stages (wall s): " + ", ".join(f"{k} {v:.2f}" for k, v in summary.timings.items()))
    width = max(len(r[0]) for r in rows)
    for label, seconds, calls in rows:
        print(f"{label:<{width}}  {seconds:8.2f}  {calls or ''}")
    if args.json_out:
        args.json_out.write_text(json.dumps({"wall": wall, "rows": rows, "timings": summary.timings,
                                             "counts": counts}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
