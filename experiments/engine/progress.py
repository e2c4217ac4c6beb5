"""The progress of a batch on stderr: runs done, failures and time left."""

from __future__ import annotations

import math
import sys
import time
from datetime import datetime


class Progress:
    """Runs done, failures and time left, on stderr: a bar on a terminal, else log lines."""

    def __init__(self, total: int, already: int, quiet: bool, stream=None) -> None:
        self.total, self.already = total, already
        self.stream = stream or sys.stderr
        self.bar = not quiet and self.stream.isatty()
        self.t0 = time.monotonic()
        self.first: tuple[float, int] | None = None  # (time, runs finished) at the first result
        self.last = -math.inf
        self.every = 0.1 if self.bar else (30.0 if quiet else 10.0)

    def __call__(self, done: int, failed: int, final: bool = False) -> None:
        now = time.monotonic()
        finished = done + failed
        if self.first is None and finished > self.already:
            self.first = (now, finished)  # the rate is taken from here: pools start slowly
        if not final and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.t0
        left = self.total - finished
        eta = "-"
        if not left:
            eta = "0:00"
        elif self.first is not None and finished > self.first[1]:
            eta = _clock((now - self.first[0]) / (finished - self.first[1]) * left)
        fail = f", {failed} failed" if failed else ""
        if self.bar:
            width = 28
            filled = int(width * (done + failed) / max(1, self.total))
            line = (
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {done + failed}/{self.total} runs"
                f"{fail}  {_clock(elapsed)} elapsed, ETA {eta} "
            )
            print(line, end="\n" if final else "", file=self.stream, flush=True)
        else:
            stamp = datetime.now().strftime("%H:%M:%S")
            print(
                f"{stamp} batch: {done + failed}/{self.total} runs{fail}, "
                f"{_clock(elapsed)} elapsed, ETA {eta}",
                file=self.stream,
                flush=True,
            )


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
