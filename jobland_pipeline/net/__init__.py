"""The one network layer of JobLand: every outbound call goes through it.

A leaf package: it imports the standard library, httpx and tenacity, and nothing else of JobLand, so
any part of the project can use it and it can be tested on its own.

- :class:`HttpClient` / :class:`Response`: httpx with explicit timeouts, a body cap counted on the
  decompressed bytes (a gzip bomb stops at the cap), an optional deadline for the whole exchange,
  redirects only when asked for and then each checked (:func:`redirect_refusal`: same host, never an
  internal address), and errors that never hold a URL.
- :func:`blocked_kind`: why an IP address is not public (loopback, private, link-local, cloud
  metadata...), shared by the CV download and the API clients' redirect checks.
- :class:`RetryPolicy`: the one retry policy (tenacity): exponential backoff with full jitter on what
  may succeed later (429, 5xx, timeouts, connection errors), honouring ``Retry-After`` up to
  ``max_wait`` (60 s) and failing at once, naming the wait, when a server asks for longer; an optional
  ``budget`` bounds the whole call; nothing else is retried. Works for any callable (HTTP, an SDK
  call, SMTP).
- :class:`RateLimiter`: token bucket (requests per minute) plus a cap on requests in flight.
- :class:`SharedRateLimiter`: the same limits shared by every process and machine, kept in Redis.
- :class:`CircuitBreaker`: open after N consecutive failures, one half-open trial after a cool-down.
- :func:`redact`, :func:`register_secret`, :func:`redact_logs`: secrets never reach an error
  message, a ledger row or a log line (the HTTP libraries' loggers are filtered on import).
- :class:`ResponseCache`: content-keyed JSON answers on disk, atomic writes, expiry by stored time.
- :class:`NetError` and its kinds: what went wrong and whether trying again may help.
"""

from ._address import blocked_kind, host_port, redirect_refusal
from ._breaker import CircuitBreaker, CircuitState
from ._cache import ResponseCache, make_cache_key
from ._client import DEFAULT_USER_AGENT, REDIRECT_STATUSES, HttpClient, Response
from ._decode import ACCEPT_ENCODING
from ._exceptions import (
    CircuitOpen,
    ConnectFailed,
    DeadlineExceeded,
    NetError,
    NetworkError,
    RedirectRefused,
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
    MAX_WAIT,
    RetryEvent,
    RetryPolicy,
    is_retryable,
    is_retryable_status,
    parse_retry_after,
    seconds_text,
    status_error,
)
from ._shared import RedisLike, SharedRateLimiter

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_USER_AGENT",
    "HTTP_LOGGERS",
    "MAX_WAIT",
    "REDACTED",
    "REDIRECT_STATUSES",
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
    "RedirectRefused",
    "RedisLike",
    "Response",
    "ResponseCache",
    "RetryEvent",
    "RetryPolicy",
    "SharedRateLimiter",
    "StatusError",
    "TimedOut",
    "TooLarge",
    "blocked_kind",
    "header_secrets",
    "host_port",
    "is_retryable",
    "is_retryable_status",
    "make_cache_key",
    "parse_retry_after",
    "redact",
    "redact_logs",
    "redirect_refusal",
    "register_secret",
    "seconds_text",
    "status_error",
]

redact_logs()  # the HTTP libraries print request URLs (with their query strings) in their logs
