"""The delivery stage: a user's approved, grounded packages of the day -> one digest, exactly once.

An intent record (``sending``) is written before the send and the outcome after; a user-day with a
``sent``/``written`` record is never sent again, and a ``sending`` record without an outcome (a crash
mid-send) is resent with the same Message-ID (it is deterministic), so the receiving server can tell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jobland_pipeline.delivery.digest import DigestItem, build_digest
from jobland_pipeline.delivery.mailer import Mailer
from jobland_pipeline.delivery.records import EmailDigestRow
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.profiles.models import Profile

DELIVERED = ("sent", "written")
UNDELIVERED = ("no_recipient", "dead_letter", "failed")
NO_ADDRESS = "no e-mail address in the CV or settings.yaml"


@dataclass(frozen=True)
class Ledger:
    """What was already delivered: application ids ever sent, users sent to on each day."""

    sent: frozenset[str]
    sent_on: frozenset[tuple[str, date]]

    @classmethod
    def of(cls, rows: Iterable[EmailDigestRow]) -> Ledger:
        done = [r for r in rows if r.status in DELIVERED]
        return cls(
            frozenset(a for r in done for a in r.application_ids),
            frozenset((str(r.user_id), r.digest_date) for r in done if r.digest_date),
        )


def due_packages(
    user_id: str, packages: Iterable[ApplicationPackageRow], ledger: Ledger
) -> list[ApplicationPackageRow]:
    """The user's approved, grounded packages never sent before, best first, each application once."""
    mine = [
        p
        for p in packages
        if p.user_id == user_id
        and p.grounded
        and p.review_status == "approved"
        and p.application_id not in ledger.sent
    ]
    mine.sort(key=lambda p: -(p.score or 0))
    seen: set[str] = set()
    out: list[ApplicationPackageRow] = []
    for p in mine:
        if str(p.application_id) not in seen:
            seen.add(str(p.application_id))
            out.append(p)
    return out


def deliver_digest(
    user_id: str,
    *,
    packages: list[ApplicationPackageRow],
    ledger: Ledger,
    profile: Profile | None,
    recipient: str | None,
    mailer: Mailer,
    record: Callable[[EmailDigestRow], None],
    today: date,
) -> EmailDigestRow:
    """Send (or skip, saying why) today's digest; every step is recorded before it is returned."""

    def note(**fields: Any) -> EmailDigestRow:
        row = EmailDigestRow(
            user_id=user_id,
            digest_date=today,
            recorded_at=datetime.now(UTC),
            transport=mailer.transport,
            **fields,
        )
        record(row)
        return row

    if (user_id, today) in ledger.sent_on:
        return note(status="already_sent")
    due = due_packages(user_id, packages, ledger)
    if not due:
        return note(status="no_packages", recipient=recipient)
    ids = [str(p.application_id) for p in due]
    if not recipient:
        return note(status="no_recipient", recipient=None, application_ids=ids, error=NO_ADDRESS)
    message = build_digest(
        user_id=user_id,
        name=profile.contact.name if profile else None,
        recipient=recipient,
        sender=mailer.sender,
        day=today,
        items=[_item(p) for p in due],
        language=profile.language if profile else "en",
    )
    message_id, subject = str(message["Message-ID"]), str(message["Subject"])
    note(status="sending", application_ids=ids, recipient=recipient, message_id=message_id, subject=subject)
    outcome = mailer.deliver(message, user_id=user_id, day=today.isoformat())
    return note(
        status=outcome.status,
        application_ids=ids,
        recipient=recipient,
        message_id=message_id,
        subject=subject,
        attempts=outcome.attempts,
        eml_path=outcome.path,
        error=outcome.error,
    )


def _item(p: ApplicationPackageRow) -> DigestItem:
    return DigestItem(
        posting_id=str(p.posting_id),
        title=str(p.title),
        company=str(p.company),
        location=p.location or "",
        score=p.score or 0,
        probability=str(p.probability),
        reasons=p.reasons,
        url=p.url,
        package_dir=Path(str(p.package_dir)),
    )
