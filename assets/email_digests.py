"""email_digests: one digest per user per day with the day's packages attached, never sent twice."""

from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.delivery.digest import digest_options
from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.delivery.stage import DELIVERED, UNDELIVERED, Ledger, deliver_digest
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.keys import file_stem
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES
from jobland_pipeline.profiles.stage import profile_of
from jobland_pipeline.warehouse import Warehouse
from resources import InboxResource, MailerResource, WarehouseResource


@dg.asset(
    partitions_def=users_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="delivery",
    kinds={"python", "email"},
    deps=[dg.AssetDep(application_packages, partition_mapping=dg.AllPartitionMapping())],
    metadata=definition_metadata("email_digests"),
    check_specs=[
        spec("email_digests", "at_most_once_per_day", "No user has two digests written for the same day."),
        spec(
            "email_digests",
            "every_digest_delivered",
            "Every digest due was delivered (no missing address, no dead letter).",
        ),
    ],
)
def email_digests(
    context: dg.AssetExecutionContext,
    inbox: InboxResource,
    mailer: MailerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """The daily digest e-mail per user: the day's approved, grounded packages attached, text + HTML.

    Exactly once per user and day, whatever number of runs deliver at once: each user-day's claim (a
    file lock beside the outbox, or a Postgres row when Dagster's instance is on Postgres) is taken
    before the send and keeps what was done, so a run killed at any point is completed by the next one
    without a second message. Permanent SMTP refusals are dead letters (not retried); transient ones
    and failed outbox writes are ``failed`` with the time of the next attempt; a missing address fails
    only that user's delivery.
    """
    users = list(context.partition_keys)
    store = warehouse.store
    today = date.today()
    # Only what this run owns: its users' searches, packages, profiles and delivery ledger.
    titles = store.read_records(SUGGESTED_TITLES, users)
    searches = [str(t.search_key) for t in titles]
    packages = store.read_records(APPLICATION_PACKAGES, searches)
    profiles = {r.user_id: r for r in store.read_records(PROFILES, users)}
    sender = mailer.mailer()
    rows: list[EmailDigestRow] = []
    claims = mailer.claims()

    def ledger_rows(user_id: str) -> list[EmailDigestRow]:
        with claims.lock(f"ledger-{user_id}"):  # not while another run compacts the user's files
            return store.read_records(EMAIL_DIGESTS, [user_id])

    def record(row: EmailDigestRow) -> None:
        rows.append(row)  # each step is durable before the next
        with claims.lock(f"ledger-{row.user_id}"):
            store.append_records(EMAIL_DIGESTS, [row], group=str(row.user_id))

    def run(user_id: str) -> EmailDigestRow:
        profile_row = profiles.get(user_id)
        settings = inbox.user_settings(user_id)
        ledger = Ledger.of(ledger_rows(user_id))
        # The digest's optional parts: the day's packages that could not be made, the pay the user's
        # searches saw per posting (their postings read once), and whether settings auto-approve.
        mine = [str(t.search_key) for t in titles if t.user_id == user_id]
        options = digest_options(
            user_id,
            packages=packages,
            postings=store.read_records(JOB_POSTINGS, mine) if mine else [],
            day=today,
            sent=ledger.sent,
            auto_approve=settings.auto_approve,
        )
        outcome = deliver_digest(
            user_id,
            packages=packages,
            ledger=ledger,
            profile=profile_of(profile_row) if profile_row else None,
            recipient=settings.email or (profile_row.email if profile_row else None),
            mailer=sender,
            record=record,
            today=today,
            claims=claims,
            ledger_rows=ledger_rows,
            digest_options=options,
        )
        if outcome.status in UNDELIVERED:
            context.log.error(f"{user_id}: digest {outcome.status}: {outcome.error}")
        return outcome

    try:
        done, failed = for_each_key(context, users, run)
        ledgers = []
        for user in users:
            with claims.lock(f"ledger-{user}"):  # every writer of the user's ledger holds it
                _sweep_ledger_temporaries(store, user)
                store.compact(EMAIL_DIGESTS.name, user)  # one ledger file per user, not one per row
                ledgers.append(store.read(EMAIL_DIGESTS.name, [user]))
        full = pl.concat(ledgers).filter(pl.col("status").is_in(DELIVERED))
    finally:
        claims.close()
    df = EMAIL_DIGESTS.frame(rows)
    repeats = full.group_by(["user_id", "digest_date"]).len().filter(pl.col("len") > 1).height
    undelivered = df.filter(pl.col("status").is_in(UNDELIVERED))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "delivered": df.filter(pl.col("status").is_in(DELIVERED)).height,
            "transport": sender.transport,
            "statuses": dg.MetadataValue.json({u: str(r.status) for u, r in done.items()}),
            "users_failed": dg.MetadataValue.json(failed),
            "outbox": mailer.outbox_dir,
            "preview": preview(
                df, ["user_id", "status", "recipient", "subject", "eml_path", "error", "next_attempt_at"]
            ),
        },
        check_results=[
            check("at_most_once_per_day", repeats == 0, f"{repeats} user-days with two digests"),
            check(
                "every_digest_delivered",
                undelivered.is_empty(),
                f"{undelivered.height} digests not delivered: "
                + "; ".join(f"{r['user_id']}: {r['status']}" for r in undelivered.iter_rows(named=True)),
                warn=True,
            ),
        ],
    )


def _sweep_ledger_temporaries(store: Warehouse, user_id: str) -> None:
    """Remove the half-written ledger files of a run killed while it appended or compacted (the ledger
    lock is held, so no live writer has one); S3 has none (a PUT is whole or nothing)."""
    if isinstance(store.root, Path):
        for tmp in (store.root / EMAIL_DIGESTS.name / file_stem(user_id)).glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
