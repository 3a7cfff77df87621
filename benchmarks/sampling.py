"""A sampler that calls its ``sample`` every ``interval`` seconds on a thread of its own, while in a ``with``."""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod


class PeriodicSampler(ABC):
    """``with Sampler(...) as s:`` samples until the block ends; ``sample`` returning False stops it early
    (what it samples is gone). ``begin`` runs once on the thread before the first sample."""

    def __init__(self, interval: float, name: str = "sampler"):
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def begin(self) -> bool:
        return True

    @abstractmethod
    def sample(self) -> bool:
        """Take one sample; False when what is sampled is gone (the sampling stops)."""

    def _loop(self) -> None:
        if not self.begin():
            return
        while not self._stop.is_set():
            if self.sample() is False:
                return
            self._stop.wait(self.interval)
