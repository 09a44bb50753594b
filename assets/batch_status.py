"""batch_status: each user's daily batch, stage by stage, as the Dagster instance and the warehouse tell it."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.application_tracker import application_tracker
from assets.batch_runs import day_runs
from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from assets.search_context import for_each_key
from jobland_pipeline.batch import STAGES, UserRows, counts_of, earlier_rows, status_rows, user_rows
from jobland_pipeline.batch import batch_status as stages_of
from jobland_pipeline.delivery.records import BATCH_STATUS, BatchStatusRow
from resources import WarehouseResource

COLUMNS = ["stage", "state", "rows", "detail", "run_id"]
CHUNK_USERS = 100  # users whose warehouse rows are read (and held) together


@dg.asset(
    partitions_def=users_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="delivery",
    kinds={"python", "parquet"},
    deps=[application_tracker],
    metadata=definition_metadata("batch_status"),
    check_specs=[
        spec("batch_status", "every_stage_once", "Each user has exactly one row per stage for the day."),
    ],
)
def batch_status(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """What ``jobland status`` prints, kept per user: each stage of today's batch done / running /
    failed (with the reason) / queued / not run, and the run that decided it.

    It runs with the tracker after every search and delivery run, so a user's partition page in the UI
    shows where their day stands; the ``batch_status`` view keeps 30 days of it for analysts. Runs are
    tagged ``jobland/day`` and ``jobland/user`` / ``jobland/users`` to find them in the Runs page.
    """
    users = list(context.partition_keys)
    now = datetime.now(UTC)
    day = now.date()
    runs = day_runs(context.instance, day, users)
    store = warehouse.store
    # One read per table for a chunk of the run's users (their partitions only), not one per user, and
    # only one chunk's rows in memory at a time; should a read fail, each user of the chunk reads their
    # own, so one user's unreadable file fails that user alone.
    chunk_of = {u: i // CHUNK_USERS for i, u in enumerate(users)}
    loaded: dict[int, tuple[dict[str, UserRows], dict[str, list[BatchStatusRow]]] | None] = {}

    def rows_of(user: str) -> tuple[UserRows, list[BatchStatusRow]]:
        chunk = chunk_of[user]
        if chunk not in loaded:
            loaded.clear()  # the previous chunk's rows are done with
            mine = [u for u in users if chunk_of[u] == chunk]
            try:
                loaded[chunk] = user_rows(store, mine, day), earlier_rows(store, mine)
            except Exception as exc:  # isolation boundary: fall back to reading user by user
                context.log.warning(
                    f"reading {len(mine)} users' rows at once failed, reading them one by one: {exc!r}"
                )
                loaded[chunk] = None
        got = loaded[chunk]
        if got is None:
            return user_rows(store, [user], day)[user], earlier_rows(store, [user])[user]
        return got[0][user], got[1][user]

    def run(user: str) -> pl.DataFrame:
        mine, before = rows_of(user)
        statuses = stages_of(user, day, runs, counts_of(mine, day))
        written = status_rows(user, day, statuses, now, before)
        store.write_records(BATCH_STATUS, user, written)
        df = BATCH_STATUS.frame([r for r in written if r.day == day])
        context.add_asset_metadata(
            {
                "dagster/row_count": df.height,
                "day": day.isoformat(),
                "failed_stages": int(df.filter(pl.col("state") == "failed").height),
                "status": preview(df, COLUMNS, limit=len(STAGES)),
            },
            partition_key=user,
        )
        return df

    done, failed = for_each_key(context, users, run)
    df = pl.concat(list(done.values())) if done else BATCH_STATUS.frame([])
    states = df["state"].value_counts().to_dicts() if df.height else []
    per_user = df.group_by("user_id").agg(pl.len().alias("n"), pl.col("stage").n_unique().alias("stages"))
    wrong = per_user.filter((pl.col("n") != len(STAGES)) | (pl.col("stages") != len(STAGES))).height
    return dg.MaterializeResult(
        metadata={
            "day": day.isoformat(),
            "by_state": dg.MetadataValue.json({s["state"]: s["count"] for s in states}),
            "users_failed": dg.MetadataValue.json(failed),
            "failed_stages": preview(df.filter(pl.col("state") == "failed"), ["user_id", *COLUMNS], limit=20),
        },
        check_results=[
            check("every_stage_once", wrong == 0 and not failed, f"{wrong} users without one row per stage"),
        ],
    )
