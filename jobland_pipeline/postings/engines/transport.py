"""The ledger around every external call of a search engine: cache, rate limit, retries, records.

Every engine talks to the outside world through a :class:`Transport` (:meth:`Transport.request_json`),
which puts the engine-level bookkeeping on top of :mod:`jobland_pipeline.net`, the one network layer:

* a content-keyed, on-disk :class:`~jobland_pipeline.net.ResponseCache` (key = sha256 of the engine and
  the request identity *without* secrets);
* a :class:`~jobland_pipeline.net.RateLimiter` around each attempt;
* net's :class:`~jobland_pipeline.net.RetryPolicy`: exponential backoff with full jitter on 429, 5xx,
  timeouts and connection errors, honouring ``Retry-After``; no retry on other 4xx nor on answers that
  cannot be right on a second try (malformed JSON, HTML, an empty body, a body over the cap, an answer
  ``validate`` refuses);
* one :class:`CallRecord` per attempt sequence (attempts, latency, HTTP status, ok/error/cached), and an
  :class:`EngineError` carrying it when the call failed.

The budget of one call (one ``request_json``), so that a failing service costs a search seconds, not
minutes: each network operation within ``timeout`` (20 s) and each body within ``timeout`` too; at most
``max_retries`` (3) retries; a wait before a retry of at most ``max_wait`` (60 s): a server asking for
longer (``Retry-After: 100000``) fails the call at once, the error naming the wait, and the search goes
on with the other engines (after 3 failed searches the run's breaker skips the engine, and the next
day's run asks again); and the whole exchange, every attempt, wait and rate-limiter queue included,
within ``budget`` (120 s), enforced by net's deadline watchdog.

What an answer may be: JSON (a UTF-8 byte-order mark is tolerated, as RFC 8259 allows), at most
``max_body_bytes`` (20 MB) *decompressed* (a gzip bomb stops at the cap, counted as it inflates), from
the configured host: a redirect is followed (at most 3) only to the same host and never to a loopback,
private, link-local or otherwise internal address (:func:`~jobland_pipeline.net.redirect_refusal`);
a refused one fails the call, naming ``host:port`` and why. Each engine's ``validate`` then checks the
fields it reads (a missing or mistyped field is an :class:`EngineError`, never a ``KeyError``).

Secrets (``api_key``-style query parameters, ``x-api-key`` / ``Authorization`` headers and any value
registered with :meth:`Transport.add_secret`) never reach a CallRecord, an error message or a log line:
net's errors hold no URL, messages are redacted here, and net filters the HTTP libraries' loggers.

``ResponseCache``, ``RateLimiter``, ``make_cache_key`` and ``parse_retry_after`` live in net and are
re-exported here for the engines' callers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from jobland_pipeline.net import (
    MAX_WAIT,
    SECRET_HEADERS,
    DeadlineExceeded,
    HttpClient,
    Limiter,
    NetError,
    RateLimiter,
    ResponseCache,
    RetryEvent,
    RetryPolicy,
    header_secrets,
    make_cache_key,
    parse_retry_after,
    redact,
    register_secret,
    seconds_text,
)
from jobland_pipeline.net import Response as HttpResponse
from jobland_pipeline.postings.engines.base import CallRecord, EngineError

__all__ = [
    "AUTO",
    "SECRET_HEADERS",
    "RateLimiter",
    "ResponseCache",
    "Transport",
    "describe_request",
    "make_cache_key",
    "parse_retry_after",
    "redact",
]

log = logging.getLogger(__name__)

AUTO = "auto"  # cache_key value: derive the identity from method, URL, public params and body
DEFAULT_USER_AGENT = "JobLand/0.1 (job search pipeline)"
BUDGET = 120.0  # seconds for one call, every attempt, wait and queue included
MAX_REDIRECTS = 3
_Answer = tuple[Any, int | None]  # (decoded JSON, HTTP status)


def describe_request(method: str, url: str, params: Mapping[str, Any] | None = None) -> str:
    """``METHOD /path?query`` for a CallRecord (the caller removes secret params first)."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in (params or {}).items() if v is not None], doseq=True)
    query = "&".join(q for q in (parts.query, query) if q)
    return f"{method.upper()} {parts.path or '/'}" + (f"?{query}" if query else "")


class Transport:
    """Cache + rate limit + retries + call records for one engine (see the module docstring)."""

    def __init__(
        self,
        engine: str,
        *,
        cache: ResponseCache | None = None,
        limiter: Limiter | None = None,  # this process's RateLimiter, or a SharedRateLimiter
        timeout: float = 20.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        max_body_bytes: int = 20_000_000,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = DEFAULT_USER_AGENT,
        rng: random.Random | None = None,
        max_wait: float = MAX_WAIT,
        budget: float = BUDGET,
    ) -> None:
        self.engine = engine
        self.cache = cache
        self.limiter = limiter
        self.timeout = float(timeout)
        self.max_body_bytes = int(max_body_bytes)
        self.user_agent = user_agent
        self.budget = float(budget)
        self.retry = RetryPolicy(
            max(0, int(max_retries)),
            float(backoff_base),
            float(backoff_max),
            max_wait=float(max_wait),
            budget=self.budget,
            sleep=sleep,
            rng=rng or random.Random(),
        )
        self.client = HttpClient(
            timeout=self.timeout,
            max_body_bytes=self.max_body_bytes,
            user_agent=user_agent,
            max_redirects=MAX_REDIRECTS,
        )
        self._secrets: set[str] = set()

    @property
    def max_retries(self) -> int:
        return self.retry.max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        self.retry = replace(self.retry, max_retries=max(0, int(value)))

    # -- secrets ---------------------------------------------------------------------------------

    def add_secret(self, value: str | None) -> None:
        """A value (API key...) to redact from every record, error and log line of this process."""
        if value:
            self._secrets.add(value)
            register_secret(value)

    def redact(self, text: str, extra: Iterable[str] = ()) -> str:
        return redact(text, [*self._secrets, *extra])

    def identity(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        *,
        secret_params: Iterable[str] = ("api_key",),
    ) -> dict[str, Any]:
        """The request identity used for cache keys: everything but the secrets."""
        hidden = set(secret_params)
        public = {k: v for k, v in (params or {}).items() if k not in hidden and v is not None}
        return {"method": method.upper(), "url": url, "params": public, "body": json_body}

    # -- HTTP ------------------------------------------------------------------------------------

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        cache_key: Any = AUTO,
        secret_params: Iterable[str] = ("api_key",),
        validate: Callable[[Any], str | None] | None = None,
        request: str | None = None,
    ) -> tuple[Any, list[CallRecord]]:
        """One JSON request with cache, limit and retries; returns (parsed JSON, [CallRecord]).

        ``cache_key``: None = never cached; ``"auto"`` = keyed on method, URL, public params and body;
        any other JSON-able value = that identity (it must hold no secret). ``validate(answer)`` may
        return an error message for a well-formed answer that must not be kept (nor cached); it is
        not retried. ``request``: the CallRecord's description (default ``METHOD /path?public query``).
        Raises EngineError (with the CallRecord) after the last failed attempt.
        """
        hidden = set(secret_params)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        headers = {"User-Agent": self.user_agent, "Accept": "application/json", **(headers or {})}
        for value in [str(v) for k, v in params.items() if k in hidden and v] + header_secrets(headers):
            self.add_secret(value)
        public = {k: v for k, v in params.items() if k not in hidden}
        description = self.redact(request or describe_request(method, url, public))
        key = None
        if cache_key is not None:
            identity = self.identity(method, url, public, json_body) if cache_key == AUTO else cache_key
            key = make_cache_key(self.engine, identity)

        deadline = time.monotonic() + self.budget

        def attempt() -> _Answer:
            with self.client.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=headers,
                timeout=self.timeout,
                deadline=deadline,
                stream=True,
            ) as response:
                if 300 <= response.status < 400:  # what the client did not follow: no usable Location
                    raise NetError(
                        f"HTTP {response.status} from {self.engine} without a redirect to follow",
                        status=response.status,
                    )
                response.raise_for_status()
                return self._decode(response), response.status

        return self._run(key, description, attempt, validate)

    def close(self) -> None:
        """Release the HTTP client (a transport nobody closes holds no connection either)."""
        self.client.close()

    # -- internals -------------------------------------------------------------------------------

    def _run(
        self,
        key: str | None,
        request: str,
        attempt: Callable[[], _Answer],
        validate: Callable[[Any], str | None] | None,
    ) -> tuple[Any, list[CallRecord]]:
        started = time.monotonic()
        cached = self._cached(key, request, started)
        if cached is not None:
            return cached
        attempts = 0

        def once() -> _Answer:
            nonlocal attempts
            attempts += 1
            with self.limiter if self.limiter is not None else contextlib.nullcontext():
                answer, http_status = attempt()
            problem = validate(answer) if validate is not None else None
            if problem:
                raise NetError(problem, status=http_status)
            return answer, http_status

        try:
            answer, http_status = self.retry.call(once, on_retry=self._log_retry(request))
        except NetError as failure:
            raise self._failed(failure, request, attempts, started) from None
        record = CallRecord(
            engine=self.engine,
            request=request,
            status="ok",
            http_status=http_status,
            attempts=attempts,
            latency_ms=_since(started),
        )
        if key is not None and self.cache is not None:
            try:
                self.cache.put(key, answer)
            except (OSError, TypeError, ValueError) as exc:  # a full disk must not fail the search
                log.warning("%s: answer not cached (%s)", self.engine, exc)
        return answer, [record]

    def _cached(self, key: str | None, request: str, started: float) -> tuple[Any, list[CallRecord]] | None:
        if key is None or self.cache is None:
            return None
        value = self.cache.get(key)
        if value is None:
            return None
        record = CallRecord(
            engine=self.engine,
            request=request,
            status="cached",
            attempts=0,
            cache_hit=True,
            latency_ms=_since(started),
        )
        return value, [record]

    def _log_retry(self, request: str) -> Callable[[RetryEvent], None]:
        def report(event: RetryEvent) -> None:
            log.info(
                "%s: %s failed (%s); retry %d/%d in %.2fs",
                self.engine,
                request,
                self.redact(str(event.error)),
                event.attempt,
                self.max_retries,
                event.delay,
            )

        return report

    def _failed(self, failure: NetError, request: str, attempts: int, started: float) -> EngineError:
        reason = failure.message
        if isinstance(failure, DeadlineExceeded):
            reason = f"gave up: the {seconds_text(self.budget)} budget of this call ran out"
        message = self.redact(f"{self.engine}: {reason}")
        if failure.retryable and attempts > 1:
            message += f" (after {attempts} attempts)"
        record = CallRecord(
            engine=self.engine,
            request=request,
            status="error",
            http_status=failure.status,
            attempts=attempts,
            latency_ms=_since(started),
            error=message,
        )
        log.warning("%s", message)
        return EngineError(message, [record])

    def _decode(self, response: HttpResponse) -> Any:
        """Capped body read and JSON decode; HTML, an empty body or bad JSON is a non-retryable NetError."""
        status = response.status
        try:
            body = response.read()
        except NetError as exc:  # too large, timed out, dropped: the status line did arrive
            exc.status = exc.status if exc.status is not None else status
            raise
        content_type = response.headers.get("Content-Type", "").lower()
        head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if "html" in content_type or head.startswith(b"<"):
            raise NetError(
                f"HTML instead of JSON from {self.engine} (HTTP {status}, {content_type or 'no content type'})",
                status=status,
            )
        if not body.removeprefix(b"\xef\xbb\xbf").strip():
            raise NetError(f"malformed JSON from {self.engine}: empty body", status=status)
        try:
            return json.loads(body)  # JSON is UTF-8 (RFC 8259); json detects UTF-16/32 and a BOM
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            reason = "nested too deeply" if isinstance(exc, RecursionError) else reason
            raise NetError(f"malformed JSON from {self.engine}: {reason}", status=status) from None


def _since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 3)
