import os
from email.message import EmailMessage
from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery.claims import Claims, open_claims
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
    smtp_retry_after: int = setting(
        "JOBLAND_SMTP_RETRY_AFTER",
        900,
        "Seconds before a digest that failed for a passing reason (4xx, no answer, full disk) is tried "
        "again by a later run; doubles with each failed run, at most a day. 5xx refusals are not retried.",
    )
    delivery_claims: str = setting(
        "JOBLAND_DELIVERY_CLAIMS",
        "auto",
        "Who may deliver a user's digest of a day (one claim before sending): auto = a Postgres row when "
        "DAGSTER_PG_* are set, else a file lock in the outbox folder; postgres; local.",
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
        return Mailer(Path(self.outbox_dir), self.sender, smtp, float(self.smtp_retry_after))

    def claims(self) -> Claims:
        """The delivery claims (close them after the run): Postgres beside Dagster's instance, else files."""
        return open_claims(self.delivery_claims, Path(self.outbox_dir), os.environ)

    def deliver(self, message: EmailMessage, *, user_id: str, day: str) -> Delivery:
        return self.mailer().deliver(message, user_id=user_id, day=day)
