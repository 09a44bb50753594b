"""email_digests: one digest per user per day with the day's packages attached, never sent twice."""

from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.delivery import AlreadyDelivered, DigestItem, build_digest
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
        spec("email_digests", "at_most_once_per_day", "No user has two digests written for the same day.")
    ],
)
def email_digests(
    context: dg.AssetExecutionContext,
    inbox: InboxResource,
    mailer: OutboxMailerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """The daily digest e-mail per user: the day's grounded packages, attached, with a plain-text part.

    Exactly once per user and day: the outbox file is created exclusively and a ledger row records
    what was sent; a second run the same day records ``already_sent`` and sends nothing.
    """
    users = list(context.partition_keys)
    store = warehouse.store
    today = date.today()
    packages = store.read("application_packages")
    ledger = store.read("email_digests")
    already = set(
        a
        for ids in ledger.filter(pl.col("status") == "written")["application_ids"].to_list()
        for a in (ids or [])
    )
    profiles = {r["user_id"]: r for r in store.read("profiles", users).iter_rows(named=True)}
    now = datetime.now(UTC)

    def run(user_id: str) -> dict[str, object]:
        todays = (
            packages.filter(
                (pl.col("user_id") == user_id)
                & pl.col("grounded")
                & ~pl.col("application_id").is_in(list(already))
            )
            .sort("score", descending=True)
            .unique("application_id", keep="first", maintain_order=True)
        )
        row = profiles.get(user_id)
        profile = Profile.model_validate_json(row["profile_json"]) if row else None
        recipient = inbox.user_settings(user_id).email or (row or {}).get("email")
        base: dict[str, object] = {
            "user_id": user_id,
            "digest_date": today,
            "recipient": recipient,
            "recorded_at": now,
        }
        if todays.is_empty():
            return {**base, "status": "no_packages", "application_ids": []}
        if not recipient:
            context.log.error(f"{user_id}: no e-mail address in the CV or settings.yaml; digest not sent")
            return {**base, "status": "no_recipient", "application_ids": todays["application_id"].to_list()}
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
        ids = todays["application_id"].to_list()
        try:
            path = mailer.deliver(message, user_id=user_id, day=today.isoformat())
        except AlreadyDelivered as exc:
            return {**base, "status": "already_sent", "application_ids": ids, "eml_path": str(exc)}
        return {
            **base,
            "status": "written",
            "message_id": message["Message-ID"],
            "subject": message["Subject"],
            "application_ids": ids,
            "eml_path": str(path),
        }

    done, failed = for_each_key(context, users, run)
    rows = list(done.values())
    if rows:
        store.append("email_digests", rows, group=today.isoformat())
    df = store.conform("email_digests", rows)
    full = store.read("email_digests").filter(pl.col("status") == "written")
    repeats = full.group_by(["user_id", "digest_date"]).len().filter(pl.col("len") > 1).height
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "written": df.filter(pl.col("status") == "written").height,
            "statuses": dg.MetadataValue.json({r["user_id"]: r["status"] for r in rows}),
            "users_failed": dg.MetadataValue.json(failed),
            "outbox": mailer.outbox_dir,
            "preview": preview(df, ["user_id", "status", "recipient", "subject", "eml_path"]),
        },
        check_results=[check("at_most_once_per_day", repeats == 0, f"{repeats} user-days with two digests")],
    )
