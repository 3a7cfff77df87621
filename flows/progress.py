"""Progress for long runs: a one-line bar on a terminal, nothing otherwise.

The pipeline calls ``stage()`` and ``advance()``; what is shown depends on where the output goes. With
``--json`` or when stderr is not a terminal the CLI passes :class:`NoProgress`, so scripts and logs stay clean.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1, detail: str = "") -> None:
        pass

    def chunk(self, number: int, total: int, step: str) -> None:
        """Chunk ``number`` of ``total`` is at ``step`` ('validate', 'load'); the current stage goes on."""

    def done(self) -> None:
        pass


def eta_text(seconds: float) -> str:
    """Time left as people read it: '8 s', '4 min 05 s', '2 h 13 min'."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class TerminalProgress(NoProgress):
    """``[read+parse]  312/2000  15.6%  41 files/s  ETA 41 s  samples/x.xlsx`` redrawn in place on stderr.

    The ETA is the files left at the stage's average rate so far: on a 100,000-file run that is what a
    person waiting wants to know (the rate of the last few files jumps with each file's size)."""

    def __init__(self, stream: TextIO = sys.stderr, min_interval_s: float = 0.1,
                 clock=time.monotonic):
        self.stream = stream
        self.min_interval_s = min_interval_s
        self.clock = clock
        self.name = ""
        self.total: int | None = None
        self.count = 0
        self.started = clock()
        self._last_draw = 0.0
        self._drawn = False
        # Chunks report their steps from the thread that loads them, files from the main thread: one line at a time.
        self._lock = threading.RLock()

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish_line()
        self.name, self.total, self.count = name, total, 0
        self.started = self.clock()
        self._draw("", force=True)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.count += n
        self._draw(detail, force=self.total is not None and self.count >= self.total)

    def chunk(self, number: int, total: int, step: str) -> None:
        # Shown as the line's detail, not as a stage of its own: a new stage would restart the count and the ETA
        # of the read+parse stage, which covers the whole run while chunks are validated and loaded under it.
        if total > 1:
            self._draw(f"chunk {number}/{total}: {step}", force=True)

    def done(self) -> None:
        self._finish_line()

    def _draw(self, detail: str, force: bool = False) -> None:
        with self._lock:
            self._draw_locked(detail, force)

    def _draw_locked(self, detail: str, force: bool) -> None:
        now = self.clock()
        if not force and now - self._last_draw < self.min_interval_s:
            return
        self._last_draw = now
        elapsed = max(now - self.started, 1e-9)
        if self.total:
            rate = self.count / elapsed
            line = (f"[{self.name}] {self.count:>{len(str(self.total))}}/{self.total} "
                    f"{100 * self.count / self.total:5.1f}%  {rate:6.1f} files/s")
            if 0 < self.count < self.total:
                line += f"  ETA {eta_text((self.total - self.count) / rate)}"
        else:
            line = f"[{self.name}] {self.count}"
        if detail:
            from budget_etl.flows.visible import visible  # a file name's newline or ESC must not redraw the screen

            line += f"  {visible(detail)[-50:]}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._drawn = True

    def _finish_line(self) -> None:
        with self._lock:
            self._finish_line_locked()

    def _finish_line_locked(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def progress_for(stream: TextIO, *, quiet: bool) -> NoProgress:
    """A terminal bar when ``stream`` is a terminal and output is for a person; otherwise nothing."""
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return NoProgress()
    return TerminalProgress(stream)
