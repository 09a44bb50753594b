"""Refresh the tracker (and the DuckDB views) after every successful search or delivery run."""

import dagster as dg

from sensors.jobs import delivery_job, search_job, tracker_job


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[search_job, delivery_job],
    request_job=tracker_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def tracker_after_runs(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    """One tracker run per finished search/delivery run (run_key = that run's id, so never twice)."""
    return dg.RunRequest(run_key=f"tracker-after:{context.dagster_run.run_id}")
