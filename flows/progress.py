"""Progress for long runs: a one-line bar on a terminal, nothing otherwise.

The pipeline calls ``stage()`` and ``advance()``; what is shown depends on where the output goes. With
``--json`` or when stderr is not a terminal the CLI passes :class:`NoProgress`, so scripts and logs stay clean.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


class NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1, detail: str = "") -> None:
        pass

    def done(self) -> None:
        pass


class TerminalProgress(NoProgress):
    """``[read+parse]  312/2000  15.6%  41 files/s  samples/x.xlsx`` redrawn in place on stderr."""

    def __init__(self, stream: TextIO = sys.stderr, min_interval_s: float = 0.1):
        self.stream = stream
        self.min_interval_s = min_interval_s
        self.name = ""
        self.total: int | None = None
        self.count = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish_line()
        self.name, self.total, self.count = name, total, 0
        self.started = time.monotonic()
        self._draw("", force=True)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.count += n
        self._draw(detail, force=self.total is not None and self.count >= self.total)

    def done(self) -> None:
        self._finish_line()

    def _draw(self, detail: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < self.min_interval_s:
            return
        self._last_draw = now
        elapsed = max(now - self.started, 1e-9)
        if self.total:
            line = (f"[{self.name}] {self.count:>{len(str(self.total))}}/{self.total} "
                    f"{100 * self.count / self.total:5.1f}%  {self.count / elapsed:6.1f} files/s")
        else:
            line = f"[{self.name}] {self.count}"
        if detail:
            line += f"  {detail[-50:]}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._drawn = True

    def _finish_line(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def progress_for(stream: TextIO, *, quiet: bool) -> NoProgress:
    """A terminal bar when ``stream`` is a terminal and output is for a person; otherwise nothing."""
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return NoProgress()
    return TerminalProgress(stream)
