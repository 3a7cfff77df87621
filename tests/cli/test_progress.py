"""The terminal progress line: counts, rate and the time left, redrawn in place."""
from __future__ import annotations

import io

import pytest

from budget_etl.flows.progress import TerminalProgress, eta_text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("seconds, text", [(0, "0 s"), (8.4, "8 s"), (245, "4 min 05 s"), (7980, "2 h 13 min")])
def test_eta_reads_as_people_say_it(seconds, text):
    assert eta_text(seconds) == text


def test_the_line_shows_the_time_left_at_the_rate_so_far():
    clock, out = Clock(), io.StringIO()
    progress = TerminalProgress(out, min_interval_s=0, clock=clock)
    progress.stage("read+parse", 100_000)
    clock.now += 50
    progress.advance(2_000, "inbox/a.xlsx")  # 40 files/s: 98,000 left take 2,450 s
    last = out.getvalue().split("\r\x1b[2K")[-1]
    assert last.startswith("[read+parse]   2000/100000   2.0%    40.0 files/s  ETA 40 min 50 s")
    assert last.endswith("inbox/a.xlsx")
    clock.now += 10
    progress.advance(98_000)
    assert "ETA" not in out.getvalue().split("\r\x1b[2K")[-1]  # finished: no time left to show
    progress.done()
    assert out.getvalue().endswith("\n")


def test_chunks_show_under_the_whole_runs_count_and_eta():
    # A run's chunks are validated and loaded while reading goes on: the line keeps the run's count and ETA.
    clock, out = Clock(), io.StringIO()
    progress = TerminalProgress(out, min_interval_s=0, clock=clock)
    progress.stage("read+parse", 100_000)
    clock.now += 50
    progress.advance(2_000)
    progress.chunk(2, 100, "load")
    last = out.getvalue().split("\r\x1b[2K")[-1]
    assert last.startswith("[read+parse]   2000/100000   2.0%    40.0 files/s  ETA 40 min 50 s")
    assert last.endswith("chunk 2/100: load")
    assert out.getvalue().count("\n") == 0  # the same line, redrawn: no new stage
