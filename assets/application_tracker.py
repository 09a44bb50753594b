"""application_tracker: every application JobLand prepared and where it stands."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.email_digests import email_digests
from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_TRACKER,
    EMAIL_DIGESTS,
)
from jobland_pipeline.delivery.stage import Ledger
from jobland_pipeline.delivery.tracking import STATUSES, track
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from resources import WarehouseResource


@dg.asset(
    group_name="delivery",
    kinds={"python", "parquet"},
    deps=[application_packages, email_digests],
    metadata=definition_metadata("application_tracker"),
    check_specs=[
        spec("application_tracker", "valid_statuses", "Statuses are from the documented funnel."),
        spec("application_tracker", "one_row_per_application", "Each application appears once."),
    ],
)
def application_tracker(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Funnel status per application: discovered -> packaged -> approved -> sent -> applied -> interviewing
    -> offer / rejected.

    The pipeline moves an application up to ``sent`` (packages, reviews, the delivery ledger); the user
    reports the rest with ``jobland track``. Every change is kept in ``application_status_history``.
    """
    store = warehouse.store
    now = datetime.now(UTC)
    tracked = track(
        store.read_records(APPLICATION_PACKAGES),
        set(Ledger.of(store.read_records(EMAIL_DIGESTS)).sent),
        store.read_records(APPLICATION_STATUS_UPDATES),
        store.read_records(APPLICATION_TRACKER),
        now=now,
    )
    df = store.write_records(APPLICATION_TRACKER, "all", tracked.rows)
    store.append_records(APPLICATION_STATUS_HISTORY, tracked.history, group=now.date().isoformat())
    published = store.publish_views()
    funnel = df["status"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "funnel": dg.MetadataValue.json({f["status"]: f["count"] for f in funnel}),
            "status_changes": len(tracked.history),
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
