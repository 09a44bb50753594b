"""Human review of packages: nothing reaches an employer-facing e-mail unless it was approved.

Decisions are appended (never edited) to ``package_reviews``; the latest decision per application
wins. A user whose settings say ``auto_approve: true`` skips the wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from jobland_pipeline.records import TableStore

DECISIONS = ("approved", "rejected", "revision_requested")
READY = "ready_for_review"


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str | None
    reviewer: str
    at: datetime


def latest_decisions(reviews: pl.DataFrame) -> dict[str, Decision]:
    out: dict[str, Decision] = {}
    for row in reviews.sort("at").iter_rows(named=True):
        out[row["application_id"]] = Decision(
            row["decision"], row["note"], row["reviewer"] or "user", row["at"]
        )
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


def record_decision(
    store: TableStore, application_id: str, decision: str, *, note: str | None = None, reviewer: str = "user"
) -> dict[str, object]:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if decision == "revision_requested" and not (note or "").strip():
        raise ValueError("a revision request needs a note saying what to change")
    known = store.read("application_packages")
    if application_id not in set(known["application_id"].to_list()):
        raise ValueError(f"no package {application_id!r}; see `jobland review list`")
    row = {
        "application_id": application_id,
        "decision": decision,
        "note": note,
        "reviewer": reviewer,
        "at": datetime.now(UTC),
    }
    store.append("package_reviews", [row], group=application_id.split(":", 1)[0])
    return row
