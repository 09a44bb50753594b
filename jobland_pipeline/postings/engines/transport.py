"""The one place that owns every external call of a search engine: cache, rate limit, retries, records.

Every engine talks to the outside world through a :class:`Transport`, either with plain HTTP
(:meth:`Transport.request_json`) or by handing it a zero-argument function that drives a provider's
SDK (:meth:`Transport.call`). Both get the same treatment:

* a content-keyed, on-disk :class:`ResponseCache` (key = sha256 of the engine and the request identity
  *without* secrets; atomic writes; expiry by the stored timestamp);
* a :class:`RateLimiter` (token bucket for requests per minute + a semaphore for concurrency);
* retries with exponential backoff and full jitter on 429, 5xx, timeouts and connection errors,
  honouring ``Retry-After`` (seconds or an HTTP date, capped at ``backoff_max``); no retry on other 4xx
  nor on answers that cannot be right on a second try (malformed JSON, HTML, a body over the cap);
* one :class:`CallRecord` per attempt sequence (attempts, latency, HTTP status, ok/error/cached).

Secrets (``api_key``-style query parameters, ``x-api-key`` / ``Authorization`` headers and any value
registered with :meth:`Transport.add_secret`) never reach a CallRecord, an error message or a log line:
messages are redacted here, and a logging filter redacts urllib3's debug lines (which print full URLs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from jobland_pipeline.postings.engines.base import CallRecord, EngineError

log = logging.getLogger(__name__)

SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "api-key", "x-auth-token"})
AUTO = "auto"  # cache_key value: derive the identity from method, URL, public params and body
_SECRET_QUERY = re.compile(r"(?i)\b(api_key|apikey|api-key|access_token|token|key|serp_api_key)=([^&\s\"']+)")
_STATUS_IN_MESSAGE = re.compile(r"status code (\d{3})")
_REDACTED = "***"


# --------------------------------------------------------------------------- redaction


_known_secrets: set[str] = set()
_known_lock = threading.Lock()


def _register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        with _known_lock:
            _known_secrets.add(value)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every ``api_key=...``-style query value replaced by ***."""
    with _known_lock:
        values = set(_known_secrets)
    values.update(s for s in secrets if s and len(s) >= 4)
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, _REDACTED)
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}={_REDACTED}", text)


class _RedactingFilter(logging.Filter):
    """urllib3 logs full request URLs (with the query string) at DEBUG: redact them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = _RedactingFilter()
for _name in ("urllib3.connectionpool", "urllib3.util.retry", "requests"):
    _logger = logging.getLogger(_name)
    if _FILTER not in _logger.filters:
        _logger.addFilter(_FILTER)


# --------------------------------------------------------------------------- cache


def make_cache_key(engine: str, identity: Any) -> str:
    """sha256 of the engine name and a JSON-able request identity (which must hold no secret)."""
    payload = json.dumps({"engine": engine, "request": identity}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """JSON answers on disk, one file per key, written atomically, expired by their stored timestamp."""

    def __init__(self, root: Path, ttl_seconds: float, *, clock: Callable[[], float] = time.time) -> None:
        self.root = Path(root)
        self.ttl_seconds = float(ttl_seconds)
        self._clock = clock

    def _path(self, key: str) -> Path:
        name = key if re.fullmatch(r"[0-9a-f]{16,128}", key) else hashlib.sha256(key.encode()).hexdigest()
        return self.root / name[:2] / f"{name}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent, expired or unreadable."""
        if self.ttl_seconds <= 0:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            stored_at = float(entry["stored_at"])
            value = entry["value"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("search cache: unreadable entry %s ignored", path.name)
            return None
        if self._clock() - stored_at > self.ttl_seconds or stored_at > self._clock() + 60:
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-able) atomically: temp file in the same folder, then rename."""
        if self.ttl_seconds <= 0:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"stored_at": self._clock(), "value": value}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """Token bucket (requests per minute, ``burst`` tokens at most) plus a concurrency semaphore.

    ``acquire()`` blocks until both allow a request; use it as a context manager around one attempt.
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

    def _take_token(self) -> float:
        """Take a token and return 0, or return how long to wait for the next one."""
        with self._lock:
            now = self._clock()
            assert self.rate is not None
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate

    def acquire(self) -> None:
        if self._semaphore is not None:
            self._semaphore.acquire()
        if self.rate is None:
            return
        try:
            while (wait := self._take_token()) > 0:
                self._sleep(wait)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._semaphore is not None:
            self._semaphore.release()

    def __enter__(self) -> RateLimiter:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------------- transport


@dataclass(eq=False)
class _Failure(Exception):
    """One failed attempt: whether another try may help, and what the server said."""

    message: str
    retryable: bool
    http_status: int | None = None
    retry_after: float | None = None


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); None if unreadable."""
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
        limiter: RateLimiter | None = None,
        timeout: float = 20.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        max_body_bytes: int = 20_000_000,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "JobLand/0.1 (job search pipeline)",
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.cache = cache
        self.limiter = limiter
        self.timeout = float(timeout)
        self.max_retries = max(0, int(max_retries))
        self.backoff_base = float(backoff_base)
        self.backoff_max = float(backoff_max)
        self.max_body_bytes = int(max_body_bytes)
        self.user_agent = user_agent
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._secrets: set[str] = set()

    # -- secrets ---------------------------------------------------------------------------------

    def add_secret(self, value: str | None) -> None:
        """A value (API key...) to redact from every record, error and log line of this process."""
        if value:
            self._secrets.add(value)
            _register_secret(value)

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
        cache_key: str | None = AUTO,
        secret_params: Iterable[str] = ("api_key",),
        validate: Callable[[Any], str | None] | None = None,
    ) -> tuple[Any, list[CallRecord]]:
        """One JSON request with cache, limit and retries; returns (parsed JSON, [CallRecord]).

        ``cache_key``: None = never cached; ``"auto"`` = keyed on method, URL, public params and body;
        any other string = that identity. ``validate(answer)`` may return an error message for a
        well-formed answer that must not be kept (nor cached); it is not retried.
        Raises EngineError (with the CallRecord) after the last failed attempt.
        """
        hidden = set(secret_params)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        headers = {"User-Agent": self.user_agent, "Accept": "application/json", **(headers or {})}
        secrets = [str(v) for k, v in params.items() if k in hidden and v]
        secrets += [v for k, v in headers.items() if k.lower() in SECRET_HEADERS and v]
        for value in secrets:
            self.add_secret(value)
            if " " in value:  # "Bearer <token>": the token alone too
                self.add_secret(value.split(" ", 1)[1])
        public = {k: v for k, v in params.items() if k not in hidden}
        request = self.redact(describe_request(method, url, public))
        key = None
        if cache_key is not None:
            identity: Any = self.identity(method, url, public, json_body) if cache_key == AUTO else cache_key
            key = make_cache_key(self.engine, identity)

        def attempt() -> tuple[Any, int | None]:
            try:
                with requests.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                ) as response:
                    return self._read_json(response), response.status_code
            except _Failure:
                raise
            except Exception as exc:
                raise self._classify_exception(exc) from None

        return self._run(key, request, attempt, validate)

    def call(
        self,
        cache_key: Any,
        fn: Callable[[], Any],
        *,
        request: str,
        validate: Callable[[Any], str | None] | None = None,
    ) -> tuple[Any, list[CallRecord]]:
        """Run an SDK call with the same cache, limit, retries and record as :meth:`request_json`.

        ``fn()`` returns either a ``requests.Response`` (checked and decoded here, e.g. serpapi's
        ``get_response()``) or an already-decoded JSON-able value (e.g. a dict built from exa-py's
        answer). An SDK ``ValueError("Request failed with status code N: ...")`` is read for N to
        decide on a retry. ``cache_key`` is the request identity (no secrets), or None for no cache.
        """
        key = None if cache_key is None else make_cache_key(self.engine, cache_key)
        request = self.redact(request)

        def attempt() -> tuple[Any, int | None]:
            try:
                result = fn()
            except _Failure:
                raise
            except Exception as exc:
                raise self._classify_exception(exc) from None
            if isinstance(result, requests.Response):
                with result:
                    return self._read_json(result), result.status_code
            return result, None

        return self._run(key, request, attempt, validate)

    # -- internals -------------------------------------------------------------------------------

    def _run(
        self,
        key: str | None,
        request: str,
        attempt: Callable[[], tuple[Any, int | None]],
        validate: Callable[[Any], str | None] | None,
    ) -> tuple[Any, list[CallRecord]]:
        started = time.monotonic()
        if key is not None and self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                record = CallRecord(
                    engine=self.engine,
                    request=request,
                    status="cached",
                    attempts=0,
                    cache_hit=True,
                    latency_ms=round((time.monotonic() - started) * 1000, 3),
                )
                return cached, [record]
        attempts = 0
        failure: _Failure | None = None
        while True:
            attempts += 1
            try:
                if self.limiter is not None:
                    with self.limiter:
                        answer, http_status = attempt()
                else:
                    answer, http_status = attempt()
                problem = validate(answer) if validate is not None else None
                if problem:
                    raise _Failure(problem, retryable=False, http_status=http_status)
            except _Failure as exc:
                failure = exc
            else:
                failure = None
                break
            if not failure.retryable or attempts > self.max_retries:
                break
            delay = self._delay(attempts, failure.retry_after)
            log.info(
                "%s: %s failed (%s); retry %d/%d in %.2fs",
                self.engine,
                request,
                self.redact(failure.message),
                attempts,
                self.max_retries,
                delay,
            )
            self._sleep(delay)
        latency = round((time.monotonic() - started) * 1000, 3)
        if failure is not None:
            message = self.redact(f"{self.engine}: {failure.message}")
            if failure.retryable and attempts > 1:
                message += f" (after {attempts} attempts)"
            record = CallRecord(
                engine=self.engine,
                request=request,
                status="error",
                http_status=failure.http_status,
                attempts=attempts,
                latency_ms=latency,
                error=message,
            )
            log.warning("%s", message)
            raise EngineError(message, [record])
        record = CallRecord(
            engine=self.engine,
            request=request,
            status="ok",
            http_status=http_status,
            attempts=attempts,
            latency_ms=latency,
        )
        if key is not None and self.cache is not None:
            try:
                self.cache.put(key, answer)
            except (OSError, TypeError, ValueError) as exc:  # a full disk must not fail the search
                log.warning("%s: answer not cached (%s)", self.engine, exc)
        return answer, [record]

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(self.backoff_max, retry_after)
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return self._rng.uniform(0, ceiling)  # full jitter

    def _read_json(self, response: requests.Response) -> Any:
        """Status check, capped body read, JSON decode; raises _Failure."""
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise _Failure(f"HTTP {status}", retryable=True, http_status=status, retry_after=retry_after)
        if status >= 400:
            raise _Failure(f"HTTP {status}", retryable=False, http_status=status)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _Failure(
                f"response too large ({int(declared)} bytes > {self.max_body_bytes})",
                retryable=False,
                http_status=status,
            )
        body = bytearray()
        deadline = time.monotonic() + self.timeout
        try:
            for chunk in response.iter_content(chunk_size=65536):
                body.extend(chunk)
                if len(body) > self.max_body_bytes:
                    raise _Failure(
                        f"response too large (over {self.max_body_bytes} bytes)",
                        retryable=False,
                        http_status=status,
                    )
                if time.monotonic() > deadline:
                    raise _Failure("timed out reading the body", retryable=True, http_status=status)
        except _Failure:
            raise
        except Exception as exc:
            raise self._classify_exception(exc) from None
        content_type = response.headers.get("Content-Type", "").lower()
        head = bytes(body[:512]).lstrip(b"\xef\xbb\xbf \t\r\n")
        if "html" in content_type or head.startswith(b"<"):
            raise _Failure(
                f"HTML instead of JSON from {self.engine} (HTTP {status}, {content_type or 'no content type'})",
                retryable=False,
                http_status=status,
            )
        if not body.strip():
            raise _Failure(
                f"malformed JSON from {self.engine}: empty body", retryable=False, http_status=status
            )
        try:
            return json.loads(bytes(body))  # JSON is UTF-8 (RFC 8259); json detects UTF-16/32 and a BOM
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            raise _Failure(
                f"malformed JSON from {self.engine}: {reason}", retryable=False, http_status=status
            ) from None

    def _classify_exception(self, exc: Exception) -> _Failure:
        """Network errors are retried; an SDK's 'status code N' message is read for N."""
        if isinstance(exc, requests.Timeout):
            return _Failure(f"timed out after {self.timeout:g}s", retryable=True)
        if isinstance(exc, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            return _Failure(f"connection error ({type(exc).__name__})", retryable=True)
        text = " ".join(str(exc).split())
        if isinstance(exc, ValueError):
            found = _STATUS_IN_MESSAGE.search(text)
            if found:
                status = int(found.group(1))
                retryable = status == 429 or status >= 500
                return _Failure(f"HTTP {status}", retryable=retryable, http_status=status)
            if "non-JSON body" in text or "JSON response" in text or isinstance(exc, json.JSONDecodeError):
                _, _, body = text.partition(": ")
                if body.lstrip().startswith("<"):
                    return _Failure(f"HTML instead of JSON from {self.engine}", retryable=False)
                return _Failure(f"malformed JSON from {self.engine}", retryable=False)
        return _Failure(f"{type(exc).__name__}: {self.redact(text)[:300]}", retryable=False)
