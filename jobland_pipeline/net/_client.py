"""One HTTP client for every outbound call: httpx with explicit timeouts, a body cap and a deadline.

:class:`HttpClient` wraps one ``httpx.Client``. What it adds:

* **Explicit time limits.** ``timeout`` bounds each network operation (connect, send, each read); the
  body as a whole must arrive within ``timeout`` too, so a server dripping one byte at a time cannot
  hold a call for ever. A request may also carry a ``deadline`` (a ``time.monotonic()`` value) for the
  whole exchange: a watchdog shuts the connection's socket down when it passes, which ends even a read
  of slowly dripping *headers* at once.
* **A body cap.** ``Content-Length`` over ``max_body_bytes`` is refused before a byte of the body is
  read; a body without one is cut when it passes the cap.
* **Errors that say what to do.** Every failure is a :class:`~jobland_pipeline.net.NetError` whose
  ``retryable`` flag the retry policy reads, and whose message holds no URL, header or body.
* **No surprises.** Redirects are never followed (a caller decides, and may have to check the next
  URL first); cookies are neither kept nor sent (every request stands alone: the APIs called here
  authenticate by key, and a CV download must not carry one server's cookie to the next); connections
  are not kept alive unless asked (a client nobody closes leaves no socket behind, as the plain
  ``requests.request`` calls this replaces did).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json as jsonlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from ._exceptions import (
    ConnectFailed,
    DeadlineExceeded,
    NetError,
    NetworkError,
    TimedOut,
    TooLarge,
)
from ._retry import status_error

__all__ = ["DEFAULT_USER_AGENT", "HttpClient", "Response"]

DEFAULT_USER_AGENT = "JobLand/0.1"
_REASON_LENGTH = 160


class Response:
    """An answer: status and headers at once, the body read at most once under the client's cap.

    From ``HttpClient.request(..., stream=True)`` the body is not read yet: use the response as a
    context manager (or call :meth:`close`) so its connection is released.
    """

    def __init__(
        self,
        raw: httpx.Response,
        *,
        max_body_bytes: int,
        timeout: float,
        deadline: float | None,
        watchdog: _Watchdog | None,
    ) -> None:
        self._raw = raw
        self._max_body_bytes = max_body_bytes
        self._timeout = timeout
        self._deadline = deadline
        self._watchdog = watchdog
        self._content: bytes | None = None
        self.status: int = raw.status_code
        self.headers: httpx.Headers = raw.headers

    @property
    def content(self) -> bytes:
        """The body (read now if it was not yet)."""
        return self._content if self._content is not None else self.read()

    def declared_length(self) -> int | None:
        """The ``Content-Length`` the server declared, when it declared a plain number."""
        value = self.headers.get("Content-Length", "").strip()
        return int(value) if value.isdigit() else None

    def read(self) -> bytes:
        """Read the whole body under the size cap and time limit, then release the connection.

        Raises TooLarge, TimedOut (DeadlineExceeded past a deadline) or NetworkError.
        """
        if self._content is not None:
            return self._content
        try:
            declared = self.declared_length()
            if declared is not None and declared > self._max_body_bytes:
                raise TooLarge(self._max_body_bytes, declared)
            self._content = self._read_capped()
        finally:
            self.close()
        return self._content

    def _read_capped(self) -> bytes:
        ends = self._deadline if self._deadline is not None else time.monotonic() + self._timeout
        body = bytearray()
        try:
            for chunk in self._raw.iter_bytes():
                body += chunk
                if len(body) > self._max_body_bytes:
                    raise TooLarge(self._max_body_bytes)
                if time.monotonic() > ends:
                    if self._deadline is not None:
                        raise DeadlineExceeded()
                    raise TimedOut("timed out reading the body")
        except httpx.HTTPError as exc:
            raise _translate(
                exc, timeout=self._timeout, deadline=self._deadline, watchdog=self._watchdog
            ) from None
        return bytes(body)

    def json(self) -> Any:
        """The body decoded as JSON (raises ValueError when it is not JSON)."""
        return jsonlib.loads(self.content)

    def raise_for_status(self) -> None:
        """Raise StatusError for 4xx/5xx (retryable for 429 and 5xx, with the server's Retry-After)."""
        if self.status >= 400:
            raise status_error(self.status, self.headers)

    def close(self) -> None:
        """Release the connection (and stop the deadline watchdog); safe to call twice."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._raw.close()

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HttpClient:
    """One ``httpx.Client`` with explicit timeouts, a body cap and redacted errors (see the module docstring).

    ``verify``: True (certifi, or ``SSL_CERT_FILE`` when ``trust_env``), False, or an ``ssl.SSLContext``.
    ``trust_env``: read proxies and CA settings from the environment; a client that must connect only
    where it was told (the SSRF-safe CV download) turns it off. Thread-safe; close it when done.
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_body_bytes: int = 20_000_000,
        user_agent: str = DEFAULT_USER_AGENT,
        verify: ssl.SSLContext | bool = True,
        trust_env: bool = True,
        keepalive: bool = False,
    ) -> None:
        if not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        self.timeout = float(timeout)
        self.max_body_bytes = int(max_body_bytes)
        self.user_agent = user_agent
        self._client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(self.timeout),
            verify=verify,
            trust_env=trust_env,
            follow_redirects=False,
            cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20 if keepalive else 0),
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        sni_hostname: str | None = None,
        stream: bool = False,
    ) -> Response:
        """Send one request and return the answer, whatever its status (see :meth:`Response.raise_for_status`).

        ``timeout`` overrides the client's per-operation timeout; ``deadline`` (``time.monotonic()``)
        ends the whole exchange, body included (the watchdog needs the connection to be opened for this
        request, which it always is unless the client was made with ``keepalive=True``; a reused
        connection is checked between body chunks only). ``sni_hostname``: the TLS server name (and the name
        the certificate must match) when ``url`` names an IP address that was resolved beforehand.
        ``stream=True`` leaves the body unread (close the response). Raises NetError, never an
        httpx exception.
        """
        per_try = self.timeout if timeout is None else float(timeout)
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DeadlineExceeded()
            per_try = min(per_try, left)
        watchdog = _Watchdog(deadline) if deadline is not None else None
        extensions: dict[str, Any] = {}
        if sni_hostname:
            extensions["sni_hostname"] = sni_hostname
        if watchdog is not None:
            extensions["trace"] = watchdog.trace
        try:
            request = self._client.build_request(
                method, url, params=params, json=json, headers=headers, timeout=per_try, extensions=extensions
            )
            raw = self._client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = _translate(exc, timeout=per_try, deadline=deadline, watchdog=watchdog)
            if watchdog is not None:
                watchdog.cancel()
            raise error from None
        except BaseException:
            if watchdog is not None:
                watchdog.cancel()
            raise
        response = Response(
            raw, max_body_bytes=self.max_body_bytes, timeout=per_try, deadline=deadline, watchdog=watchdog
        )
        if not stream:
            response.read()
        return response

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- deadline watchdog


class _Watchdog:
    """Ends an exchange at its deadline by shutting its socket down, which wakes any blocked read.

    The socket is learnt from httpx's ``trace`` extension when the TCP connection is made; the
    watchdog keeps a duplicate of it (its own file descriptor), so it can never shut down another
    connection that happens to reuse a closed descriptor number.
    """

    def __init__(self, deadline: float) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._done = False
        self.fired = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            if self._done:
                return
            self._sock = sock.dup()
            if self.fired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            if self._sock is not None:
                self._sock.close()
                self._sock = None


# --------------------------------------------------------------------------- errors


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _short(text: object) -> str:
    return " ".join(str(text).split())[:_REASON_LENGTH]


def _connect_reason(exc: BaseException) -> tuple[str, bool]:
    """(why the connection could not be opened, whether another try may help)."""
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _short(
                f"TLS certificate check failed ({cause.verify_message or 'untrusted certificate'})"
            ), False
        if isinstance(cause, ssl.SSLError):
            return _short(f"TLS error ({cause.reason or 'handshake failed'})"), False
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused", True
        if isinstance(cause, socket.gaierror):
            return "the host name could not be resolved", True
        if isinstance(cause, OSError) and cause.strerror:
            return _short(cause.strerror), True
    return "could not connect", True


def _protocol_reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if "without sending a response" in text:
        return "the server closed the connection without answering"
    if "complete message body" in text or "incomplete" in text:
        return "the server closed the connection before the whole body arrived"
    return "malformed HTTP response"


def _translate(
    exc: BaseException, *, timeout: float, deadline: float | None, watchdog: _Watchdog | None
) -> NetError:
    """An httpx exception as a NetError whose message holds no URL (the deadline wins over the symptom)."""
    if (watchdog is not None and watchdog.fired) or (deadline is not None and time.monotonic() >= deadline):
        return DeadlineExceeded()
    if isinstance(exc, httpx.TimeoutException):
        return TimedOut(f"timed out after {timeout:g}s")
    if isinstance(exc, httpx.ConnectError):
        reason, retryable = _connect_reason(exc)
        return ConnectFailed(reason, retryable=retryable)
    if isinstance(exc, httpx.RemoteProtocolError):
        return NetworkError(_protocol_reason(exc))
    if isinstance(exc, httpx.NetworkError):
        reason, _ = _connect_reason(exc)
        return NetworkError(reason if reason != "could not connect" else type(exc).__name__)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return NetError("invalid URL", retryable=False)
    if isinstance(exc, httpx.DecodingError):
        return NetError("undecodable response body", retryable=False)
    return NetError(f"request failed ({type(exc).__name__})", retryable=False)
