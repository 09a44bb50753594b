"""SMTP delivery (STARTTLS or SSL, optional auth) with retries on transient failures.

Transient: connection refused or dropped (also after DATA), timeouts, 4xx replies — retried by the
project's one :class:`~jobland_pipeline.net.RetryPolicy` (exponential backoff with full jitter, capped
at ``backoff_max``). Permanent: 5xx replies (a rejected recipient, a refused sender, failed
authentication) — never retried, recorded as a dead letter. The Message-ID is fixed by the digest
(user + day + package set), so a retry after a drop that happened after the server had the message is
recognisable downstream as the same message, not a second one.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from jobland_pipeline.net import NetError, RetryPolicy


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): do not retry, record a dead letter."""


class TransientDeliveryError(Exception):
    """Still failing after the retries (4xx, drops, timeouts): try again on a later run."""


class AcceptedButNotNoted(Exception):
    """The server accepted the message but ``on_accepted`` failed: never retried (it would resend)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    max_retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    if config.security == "ssl":
        return smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=ssl.create_default_context()
        )
    client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    if config.security == "starttls":
        client.starttls(context=ssl.create_default_context())
    return client


def _login(client: smtplib.SMTP, config: SmtpConfig) -> None:
    """One AUTH attempt with one mechanism (smtplib's ``login`` tries several, and some servers drop the
    connection after repeated failures, which would look transient)."""
    client.ehlo_or_helo_if_needed()
    offered = client.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise PermanentDeliveryError("the server offers no PLAIN or LOGIN authentication (TLS required?)")
    client.user, client.password = config.username, config.password
    client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"), initial_response_ok=True)


def send_once(
    config: SmtpConfig, message: EmailMessage, on_accepted: Callable[[], None] | None = None
) -> None:
    """One SMTP session; ``on_accepted`` runs as soon as the server has said "250" to the message,
    before QUIT (the caller records the send there: the shorter that window, the rarer a resend)."""
    with _connect(config) as client:
        if config.username:
            _login(client, config)
        refused = client.send_message(message)
        if refused:  # some recipients refused, others accepted: the digest has one recipient
            raise PermanentDeliveryError(f"recipient refused: {', '.join(refused)}")
        if on_accepted is not None:
            try:
                on_accepted()
            except Exception as exc:
                raise AcceptedButNotNoted(f"{type(exc).__name__}: {exc}") from exc


# What a send can fail with: SMTP replies (SMTPConnectError is one), a dropped session, socket errors
# and timeouts (OSError). Anything else is a bug or a configuration error, and propagates as it is.
_FAILURES = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPResponseException,
    smtplib.SMTPServerDisconnected,
    OSError,
)


def _transient(exc: Exception) -> NetError:
    """A retryable failure for what may pass; PermanentDeliveryError for what will not (no secrets inside)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if all(400 <= c < 500 for c in codes):
            return NetError(f"recipient temporarily refused ({codes[0]})", retryable=True)
        raise PermanentDeliveryError(f"recipient refused ({codes[0]})") from None
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        raise PermanentDeliveryError(f"authentication failed ({exc.smtp_code})") from None
    if isinstance(exc, smtplib.SMTPResponseException):
        if 500 <= exc.smtp_code < 600:
            raise PermanentDeliveryError(f"server refused the message ({exc.smtp_code})") from None
        return NetError(f"server busy ({exc.smtp_code})", retryable=True)
    return NetError(f"{type(exc).__name__}: connection failed or dropped", retryable=True)


def send_with_retries(
    config: SmtpConfig,
    message: EmailMessage,
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_accepted: Callable[[int], None] | None = None,
) -> int:
    """Send; return the number of attempts. Raises Permanent/TransientDeliveryError (no secrets inside).
    ``on_accepted(attempts)`` runs once the server has accepted the message (see :func:`send_once`)."""
    policy = RetryPolicy(config.max_retries, config.backoff_base, config.backoff_max, sleep=sleep)
    attempts = 0

    def attempt() -> None:
        nonlocal attempts
        attempts += 1
        try:
            send_once(config, message, (lambda: on_accepted(attempts)) if on_accepted else None)
        except _FAILURES as exc:
            raise _transient(exc) from None

    try:
        policy.call(attempt)
    except NetError as exc:
        raise TransientDeliveryError(f"{exc.message} after {attempts} attempts") from None
    return attempts
