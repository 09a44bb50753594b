"""Refresh the tracker (and the DuckDB views) for the users of every successful search or delivery run."""

from collections.abc import Mapping

import dagster as dg

from assets.partitions import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    range_tags,
    searches_partitions,
    users_partitions,
)
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from sensors.jobs import delivery_job, search_job, tracker_job


def run_users(tags: Mapping[str, str], instance: dg.DagsterInstance) -> list[str]:
    """The users a run covered (from its tags): its partition, or every key of its partition range."""
    if "dagster/partition" in tags:
        keys = [tags["dagster/partition"]]
    elif RANGE_START_TAG in tags:
        name = (
            searches_partitions.name
            if SEARCH_KEY_SEPARATOR in tags[RANGE_START_TAG]
            else users_partitions.name
        )
        every = instance.get_dynamic_partitions(name or "")
        first, last = tags[RANGE_START_TAG], tags[RANGE_END_TAG]
        keys = (
            list(every[every.index(first) : every.index(last) + 1])
            if first in every and last in every
            else []
        )
    else:
        keys = []
    return sorted({k.split(SEARCH_KEY_SEPARATOR, 1)[0] for k in keys})


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[search_job, delivery_job],
    request_job=tracker_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def tracker_after_runs(context: dg.RunStatusSensorContext) -> dg.RunRequest | dg.SkipReason:
    """One tracker run per finished search/delivery run, over that run's users (run_key = the run's id)."""
    users = run_users(context.dagster_run.tags, context.instance)
    every = context.instance.get_dynamic_partitions(users_partitions.name or "users")
    users = [u for u in every if u in set(users)]  # in partition order, for a contiguous range
    if not users:
        return dg.SkipReason("the run covered no user")
    return dg.RunRequest(
        run_key=f"tracker-after:{context.dagster_run.run_id}", tags=range_tags(users[0], users[-1])
    )
