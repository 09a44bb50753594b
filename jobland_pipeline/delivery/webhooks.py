"""Completion webhooks: one signed JSON event per user, day and outcome, to each configured URL, once.

Why signed: the receiver must know the event comes from this JobLand and was not replayed. The
signature is HMAC-SHA256 over ``"<timestamp>.<body>"`` with the shared secret, sent as
``X-JobLand-Signature: v1=<hex>`` with ``X-JobLand-Timestamp: <unix seconds>`` (Stripe's and Slack's
scheme): a receiver recomputes it with :func:`verify` and refuses a stale timestamp. Each attempt is
signed afresh, so a retried event is never refused for its age.

Why a ledger: the sensor that sends may run again (a daemon restart, a second tick over the same run),
and an operator's system must see each (user, day, event) once. Before sending, a claim file is
created with ``O_CREAT | O_EXCL`` (only one process can create it); the outcome replaces it
atomically (``os.replace``). A claim left ``sending`` by a crash is taken over after ``lease``
seconds and the event resent with the same ``id`` (``X-JobLand-Event-Id``), so the receiver can drop
the repeat. A webhook that still fails after the retries is recorded ``failed`` with its attempts and
last error, and never fails the run. The secret is only ever an HMAC key: it is in no ledger, log
line or error (errors are redacted with it anyway), and target URLs are recorded by host and a hash
(Slack-style URLs carry a token in their path).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jobland_pipeline.atomic import write_atomically
from jobland_pipeline.keys import file_stem
from jobland_pipeline.net import (
    CircuitBreaker,
    CircuitOpen,
    HttpClient,
    NetError,
    RetryEvent,
    RetryPolicy,
    redact,
    register_secret,
)

__all__ = [
    "DELIVERED",
    "EVENTS",
    "FAILED",
    "PARTLY_DELIVERED",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookConfig",
    "WebhookLedger",
    "WebhookOutcome",
    "batch_event",
    "event_type",
    "send_event",
    "sign",
    "verify",
]

DELIVERED = "batch.delivered"
PARTLY_DELIVERED = "batch.partly_delivered"
FAILED = "batch.failed"
NOTHING_TO_DELIVER = "batch.nothing_to_deliver"
EVENTS = (DELIVERED, PARTLY_DELIVERED, FAILED, NOTHING_TO_DELIVER)
TIMESTAMP_HEADER = "X-JobLand-Timestamp"
SIGNATURE_HEADER = "X-JobLand-Signature"
EVENT_ID_HEADER = "X-JobLand-Event-Id"
EVENT_TYPE_HEADER = "X-JobLand-Event"
_SENT_DIGEST = ("sent", "written")
_UNDELIVERED_DIGEST = ("no_recipient", "dead_letter", "failed")
_ERROR_LENGTH = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=<hex>``: HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, *, tolerance: float = 300, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is within ``tolerance`` seconds."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw = lowered.get(TIMESTAMP_HEADER.lower(), "")
    if not raw.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(raw)) > tolerance:
        return False
    given = [s.strip() for s in lowered.get(SIGNATURE_HEADER.lower(), "").split(",")]
    expected = sign(secret, int(raw), body)
    return any(hmac.compare_digest(expected, g) for g in given)


def event_type(counts: Mapping[str, Any], failures: Sequence[Mapping[str, str]], run_failed: bool) -> str:
    """delivered (digest out with packages, nothing failed), partly delivered (something failed),
    failed (the delivery run failed or the digest could not go), or nothing to deliver (no new
    package: a notice alone, such as "your CV names no job to search for", delivers none)."""
    digest = counts.get("digest")
    if run_failed or digest in _UNDELIVERED_DIGEST:
        return FAILED
    if failures:
        return PARTLY_DELIVERED
    if digest in _SENT_DIGEST and counts.get("digest_packages", 1):  # a notice alone delivers nothing
        return DELIVERED
    return NOTHING_TO_DELIVER


def event_id(user: str, day: date, event: str) -> str:
    """Stable per (user, day, event): a resend after a crash carries the same id."""
    return "evt_" + hashlib.sha256(f"{user}|{day.isoformat()}|{event}".encode()).hexdigest()[:24]


def batch_event(
    user: str,
    day: date,
    counts: Mapping[str, Any],
    failures: Sequence[Mapping[str, str]],
    *,
    run_failed: bool = False,
    run_id: str | None = None,
) -> dict[str, Any]:
    """The event's JSON: user, day, counts per stage, digest status, failures with reasons."""
    kind = event_type(counts, failures, run_failed)
    return {
        "id": event_id(user, day, kind),
        "type": kind,
        "user": user,
        "day": day.isoformat(),
        "run_id": run_id,
        "counts": {
            "cv_documents": counts.get("cv_documents", 0),
            "cv_refused": counts.get("cv_refused", 0),
            "titles": counts.get("titles", 0),
            "searches": counts.get("searches", 0),
            "postings": counts.get("postings", 0),
            "screened": counts.get("screened", 0),
            "high": counts.get("high", 0),
            "dossiers": counts.get("dossiers", 0),
            "packages": counts.get("packages", 0),
        },
        "digest": {
            "status": counts.get("digest"),
            "packages": counts.get("digest_packages", 0),
        },
        "failures": [dict(f) for f in failures],
    }


@dataclass(frozen=True)
class WebhookConfig:
    """Where events go and how hard to try. ``secret`` is never written anywhere by this module."""

    urls: tuple[str, ...]
    secret: str = field(repr=False)
    ledger_dir: Path
    timeout: float = 10.0
    retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_retries=4, backoff_base=0.5, budget=60)
    )
    lease: float = 600.0  # seconds after which a claim left "sending" (a crash) is taken over

    @classmethod
    def parse_urls(cls, text: str) -> tuple[str, ...]:
        """Comma- or whitespace-separated http(s) URLs; anything else is refused naming its position."""
        urls = tuple(u for u in text.replace(",", " ").split() if u)
        for i, url in enumerate(urls, 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"JOBLAND_WEBHOOK_URLS: URL {i} is not an http(s) URL")
        return urls


def target_id(url: str) -> str:
    """A URL's name in the ledger: its host and a hash (a webhook URL's path may hold a token)."""
    host = urlsplit(url).hostname or "host"
    return f"{host}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class WebhookOutcome:
    """One (event, URL) as the ledger holds it."""

    event_id: str
    event: str
    user: str
    day: str
    target: str
    status: str  # delivered, failed, already_sent, in_flight
    attempts: int = 0
    http_status: int | None = None
    error: str | None = None
    recorded_at: str = ""


class WebhookLedger:
    """One JSON file per (day, user, event, target) under ``root``; see the module docstring."""

    def __init__(self, root: Path, *, lease: float = 600.0, now: Callable[[], float] = time.time) -> None:
        self.root = Path(root)
        self.lease = lease
        self.now = now

    def path(self, user: str, day: str, event: str, target: str) -> Path:
        return self.root / day / file_stem(user) / f"{event}--{target}.json"

    def read(self, path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def claim(self, outcome: WebhookOutcome) -> tuple[bool, dict[str, Any] | None]:
        """(True, None) when this process may send; (False, the record) when it was sent or is in flight."""
        path = self.path(outcome.user, outcome.day, outcome.event, outcome.target)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {**outcome.__dict__, "status": "sending", "claimed_at": self.now()}
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            held = self.read(path)
            if held is None or held.get("status") != "sending":
                return False, held
            if self.now() - float(held.get("claimed_at") or 0) < self.lease:
                return False, held
            self._replace(path, record)  # a claim left by a crash: take it over, resend the same id
            return True, None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record, f)
        return True, None

    def finish(self, outcome: WebhookOutcome) -> None:
        self._replace(self.path(outcome.user, outcome.day, outcome.event, outcome.target), outcome.__dict__)

    def records(self) -> list[dict[str, Any]]:
        """Every record (for the sensor's metadata and the tests)."""
        out = []
        for path in sorted(self.root.glob("*/*/*.json")):
            if (data := self.read(path)) is not None:
                out.append(data)
        return out

    @staticmethod
    def _replace(path: Path, record: Mapping[str, Any]) -> None:
        write_atomically(path, json.dumps(dict(record)).encode())


def _body(event: Mapping[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def send_event(
    config: WebhookConfig,
    event: Mapping[str, Any],
    *,
    client: HttpClient | None = None,
    ledger: WebhookLedger | None = None,
    log: Callable[[str], None] | None = None,
    breakers: dict[str, CircuitBreaker] | None = None,
) -> list[WebhookOutcome]:
    """Send ``event`` to every URL not sent to before; each outcome is in the ledger when this returns.

    Never raises for a failing receiver (a webhook must not fail the run): the failure is the outcome.
    ``breakers`` (one per URL, shared by the events of one run): after 3 events in a row failed on a
    URL its next events are recorded failed at once ("circuit open") for 5 minutes, so a dead receiver
    costs a run seconds, not its retries times thousands of users.
    """
    register_secret(config.secret)  # belt and braces: no log line or error can carry it
    ledger = ledger or WebhookLedger(config.ledger_dir, lease=config.lease)
    own = client is None
    http = client or HttpClient(timeout=config.timeout, max_body_bytes=64_000)
    body = _body(event)
    outcomes = []
    try:
        for url in config.urls:
            breaker = breakers.setdefault(url, CircuitBreaker(3, 300.0)) if breakers is not None else None
            outcomes.append(_send_one(config, event, body, url, http, ledger, log, breaker))
    finally:
        if own:
            http.close()
    return outcomes


def _send_one(
    config: WebhookConfig,
    event: Mapping[str, Any],
    body: bytes,
    url: str,
    http: HttpClient,
    ledger: WebhookLedger,
    log: Callable[[str], None] | None,
    breaker: CircuitBreaker | None = None,
) -> WebhookOutcome:
    base = WebhookOutcome(
        event_id=str(event["id"]),
        event=str(event["type"]),
        user=str(event["user"]),
        day=str(event["day"]),
        target=target_id(url),
        status="sending",
    )
    claimed, held = ledger.claim(base)
    if not claimed:
        status = "already_sent" if (held or {}).get("status") == "delivered" else "in_flight"
        if (held or {}).get("status") == "failed":
            status = "failed_before"
        return WebhookOutcome(**{**base.__dict__, "status": status})
    attempts = 0
    last_status: int | None = None

    def post() -> int:
        nonlocal attempts, last_status
        attempts += 1
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(config.secret, stamp, body),
            EVENT_ID_HEADER: base.event_id,
            EVENT_TYPE_HEADER: base.event,
        }
        response = http.request("POST", url, content=body, headers=headers)
        last_status = response.status
        response.raise_for_status()
        return response.status

    def on_retry(retry: RetryEvent) -> None:
        if log is not None:
            log(
                f"webhook {base.target} {base.event} for {base.user}: attempt {retry.attempt} failed "
                f"({_clean(retry.error, config.secret, url)}), retrying in {retry.delay:.1f}s"
            )

    try:
        if breaker is not None and not breaker.allow():
            raise CircuitOpen("not sent: this URL failed for the last events of this run (circuit open)")
        config.retry.call(post, on_retry=on_retry)
        if breaker is not None:
            breaker.success()
        outcome = WebhookOutcome(
            **{**base.__dict__, "status": "delivered", "attempts": attempts, "http_status": last_status}
        )
    except Exception as exc:  # a failing receiver is recorded, never raised into the run
        if breaker is not None and not isinstance(exc, CircuitOpen):
            breaker.failure()
        outcome = WebhookOutcome(
            **{
                **base.__dict__,
                "status": "failed",
                "attempts": attempts,
                "http_status": last_status,
                "error": _clean(exc, config.secret, url),
            }
        )
    outcome = WebhookOutcome(**{**outcome.__dict__, "recorded_at": datetime.now(UTC).isoformat()})
    ledger.finish(outcome)
    return outcome


def _clean(error: BaseException, secret: str, url: str) -> str:
    """The error as one line without the secret or the URL (NetErrors hold no URL; others might)."""
    text = str(error) if isinstance(error, NetError) else f"{type(error).__name__}: {error}"
    text = redact(text, [secret, url]).replace("\n", " ")
    return text[:_ERROR_LENGTH]
