"""email_digests: one digest per user per day with the day's packages attached, never sent twice."""

from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.delivery import DigestItem, build_digest
from jobland_pipeline.profiles import Profile
from resources import InboxResource, OutboxMailerResource, WarehouseResource


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
    mailer: OutboxMailerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """The daily digest e-mail per user: the day's approved, grounded packages attached, text + HTML.

    Exactly once per user and day: an intent row (``sending``) is written to the ledger before the
    send and the outcome after; a user-day with a ``sent``/``written`` row is never sent again, a
    ``sending`` row without an outcome (a crash mid-send) is resent with the same Message-ID.
    Permanent SMTP refusals are dead letters; a missing address fails only that user's delivery.
    """
    users = list(context.partition_keys)
    store = warehouse.store
    today = date.today()
    packages = store.read("application_packages")
    ledger = store.read("email_digests")
    delivered = ledger.filter(pl.col("status").is_in(["sent", "written"]))
    already = {a for ids in delivered["application_ids"].to_list() for a in (ids or [])}
    sent_today = set(delivered.filter(pl.col("digest_date") == today)["user_id"].to_list())
    profiles = {r["user_id"]: r for r in store.read("profiles", users).iter_rows(named=True)}
    rows: list[dict[str, object]] = []

    def record(row: dict[str, object]) -> dict[str, object]:
        row = {"digest_date": today, "recorded_at": datetime.now(UTC), "transport": mailer.transport, **row}
        rows.append(row)
        store.append("email_digests", [row], group=today.isoformat())
        return row

    def run(user_id: str) -> dict[str, object]:
        base: dict[str, object] = {"user_id": user_id}
        if user_id in sent_today:
            return record({**base, "status": "already_sent", "application_ids": []})
        todays = (
            packages.filter(
                (pl.col("user_id") == user_id)
                & pl.col("grounded")
                & (pl.col("review_status") == "approved")
                & ~pl.col("application_id").is_in(list(already))
            )
            .sort("score", descending=True)
            .unique("application_id", keep="first", maintain_order=True)
        )
        row = profiles.get(user_id)
        profile = Profile.model_validate_json(row["profile_json"]) if row else None
        recipient = inbox.user_settings(user_id).email or (row or {}).get("email")
        base["recipient"] = recipient
        if todays.is_empty():
            return record({**base, "status": "no_packages", "application_ids": []})
        ids = todays["application_id"].to_list()
        if not recipient:
            context.log.error(f"{user_id}: no e-mail address in the CV or settings.yaml; digest not sent")
            return record(
                {
                    **base,
                    "status": "no_recipient",
                    "application_ids": ids,
                    "error": "no e-mail address in the CV or settings.yaml",
                }
            )
        items = [
            DigestItem(
                posting_id=r["posting_id"],
                title=r["title"],
                company=r["company"],
                location=r["location"] or "",
                score=r["score"],
                probability=r["probability"],
                reasons=r["reasons"] or [],
                url=r["url"],
                package_dir=Path(r["package_dir"]),
            )
            for r in todays.iter_rows(named=True)
        ]
        message = build_digest(
            user_id=user_id,
            name=profile.contact.name if profile else None,
            recipient=str(recipient),
            sender=mailer.sender,
            day=today,
            items=items,
            language=profile.language if profile else "en",
        )
        intent = {
            **base,
            "message_id": message["Message-ID"],
            "subject": message["Subject"],
            "application_ids": ids,
        }
        record({**intent, "status": "sending"})
        outcome = mailer.deliver(message, user_id=user_id, day=today.isoformat())
        if outcome.status in ("dead_letter", "failed"):
            context.log.error(f"{user_id}: delivery {outcome.status}: {outcome.error}")
        return record(
            {
                **intent,
                "status": outcome.status,
                "attempts": outcome.attempts,
                "eml_path": outcome.path,
                "error": outcome.error,
            }
        )

    done, failed = for_each_key(context, users, run)
    df = store.conform("email_digests", [r for r in rows if r["status"] != "sending"])
    full = store.read("email_digests").filter(pl.col("status").is_in(["sent", "written"]))
    repeats = full.group_by(["user_id", "digest_date"]).len().filter(pl.col("len") > 1).height
    undelivered = df.filter(pl.col("status").is_in(["no_recipient", "dead_letter", "failed"]))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "delivered": df.filter(pl.col("status").is_in(["sent", "written"])).height,
            "transport": mailer.transport,
            "statuses": dg.MetadataValue.json({r["user_id"]: r["status"] for r in done.values()}),
            "users_failed": dg.MetadataValue.json(failed),
            "outbox": mailer.outbox_dir,
            "preview": preview(df, ["user_id", "status", "recipient", "subject", "eml_path", "error"]),
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
