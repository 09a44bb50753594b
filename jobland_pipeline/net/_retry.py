"""One retry policy for every outbound call, built on tenacity.

Retried: what may succeed a little later (a :class:`NetError` with ``retryable`` set: 429, 5xx,
timeouts, dropped or refused connections). Not retried: other 4xx, TLS certificate failures and
answers that cannot be right on a second try (malformed JSON, HTML, a body over the cap).

The wait before retry *n* is the server's ``Retry-After`` when it sent one (seconds or an HTTP
date), as sent; otherwise "full jitter": a uniform draw in
``[0, min(backoff_max, backoff_base * 2 ** (n - 1))]``, which spreads the retries of many clients
instead of synchronising them. ``sleep`` and ``rng`` are injectable so tests need not wait.

The time budget, so that no call sleeps longer than a run can afford:

* ``max_wait`` (:data:`MAX_WAIT`, 60 s): the longest wait before one retry. A server asking for more
  (``Retry-After: 100000``) is not waited for at all: the call fails at once and its error says so
  (``HTTP 429; the server asks to wait 100000 s (27.8 h) before a retry (Retry-After), more than the
  60 s a retry may wait; not retried``). The caller's circuit breaker and the next day's run take
  over; waiting less than the server asked would only earn another 429.
* ``budget`` (off by default; the engines' Transport sets 120 s, the LLM client 300 s): the whole
  call, every attempt and wait included. A retry whose wait would end past it is not made, and the
  error says so (``...; a retry in 45 s would end past the 120 s budget of this call; not
  retried``). ``call(deadline=...)`` gives an absolute deadline the same way (the earlier one wins).

So with the defaults a call waits at most 3 x 60 s in the worst case, and never past its budget.
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
    "MAX_WAIT",
    "RetryEvent",
    "RetryPolicy",
    "is_retryable",
    "is_retryable_status",
    "parse_retry_after",
    "seconds_text",
    "status_error",
]

T = TypeVar("T")

MAX_WAIT = 60.0  # the longest wait before one retry; a server asking for longer fails the call at once


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

    ``max_retries`` counts the tries after the first: 3 means at most 4 attempts. ``backoff_max``
    caps the backoff the policy draws itself; ``max_wait`` is the longest wait it accepts from a
    server; ``budget`` (seconds, None = none) bounds the whole call.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_wait: float = MAX_WAIT
    budget: float | None = None
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")
        if self.backoff_base < 0 or self.backoff_max < 0 or self.max_wait < 0:
            raise ValueError("backoff_base, backoff_max and max_wait must not be negative")
        if self.budget is not None and not self.budget > 0:
            raise ValueError("budget must be a positive number of seconds (or None)")

    def backoff(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1 = the first retry).

        A server's ``retry_after`` as sent (over ``max_wait``, :meth:`call` makes no retry at all);
        otherwise full jitter under ``backoff_max`` (and ``max_wait``).
        """
        if retry_after is not None:
            return max(0.0, retry_after)
        ceiling = min(self.backoff_max, self.max_wait, self.backoff_base * (2 ** (retry - 1)))
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
        caller with a time budget is never put to sleep beyond it. A retry refused for its wait (over
        ``max_wait``, or past the deadline or ``budget``) adds why to the raised NetError's message.
        """
        limit, limit_name = self._limit(deadline)
        before_sleep = None
        if on_retry is not None:
            report = on_retry

            def before_sleep(state: tenacity.RetryCallState) -> None:
                report(RetryEvent(state.attempt_number, _error_of(state), state.upcoming_sleep))

        retrying = tenacity.Retrying(
            sleep=self._sleep,
            stop=_Stop(self, limit, limit_name),
            wait=_Backoff(self),
            retry=tenacity.retry_if_exception(retry_if),
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(fn)

    def _limit(self, deadline: float | None) -> tuple[float | None, str]:
        """(the time the call must end by, how to name it): the caller's deadline or the budget."""
        if self.budget is None:
            return deadline, "the deadline"
        ends = time.monotonic() + self.budget
        if deadline is not None and deadline <= ends:
            return deadline, "the deadline"
        return ends, f"the {seconds_text(self.budget)} budget of this call"

    def _sleep(self, seconds: float) -> None:
        self.sleep(float(seconds))  # tenacity passes a float subclass


def seconds_text(seconds: float) -> str:
    """A wait for a message: ``0.5 s``, ``45 s``, ``100000 s (27.8 h)``."""
    if seconds >= 3600:
        return f"{seconds:.0f} s ({seconds / 3600:.1f} h)"
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.2g} s"


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


class _Stop(tenacity.stop.stop_base):
    """tenacity stop strategy: out of retries, a wait over ``max_wait``, or one ending past the limit.

    The last two add their reason to the error's message (the error is what the caller reports).
    """

    def __init__(self, policy: RetryPolicy, limit: float | None, limit_name: str) -> None:
        self.policy = policy
        self.limit = limit
        self.limit_name = limit_name

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        if retry_state.attempt_number > self.policy.max_retries:
            return True
        reason = self._refusal(retry_state.upcoming_sleep)
        if reason is None:
            return False
        error = _error_of(retry_state)
        if isinstance(error, NetError):
            error.message = f"{error.message}; {reason}; not retried"
        return True

    def _refusal(self, wait: float) -> str | None:
        if wait > self.policy.max_wait:  # only a server's Retry-After asks for more (backoff is capped)
            return (
                f"the server asks to wait {seconds_text(wait)} before a retry (Retry-After), "
                f"more than the {seconds_text(self.policy.max_wait)} a retry may wait"
            )
        if self.limit is not None and time.monotonic() + wait >= self.limit:
            return f"a retry in {seconds_text(wait)} would end past {self.limit_name}"
        return None
