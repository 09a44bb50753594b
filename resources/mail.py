from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery import write_once


class OutboxMailerResource(dg.ConfigurableResource):
    """Delivers digests as ``.eml`` files in an outbox folder (the embedded default mail transport)."""

    outbox_dir: str = "var/outbox"
    sender: str = "jobland@localhost"

    def deliver(self, message: EmailMessage, *, user_id: str, day: str) -> Path:
        """Exactly once per user and day: raises ``AlreadyDelivered`` on a second attempt."""
        return write_once(message, Path(self.outbox_dir) / day / f"{user_id}.eml")
