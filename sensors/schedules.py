"""The daily search refresh and the daily delivery, as a few batched runs (never one per partition)."""

from collections.abc import Sequence
from datetime import date

import dagster as dg

from assets.partitions import batch_tags, range_tags, searches_partitions, users_partitions
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from sensors.jobs import delivery_job, search_job

SEARCH_BATCH_SIZE = 500


def _requests(prefix: str, day: date, keys: Sequence[str], size: int) -> list[dg.RunRequest]:
    """One request per batch: the partition range, the day and the batch's users as tags."""
    out = []
    for i in range(0, len(keys), size):
        chunk = keys[i : i + size]
        users = {k.split(SEARCH_KEY_SEPARATOR, 1)[0] for k in chunk}
        out.append(
            dg.RunRequest(
                run_key=f"{prefix}:{day.isoformat()}:{chunk[0]}",
                tags={**range_tags(chunk[0], chunk[-1]), **batch_tags(day, users)},
            )
        )
    return out


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
    return _requests("daily-search", context.scheduled_execution_time.date(), keys, SEARCH_BATCH_SIZE)


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
    return _requests("delivery", context.scheduled_execution_time.date(), users, SEARCH_BATCH_SIZE * 4)
