"""The one network layer of JobLand: every outbound call goes through it.

A leaf package: it imports the standard library, httpx and tenacity, and nothing else of JobLand, so
any part of the project can use it and it can be tested on its own.

- :class:`HttpClient` / :class:`Response`: httpx with explicit timeouts, a body cap, an optional
  deadline for the whole exchange, no automatic redirects, and errors that never hold a URL.
- :class:`RetryPolicy`: the one retry policy (tenacity): exponential backoff with full jitter on what
  may succeed later (429, 5xx, timeouts, connection errors), honouring ``Retry-After``; nothing else
  is retried. Works for any callable (HTTP, an SDK call, SMTP).
- :class:`RateLimiter`: token bucket (requests per minute) plus a cap on requests in flight.
- :class:`SharedRateLimiter`: the same limits shared by every process and machine, kept in Redis.
- :class:`CircuitBreaker`: open after N consecutive failures, one half-open trial after a cool-down.
- :func:`redact`, :func:`register_secret`, :func:`redact_logs`: secrets never reach an error
  message, a ledger row or a log line (the HTTP libraries' loggers are filtered on import).
- :class:`ResponseCache`: content-keyed JSON answers on disk, atomic writes, expiry by stored time.
- :class:`NetError` and its kinds: what went wrong and whether trying again may help.
"""

from ._breaker import CircuitBreaker, CircuitState
from ._cache import ResponseCache, make_cache_key
from ._client import DEFAULT_USER_AGENT, HttpClient, Response
from ._exceptions import (
    CircuitOpen,
    ConnectFailed,
    DeadlineExceeded,
    NetError,
    NetworkError,
    StatusError,
    TimedOut,
    TooLarge,
)
from ._ratelimit import Limiter, RateLimiter
from ._redact import (
    HTTP_LOGGERS,
    REDACTED,
    SECRET_HEADERS,
    header_secrets,
    redact,
    redact_logs,
    register_secret,
)
from ._retry import (
    RetryEvent,
    RetryPolicy,
    is_retryable,
    is_retryable_status,
    parse_retry_after,
    status_error,
)
from ._shared import RedisLike, SharedRateLimiter

__all__ = [
    "DEFAULT_USER_AGENT",
    "HTTP_LOGGERS",
    "REDACTED",
    "SECRET_HEADERS",
    "CircuitBreaker",
    "CircuitOpen",
    "CircuitState",
    "ConnectFailed",
    "DeadlineExceeded",
    "HttpClient",
    "Limiter",
    "NetError",
    "NetworkError",
    "RateLimiter",
    "RedisLike",
    "Response",
    "ResponseCache",
    "RetryEvent",
    "RetryPolicy",
    "SharedRateLimiter",
    "StatusError",
    "TimedOut",
    "TooLarge",
    "header_secrets",
    "is_retryable",
    "is_retryable_status",
    "make_cache_key",
    "parse_retry_after",
    "redact",
    "redact_logs",
    "register_secret",
    "status_error",
]

redact_logs()  # the HTTP libraries print request URLs (with their query strings) in their logs
