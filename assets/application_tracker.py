"""application_tracker: every application JobLand prepared and where it stands."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.application_packages import application_packages
from assets.common import check, definition_metadata, preview, spec
from assets.email_digests import email_digests
from resources import WarehouseResource

STATUSES = ("discovered", "packaged", "sent", "applied", "interviewing", "offer", "rejected")


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
    """Funnel status per application: discovered -> packaged -> sent -> applied -> interviewing -> offer/rejected.

    Derived from the packages and the delivery ledger; statuses set later by the user are kept.
    """
    store = warehouse.store
    packages = (
        store.read("application_packages")
        .sort("created_at", descending=True)
        .unique("application_id", keep="first")
    )
    sent = {
        a
        for ids in store.read("email_digests")
        .filter(pl.col("status") == "written")["application_ids"]
        .to_list()
        for a in (ids or [])
    }
    previous = {r["application_id"]: r for r in store.read("application_tracker").iter_rows(named=True)}
    now = datetime.now(UTC)
    rows = []
    for r in packages.iter_rows(named=True):
        status = "sent" if r["application_id"] in sent else "packaged" if r["grounded"] else "discovered"
        old = previous.get(r["application_id"])
        if old and STATUSES.index(old["status"]) > STATUSES.index(status):
            status = old["status"]  # never move an application backwards
        changed = not old or old["status"] != status
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
    df = store.conform("application_tracker", rows)
    published = store.publish_views()
    funnel = df["status"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "funnel": dg.MetadataValue.json({f["status"]: f["count"] for f in funnel}),
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
