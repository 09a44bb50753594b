"""Digests, reviews, status updates and the tracker as the warehouse keeps them.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class EmailDigestRow(BaseModel):
    """The delivery ledger: one row per user per day a digest was written or skipped."""

    user_id: str | None = Field(default=None, description="user")
    digest_date: date | None = Field(default=None, description="day of the digest")
    recipient: str | None = Field(default=None, description="e-mail address")
    status: str | None = Field(
        default=None,
        description="sent (SMTP) / written (outbox), already_sent, no_packages, no_recipient, failed (tried "
        "again at next_attempt_at), dead_letter (refused for good: not retried)",
    )
    transport: str | None = Field(default=None, description="outbox or smtp")
    attempts: int | None = Field(default=None, description="delivery attempts")
    error: str | None = Field(default=None, description="why it failed, if it did")
    next_attempt_at: datetime | None = Field(
        default=None, description="when a failed digest is tried again (empty: delivered, or never)"
    )
    message_id: str | None = Field(default=None, description="Message-ID header")
    subject: str | None = Field(default=None, description="subject line")
    application_ids: list[str] = Field(default_factory=list, description="packages in the digest")
    eml_path: str | None = Field(default=None, description="outbox file")
    recorded_at: datetime | None = Field(default=None, description="when recorded")


EMAIL_DIGESTS = Table(
    "email_digests",
    EmailDigestRow,
    "The delivery ledger: one row per user per day a digest was written or skipped.",
)


class PackageReviewRow(BaseModel):
    """Review decisions on packages (the human in the loop): approve, reject or ask for a revision."""

    application_id: str | None = Field(default=None, description="'<user>:<posting>'")
    decision: str | None = Field(default=None, description="approved, rejected or revision_requested")
    note: str | None = Field(default=None, description="what to change, for a revision")
    reviewer: str | None = Field(default=None, description="who decided (user, operator or 'auto')")
    at: datetime | None = Field(default=None, description="when")


PACKAGE_REVIEWS = Table(
    "package_reviews",
    PackageReviewRow,
    "Review decisions on packages (the human in the loop): approve, reject or ask for a revision.",
)


class ApplicationStatusUpdateRow(BaseModel):
    """Status changes reported by the user after sending: applied, interviewing, offer, rejected."""

    application_id: str | None = Field(default=None, description="'<user>:<posting>'")
    status: str | None = Field(default=None, description="applied, interviewing, offer or rejected")
    note: str | None = Field(default=None, description="free note")
    at: datetime | None = Field(default=None, description="when")


APPLICATION_STATUS_UPDATES = Table(
    "application_status_updates",
    ApplicationStatusUpdateRow,
    "Status changes reported by the user after sending: applied, interviewing, offer, rejected.",
)


class ApplicationStatusHistoryRow(BaseModel):
    """Every status an application went through, with when."""

    application_id: str | None = Field(default=None, description="'<user>:<posting>'")
    user_id: str | None = Field(default=None, description="user")
    status: str | None = Field(default=None, description="status entered")
    source: str | None = Field(default=None, description="pipeline, review or user")
    note: str | None = Field(default=None, description="note")
    at: datetime | None = Field(default=None, description="when")


APPLICATION_STATUS_HISTORY = Table(
    "application_status_history",
    ApplicationStatusHistoryRow,
    "Every status an application went through, with when.",
)


class ApplicationTrackerRow(BaseModel):
    """Every application JobLand prepared and where it stands."""

    application_id: str | None = Field(default=None, description="'<user>:<posting>'")
    user_id: str | None = Field(default=None, description="user")
    posting_id: str | None = Field(default=None, description="posting")
    title: str | None = Field(default=None, description="posting title")
    company: str | None = Field(default=None, description="company")
    score: int | None = Field(default=None, description="screening score")
    status: str | None = Field(
        default=None,
        description="discovered, packaged, approved, sent, applied, interviewing, offer or rejected",
    )
    package_dir: str | None = Field(default=None, description="package folder")
    url: str | None = Field(default=None, description="posting URL")
    updated_at: datetime | None = Field(default=None, description="last status change")


APPLICATION_TRACKER = Table(
    "application_tracker", ApplicationTrackerRow, "Every application JobLand prepared and where it stands."
)


class BatchStatusRow(BaseModel):
    """A user's daily batch, one row per stage: what the Dagster instance and the warehouse said of it."""

    user_id: str | None = Field(default=None, description="user")
    day: date | None = Field(default=None, description="batch day (UTC)")
    stage: str | None = Field(
        default=None, description="intake, search, screening, research, packages or digest (in this order)"
    )
    position: int | None = Field(default=None, description="the stage's place in the batch, from 1")
    state: str | None = Field(default=None, description="done, running, failed, queued, canceled or not run")
    rows: int | None = Field(default=None, description="rows the stage made for the user that day")
    detail: str | None = Field(
        default=None, description="first line of the failure, or where 'done' comes from"
    )
    run_id: str | None = Field(default=None, description="the Dagster run that decided the state")
    checked_at: datetime | None = Field(default=None, description="when the status was read")


BATCH_STATUS = Table(
    "batch_status",
    BatchStatusRow,
    "A user's daily batch, one row per stage: done / running / failed (why) / queued, with the run.",
)
