"""The application funnel: where each application stands, and every status it went through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from jobland_pipeline.delivery.records import (
    ApplicationStatusHistoryRow,
    ApplicationStatusUpdateRow,
    ApplicationTrackerRow,
)
from jobland_pipeline.generation.records import ApplicationPackageRow

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


@dataclass(frozen=True)
class Tracked:
    rows: list[ApplicationTrackerRow]
    history: list[ApplicationStatusHistoryRow]


def track(
    packages: Iterable[ApplicationPackageRow],
    sent: set[str],
    updates: Iterable[ApplicationStatusUpdateRow],
    previous: Iterable[ApplicationTrackerRow],
    *,
    now: datetime,
) -> Tracked:
    """Every application's status now, and the changes since the last time (the history to append).

    The pipeline moves an application up to ``sent`` and never backwards; a user's report wins.
    """
    latest = _latest_packages(packages, now)
    events = _user_events(updates, now)
    before = {str(r.application_id): r for r in previous}
    rows: list[ApplicationTrackerRow] = []
    history: list[ApplicationStatusHistoryRow] = []
    for app_id, p in latest.items():
        derived = pipeline_status(
            grounded=bool(p.grounded), review_status=p.review_status, sent=app_id in sent
        )
        reported = events.get(app_id, [])
        old = before.get(app_id)
        status = _never_backwards(old, current_status(derived, reported), reported)
        changed = old is None or old.status != status
        if changed:
            history.append(
                ApplicationStatusHistoryRow(
                    application_id=app_id,
                    user_id=p.user_id,
                    status=status,
                    source="user" if reported else "pipeline",
                    at=now,
                )
            )
        rows.append(_tracker_row(app_id, p, status, now if changed or old is None else old.updated_at))
    return Tracked(rows, history)


def _latest_packages(
    packages: Iterable[ApplicationPackageRow], now: datetime
) -> dict[str, ApplicationPackageRow]:
    """Each application's newest package (a package without a date counts as made ``now``)."""
    latest: dict[str, ApplicationPackageRow] = {}
    for p in sorted(packages, key=lambda p: p.created_at or now, reverse=True):
        latest.setdefault(str(p.application_id), p)
    return latest


def _user_events(
    updates: Iterable[ApplicationStatusUpdateRow], now: datetime
) -> dict[str, list[StatusEvent]]:
    """The user's status reports, by application, in the order they came."""
    events: dict[str, list[StatusEvent]] = {}
    for u in updates:
        events.setdefault(str(u.application_id), []).append(
            StatusEvent(str(u.status), "user", u.note, u.at or now)
        )
    return events


def _never_backwards(old: ApplicationTrackerRow | None, status: str, reported: list[StatusEvent]) -> str:
    """The status, unless the pipeline alone would move the application back from where it stood
    (a package re-made after sending); a user's report may move it anywhere."""
    if old and old.status and not reported and STATUSES.index(old.status) > STATUSES.index(status):
        return old.status
    return status


def _tracker_row(
    app_id: str, p: ApplicationPackageRow, status: str, updated_at: datetime | None
) -> ApplicationTrackerRow:
    """The tracker's row of an application: its package's posting and where it stands."""
    return ApplicationTrackerRow(
        application_id=app_id,
        user_id=p.user_id,
        posting_id=p.posting_id,
        title=p.title,
        company=p.company,
        score=p.score,
        status=status,
        package_dir=p.package_dir,
        url=p.url,
        updated_at=updated_at,
    )
