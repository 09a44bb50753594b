"""One retry policy for every outbound call, built on tenacity.

Retried: what may succeed a little later (a :class:`NetError` with ``retryable`` set: 429, 5xx,
timeouts, dropped or refused connections). Not retried: other 4xx, TLS certificate failures and
answers that cannot be right on a second try (malformed JSON, HTML, a body over the cap).

The wait before retry *n* is the server's ``Retry-After`` when it sent one (seconds or an HTTP
date), capped at ``backoff_max``; otherwise "full jitter": a uniform draw in
``[0, min(backoff_max, backoff_base * 2 ** (n - 1))]``, which spreads the retries of many clients
instead of synchronising them. ``sleep`` and ``rng`` are injectable so tests need not wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

import tenacity

from ._exceptions import NetError, StatusError

__all__ = [
    "RetryEvent",
    "RetryPolicy",
    "is_retryable",
    "is_retryable_status",
    "parse_retry_after",
    "status_error",
]

T = TypeVar("T")


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())


def is_retryable_status(status: int) -> bool:
    """429 (too many requests) and 5xx may go away; any other status will not."""
    return status == 429 or status >= 500


def status_error(status: int, headers: Mapping[str, str] | None = None) -> StatusError:
    """The error for an HTTP error status, with the server's ``Retry-After`` when it is retryable."""
    retryable = is_retryable_status(status)
    retry_after = parse_retry_after((headers or {}).get("Retry-After")) if retryable else None
    return StatusError(f"HTTP {status}", retryable=retryable, status=status, retry_after=retry_after)


def is_retryable(error: BaseException) -> bool:
    """The default retry predicate: a :class:`NetError` that says another try may help."""
    return isinstance(error, NetError) and error.retryable


@dataclass(frozen=True)
class RetryEvent:
    """Passed to ``on_retry`` before each wait: which attempt failed, why, and the wait chosen."""

    attempt: int
    error: BaseException
    delay: float


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, honouring Retry-After (see the module docstring).

    ``max_retries`` counts the tries after the first: 3 means at most 4 attempts.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")
        if self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("backoff_base and backoff_max must not be negative")

    def backoff(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1 = the first retry)."""
        if retry_after is not None:
            return min(self.backoff_max, max(0.0, retry_after))
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (retry - 1)))
        return self.rng.uniform(0, ceiling)

    def call(
        self,
        fn: Callable[[], T],
        *,
        retry_if: Callable[[BaseException], bool] = is_retryable,
        on_retry: Callable[[RetryEvent], None] | None = None,
        deadline: float | None = None,
    ) -> T:
        """``fn()``, tried again while ``retry_if(error)`` holds and retries remain; the last error is raised.

        ``deadline`` (a ``time.monotonic()`` value): no retry whose wait would end past it, so a
        caller with a time budget is never put to sleep beyond it.
        """
        stop: tenacity.stop.stop_base = tenacity.stop_after_attempt(self.max_retries + 1)
        if deadline is not None:
            stop = stop | _StopAtDeadline(deadline)
        before_sleep = None
        if on_retry is not None:
            report = on_retry

            def before_sleep(state: tenacity.RetryCallState) -> None:
                report(RetryEvent(state.attempt_number, _error_of(state), state.upcoming_sleep))

        retrying = tenacity.Retrying(
            sleep=self._sleep,
            stop=stop,
            wait=_Backoff(self),
            retry=tenacity.retry_if_exception(retry_if),
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(fn)

    def _sleep(self, seconds: float) -> None:
        self.sleep(float(seconds))  # tenacity passes a float subclass


def _error_of(state: tenacity.RetryCallState) -> BaseException:
    assert state.outcome is not None
    error = state.outcome.exception()
    assert error is not None
    return error


class _Backoff(tenacity.wait.wait_base):
    """tenacity wait strategy: the policy's Retry-After or full-jitter backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        retry_after = getattr(_error_of(retry_state), "retry_after", None)
        return self.policy.backoff(retry_state.attempt_number, retry_after)


class _StopAtDeadline(tenacity.stop.stop_base):
    """tenacity stop strategy: stop when the coming wait would end past the deadline."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        return time.monotonic() + retry_state.upcoming_sleep >= self.deadline
