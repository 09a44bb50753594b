from email.message import EmailMessage
from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery.mailer import Delivery, Mailer
from jobland_pipeline.delivery.smtp import SmtpConfig

__all__ = ["Delivery", "OutboxMailerResource"]


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
        return self.mailer().transport

    def mailer(self) -> Mailer:
        smtp = (
            SmtpConfig(
                self.smtp_host,
                self.smtp_port,
                self.smtp_security,
                self.smtp_username,
                self.smtp_password,
                self.smtp_timeout,
                self.smtp_retries,
            )
            if self.smtp_host
            else None
        )
        return Mailer(Path(self.outbox_dir), self.sender, smtp)

    def deliver(self, message: EmailMessage, *, user_id: str, day: str) -> Delivery:
        return self.mailer().deliver(message, user_id=user_id, day=day)
