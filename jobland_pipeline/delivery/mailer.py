"""Where a digest goes: SMTP when a host is configured, else an ``.eml`` file in the outbox folder.

Either way the outcome is a :class:`Delivery` the ledger records; a permanent SMTP refusal is a
dead letter, a transient one that outlived its retries is a failure (retried on the next run).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from jobland_pipeline.delivery.outbox import AlreadyDelivered, write_once
from jobland_pipeline.delivery.smtp import (
    PermanentDeliveryError,
    SmtpConfig,
    TransientDeliveryError,
    send_with_retries,
)


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

    @property
    def transport(self) -> str:
        return "smtp" if self.smtp else "outbox"

    def deliver(self, message: EmailMessage, *, user_id: str, day: str) -> Delivery:
        if self.smtp is None:
            try:
                path = write_once(message, self.outbox_dir / day / f"{user_id}.eml")
            except AlreadyDelivered as exc:
                return Delivery("already_sent", "outbox", 0, str(exc))
            return Delivery("written", "outbox", 1, str(path))
        try:
            attempts = send_with_retries(self.smtp, message)
        except PermanentDeliveryError as exc:
            return Delivery("dead_letter", "smtp", 1, error=str(exc))
        except TransientDeliveryError as exc:
            return Delivery("failed", "smtp", self.smtp.max_retries + 1, error=str(exc))
        return Delivery("sent", "smtp", attempts)
