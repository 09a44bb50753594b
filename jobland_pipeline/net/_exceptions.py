"""What can go wrong with an outbound call, and whether trying again may help.

Every failure the network layer reports is a :class:`NetError`. Its ``message`` names the kind of
failure (``HTTP 503``, ``timed out after 20s``, ``connection error (connection refused)``) and never
a URL, a header or a body, so callers may put it in a ledger row or a log line as it is. ``retryable``
is the one fact a retry policy needs; ``status`` and ``retry_after`` come from the server when it
answered.
"""

from __future__ import annotations

__all__ = [
    "CircuitOpen",
    "ConnectFailed",
    "DeadlineExceeded",
    "NetError",
    "NetworkError",
    "RedirectRefused",
    "StatusError",
    "TimedOut",
    "TooLarge",
]


class NetError(Exception):
    """A failed outbound call; ``retryable`` says whether the same call may succeed a little later."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message  # callers may extend the message ("... (after 4 attempts)")


class NetworkError(NetError):
    """No (complete) answer: the connection failed, dropped or broke the protocol.

    ``reason`` is the short human cause (``connection refused``, ``TLS certificate check failed
    (...)``); the message is ``connection error (<reason>)``.
    """

    def __init__(self, reason: str, *, retryable: bool = True, message: str | None = None) -> None:
        super().__init__(message or f"connection error ({reason})", retryable=retryable)
        self.reason = reason


class ConnectFailed(NetworkError):
    """The connection (TCP or TLS) could not be opened; no byte of the request was sent."""


class TimedOut(NetworkError):
    """One network operation (connect, send, read) took longer than the timeout allows."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__("timed out", retryable=retryable, message=message)


class DeadlineExceeded(TimedOut):
    """The whole exchange outlived its deadline: its time budget is spent, so it is not retried."""

    def __init__(self, message: str = "the deadline passed") -> None:
        super().__init__(message, retryable=False)


class StatusError(NetError):
    """The server answered with an error status (429 and 5xx are retryable, other 4xx are not)."""


class RedirectRefused(NetError):
    """A redirect that must not be followed (to an internal address, another host, too many of them).

    ``status`` is the redirect's status; the message names ``host:port`` only, never a path or query.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, retryable=False, status=status)


class TooLarge(NetError):
    """The body is over the size cap (``declared`` is its Content-Length when the server sent one)."""

    def __init__(self, limit: int, declared: int | None = None, *, decoded: bool = False) -> None:
        if declared is not None:
            message = f"response too large ({declared} bytes > {limit})"
        elif decoded:
            message = f"response too large (over {limit} bytes once decompressed)"
        else:
            message = f"response too large (over {limit} bytes)"
        super().__init__(message, retryable=False)
        self.limit = limit
        self.declared = declared


class CircuitOpen(NetError):
    """The circuit breaker refused the call: the endpoint failed repeatedly and is cooling down."""

    def __init__(self, message: str = "circuit open: skipped after repeated failures") -> None:
        super().__init__(message, retryable=False)
