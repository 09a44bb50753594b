"""email_digests: one digest per user per day with the day's packages attached, never sent twice."""

from datetime import UTC, datetime
from typing import Any

import dagster as dg
import duckdb
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.delivery.stage import DELIVERED, UNDELIVERED
from jobland_pipeline.digest_day import DailyDigests
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
    sender = mailer.mailer()
    claims = mailer.claims()
    try:
        day = DailyDigests(
            warehouse.store,
            claims,
            sender,
            inbox.user_settings,
            list(context.partition_keys),
            datetime.now(UTC).date(),
        )

        def run(user_id: str) -> EmailDigestRow:
            outcome = day.deliver(user_id)
            if outcome.status in UNDELIVERED:
                context.log.error(f"{user_id}: digest {outcome.status}: {outcome.error}")
            return outcome

        done, failed = for_each_key(context, day.users, run)
        full = day.compact()
        costs = _cost_figures(day)
    finally:
        claims.close()
    rows = day.rows
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
            **costs,
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


def _cost_figures(day: DailyDigests) -> dict[str, Any]:
    """The day's spend (LLM + share of paid search) per delivered package, per user and in all, as
    the ``cost_per_package`` view computes it; a view that cannot be read is said, not hidden."""
    try:
        costs = day.costs()
    except duckdb.Error as exc:
        return {"cost_per_package": f"unavailable: {exc}"}
    spend, delivered = float(costs["spend_usd"].sum() or 0.0), int(costs["packages_delivered"].sum() or 0)
    return {
        "spend_usd": round(spend, 6),
        "packages_delivered_today": delivered,
        "cost_per_delivered_package_usd": round(spend / delivered, 6) if delivered else None,
        "cost_per_package": dg.MetadataValue.json(
            {
                str(r["user_id"]): {
                    "spend_usd": round(r["spend_usd"], 6),
                    "packages_delivered": r["packages_delivered"],
                    "cost_per_package_usd": None
                    if r["cost_per_package_usd"] is None
                    else round(r["cost_per_package_usd"], 6),
                    "offline_after_budget": r["offline_after_budget"],
                }
                for r in costs.iter_rows(named=True)
            }
        ),
    }
