from email.message import EmailMessage
from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery.mailer import Delivery, Mailer
from jobland_pipeline.delivery.smtp import SmtpConfig
from resources.settings import setting

__all__ = ["Delivery", "MailerResource"]


class MailerResource(dg.ConfigurableResource):
    """Delivers digests: SMTP when ``smtp_host`` is set, else ``.eml`` files in the outbox folder."""

    outbox_dir: str = setting(
        "JOBLAND_OUTBOX_DIR", "{home}/outbox", "Where digest e-mails (.eml) are written."
    )
    sender: str = setting("JOBLAND_MAIL_FROM", "jobland@localhost", "Sender address of digest e-mails.")
    smtp_host: str = setting(
        "JOBLAND_SMTP_HOST", "", "SMTP server; empty = digests are written to the outbox folder instead."
    )
    smtp_port: int = setting("JOBLAND_SMTP_PORT", 587, "SMTP port (587 STARTTLS, 465 SSL).")
    smtp_security: str = setting(
        "JOBLAND_SMTP_SECURITY", "starttls", "starttls, ssl or none (none only for a relay on localhost)."
    )
    smtp_username: str = setting("JOBLAND_SMTP_USERNAME", "", "SMTP login (empty = no authentication).")
    smtp_password: str = setting(
        "JOBLAND_SMTP_PASSWORD", "", "SMTP password (secret: never logged).", secret=True
    )
    smtp_retries: int = setting(
        "JOBLAND_SMTP_RETRIES", 3, "Retries on transient SMTP failures (4xx, dropped connections)."
    )
    smtp_timeout: float = 30.0

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
