"""Client-side rate limits: a token bucket (requests per minute) plus a cap on requests in flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Limiter", "RateLimiter"]


class Limiter(Protocol):
    """What a caller needs of a limiter: hold it around one attempt (this process's or a shared one)."""

    def acquire(self) -> None: ...

    def release(self) -> None: ...

    def __enter__(self) -> Limiter: ...

    def __exit__(self, *exc: object) -> None: ...


class RateLimiter:
    """Token bucket (``requests_per_minute``, ``burst`` tokens at most) plus a concurrency semaphore.

    ``acquire()`` blocks until both allow a request; use the limiter as a context manager around one
    attempt, so a retry waits for its own token. ``None`` for either limit means no limit.
    ``clock`` and ``sleep`` are injectable so tests need not wait.
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        max_concurrent: int | None = None,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute is not None and requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive (or None for no limit)")
        if max_concurrent is not None and max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1 (or None for no limit)")
        self.rate = None if requests_per_minute is None else requests_per_minute / 60.0  # tokens per second
        self.capacity = max(1.0, float(burst))
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()
        self._semaphore = threading.BoundedSemaphore(max_concurrent) if max_concurrent else None

    def _take_token(self, rate: float) -> float:
        """Take a token and return 0, or return how long to wait for the next one."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / rate

    def acquire(self) -> None:
        """Block until a request may start (a concurrency slot first, then a token)."""
        if self._semaphore is not None:
            self._semaphore.acquire()
        if self.rate is None:
            return
        try:
            while (wait := self._take_token(self.rate)) > 0:
                self._sleep(wait)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Give the concurrency slot back (tokens are not returned: they measure starts)."""
        if self._semaphore is not None:
            self._semaphore.release()

    def __enter__(self) -> RateLimiter:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
