"""The daily search refresh and the daily delivery, as a few batched runs (never one per partition)."""

import dagster as dg

from assets.partitions import range_tags, searches_partitions, users_partitions
from sensors.jobs import delivery_job, search_job

SEARCH_BATCH_SIZE = 500


def batches(keys: list[str], size: int) -> list[tuple[str, str]]:
    """Contiguous (first, last) ranges of at most ``size`` keys, in partition order."""
    return [(keys[i], keys[min(i + size, len(keys)) - 1]) for i in range(0, len(keys), size)]


@dg.schedule(
    job=search_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_search_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest] | dg.SkipReason:
    """06:00 UTC: refresh every search (postings -> screenings -> dossiers -> packages) in batches."""
    keys = context.instance.get_dynamic_partitions(searches_partitions.name or "searches")
    if not keys:
        return dg.SkipReason("no searches yet")
    day = context.scheduled_execution_time.date().isoformat()
    return [
        dg.RunRequest(run_key=f"daily-search:{day}:{first}", tags=range_tags(first, last))
        for first, last in batches(list(keys), SEARCH_BATCH_SIZE)
    ]


@dg.schedule(
    job=delivery_job,
    cron_schedule="0 8 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_delivery_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest] | dg.SkipReason:
    """08:00 UTC: one run sends every user's digest (the ledger keeps it to once per day)."""
    users = context.instance.get_dynamic_partitions(users_partitions.name or "users")
    if not users:
        return dg.SkipReason("no users yet")
    day = context.scheduled_execution_time.date().isoformat()
    return [
        dg.RunRequest(run_key=f"delivery:{day}:{first}", tags=range_tags(first, last))
        for first, last in batches(list(users), SEARCH_BATCH_SIZE * 4)
    ]
