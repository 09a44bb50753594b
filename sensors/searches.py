"""The searches sensor: titles suggested for a user -> ``searches`` partitions and one search run."""

import dagster as dg
import polars as pl

from assets.partitions import range_tags, searches_partitions
from resources import WarehouseResource
from sensors.jobs import search_job


@dg.sensor(job=search_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def search_partitions_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult:
    """Adds a ``<user>::<title-slug>`` partition for every newly suggested title.

    New keys are added together, so they are contiguous in the partition order and one run per
    batch covers them all through a partition-range (single-run backfill) instead of one run each.
    """
    titles = warehouse.store.read("suggested_titles")
    if titles.is_empty():
        return dg.SensorResult(skip_reason="no suggested titles yet")
    wanted = titles.sort(["user_id", "rank"])["search_key"].to_list()
    existing = set(context.instance.get_dynamic_partitions(searches_partitions.name or "searches"))
    new_keys = list(dict.fromkeys(k for k in wanted if k not in existing))
    if not new_keys:
        return dg.SensorResult(skip_reason="no new searches")
    users = titles.filter(pl.col("search_key").is_in(new_keys))["user_id"].unique().sort().to_list()
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"searches:{new_keys[0]}..{new_keys[-1]}:{len(new_keys)}",
                tags={**range_tags(new_keys[0], new_keys[-1]), "jobland/users": ",".join(users)[:200]},
            )
        ],
        dynamic_partitions_requests=[searches_partitions.build_add_request(new_keys)],
    )
