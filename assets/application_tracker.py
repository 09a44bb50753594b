"""application_tracker: every application JobLand prepared for a user and where it stands."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.email_digests import email_digests
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_TRACKER,
    EMAIL_DIGESTS,
)
from jobland_pipeline.delivery.stage import Ledger
from jobland_pipeline.delivery.tracking import STATUSES, track
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.profiles.records import SUGGESTED_TITLES
from resources import WarehouseResource


@dg.asset(
    partitions_def=users_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="delivery",
    kinds={"python", "parquet"},
    deps=[
        dg.AssetDep(application_packages, partition_mapping=dg.AllPartitionMapping()),
        email_digests,
    ],
    metadata=definition_metadata("application_tracker"),
    check_specs=[
        spec("application_tracker", "valid_statuses", "Statuses are from the documented funnel."),
        spec("application_tracker", "one_row_per_application", "Each application appears once."),
    ],
)
def application_tracker(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Funnel status per application of a user: discovered -> packaged -> approved -> sent -> applied ->
    interviewing -> offer / rejected.

    The pipeline moves an application up to ``sent`` (packages, reviews, the delivery ledger); the user
    reports the rest with ``jobland track``. Every change is kept in ``application_status_history``.
    Each user's partition reads only that user's packages, ledger and reports.
    """
    store = warehouse.store
    now = datetime.now(UTC)
    changes: dict[str, int] = {}

    def run(user_id: str) -> pl.DataFrame:
        searches = [str(t.search_key) for t in store.read_records(SUGGESTED_TITLES, [user_id])]
        tracked = track(
            store.read_records(APPLICATION_PACKAGES, searches),
            set(Ledger.of(store.read_records(EMAIL_DIGESTS, [user_id])).sent),
            store.read_records(APPLICATION_STATUS_UPDATES, [user_id]),
            store.read_records(APPLICATION_TRACKER, [user_id]),
            now=now,
        )
        store.append_records(APPLICATION_STATUS_HISTORY, tracked.history, group=user_id)
        store.compact(APPLICATION_STATUS_HISTORY.name, user_id)
        changes[user_id] = len(tracked.history)
        df = store.write_records(APPLICATION_TRACKER, user_id, tracked.rows)
        context.add_asset_metadata(
            {"dagster/row_count": df.height, "status_changes": len(tracked.history)}, partition_key=user_id
        )
        return df

    done, failed = for_each_key(context, list(context.partition_keys), run)
    df = pl.concat(list(done.values())) if done else APPLICATION_TRACKER.frame([])
    published = store.publish_views()
    funnel = df["status"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "funnel": dg.MetadataValue.json({f["status"]: f["count"] for f in funnel}),
            "status_changes": sum(changes.values()),
            "users_failed": dg.MetadataValue.json(failed),
            "duckdb_views_published": published,
            "preview": preview(
                df.sort("score", descending=True), ["user_id", "title", "company", "score", "status"]
            ),
        },
        check_results=[
            check(
                "valid_statuses",
                df.filter(~pl.col("status").is_in(list(STATUSES))).is_empty(),
                "statuses checked",
            ),
            check(
                "one_row_per_application", df["application_id"].n_unique() == df.height, f"{df.height} rows"
            ),
        ],
    )
