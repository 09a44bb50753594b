"""One HTTP client for every outbound call: httpx with explicit timeouts, a body cap and a deadline.

:class:`HttpClient` wraps one ``httpx.Client``. What it adds:

* **Explicit time limits.** ``timeout`` bounds each network operation (connect, send, each read); the
  body as a whole must arrive within ``timeout`` too, so a server dripping one byte at a time cannot
  hold a call for ever. A request may also carry a ``deadline`` (a ``time.monotonic()`` value) for the
  whole exchange: a watchdog shuts the connection's socket down when it passes, which ends even a read
  of slowly dripping *headers* at once.
* **A body cap.** ``Content-Length`` over ``max_body_bytes`` is refused before a byte of the body is
  read; a body without one is cut when it passes the cap. A compressed body (``gzip``/``deflate``,
  the only codings asked for) is inflated in steps of 64 KiB and the cap counts the *decompressed*
  bytes as they are produced (and the bytes received), so a gzip bomb is stopped at the cap with
  memory to match; any other coding is refused.
* **Errors that say what to do.** Every failure is a :class:`~jobland_pipeline.net.NetError` whose
  ``retryable`` flag the retry policy reads, and whose message holds no URL, header or body.
* **No surprises.** Redirects are not followed unless the client is made with ``max_redirects``; it
  then follows at most that many, each checked by :func:`~jobland_pipeline.net.redirect_refusal`
  first (same host only, never to a loopback, private, link-local or otherwise internal address,
  never from https to http), and a refused one raises :class:`~jobland_pipeline.net.RedirectRefused`
  naming ``host:port`` and why (a caller that checks each hop itself, like the CV download, leaves
  it at 0 and gets the 3xx). Cookies are neither kept nor sent (every request stands alone: the APIs called here
  authenticate by key, and a CV download must not carry one server's cookie to the next); connections
  are not kept alive unless asked (a client nobody closes leaves no socket behind, as the plain
  ``requests.request`` calls this replaces did).
* **SDKs too.** :meth:`HttpClient.sdk_client` is an ``httpx.Client`` for a library that takes one (the
  openai SDK): each of its requests is made by this client, with all of the above, and the SDK is
  handed the answer read and decoded; this client's NetErrors reach the SDK's caller as they are.
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
from urllib.parse import urljoin

import httpx

from ._address import redirect_refusal
from ._decode import ACCEPT_ENCODING, decoded, encodings
from ._exceptions import (
    ConnectFailed,
    DeadlineExceeded,
    NetError,
    NetworkError,
    RedirectRefused,
    TimedOut,
    TooLarge,
)
from ._retry import status_error

__all__ = ["DEFAULT_USER_AGENT", "REDIRECT_STATUSES", "HttpClient", "Response"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Request headers this client sets itself, for the URL it actually connects to.
_HOP_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
# Answer headers that described the bytes on the wire, not the decoded body an SDK is handed.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

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
        coding = self.headers.get("Content-Encoding", "")
        compressed = bool(encodings(coding))
        body = bytearray()
        try:
            for piece in decoded(self._received(), coding):
                body += piece
                if len(body) > self._max_body_bytes:
                    raise TooLarge(self._max_body_bytes, decoded=compressed)
        except httpx.HTTPError as exc:
            raise _translate(
                exc, timeout=self._timeout, deadline=self._deadline, watchdog=self._watchdog
            ) from None
        return bytes(body)

    def _received(self) -> Iterator[bytes]:
        """The body's bytes as they arrive (still encoded), under the cap and the time limit."""
        ends = self._deadline if self._deadline is not None else time.monotonic() + self._timeout
        received = 0
        for chunk in self._raw.iter_raw():
            received += len(chunk)
            if received > self._max_body_bytes:
                raise TooLarge(self._max_body_bytes)
            if time.monotonic() > ends:
                if self._deadline is not None:
                    raise DeadlineExceeded()
                raise TimedOut("timed out reading the body")
            yield chunk

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
    where it was told (the SSRF-safe CV download) turns it off. ``max_redirects``: how many checked
    redirects a request follows (0: none, the 3xx is the answer). Thread-safe; close it when done.
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
        max_redirects: int = 0,
    ) -> None:
        if not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        if max_redirects < 0:
            raise ValueError("max_redirects must not be negative")
        self.timeout = float(timeout)
        self.max_body_bytes = int(max_body_bytes)
        self.max_redirects = int(max_redirects)
        self.user_agent = user_agent
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
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
        content: bytes | None = None,
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
        ``stream=True`` leaves the body unread (close the response). ``content``: a raw body (instead
        of ``json``). Raises NetError (RedirectRefused for a redirect that must not be followed),
        never an httpx exception.
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
                method,
                url,
                params=params,
                json=json,
                content=content,
                headers=_asked(headers),
                timeout=per_try,
                extensions=extensions,
            )
            raw = self._follow(self._client.send(request, stream=True))
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

    def _follow(self, raw: httpx.Response) -> httpx.Response:
        """The answer after the redirects this client may follow, each checked before it is made."""
        hops = 0
        while self.max_redirects and raw.status_code in REDIRECT_STATUSES and raw.headers.get("Location"):
            status, request = raw.status_code, raw.request
            current = str(request.url)
            target = urljoin(current, raw.headers["Location"].strip())
            raw.close()
            if hops >= self.max_redirects:
                raise RedirectRefused(f"more than {self.max_redirects} redirects", status=status)
            refusal = redirect_refusal(current, target)
            if refusal is not None:
                raise RedirectRefused(refusal, status=status)
            hops += 1
            raw = self._client.send(self._redirected(request, status, target), stream=True)
        return raw

    def _redirected(self, request: httpx.Request, status: int, url: str) -> httpx.Request:
        """The next request of a redirect: 303 (and 301/302 after a POST) become a GET without a body."""
        method, body = request.method, request.content
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method, body = "GET", b""
        headers = httpx.Headers(request.headers)
        for name in ("Host", "Content-Length", "Transfer-Encoding", *(() if body else ("Content-Type",))):
            headers.pop(name, None)
        return self._client.build_request(
            method, url, content=body or None, headers=headers, extensions=dict(request.extensions)
        )

    def sdk_client(self) -> httpx.Client:
        """An ``httpx.Client`` whose every request this client makes (see the module docstring).

        Closing it closes this client. It reads no proxy settings itself (this client does, as made).
        """
        return httpx.Client(transport=_SdkTransport(self), follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SdkTransport(httpx.BaseTransport):
    """An SDK's requests, made by an :class:`HttpClient`; the answer handed back read and decoded."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        body = request.read()
        answer = self.client.request(request.method, str(request.url), content=body or None, headers=headers)
        kept = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
        return httpx.Response(answer.status, headers=kept, content=answer.content, request=request)

    def close(self) -> None:
        self.client.close()


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
            if self._sock is not None:  # a redirect opened another connection
                self._sock.close()
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


def _asked(headers: Mapping[str, str] | None) -> httpx.Headers:
    """The caller's headers, with only the codings this client can decode in bounded steps asked for."""
    merged = httpx.Headers(headers or {})
    wanted = merged.get("Accept-Encoding")
    if wanted is not None and wanted.strip().lower() != "identity":
        merged["Accept-Encoding"] = ACCEPT_ENCODING
    return merged


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
