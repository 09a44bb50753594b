"""Refresh the tracker, the batch status (and the DuckDB views) for the users of every finished run: a
successful search or delivery run, or a failed intake, search or delivery run (its users' status says why)."""

from datetime import UTC, datetime

import dagster as dg

from assets.partitions import batch_tags, range_tags, run_users, users_partitions
from sensors.jobs import delivery_job, intake_job, search_job, tracker_job


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[search_job, delivery_job],
    request_job=tracker_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def tracker_after_runs(context: dg.RunStatusSensorContext) -> dg.RunRequest | dg.SkipReason:
    """One tracker run per finished search/delivery run, over that run's users (run_key = the run's id)."""
    return _tracker_request(context)


@dg.run_failure_sensor(
    monitored_jobs=[intake_job, search_job, delivery_job],
    request_job=tracker_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def tracker_after_failed_runs(context: dg.RunFailureSensorContext) -> dg.RunRequest | dg.SkipReason:
    """One tracker run per failed run, so the users' ``batch_status`` shows the failure and its reason."""
    return _tracker_request(context)


def _tracker_request(context: dg.RunStatusSensorContext) -> dg.RunRequest | dg.SkipReason:
    users = run_users(context.dagster_run.tags, context.instance)
    every = context.instance.get_dynamic_partitions(users_partitions.name or "users")
    users = [u for u in every if u in set(users)]  # in partition order, for a contiguous range
    if not users:
        return dg.SkipReason("the run covered no user")
    return dg.RunRequest(
        run_key=f"tracker-after:{context.dagster_run.run_id}",
        tags={**range_tags(users[0], users[-1]), **batch_tags(datetime.now(UTC).date(), users)},
    )
