"""application_tracker: every application JobLand prepared and where it stands."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.email_digests import email_digests
from jobland_pipeline.delivery.tracking import STATUSES, StatusEvent, current_status, pipeline_status
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
    packages = (
        store.read("application_packages")
        .sort("created_at", descending=True)
        .unique("application_id", keep="first", maintain_order=True)
    )
    sent = {
        a
        for ids in store.read("email_digests")
        .filter(pl.col("status").is_in(["sent", "written"]))["application_ids"]
        .to_list()
        for a in (ids or [])
    }
    user_events: dict[str, list[StatusEvent]] = {}
    for r in store.read("application_status_updates").iter_rows(named=True):
        user_events.setdefault(r["application_id"], []).append(
            StatusEvent(r["status"], "user", r["note"], r["at"])
        )
    previous = {r["application_id"]: r for r in store.read("application_tracker").iter_rows(named=True)}
    now = datetime.now(UTC)
    rows, history = [], []
    for r in packages.iter_rows(named=True):
        derived = pipeline_status(
            grounded=r["grounded"], review_status=r["review_status"], sent=r["application_id"] in sent
        )
        status = current_status(derived, user_events.get(r["application_id"], []))
        old = previous.get(r["application_id"])
        if (
            old
            and not user_events.get(r["application_id"])
            and STATUSES.index(old["status"]) > STATUSES.index(status)
        ):
            status = old["status"]  # the pipeline never moves an application backwards
        changed = not old or old["status"] != status
        if changed:
            source = "user" if user_events.get(r["application_id"]) else "pipeline"
            history.append(
                {
                    "application_id": r["application_id"],
                    "user_id": r["user_id"],
                    "status": status,
                    "source": source,
                    "at": now,
                }
            )
        rows.append(
            {
                "application_id": r["application_id"],
                "user_id": r["user_id"],
                "posting_id": r["posting_id"],
                "title": r["title"],
                "company": r["company"],
                "score": r["score"],
                "status": status,
                "package_dir": r["package_dir"],
                "url": r["url"],
                "updated_at": now if changed else old["updated_at"],
            }
        )
    store.write_partition("application_tracker", "all", rows)
    if history:
        store.append("application_status_history", history, group=now.date().isoformat())
    df = store.conform("application_tracker", rows)
    published = store.publish_views()
    funnel = df["status"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "funnel": dg.MetadataValue.json({f["status"]: f["count"] for f in funnel}),
            "status_changes": len(history),
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
