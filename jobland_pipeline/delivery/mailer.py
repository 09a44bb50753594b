"""Where a digest goes: SMTP when a host is configured, else an ``.eml`` file in the outbox folder.

Either way the outcome is a :class:`Delivery` the ledger records: a permanent SMTP refusal (5xx) is a
dead letter, never retried for the same digest; a transient one that outlived its retries (4xx, no
answer) and an outbox write that failed (full disk, read-only folder) are ``failed``, tried again by a
run after ``retry_after`` seconds (doubling per failed run, at most a day).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from jobland_pipeline.delivery.claims import safe_name
from jobland_pipeline.delivery.outbox import AlreadyDelivered, write_once
from jobland_pipeline.delivery.smtp import (
    PermanentDeliveryError,
    SmtpConfig,
    TransientDeliveryError,
    send_with_retries,
)

MAX_RETRY_WAIT = timedelta(days=1)


@dataclass(frozen=True)
class Delivery:
    status: str  # written | sent | already_sent | dead_letter | failed
    transport: str
    attempts: int = 1
    path: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Mailer:
    outbox_dir: Path
    sender: str
    smtp: SmtpConfig | None = None  # None: the outbox folder
    retry_after: float = 900.0  # seconds before a failed digest is tried again (doubles per failure)

    @property
    def transport(self) -> str:
        return "smtp" if self.smtp else "outbox"

    def outbox_path(self, user_id: str, day: date | str) -> Path:
        """Where the user's digest of the day is written (outbox transport)."""
        day_text = day.isoformat() if isinstance(day, date) else day
        return self.outbox_dir / day_text / f"{safe_name(user_id)}.eml"

    def next_attempt(self, now: datetime, failures: int) -> datetime:
        """When a digest that failed ``failures`` runs in a row is tried again."""
        wait = timedelta(seconds=self.retry_after) * (2 ** max(failures - 1, 0))
        return now + min(wait, MAX_RETRY_WAIT)

    def deliver(
        self,
        message: EmailMessage,
        *,
        user_id: str,
        day: str,
        on_accepted: Callable[[int], None] | None = None,
    ) -> Delivery:
        """Write or send; ``on_accepted(attempts)`` runs as soon as the SMTP server has the message."""
        if self.smtp is None:
            try:
                path = write_once(message, self.outbox_path(user_id, day))
            except AlreadyDelivered as exc:
                return Delivery("already_sent", "outbox", 0, str(exc))
            except OSError as exc:  # full disk, file-size limit, read-only folder: nothing was left
                name = errno.errorcode.get(exc.errno or 0, "OSError")
                return Delivery("failed", "outbox", 1, error=f"outbox write failed: {name} {exc.strerror}")
            return Delivery("written", "outbox", 1, str(path))
        try:
            attempts = send_with_retries(self.smtp, message, on_accepted=on_accepted)
        except PermanentDeliveryError as exc:
            return Delivery("dead_letter", "smtp", 1, error=str(exc))
        except TransientDeliveryError as exc:
            return Delivery("failed", "smtp", self.smtp.max_retries + 1, error=str(exc))
        return Delivery("sent", "smtp", attempts)
