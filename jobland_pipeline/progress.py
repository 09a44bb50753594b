"""A progress line for long CLI work: redrawn in place on a terminal, absent anywhere else.

Where the output is a file or a pipe (CI logs, ``make run > log``), the callers print their plain
lines as before and nothing here writes: a log must not fill with carriage returns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

__all__ = ["ProgressLine", "bar"]

_CLEAR = "\x1b[K"  # erase to the end of the line: a shorter text leaves no tail of the longer one


def bar(done: int, total: int, width: int = 20) -> str:
    """``[#######-------------]`` for ``done`` of ``total`` (an empty bar when the total is unknown)."""
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return "[" + "#" * filled + "-" * (width - filled) + "]"


class ProgressLine:
    """One self-overwriting status line on ``stream`` when it is a terminal (``live`` overrides)."""

    def __init__(self, stream: IO[str], *, every: float = 0.5, live: bool | None = None) -> None:
        self.stream = stream
        self.live = stream.isatty() if live is None else live
        self.every = every
        self.last = 0.0
        self.shown = False
        self._lock = threading.Lock()

    def show(self, text: str, *, force: bool = False) -> None:
        """Redraw the line with ``text`` (at most every ``every`` seconds unless ``force``)."""
        now = time.monotonic()
        if not self.live or (not force and now - self.last < self.every):
            return
        with self._lock:
            self.last = now
            self.stream.write("\r" + text + _CLEAR)
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Erase the line, so the caller's next plain line starts at the left margin."""
        with self._lock:
            if self.live and self.shown:
                self.stream.write("\r" + _CLEAR)
                self.stream.flush()
                self.shown = False

    def done(self, text: str) -> None:
        """Leave ``text`` as the line's final state (a terminal only)."""
        self.show(text, force=True)
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False

    @contextmanager
    def ticking(self, text: Callable[[float], str]) -> Iterator[None]:
        """While the block runs, redraw ``text(seconds elapsed)`` every ``every`` seconds (a thread: the
        block is one blocking call, a Dagster run); erased at the end."""
        if not self.live:
            yield
            return
        started = time.monotonic()
        stop = threading.Event()

        def tick() -> None:
            while True:
                self.show(text(time.monotonic() - started), force=True)
                if stop.wait(self.every):
                    return

        thread = threading.Thread(target=tick, name="progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.clear()
