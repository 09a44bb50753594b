from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery import AlreadyDelivered, write_once
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


class OutboxMailerResource(dg.ConfigurableResource):
    """Delivers digests: SMTP when ``smtp_host`` is set, else ``.eml`` files in the outbox folder."""

    outbox_dir: str = "var/outbox"
    sender: str = "jobland@localhost"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 30.0
    smtp_retries: int = 3

    @property
    def transport(self) -> str:
        return "smtp" if self.smtp_host else "outbox"

    def deliver(self, message: EmailMessage, *, user_id: str, day: str) -> Delivery:
        if not self.smtp_host:
            try:
                path = write_once(message, Path(self.outbox_dir) / day / f"{user_id}.eml")
            except AlreadyDelivered as exc:
                return Delivery("already_sent", "outbox", 0, str(exc))
            return Delivery("written", "outbox", 1, str(path))
        config = SmtpConfig(
            self.smtp_host,
            self.smtp_port,
            self.smtp_security,
            self.smtp_username,
            self.smtp_password,
            self.smtp_timeout,
            self.smtp_retries,
        )
        try:
            attempts = send_with_retries(config, message)
        except PermanentDeliveryError as exc:
            return Delivery("dead_letter", "smtp", 1, error=str(exc))
        except TransientDeliveryError as exc:
            return Delivery("failed", "smtp", config.max_retries + 1, error=str(exc))
        return Delivery("sent", "smtp", attempts)
