"""The application funnel: where each application stands, and every status it went through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATUSES = ("discovered", "packaged", "approved", "sent", "applied", "interviewing", "offer", "rejected")
USER_STATUSES = ("applied", "interviewing", "offer", "rejected")


@dataclass(frozen=True)
class StatusEvent:
    status: str
    source: str  # pipeline | review | user
    note: str | None
    at: datetime


def pipeline_status(*, grounded: bool, review_status: str | None, sent: bool) -> str:
    if sent:
        return "sent"
    if not grounded or review_status == "rejected":
        return "discovered"
    return "approved" if review_status == "approved" else "packaged"


def current_status(pipeline: str, user_events: list[StatusEvent]) -> str:
    """The user's latest report wins (they know what happened after sending); else the pipeline's view."""
    if user_events:
        return max(user_events, key=lambda e: e.at).status
    return pipeline
