"""The searches sensor: a user's suggested titles -> their ``searches`` partitions, kept in step.

It follows materialisations of ``suggested_titles`` (the event log, with a cursor), so each tick reads
only the titles of the users whose titles were just rebuilt, never the whole table.
"""

from datetime import UTC, datetime

import dagster as dg

from assets.partitions import batch_tags, range_tags, searches_partitions
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from jobland_pipeline.profiles.records import SUGGESTED_TITLES
from resources import WarehouseResource
from sensors.forget import forget_job
from sensors.jobs import search_job

MAX_EVENTS_PER_TICK = 1000


@dg.sensor(
    jobs=[search_job, forget_job], minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
)
def search_partitions_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult:
    """Adds a ``<user>::<title-slug>`` partition for every newly suggested title, and removes the searches
    of titles a user no longer has (their rows leave the warehouse through ``forget_job``).

    New keys are added together, so they are contiguous in the partition order and one run per
    batch covers them all through a partition range (a single-run backfill) instead of one run each.
    """
    events = context.instance.fetch_materializations(
        dg.AssetKey("suggested_titles"), limit=MAX_EVENTS_PER_TICK, cursor=context.cursor, ascending=True
    )
    users = sorted({r.partition_key for r in events.records if r.partition_key})
    if not users:
        return dg.SensorResult(skip_reason="no titles rebuilt", cursor=events.cursor)
    titles = sorted(warehouse.store.read_records(SUGGESTED_TITLES, users), key=lambda t: (t.user_id, t.rank))
    wanted = list(dict.fromkeys(str(t.search_key) for t in titles))
    existing = context.instance.get_dynamic_partitions(searches_partitions.name or "searches")
    known = set(existing)
    new_keys = [k for k in wanted if k not in known]
    stale = [k for k in existing if k.split(SEARCH_KEY_SEPARATOR, 1)[0] in users and k not in set(wanted)]
    requests: list[dg.RunRequest] = []
    today = datetime.now(UTC).date()
    partitions: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if new_keys:
        partitions.append(searches_partitions.build_add_request(new_keys))
        owners = sorted({k.split(SEARCH_KEY_SEPARATOR, 1)[0] for k in new_keys})
        requests.append(
            dg.RunRequest(
                job_name=search_job.name,
                run_key=f"searches:{new_keys[0]}..{new_keys[-1]}:{len(new_keys)}",
                tags={**range_tags(new_keys[0], new_keys[-1]), **batch_tags(today, owners)},
            )
        )
    if stale:
        context.log.info(f"searches no longer suggested: {', '.join(stale)}")
        partitions.append(searches_partitions.build_delete_request(stale))
        requests.append(
            dg.RunRequest(
                job_name=forget_job.name,
                run_key=f"forget-searches:{events.cursor}",
                run_config={"ops": {"forget_user_op": {"config": {"search_keys": stale}}}},
                tags=batch_tags(today, {k.split(SEARCH_KEY_SEPARATOR, 1)[0] for k in stale}),
            )
        )
    return dg.SensorResult(
        run_requests=requests, dynamic_partitions_requests=partitions, cursor=events.cursor
    )
