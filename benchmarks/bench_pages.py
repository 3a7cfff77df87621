"""The report and the dashboard of a large run: page sizes and headless-Chromium draw times.

    .venv/bin/python benchmarks/bench_pages.py [--files 10000] [--work DIR] [--repeat 3]

Writes a corpus of N files (benchmarks/make_corpus.py: both templates, all formats, 10 % broken), ingests it
into a fresh warehouse (real run: report, annotated workbooks of the quarantined files, no Data Docs), writes the
dashboard, then measures every page: its size, and the wall time of `chromium --headless --screenshot` drawing
it (the median of --repeat), next to the time the same command takes for an empty page (the browser's own
start-up, in every figure); "draw" is the difference, what the page itself costs. Needs Debian's `chromium`
and `fonts-noto-cjk`. The target (issue 17): every page under 5 MB and drawn in under 5 s.
"""
from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LIMIT_BYTES, LIMIT_S = 5 * 1024 * 1024, 5.0


def draw_seconds(chromium: str, url: str, profile: Path, shot: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000",
                               f"--screenshot={shot}", url], capture_output=True, timeout=300, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0 or not shot.exists():
            raise RuntimeError(f"chromium failed on {url}: {done.stderr.decode(errors='replace')[-500:]}")
        shot.unlink()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpus, warehouse and pages here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: chromium is not installed (apt-get install -y chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    from budget_etl.flows.dashboard import write_dashboard
    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-pages-"))
    corpus = work / "corpus"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(args.files), str(corpus),
                        "--jobs", "2"], check=True, stdout=subprocess.DEVNULL)
    for old in ("w.duckdb", "reports", "quarantine", "dash"):
        target = work / old
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    started = time.perf_counter()
    summary = run_ingest([corpus], IngestOptions(db_path=work / "w.duckdb", reports_dir=work / "reports",
                                                 quarantine_dir=work / "quarantine", data_docs=False))
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    dashboard = write_dashboard(work / "w.duckdb", work / "dash")
    dashboard_s = time.perf_counter() - started
    pages = sorted(Path(summary.report_path).parent.glob("*.html")) + [dashboard]

    blank = work / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    profile, shot = work / "chromium-profile", work / "shot.png"
    baseline = draw_seconds(chromium, blank.as_uri(), profile, shot, args.repeat)
    counts = summary.counts
    annotated = sum(1 for f in summary.files if f.annotated_path)
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"CPython {platform.python_version()}, {version}")
    print(f"# {len(summary.files)} files: {counts}; {annotated} annotated workbooks; ingest {ingest_s:.1f} s "
          f"(report stage {summary.timings.get('report', 0):.1f} s); dashboard written in {dashboard_s:.1f} s")
    print(f"# chromium --headless --screenshot of an empty page: {baseline:.2f} s (median of {args.repeat})")
    print(f"{'page':<22} {'bytes':>12} {'wall s':>8} {'draw s':>8}  ok (draw = wall - empty page)")
    worst = 0
    for page in pages:
        size = page.stat().st_size
        seconds = draw_seconds(chromium, page.as_uri(), profile, shot, args.repeat)
        drawing = max(seconds - baseline, 0.0)
        ok = size < LIMIT_BYTES and drawing < LIMIT_S
        worst += not ok
        print(f"{page.name:<22} {size:>12,} {seconds:>8.2f} {drawing:>8.2f}  {'yes' if ok else 'NO'}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
