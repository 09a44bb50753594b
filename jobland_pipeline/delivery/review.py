"""Human review of packages: nothing reaches an employer-facing e-mail unless it was approved.

Decisions are appended (never edited) to ``package_reviews``; the latest decision per application
wins. A user whose settings say ``auto_approve: true`` skips the wait.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from jobland_pipeline.delivery.records import PACKAGE_REVIEWS, PackageReviewRow
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.records import TableStore

DECISIONS = ("approved", "rejected", "revision_requested")
READY = "ready_for_review"


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str | None
    reviewer: str
    at: datetime


def latest_decisions(reviews: Iterable[PackageReviewRow]) -> dict[str, Decision]:
    """The latest decision per application (decisions are appended, never edited)."""
    out: dict[str, Decision] = {}
    for row in sorted(reviews, key=lambda r: r.at or datetime.min.replace(tzinfo=UTC)):
        out[str(row.application_id)] = Decision(str(row.decision), row.note, row.reviewer or "user", row.at)  # type: ignore[arg-type]
    return out


def review_status(
    application_id: str, *, auto_approve: bool, decisions: dict[str, Decision]
) -> tuple[str, str | None]:
    """(review status, revision note to regenerate with)."""
    decision = decisions.get(application_id)
    if decision is None:
        return ("approved" if auto_approve else READY), None
    if decision.decision == "revision_requested":
        # Regenerated with the note; it needs a fresh look (unless the user auto-approves).
        return ("approved" if auto_approve else READY), decision.note
    return decision.decision, None


def decided_since(
    application_id: str,
    created_at: datetime | None,
    revision_note: str | None,
    decisions: dict[str, Decision],
) -> bool:
    """Whether a reviewer decided on this version of the package: it no longer waits, though its
    status changes only at the next packages run. A revision request is answered once the package
    carries its note (a package made with the same note again is reused, with its old time)."""
    decision = decisions.get(application_id)
    if decision is None or decision.at is None:
        return False
    if decision.decision == "revision_requested":
        return (revision_note or "") != (decision.note or "")
    return created_at is None or decision.at >= created_at


def record_decision(
    store: TableStore, application_id: str, decision: str, *, note: str | None = None, reviewer: str = "user"
) -> PackageReviewRow:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if decision == "revision_requested" and not (note or "").strip():
        raise ValueError("a revision request needs a note saying what to change")
    if application_id not in {p.application_id for p in store.read_records(APPLICATION_PACKAGES)}:
        raise ValueError(f"no package {application_id!r}; see `jobland review list`")
    row = PackageReviewRow(
        application_id=application_id, decision=decision, note=note, reviewer=reviewer, at=datetime.now(UTC)
    )
    store.append_records(PACKAGE_REVIEWS, [row], group=application_id.split(":", 1)[0])
    return row
