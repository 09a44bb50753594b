"""The delivery stage: a user's approved, grounded packages of the day -> one digest, exactly once.

Exactly once across runs, processes and machines: the user-day's claim
(:mod:`jobland_pipeline.delivery.claims`) is taken before anything is written or sent, and it keeps
what its holder got done, each step durable before the next:

1. ``claimed`` with the Message-ID and the applications, then the ``.eml`` is written or sent;
2. the outcome (``written``/``sent``/``failed``/``dead_letter``) on the claim;
3. the ledger row (the tracker reads the ledger, so it follows).

A run killed anywhere leaves a claim the next run completes: an outcome not yet in the ledger is
recorded from the claim, an ``.eml`` already in the outbox is recorded from the file (never written
again), a temporary file is removed. Only a kill while the SMTP server is accepting the message (after
its "250", before the claim says ``sent``) makes the next run send again; it sends the same message
with the same Message-ID, so the receiving side can tell. Permanent refusals (5xx) are dead letters
and not retried for the same address and packages; transient failures are tried again from
``next_attempt_at`` on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jobland_pipeline.delivery.claims import Claim, Claims, ClaimState
from jobland_pipeline.delivery.crash import crash_point
from jobland_pipeline.delivery.digest import DigestItem, build_digest
from jobland_pipeline.delivery.mailer import Delivery, Mailer
from jobland_pipeline.delivery.outbox import (
    APPLICATIONS_HEADER,
    read_written,
    sweep_temporaries,
    temporaries,
)
from jobland_pipeline.delivery.records import EmailDigestRow
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.profiles.models import Profile

DELIVERED = ("sent", "written")
UNDELIVERED = ("no_recipient", "dead_letter", "failed")
NO_ADDRESS = "no e-mail address in the CV or settings.yaml"
CLAIM_WAIT = 600.0  # seconds a run waits for another run delivering the same user-day
RECOVERY_DAYS = 7  # how far back a run looks for outbox files the ledger lacks (claims: any age)


@dataclass(frozen=True)
class Ledger:
    """What was already delivered: application ids ever sent, users sent to on each day, and digests
    refused for good (user, address, applications) that are not tried again."""

    sent: frozenset[str]
    sent_on: frozenset[tuple[str, date]]
    refused: frozenset[tuple[str, str, frozenset[str]]] = frozenset()

    @classmethod
    def of(cls, rows: Iterable[EmailDigestRow]) -> Ledger:
        rows = list(rows)
        done = [r for r in rows if r.status in DELIVERED]
        dead = [r for r in rows if r.status == "dead_letter" and r.recipient and r.application_ids]
        return cls(
            frozenset(a for r in done for a in r.application_ids),
            frozenset((str(r.user_id), r.digest_date) for r in done if r.digest_date),
            frozenset((str(r.user_id), str(r.recipient), frozenset(r.application_ids)) for r in dead),
        )

    def plus(self, rows: Iterable[EmailDigestRow]) -> Ledger:
        """This ledger with more rows recorded."""
        more = Ledger.of(rows)
        return Ledger(self.sent | more.sent, self.sent_on | more.sent_on, self.refused | more.refused)


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
    claims: Claims,
    ledger_rows: Callable[[str], list[EmailDigestRow]] | None = None,
    now: Callable[[], datetime] | None = None,
    wait: float = CLAIM_WAIT,
    digest_options: Mapping[str, Any] | None = None,
) -> EmailDigestRow:
    """Send (or skip, saying why) today's digest holding its claim; every step is recorded before it
    is returned. ``ledger`` is the run's snapshot; ``ledger_rows(user)`` re-reads the user's rows once
    the claim is held (another run may have recorded the day meanwhile). ``digest_options``: the
    digest's optional inputs (failed packages, pay seen, auto-approval), as
    :func:`jobland_pipeline.delivery.digest.digest_options` gives them."""
    clock = now or (lambda: datetime.now(UTC))

    def note(**fields: Any) -> EmailDigestRow:
        row = EmailDigestRow(
            user_id=user_id,
            digest_date=today,
            recorded_at=clock(),
            transport=mailer.transport,
            **fields,
        )
        record(row)
        return row

    earlier = complete_earlier_days(
        user_id,
        ledger=ledger,
        mailer=mailer,
        claims=claims,
        record=record,
        today=today,
        now=clock,
        ledger_rows=ledger_rows,
    )
    ledger = ledger.plus(earlier)
    if (user_id, today) in ledger.sent_on:
        return note(status="already_sent")
    with claims.claim(user_id, today, wait=wait) as claim:
        if claim is None:
            return note(
                status="failed",
                recipient=recipient,
                error=f"another run held the claim on this digest for {wait:.0f} s; tried again next run",
                next_attempt_at=clock(),
            )
        fresh = Ledger.of(ledger_rows(user_id)) if ledger_rows else ledger
        row = _deliver_claimed(
            claim,
            due=due_packages(user_id, packages, fresh),
            fresh=fresh,
            profile=profile,
            recipient=recipient,
            mailer=mailer,
            note=note,
            now=clock,
            options=digest_options or {},
        )
        claim.recorded()  # the ledger has the outcome: no later run needs to look at this claim
        return row


def complete_earlier_days(
    user_id: str,
    *,
    ledger: Ledger,
    mailer: Mailer,
    claims: Claims,
    record: Callable[[EmailDigestRow], None],
    today: date,
    now: Callable[[], datetime],
    ledger_rows: Callable[[str], list[EmailDigestRow]] | None = None,
    days: int = RECOVERY_DAYS,
) -> list[EmailDigestRow]:
    """Record the digests that a killed run delivered but never recorded (however long ago: its claim
    stays pending until recorded; in the outbox also a file of the last ``days`` days the ledger does
    not have), never sending them again, so their packages are not e-mailed a second time under a new
    Message-ID; remove the temporary files such a run left."""
    pending = set(claims.pending(user_id, today))
    if mailer.smtp is None:
        recent = [today - timedelta(days=n) for n in range(1, days + 1)]
        for day in recent:
            path = mailer.outbox_path(user_id, day)
            if (user_id, day) not in ledger.sent_on and (path.exists() or temporaries(path)):
                pending.add(day)
    rows: list[EmailDigestRow] = []
    for day in sorted(pending):
        with claims.claim(user_id, day, wait=0) as claim:
            if claim is None:
                continue  # its run is alive and records it itself
            current = Ledger.of(ledger_rows(user_id)) if ledger_rows else ledger
            if (user_id, day) not in current.sent_on:
                done = _delivered_before(claim, mailer)
                _abandon(claim, done)
                if done is not None:
                    row = EmailDigestRow(
                        user_id=user_id,
                        digest_date=day,
                        recorded_at=now(),
                        transport=mailer.transport,
                        **_from_state(done),
                    )
                    record(row)
                    rows.append(row)
            claim.recorded()
    return rows


def _delivered_before(claim: Claim, mailer: Mailer) -> ClaimState | None:
    """What an earlier holder of the claim delivered, from the claim or the outbox file (the claim
    held: temporary files are removed)."""
    prev = claim.previous
    if mailer.smtp is None:
        path = mailer.outbox_path(claim.user_id, claim.day)
        sweep_temporaries(path)
        written = read_written(path)
        if written is not None:
            carried = (
                written.application_ids
                if written.application_ids is not None
                else (prev.application_ids if prev else ())
            )
            state = ClaimState(
                "written",
                written.message_id,
                written.subject,
                carried,
                attempts=(prev.attempts if prev else 0) + 1,
                eml_path=str(written.path),
            )
            if prev != state:
                claim.mark(state)
            return state
    return prev if prev is not None and prev.status in DELIVERED else None


def _abandon(claim: Claim, done: ClaimState | None) -> None:
    """A claim a killed run left ``claimed`` that delivered nothing: say so (no run looks at it again;
    its packages go in a later digest)."""
    prev = claim.previous
    if done is None and prev is not None and prev.status == "claimed":
        claim.mark(prev.but(status="abandoned", error="the run delivering it was killed before it did"))


def _from_state(state: ClaimState, **fields: Any) -> dict[str, Any]:
    """The ledger fields a claim state gives (the row a killed run did not get to record)."""
    return {
        "status": state.status,
        "application_ids": list(state.application_ids),
        "message_id": state.message_id,
        "subject": state.subject,
        "attempts": state.attempts,
        "eml_path": state.eml_path,
        "error": state.error,
        "next_attempt_at": state.next_attempt_at,
        **fields,
    }


def _deliver_claimed(
    claim: Claim,
    *,
    due: list[ApplicationPackageRow],
    fresh: Ledger,
    profile: Profile | None,
    recipient: str | None,
    mailer: Mailer,
    note: Callable[..., EmailDigestRow],
    now: Callable[[], datetime],
    options: Mapping[str, Any],
) -> EmailDigestRow:
    """The delivery, the claim held: resume what an earlier holder left, else deliver from scratch."""
    done = _recorded_before(claim, fresh=fresh, recipient=recipient, note=note, now=now)
    if done is None:
        done = _written_before(claim, due=due, recipient=recipient, mailer=mailer, note=note)
    if done is not None:
        return done
    due = _same_as_before(claim.previous, due)
    # failed packages are still news, and so is the notice that the CV names no job to search for
    if not due and not ((options.get("failed") or options.get("no_titles")) and recipient):
        _abandon(claim, None)
        return note(status="no_packages", recipient=recipient)
    ids = [str(p.application_id) for p in due]
    if not recipient:
        return note(status="no_recipient", recipient=None, application_ids=ids, error=NO_ADDRESS)
    if (claim.user_id, recipient, frozenset(ids)) in fresh.refused:
        return note(
            status="dead_letter",
            recipient=recipient,
            application_ids=ids,
            attempts=0,
            error="refused for good before: not retried for this address and these packages",
        )
    return _send(
        claim,
        due=due,
        profile=profile,
        recipient=recipient,
        mailer=mailer,
        note=note,
        now=now,
        options=options,
    )


def _recorded_before(
    claim: Claim,
    *,
    fresh: Ledger,
    recipient: str | None,
    note: Callable[..., EmailDigestRow],
    now: Callable[[], datetime],
) -> EmailDigestRow | None:
    """The row for a user-day already settled (in the ledger, or on the claim: delivered, a dead
    letter, or failed with its next attempt still ahead), recorded; None when it is still to deliver."""
    prev = claim.previous
    if (claim.user_id, claim.day) in fresh.sent_on:
        return note(status="already_sent")
    if prev is not None and prev.status in DELIVERED:  # delivered, the ledger row never made it
        return note(**_from_state(prev, recipient=recipient))
    if prev is not None and prev.status == "dead_letter":
        return note(**_from_state(prev, recipient=recipient, attempts=0))
    if prev is not None and prev.status == "failed" and prev.next_attempt_at and prev.next_attempt_at > now():
        return note(**_from_state(prev, recipient=recipient, attempts=0))
    return None


def _written_before(
    claim: Claim,
    *,
    due: list[ApplicationPackageRow],
    recipient: str | None,
    mailer: Mailer,
    note: Callable[..., EmailDigestRow],
) -> EmailDigestRow | None:
    """An ``.eml`` in the outbox that a run killed before it recorded it wrote: recorded, never
    rewritten (temporary files are removed first); None when there is none or the mailer sends SMTP."""
    if mailer.smtp is not None:
        return None
    prev = claim.previous
    target = mailer.outbox_path(claim.user_id, claim.day)
    sweep_temporaries(target)
    written = read_written(target)
    if written is None:
        return None
    if written.application_ids is not None:  # what the file holds, none at all included
        carried = written.application_ids
    elif prev is not None and prev.message_id:  # a file of an older version: the claim says
        carried = prev.application_ids
    else:
        carried = tuple(str(p.application_id) for p in due)
    state = ClaimState(
        "written",
        written.message_id,
        written.subject,
        carried,
        attempts=(prev.attempts if prev else 0) + 1,
        eml_path=str(written.path),
    )
    claim.mark(state)
    return note(**_from_state(state, recipient=recipient))


def _same_as_before(prev: ClaimState | None, due: list[ApplicationPackageRow]) -> list[ApplicationPackageRow]:
    """After a killed or failed attempt, the same message again: the packages it held that are still
    due (all that are due when none is). A message of failed packages only stays one: it may have
    reached the user, and packages due since wait for the next day's digest."""
    if prev is not None and prev.message_id and not prev.application_ids:
        return []
    if prev is not None and prev.application_ids:
        same = [p for p in due if str(p.application_id) in prev.application_ids]
        return same or due
    return due


def _send(
    claim: Claim,
    *,
    due: list[ApplicationPackageRow],
    profile: Profile | None,
    recipient: str,
    mailer: Mailer,
    note: Callable[..., EmailDigestRow],
    now: Callable[[], datetime],
    options: Mapping[str, Any],
) -> EmailDigestRow:
    """Build the digest, mark the claim ``claimed``, deliver, mark the outcome, then record it: each
    step durable before the next."""
    user_id, today, prev = claim.user_id, claim.day, claim.previous
    ids = [str(p.application_id) for p in due]
    message = build_digest(
        user_id=user_id,
        name=profile.contact.name if profile else None,
        recipient=recipient,
        sender=mailer.sender,
        day=today,
        items=[_item(p) for p in due],
        language=profile.language if profile else "en",
        **options,
    )
    message[APPLICATIONS_HEADER] = ", ".join(ids)  # folds at the spaces; read back item by item
    message_id, subject = str(message["Message-ID"]), str(message["Subject"])
    before = prev.attempts if prev else 0
    claim.mark(
        ClaimState(
            "claimed",
            message_id,
            subject,
            tuple(ids),
            attempts=before,
            failures=prev.failures if prev else 0,
        )
    )
    crash_point("after_claim")

    def accepted(attempts: int) -> None:  # the server has it: say so before anything else happens
        crash_point("after_send")
        claim.mark(ClaimState("sent", message_id, subject, tuple(ids), attempts=before + attempts))

    outcome = mailer.deliver(message, user_id=user_id, day=today.isoformat(), on_accepted=accepted)
    if outcome.status == "already_sent":  # a file appeared without the claim (it cannot, holding it)
        return note(status="already_sent", eml_path=outcome.path)
    state = _outcome_state(
        outcome, prev=prev, message_id=message_id, subject=subject, ids=ids, mailer=mailer, now=now
    )
    claim.mark(state)
    crash_point("after_mark")
    row = note(**_from_state(state, recipient=recipient, attempts=outcome.attempts))
    crash_point("after_ledger")
    return row


def _outcome_state(
    outcome: Delivery,
    *,
    prev: ClaimState | None,
    message_id: str,
    subject: str,
    ids: list[str],
    mailer: Mailer,
    now: Callable[[], datetime],
) -> ClaimState:
    """The claim's state after a delivery: a dead letter says it is not retried, a failure counts
    and says when the next attempt is."""
    before = prev.attempts if prev else 0
    failures = (prev.failures if prev else 0) + 1 if outcome.status == "failed" else 0
    error = outcome.error
    if outcome.status == "dead_letter":
        error = f"{error}; not retried"
    next_at = mailer.next_attempt(now(), failures) if outcome.status == "failed" else None
    if next_at is not None:
        error = f"{error}; next attempt at {next_at.isoformat(timespec='seconds')}"
    return ClaimState(
        outcome.status,
        message_id,
        subject,
        tuple(ids),
        attempts=before + outcome.attempts,
        failures=failures,
        eml_path=outcome.path,
        error=error,
        next_attempt_at=next_at,
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
