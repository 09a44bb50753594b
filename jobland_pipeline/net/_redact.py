"""Secrets never reach an error message, a ledger row or a log line.

Three kinds of secret are recognised: values registered with :func:`register_secret` (API keys,
tokens; process-wide, so a log filter can see them too), values passed to :func:`redact` for one
call, and ``api_key=...``-style query parameters whatever their value. HTTP libraries log full
request URLs (query strings included): :func:`redact_logs` puts a filter on their loggers.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping

__all__ = [
    "HTTP_LOGGERS",
    "REDACTED",
    "SECRET_HEADERS",
    "header_secrets",
    "redact",
    "redact_logs",
    "register_secret",
]

REDACTED = "***"
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "api-key", "x-auth-token"})
# Loggers that print request URLs or headers: httpx/httpcore (and the httpx2 fork the openai SDK uses).
HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpx2",
    "httpcore2.connection",
    "httpcore2.http11",
    "httpcore2.http2",
    "httpcore2.proxy",
    "openai",
    "urllib3.connectionpool",
)
_SECRET_QUERY = re.compile(r"(?i)\b(api_key|apikey|api-key|access_token|token|key|serp_api_key)=([^&\s\"']+)")
_MIN_LENGTH = 4  # shorter values would blank out ordinary words

_known: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Redact ``value`` from every later message and log line of this process.

    Process-wide on purpose: the log filter has no other way to know a key that a library prints.
    """
    if value and len(value) >= _MIN_LENGTH:
        with _known_lock:
            _known.add(value)


def header_secrets(headers: Mapping[str, str]) -> list[str]:
    """The secret values among ``headers`` (``Authorization: Bearer <t>`` gives the token alone too)."""
    found: list[str] = []
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS and value:
            found.append(value)
            scheme, _, token = value.partition(" ")
            if scheme and token:
                found.append(token)
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every registered secret, every one of ``secrets`` and every ``api_key=...`` value as ***."""
    with _known_lock:
        values = set(_known)
    values.update(s for s in secrets if s and len(s) >= _MIN_LENGTH)
    for value in sorted(values, key=len, reverse=True):  # a key that contains another goes first
        if value in text:
            text = text.replace(value, REDACTED)
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}={REDACTED}", text)


class _RedactingFilter(logging.Filter):
    """Rewrites a record whose message holds a secret; never drops a record."""

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


def redact_logs(names: Iterable[str] = HTTP_LOGGERS) -> None:
    """Put the redacting filter on these loggers (idempotent).

    A logger's filters only see records logged *by that logger*, not by its children, so each
    logger that prints URLs is named.
    """
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
