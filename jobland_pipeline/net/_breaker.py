"""A circuit breaker any caller can put in front of an endpoint that keeps failing.

Closed: calls go through. ``failures`` consecutive failures open it: calls are refused (``allow()``
is False) for ``cooldown`` seconds, so a dead endpoint costs nothing instead of a timeout per call.
Then it is half-open: exactly one trial call is let through; its success closes the circuit, its
failure opens it again for another cool-down. What counts as a failure is the caller's call: an
endpoint that answers (even badly) works; one that cannot be reached does not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

__all__ = ["CircuitBreaker", "CircuitState"]

CircuitState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Consecutive-failure breaker with one half-open trial call after the cool-down (thread-safe)."""

    def __init__(
        self, failures: int = 3, cooldown: float = 60.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failures_to_open = max(1, int(failures))
        self.cooldown = float(cooldown)
        self._clock = clock
        self._lock = threading.Lock()
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> CircuitState:
        with self._lock:
            if self.opened_at is None:
                return "closed"
            if self._trial or self._clock() - self.opened_at >= self.cooldown:
                return "half_open"
            return "open"

    def allow(self) -> bool:
        """May a call go through now? In half-open state only the first caller gets True."""
        with self._lock:
            if self.opened_at is None:
                return True
            if self._trial or self._clock() - self.opened_at < self.cooldown:
                return False
            self._trial = True  # this caller makes the one trial call
            return True

    def success(self) -> None:
        """The endpoint worked: close the circuit and forget past failures."""
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self._trial = False

    def failure(self) -> None:
        """The endpoint failed: open the circuit at the threshold, or at once after a failed trial."""
        with self._lock:
            self.failures += 1
            if self._trial or self.failures >= self.failures_to_open:
                self.opened_at = self._clock()
            self._trial = False
